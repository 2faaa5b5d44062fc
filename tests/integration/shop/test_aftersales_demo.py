import pytest
from django.core.management import call_command
from oscar.core.loading import get_model

from shop.aftersales.models import Claim

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
ProductReview = get_model("reviews", "ProductReview")


def test_the_demo_buyer_has_orders_after_delivery_and_claims_for_the_supplier_and_the_operator():
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    buyer_orders = Order.objects.filter(user__email="buyer@demo.cn")
    assert buyer_orders.filter(status="shipped").exists()
    assert buyer_orders.filter(status="received").count() == 2
    assert ProductReview.objects.filter(user__email="buyer@demo.cn", status=ProductReview.APPROVED).count() == 1
    # One review waits for operator@demo.cn to approve or reject it.
    assert ProductReview.objects.filter(user__email="buyer@demo.cn", status=ProductReview.FOR_MODERATION).count() == 1
    claims = Claim.objects.filter(buyer__email="buyer@demo.cn")
    assert claims.count() == 2
    assert claims.get(status="submitted").partner.users.filter(email="supplier@demo.cn").exists()
    assert claims.get(status="disputed").photos.count() == 1
