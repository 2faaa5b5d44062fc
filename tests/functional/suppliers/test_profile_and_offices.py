"""Supplier staff keep their profile and apply for the supplier; county offices enter earlier certificates; the city
office follows its counties; nobody reaches another supplier's records by changing an id."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from suppliers.models import CertificationStatus, Partner, SupplierCertification
from tests.factories import (
    CertifiedPartnerFactory,
    PartnerFactory,
    ProductCertificationFactory,
    StockRecordFactory,
    UserFactory,
    certified_product,
    credit_code,
    region,
)
from tests.functional.suppliers.test_dashboard import png

pytestmark = pytest.mark.django_db

PROFILE = "/shop/dashboard/suppliers/profile/"
APPLY = "/shop/dashboard/suppliers/certifications/apply/supplier/"
RECORD = "/shop/dashboard/suppliers/certifications/record/"
LIST = "/shop/dashboard/suppliers/certifications/"

StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")


@pytest.fixture
def sangzhi():
    return region("430822000000", "桑植县")


@pytest.fixture
def partner(sangzhi):
    return PartnerFactory(name="合群村白茶合作社", region=region("430822101201", "合群村"))


@pytest.fixture
def staff(partner):
    user = UserFactory(role="supplier")
    partner.users.add(user)
    return user


def profile_data(partner, **changes):
    data = {
        "name": partner.name,
        "legal_name": "桑植县合群村白茶专业合作社",
        "supplier_type": "cooperative",
        "credit_code": credit_code(7001),
        "region_code": "430822101201",
        "address": "合群村三组",
        "contact_name": "李主任",
        "contact_phone": "13907440000",
        "contact_email": "",
        "description": "",
        "leading_enterprise": "",
        "link_type": "purchase",
        "link_description": "",
        "households_linked": "35",
        "people_linked": "120",
        "bank_name": "",
        "bank_account_name": "",
        "bank_account": "",
        "shipping_rate": "10.00",
        "free_shipping_threshold": "",
    }
    data.update(changes)
    return data


def test_staff_keep_their_supplier_profile(client, staff, partner):
    client.force_login(staff)
    response = client.post(PROFILE, profile_data(partner))
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.credit_code == credit_code(7001)
    assert (partner.households_linked, partner.people_linked) == (35, 120)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"credit_code": "91430822MA4L0000X0"}, "credit_code", "校验位不正确"),
        ({"credit_code": "9143082"}, "credit_code", "应为 18 位"),
        ({"region_code": "430822999999"}, "region_code", "没有代码为"),
        ({"region_code": "430822000000"}, "region_code", "请填写乡镇或村的代码"),
        ({"people_linked": "3"}, "people_linked", "不能少于贫困户数"),
    ],
)
def test_bad_profile_input_is_explained_in_chinese_and_nothing_is_saved(
    client, staff, partner, changes, field, message
):
    before = Partner.objects.values().get(pk=partner.pk)
    client.force_login(staff)
    response = client.post(PROFILE, profile_data(partner, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Partner.objects.values().get(pk=partner.pk) == before


def test_a_duplicate_credit_code_is_refused(client, staff, partner):
    PartnerFactory(credit_code=credit_code(7002))
    client.force_login(staff)
    response = client.post(PROFILE, profile_data(partner, credit_code=credit_code(7002)))
    assert "已存在" in " ".join(response.context["form"].errors["credit_code"])
    partner.refresh_from_db()
    assert partner.credit_code != credit_code(7002)


def test_a_supplier_cannot_move_itself_to_another_county(client, staff, partner):
    region("433125000000", "保靖县")
    region("433125101201", "黄金村")
    client.force_login(staff)
    response = client.post(PROFILE, profile_data(partner, region_code="433125101201"))
    assert "不能在此迁到其他县" in " ".join(response.context["form"].errors["region_code"])


def test_staff_cannot_open_another_suppliers_profile(client, staff, partner):
    other = PartnerFactory(name="别家公司")
    client.force_login(staff)
    assert client.get(PROFILE, {"partner": other.pk}).status_code == 403
    response = client.post(f"{PROFILE}?partner={other.pk}", profile_data(other, name="被改了"))
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.name == "别家公司"


def test_a_buyer_cannot_open_the_profile_or_apply(client):
    client.force_login(UserFactory(role="buyer"))
    assert client.get(PROFILE).status_code == 403
    assert client.get(APPLY).status_code == 403


def test_staff_apply_for_the_suppliers_certification(client, staff, partner):
    partner.credit_code = credit_code(7003)
    partner.save()
    client.force_login(staff)
    response = client.post(APPLY, {"business_licence": png(), "commitment_letter": png()})
    assert response.status_code == 302
    certification = SupplierCertification.objects.get(partner=partner)
    assert certification.status == CertificationStatus.PENDING
    assert certification.applied_by == staff


def test_a_non_image_renamed_jpg_is_refused_and_nothing_saved(client, staff, partner):
    client.force_login(staff)
    fake = SimpleUploadedFile("licence.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = client.post(APPLY, {"business_licence": fake, "commitment_letter": png()})
    assert response.status_code == 200
    assert "该文件不是可读取的 JPEG、PNG、PDF 文件" in " ".join(response.context["form"].errors["business_licence"])
    assert not SupplierCertification.objects.exists()


def test_an_oversized_upload_is_refused_and_nothing_saved(client, staff, partner, settings):
    settings.CERTIFICATION_EVIDENCE_MAX_BYTES = 20
    client.force_login(staff)
    response = client.post(APPLY, {"business_licence": png(), "commitment_letter": png()})
    assert response.status_code == 200
    assert "此处上传的文件最大 20" in " ".join(response.context["form"].errors["business_licence"])
    assert not SupplierCertification.objects.exists()


def test_the_county_office_enters_an_earlier_certificate(client, sangzhi, partner):
    reviewer = UserFactory(role="county", region=sangzhi)
    client.force_login(reviewer)
    response = client.post(
        RECORD,
        {
            "partner": partner.pk,
            "certificate_number": "430822-2020-0007",
            "valid_from": "2025-06-01",
            "valid_until": "2027-05-31",
        },
    )
    assert response.status_code == 302
    certification = SupplierCertification.objects.get(partner=partner)
    assert certification.status == CertificationStatus.CERTIFIED
    assert certification.certifying_office == sangzhi
    assert certification.status_changes.get().changed_by == reviewer


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"valid_until": "2025-05-31"}, "valid_until", "有效期截止日期必须晚于起始日期"),
        ({"certificate_number": "433125-2020-0007"}, "certificate_number", "开头"),
        ({"certificate_number": "第7号"}, "certificate_number", "请按证书上的格式填写"),
    ],
)
def test_bad_certificate_input_is_explained_and_nothing_saved(client, sangzhi, partner, changes, field, message):
    client.force_login(UserFactory(role="county", region=sangzhi))
    data = {
        "partner": partner.pk,
        "certificate_number": "430822-2020-0007",
        "valid_from": "2025-06-01",
        "valid_until": "2027-05-31",
    }
    data.update(changes)
    response = client.post(RECORD, data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not SupplierCertification.objects.exists()


def test_a_county_office_cannot_enter_a_certificate_for_another_countys_supplier(client, partner):
    outsider = UserFactory(role="county", region=region("433127000000", "永顺县"))
    client.force_login(outsider)
    response = client.post(
        RECORD,
        {
            "partner": partner.pk,
            "certificate_number": "433127-2020-0007",
            "valid_from": "2025-06-01",
            "valid_until": "2027-05-31",
        },
    )
    assert response.status_code == 200
    assert "partner" in response.context["form"].errors
    assert not SupplierCertification.objects.exists()


def test_supplier_staff_and_city_reviewers_cannot_enter_certificates(client, staff):
    client.force_login(staff)
    assert client.get(RECORD).status_code == 403
    client.force_login(UserFactory(role="city", region=region("430800000000", "张家界市")))
    assert client.get(RECORD).status_code == 403


def test_the_city_office_sees_all_its_counties_but_decides_nothing(client, partner):
    region("430800000000", "张家界市")
    other_city = CertifiedPartnerFactory(name="外市公司", region=region("433125101201", "黄金村"))
    mine = ProductCertificationFactory(partner=partner, status=CertificationStatus.PENDING, certificate_number=None)
    theirs = ProductCertificationFactory(
        partner=other_city, status=CertificationStatus.PENDING, certificate_number=None
    )
    client.force_login(UserFactory(role="city", region=region("430800000000")))
    html = client.get(LIST).content.decode()
    assert mine.product.title in html and theirs.product.title not in html
    assert "certification-decide" not in html and "/approve/" not in html
    url = reverse(
        "suppliers-dashboard:certification-decide", kwargs={"kind": "product", "pk": mine.pk, "decision": "approve"}
    )
    assert client.post(url).status_code == 403
    mine.refresh_from_db()
    assert mine.status == CertificationStatus.PENDING


def test_supplier_staff_cannot_reach_another_suppliers_product_or_stock_in_the_dashboard(client, staff, partner):
    mine = certified_product(partner=partner, title="自家白茶")
    other = CertifiedPartnerFactory(name="别家公司")
    theirs = certified_product(partner=other, title="别家腊肉", price="50.00")
    client.force_login(staff)
    listing = client.get("/shop/dashboard/catalogue/").content.decode()
    assert "自家白茶" in listing and "别家腊肉" not in listing
    assert client.get(f"/shop/dashboard/catalogue/products/{mine.pk}/").status_code == 200
    assert client.get(f"/shop/dashboard/catalogue/products/{theirs.pk}/").status_code in (403, 404)
    response = client.post(f"/shop/dashboard/catalogue/products/{theirs.pk}/", {"title": "改名"})
    assert response.status_code in (403, 404)
    assert Product.objects.get(pk=theirs.pk).title == "别家腊肉"
    assert client.get(f"/shop/dashboard/partners/{other.pk}/").status_code in (302, 403, 404)
    assert StockRecord.objects.get(product=theirs).price == 50


def test_staff_see_only_their_own_applications(client, staff, partner):
    other = CertifiedPartnerFactory(name="别家公司")
    ProductCertificationFactory(partner=other, status=CertificationStatus.PENDING, certificate_number=None)
    mine = ProductCertificationFactory(partner=partner, status=CertificationStatus.PENDING, certificate_number=None)
    StockRecordFactory(product=mine.product, partner=partner)
    client.force_login(staff)
    html = client.get(LIST).content.decode()
    assert f'data-certification="{mine.pk}"' in html
    assert html.count("data-certification=") == 1
