"""Decisions are asked twice: the button opens a dialog that says what will happen; only the dialog submits."""

import re

import pytest
from django.test import Client

from accounts import roles
from reports import services as report_services
from suppliers.models import CertificationStatus
from tests.factories import (
    PRICE_PROOF,
    CertifiedPartnerFactory,
    ProductCertificationFactory,
    ProductFactory,
    PurchaseRecordFactory,
    UserFactory,
    certified_product,
    region,
)
from tests.integration.shop.support import basket_for, place

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def forms_posting_to(html, action):
    return re.findall(rf'<form method="post" action="{re.escape(action)}".*?</form>', html, flags=re.S)


def asks_first(form, message):
    """The form's visible button only opens its dialog; the dialog explains and holds the one submit button."""
    trigger = re.search(r'<button type="button"[^>]*data-toggle="modal" data-target="#([\w-]+)"', form)
    assert trigger, form
    dialog = form[form.index(f'id="{trigger.group(1)}"') :]
    assert message in dialog
    assert form.count('type="submit"') == 1 and 'type="submit"' in dialog
    assert "onclick" not in form


def test_a_county_reviewer_is_told_what_approving_and_rejecting_a_product_do():
    county = region("430822000000", "桑植县")
    reviewer = UserFactory(role=roles.COUNTY, region=county)
    partner = CertifiedPartnerFactory(name="<i>白茶社</i>")
    application = ProductCertificationFactory(
        partner=partner, product=ProductFactory(title="明前白茶"), status=CertificationStatus.PENDING, **PRICE_PROOF
    )
    html = signed_in(reviewer).get("/shop/dashboard/suppliers/certifications/").content.decode()
    base = f"/shop/dashboard/suppliers/certifications/product/{application.pk}/"
    (approve,) = forms_posting_to(html, base + "approve/")
    asks_first(approve, "通过后，&lt;i&gt;白茶社&lt;/i&gt;的明前白茶进入公示")
    (reject,) = forms_posting_to(html, base + "reject/")
    asks_first(reject, "驳回后，申请连同您填写的原因退回")
    assert 'name="reason"' in reject


def test_submitting_approving_and_returning_a_report_are_explained_first():
    village = region("430822101201", "合群村")
    township = region("430822101000", "澧源镇")
    clerk = UserFactory(role=roles.VILLAGE, region=village)
    reviewer = UserFactory(role=roles.TOWNSHIP, region=township)
    period = report_services.default_period()
    PurchaseRecordFactory(village=village, purchased_on=period.start, quantity=2000, unit_price="12.50")
    report = report_services.report_for(user=clerk, period=period, region=village)
    url = f"/shop/dashboard/reports/half-month/{report.pk}/"
    html = signed_in(clerk).get(url).content.decode()
    (submit,) = forms_posting_to(html, url + "submit/")
    asks_first(submit, "（1 笔，¥25,000.00）将交上级审核")
    report_services.report_submit(report=report, user=clerk)
    html = signed_in(reviewer).get(url).content.decode()
    (approve,) = forms_posting_to(html, url + "approve/")
    asks_first(approve, "及其中所有登记将被锁定")
    (returning,) = forms_posting_to(html, url + "return/")
    asks_first(returning, "退回后，半月报连同您的意见退给合群村")


def test_confirming_a_transfer_and_refunding_say_what_follows():
    operator = UserFactory(role=roles.OPERATOR, is_staff=True)
    buyer = UserFactory(role=roles.BUYER)
    order = place(buyer, basket_for(buyer, (certified_product(title="桑植白茶"), 1))).order
    html = signed_in(operator).get("/shop/dashboard/orders/payments/").content.decode()
    (received,) = forms_posting_to(html, f"/shop/dashboard/orders/payments/{order.number}/received/")
    asks_first(received, f"订单 {order.number} 将标记为已付款")
    assert order.transfer_reference in received
