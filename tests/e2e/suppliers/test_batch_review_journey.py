"""The county office opens the evidence of two products' applications and approves both into one numbered batch."""

import re

import pytest
from django.test import Client

from accounts import roles
from suppliers import services
from suppliers.models import CertificationStatus, ProductCertification
from tests.factories import (
    PRICE_PROOF,
    CertifiedPartnerFactory,
    ProductFactory,
    StockRecordFactory,
    UserFactory,
    pdf_upload,
    png_upload,
    region,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_county_opens_two_applications_evidence_and_approves_both_into_one_batch(live_server, page):
    county = region("430822000000", "桑植县")
    partner = CertifiedPartnerFactory(name="桑植县白茶产业合作社", region=region("430822101201", "合群村"))
    staff = UserFactory(role=roles.SUPPLIER)
    partner.users.add(staff)
    titles = ["桑植白茶 明前特级", "张家界莓茶 嫩芽"]
    for title in titles:
        product = ProductFactory(title=title)
        StockRecordFactory(product=product, partner=partner)
        services.product_certification_apply(
            user=staff,
            partner=partner,
            product=product,
            business_licence=png_upload(),
            commitment_letter=pdf_upload(),
            **PRICE_PROOF,
        )
    reviewer = UserFactory(role=roles.COUNTY, region=county, email="county@demo.cn")

    sign_in(page, live_server, reviewer)
    page.goto(live_server.url + "/shop/dashboard/suppliers/certifications/")
    for title in titles:
        row = page.locator("#product-certifications tr[data-certification]", has_text=title)
        links = row.locator("a.evidence-link")
        assert links.count() == 2
        # Each piece of evidence opens, through the permission-checked file view, as what it is.
        for index, kind in ((0, "image/png"), (1, "application/pdf")):
            href = links.nth(index).get_attribute("href")
            response = page.request.get(live_server.url + href)
            assert response.status == 200 and response.headers["content-type"].startswith(kind)
        assert ProductCertification.objects.get(product__title=title).status == CertificationStatus.PENDING

    for title in titles:
        row = page.locator("#product-certifications tr[data-certification]", has_text=title)
        row.get_by_role("button", name="通过").click()
        dialog = page.locator(".confirm-dialog.show")
        assert title in dialog.inner_text() and "公示" in dialog.inner_text()
        dialog.get_by_role("button", name="通过").click()
        page.wait_for_load_state()
        page.wait_for_selector(".confirm-dialog.show", state="detached")

    approved = list(ProductCertification.objects.filter(product__title__in=titles))
    assert {c.status for c in approved} == {CertificationStatus.NOTICE}
    assert len({c.batch_id for c in approved}) == 1  # one notice batch for the county, not one per product
    batch = approved[0].batch
    listing = page.locator("#product-certifications").inner_text()
    for title in titles:
        row_text = page.locator("#product-certifications tr[data-certification]", has_text=title).inner_text()
        assert str(batch) in row_text
    assert re.search(r"第\s*\d+\s*批", listing)
