"""What a fresh clone's demo shows of certification as the counties run it, honest prices and household linkage."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model

from accounts.models import User
from suppliers.models import CertificationStatus, Objection, PriceChange, PriceChangeStatus, ProductCertification

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")


def test_the_demo_accounts_find_their_county_practice_work(client):
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # a second run adds nothing
    assert PriceChange.objects.count() == 1 and Objection.objects.count() == 1
    # Every product application and certificate carries its price proof, so county@demo.cn can approve them.
    certifications = ProductCertification.objects.all()
    assert certifications.count() > 10
    assert [c.product.title for c in certifications if not c.has_price_proof] == []

    # A 30% rise waits for county@demo.cn: buyers see the old price until it is approved.
    change = PriceChange.objects.select_related("stockrecord__product").get()
    product = change.stockrecord.product
    assert change.new_price == (change.reference_price * Decimal("1.3")).quantize(Decimal("0.01"))
    assert f"¥{change.old_price}" in client.get(product.get_absolute_url()).content.decode()
    client.force_login(User.objects.get(email="county@demo.cn"))
    assert "30.0%" in client.get("/shop/dashboard/suppliers/prices/").content.decode()
    client.post(f"/shop/dashboard/suppliers/prices/{change.pk}/approve/")
    change.refresh_from_db()
    assert change.status == PriceChangeStatus.APPROVED
    assert StockRecord.objects.get(pk=change.stockrecord_id).price == change.new_price

    # The batch on notice has an objection the county office answers before it can be published.
    objection = Objection.objects.get()
    batches = client.get("/shop/dashboard/suppliers/batches/").content.decode()
    assert objection.reason in batches and "1 条异议待答复" in batches

    # township@demo.cn has an application to check first.
    client.force_login(User.objects.get(email="township@demo.cn"))
    assert "桑植白茶 高山云雾" in client.get("/shop/dashboard/suppliers/certifications/township/").content.decode()
    assert ProductCertification.objects.filter(status=CertificationStatus.TOWNSHIP).exists()

    # supplier@demo.cn may renew a certificate that ends in 45 days, and keeps its household linkage.
    client.force_login(User.objects.get(email="supplier@demo.cn"))
    assert "申请续期" in client.get("/shop/dashboard/suppliers/certifications/").content.decode()
    assert "采茶季雇用贫困户采摘" in client.get("/shop/dashboard/suppliers/linkage/").content.decode()

    # The office dashboard shows the household estimate with its method.
    client.force_login(User.objects.get(email="county@demo.cn"))
    assert "估算方法" in client.get("/shop/dashboard/reports/office/").content.decode()
