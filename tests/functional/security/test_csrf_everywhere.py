"""Another site cannot make a signed-in person's browser change anything here: every view keeps Django's CSRF check,
and the few that opt out carry their own proof of origin."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import roles
from procurement import services
from procurement.models import GiftVoucher
from tests.factories import UnitFactory, UserFactory, certified_product

# The one view of ours without the check: Stripe signs every event (shop/payment/webhooks.py checks the signature).
# Wagtail's admin API is exempt at Django's level only; its REST framework views check the token of the session.
EXEMPT = {"shop.payment.webhooks.stripe_webhook"}
EXEMPT_MODULE_PREFIXES = ("wagtail.admin.api.", "wagtail.documents.api.admin.", "wagtail.images.api.admin.")


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_no_view_opts_out_of_the_csrf_check_but_the_signed_webhook():
    exempt = [
        (route, f"{view.__module__}.{view.__name__}")
        for route, view in walk(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False)
    ]
    ours = [(route, name) for route, name in exempt if not name.startswith(EXEMPT_MODULE_PREFIXES)]
    assert {name for _route, name in ours} == EXEMPT, ours


@pytest.mark.django_db
def test_a_voucher_redeemed_from_another_site_without_the_token_is_refused_and_stays_unused():
    unit = UnitFactory()
    member = UserFactory(role=roles.UNIT)
    unit.members.add(member)
    code = services.voucher_batch_buy(unit=unit, user=member, count=1, value=Decimal("50.00")).vouchers.get().code
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = browser.post(
        reverse("procurement:voucher-redeem"),
        {"code": code, "product": certified_product().pk},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert GiftVoucher.objects.get().redeemed_at is None
