import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts import roles
from suppliers.models import CatalogueBatch, CertificationStatus, ProductCertification
from tests.factories import (
    CertifiedPartnerFactory,
    ProductFactory,
    StockRecordFactory,
    UserFactory,
    pdf_bytes,
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


def licence_photo(tmp_path):
    path = tmp_path / "营业执照.png"
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 30, 30)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def commitment_letter(tmp_path):
    path = tmp_path / "承诺书.pdf"
    path.write_bytes(pdf_bytes())
    return str(path)


def test_supplier_applies_the_county_approves_and_the_product_enters_the_catalogue(live_server, page, tmp_path):
    county = region("430822000000", "桑植县")
    partner = CertifiedPartnerFactory(name="合群村白茶合作社", region=region("430822101201", "合群村"))
    product = ProductFactory(title="合群村明前白茶")
    StockRecordFactory(product=product, partner=partner)
    staff = UserFactory(role=roles.SUPPLIER)
    partner.users.add(staff)
    reviewer = UserFactory(role=roles.COUNTY, region=county)

    # The supplier's staff apply for the product with a licence photo and a signed letter.
    sign_in(page, live_server, staff)
    page.goto(live_server.url + "/shop/dashboard/suppliers/certifications/apply/")
    page.select_option("#id_product", str(product.pk))
    page.set_input_files("#id_business_licence", licence_photo(tmp_path))
    page.set_input_files("#id_commitment_letter", commitment_letter(tmp_path))
    # The price proof: what the same tea sells for elsewhere, and where that was seen.
    page.fill("#id_reference_price", "118.00")
    page.select_option("#id_reference_source", "channel")
    page.fill("#id_reference_note", "某电商平台旗舰店 2026-11-20")
    page.get_by_role("button", name="提交县扶贫办审核").click()
    page.wait_for_url(re.compile(r"/certifications/$"))
    assert "合群村明前白茶" in page.locator("#product-certifications").inner_text()
    application = ProductCertification.objects.get(product=product)
    assert application.status == CertificationStatus.PENDING
    assert (application.reference_price, application.reference_note) == (
        Decimal("118.00"),
        "某电商平台旗舰店 2026-11-20",
    )

    # The county office approves it: a certificate number, and a public notice.
    sign_in(page, live_server, reviewer)
    page.goto(live_server.url + "/shop/dashboard/suppliers/certifications/")
    row = page.locator("#product-certifications tr", has_text="合群村明前白茶")
    row.get_by_role("button", name="通过").click()
    # The dialog says what approving does before anything happens.
    dialog = page.locator(".confirm-dialog.show")
    assert "进入公示" in dialog.inner_text()
    assert ProductCertification.objects.get(product=product).status == CertificationStatus.PENDING
    dialog.get_by_role("button", name="通过").click()
    page.wait_for_load_state()
    certification = ProductCertification.objects.get(product=product)
    assert certification.status == CertificationStatus.NOTICE
    assert re.fullmatch(r"430822-\d{4}-\d{4}", certification.certificate_number)
    assert certification.certificate_number in page.content()

    page.goto(live_server.url + "/shop/suppliers/notice/")
    assert "合群村明前白茶" in page.locator("#certified-products").inner_text()
    page.goto(live_server.url + "/shop/suppliers/catalogue/")
    assert "合群村明前白茶" not in page.locator("#certified-products").inner_text()

    # After the notice period the daily run publishes the batch; the catalogue lists it, and it can be bought.
    today = timezone.localdate()
    CatalogueBatch.objects.filter(pk=certification.batch_id).update(
        notice_starts_on=today - timedelta(days=8), notice_ends_on=today - timedelta(days=1)
    )
    call_command("certifications_daily", verbosity=0)
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.CERTIFIED
    page.goto(live_server.url + "/shop/suppliers/catalogue/")
    listed = page.locator("#certified-products").inner_text()
    assert "合群村明前白茶" in listed and certification.certificate_number in listed
    page.get_by_role("link", name="合群村明前白茶").click()
    assert certification.certificate_number in page.locator("#certification-badge").inner_text()
