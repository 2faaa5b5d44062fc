"""Each certified product carries a price reference (价格佐证): the application asks for the price, its source and
where it comes from; the county office cannot approve an application without one; a renewal states it again."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from suppliers.models import CertificationStatus, PriceSource, ProductCertification
from suppliers.services import CertificationError, certification_approve, certification_renew
from tests.factories import (
    PRICE_PROOF,
    CertifiedPartnerFactory,
    ProductCertificationFactory,
    ProductFactory,
    StockRecordFactory,
    UserFactory,
    pdf_upload,
    png_upload,
    region,
)

pytestmark = pytest.mark.django_db

LIST = "/shop/dashboard/suppliers/certifications/"


@pytest.fixture
def partner():
    return CertifiedPartnerFactory(name="桑植县白茶专业合作社", region=region("430822101201", "合群村"))


@pytest.fixture
def staff(partner):
    user = UserFactory(role="supplier")
    partner.users.add(user)
    return user


@pytest.fixture
def product(partner):
    product = ProductFactory(title="桑植白茶 特级")
    StockRecordFactory(product=product, partner=partner, price=Decimal("128.00"))
    return product


@pytest.fixture
def reviewer():
    return UserFactory(role="county", region=region("430822000000", "桑植县"))


def post_application(client, product, **proof):
    return client.post(
        reverse("suppliers-dashboard:product-apply"),
        {"product": product.pk, "business_licence": png_upload(), "commitment_letter": pdf_upload(), **proof},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def test_the_application_form_asks_for_the_price_its_source_and_where_it_comes_from(client, staff, product):
    client.force_login(staff)
    response = post_application(client, product)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"reference_price", "reference_source", "reference_note"}
    html = response.content.decode()
    assert "请说明参考价的来源。" in html and "请写明店铺或平台及日期，或合同、发票的编号。" in html
    # A source without its detail is not enough either.
    response = post_application(client, product, reference_price="120.00", reference_source="channel")
    assert set(response.context["form"].errors) == {"reference_note"}
    assert not ProductCertification.objects.exists()

    response = post_application(
        client, product, reference_price="120.00", reference_source="contract", reference_note="  供货合同 2026-031 号 "
    )
    assert response.status_code == 302
    application = ProductCertification.objects.get()
    assert (application.reference_price, application.reference_source, application.reference_note) == (
        Decimal("120.00"),
        PriceSource.CONTRACT,
        "供货合同 2026-031 号",
    )


def test_the_service_refuses_an_application_without_its_price_proof(staff, partner, product):
    from suppliers.services import product_certification_apply

    for proof in ({}, {"reference_price": Decimal("120.00"), "reference_source": "invoice"}):
        with pytest.raises(CertificationError, match="价格佐证"):
            product_certification_apply(user=staff, partner=partner, product=product, **proof)
    assert not ProductCertification.objects.exists()


def test_the_county_cannot_approve_an_application_without_a_price_proof(client, partner, product, reviewer):
    # An application sent before the proof was required.
    legacy = ProductCertification.objects.create(product=product, partner=partner)
    with pytest.raises(CertificationError, match="没有价格佐证"):
        certification_approve(certification=legacy, reviewer=reviewer)

    client.force_login(reviewer)
    page = client.get(LIST, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    row = page.split(f'data-certification="{legacy.pk}"')[1].split("</tr>")[0]
    assert "未提供价格佐证" in row and "没有价格佐证，不能批准" in row
    assert "decision=approve" not in row and "/approve/" not in row

    url = reverse(
        "suppliers-dashboard:certification-decide", kwargs={"kind": "product", "pk": legacy.pk, "decision": "approve"}
    )
    response = client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "“桑植白茶 特级”没有价格佐证" in response.content.decode()
    legacy.refresh_from_db()
    assert legacy.status == CertificationStatus.PENDING and legacy.certificate_number is None

    # With the proof added it goes through.
    ProductCertification.objects.filter(pk=legacy.pk).update(**PRICE_PROOF)
    legacy.refresh_from_db()
    assert certification_approve(certification=legacy, reviewer=reviewer).status == CertificationStatus.NOTICE


def test_a_renewal_states_the_price_proof_again(client, partner, staff):
    on_file = ProductCertificationFactory(
        partner=partner, valid_until=timezone.localdate() + timedelta(days=40), **PRICE_PROOF
    )
    without = ProductCertificationFactory(partner=partner, valid_until=timezone.localdate() + timedelta(days=40))
    client.force_login(staff)

    # The form is filled in with the proof on file; a certificate without one has to be given one.
    url = reverse("suppliers-dashboard:certification-renew", kwargs={"kind": "product", "pk": on_file.pk})
    form = client.get(url).context["form"]
    assert form["reference_note"].value() == PRICE_PROOF["reference_note"]
    bare = reverse("suppliers-dashboard:certification-renew", kwargs={"kind": "product", "pk": without.pk})
    response = client.post(bare, {}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and "reference_price" in response.context["form"].errors
    with pytest.raises(CertificationError, match="价格佐证"):
        certification_renew(certification=without, user=staff)
    assert not ProductCertification.objects.filter(renews=without).exists()

    response = client.post(
        bare, {"reference_price": "99.50", "reference_source": "channel", "reference_note": "某电商平台 2026-11"}
    )
    assert response.status_code == 302
    renewal = ProductCertification.objects.get(renews=without)
    assert renewal.reference_price == Decimal("99.50") and renewal.has_price_proof
    assert renewal.business_licence.name == without.business_licence.name


def test_another_suppliers_staff_cannot_renew_with_a_new_price(client, partner):
    certification = ProductCertificationFactory(
        partner=partner, valid_until=timezone.localdate() + timedelta(days=40), **PRICE_PROOF
    )
    other = CertifiedPartnerFactory()
    stranger = UserFactory(role="supplier")
    other.users.add(stranger)
    client.force_login(stranger)
    url = reverse("suppliers-dashboard:certification-renew", kwargs={"kind": "product", "pk": certification.pk})
    response = client.post(url, {"reference_price": "1.00", "reference_source": "channel", "reference_note": "x"})
    assert response.status_code == 404
    assert not ProductCertification.objects.filter(renews=certification).exists()
