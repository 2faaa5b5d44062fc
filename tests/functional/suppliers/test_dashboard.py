import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from suppliers.models import CertificationStatus, ProductCertification
from tests.factories import (
    PRICE_PROOF,
    CertifiedPartnerFactory,
    ProductFactory,
    StockRecordFactory,
    UserFactory,
    pdf_upload,
    region,
)

pytestmark = pytest.mark.django_db

LIST = "/shop/dashboard/suppliers/certifications/"


def png():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 120, 0)).save(out, "PNG")
    return SimpleUploadedFile("licence.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def partner():
    return CertifiedPartnerFactory(name="桑植县白茶专业合作社")


@pytest.fixture
def staff(partner):
    user = UserFactory(role="supplier", region=partner.region)
    partner.users.add(user)
    return user


@pytest.fixture
def product(partner):
    product = ProductFactory(title="桑植白茶 特级")
    StockRecordFactory(product=product, partner=partner)
    return product


@pytest.fixture
def reviewer():
    return UserFactory(role="county", region=region("430822000000", "桑植县"))


def decide(client, certification, decision, reason=""):
    url = reverse(
        "suppliers-dashboard:certification-decide",
        kwargs={"kind": "product", "pk": certification.pk, "decision": decision},
    )
    return client.post(url, {"reason": reason})


def test_supplier_staff_apply_with_evidence_and_the_county_office_approves(client, staff, product, reviewer):
    client.force_login(staff)
    response = client.post(
        reverse("suppliers-dashboard:product-apply"),
        {
            "product": product.pk,
            "business_licence": png(),
            "commitment_letter": pdf_upload(),
            **PRICE_PROOF,
        },
    )
    assert response.status_code == 302
    certification = ProductCertification.objects.get(product=product)
    assert certification.status == CertificationStatus.PENDING

    client.force_login(reviewer)
    assert "桑植白茶 特级" in client.get(LIST).content.decode()
    decide(client, certification, "approve")
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.NOTICE
    assert certification.certificate_number.startswith("430822-")


def test_a_bad_evidence_file_is_explained_and_nothing_is_saved(client, staff, product):
    client.force_login(staff)
    response = client.post(
        reverse("suppliers-dashboard:product-apply"),
        {
            "product": product.pk,
            "business_licence": SimpleUploadedFile("licence.jpg", b"not a picture"),
            "commitment_letter": png(),
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "该文件不是可读取的 JPEG、PNG、PDF 文件，未予接收。" in response.content.decode()
    assert not ProductCertification.objects.exists()


def test_the_supplier_sees_the_reason_for_a_rejection(client, staff, product, reviewer):
    certification = ProductCertification.objects.create(
        product=product, partner=product.stockrecords.get().partner, **PRICE_PROOF
    )
    client.force_login(reviewer)
    decide(client, certification, "reject", "营业执照照片不清晰")
    client.force_login(staff)
    assert "营业执照照片不清晰" in client.get(LIST).content.decode()


def test_a_rejection_without_a_reason_is_refused_with_a_message(client, product, reviewer):
    certification = ProductCertification.objects.create(
        product=product, partner=product.stockrecords.get().partner, **PRICE_PROOF
    )
    client.force_login(reviewer)
    response = decide(client, certification, "reject")
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.PENDING


def test_another_countys_office_neither_sees_nor_decides(client, product):
    certification = ProductCertification.objects.create(
        product=product, partner=product.stockrecords.get().partner, **PRICE_PROOF
    )
    outsider = UserFactory(role="county", region=region("433127000000", "永顺县"))
    client.force_login(outsider)
    assert "桑植白茶 特级" not in client.get(LIST).content.decode()
    assert decide(client, certification, "approve").status_code == 403
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.PENDING


def test_staff_of_another_supplier_cannot_apply_for_this_product(client, product):
    other_partner = CertifiedPartnerFactory()
    other_staff = UserFactory(role="supplier")
    other_partner.users.add(other_staff)
    client.force_login(other_staff)
    response = client.post(
        reverse("suppliers-dashboard:product-apply"),
        {"product": product.pk, "business_licence": png(), "commitment_letter": png()},
    )
    assert response.status_code == 200
    assert not ProductCertification.objects.exists()


def test_a_buyer_cannot_open_the_certification_pages(client):
    client.force_login(UserFactory(role="buyer"))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("suppliers-dashboard:product-apply")).status_code == 403


def test_supplier_staff_cannot_approve_their_own_application(client, staff, product):
    certification = ProductCertification.objects.create(
        product=product, partner=product.stockrecords.get().partner, **PRICE_PROOF
    )
    client.force_login(staff)
    assert decide(client, certification, "approve").status_code == 403
