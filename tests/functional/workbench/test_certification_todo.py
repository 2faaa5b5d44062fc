"""The to-do page shows the offices' price rises and objections, and the township clerk's first checks."""

import pytest
from django.utils import timezone

from suppliers.models import CatalogueBatch, CertificationStatus, Objection, PriceChange, ProductCertification
from tests.factories import CertifiedPartnerFactory, ProductFactory, StockRecordFactory, UserFactory, region

pytestmark = pytest.mark.django_db

TODO = "/shop/dashboard/"


@pytest.fixture
def partner():
    return CertifiedPartnerFactory(region=region("430822101201", "合群村"))


def badge(html, element_id):
    start = html.index(f'id="{element_id}"')
    tail = html[start:]
    count = tail.index("todo-count")
    return tail[tail.index(">", count) + 1 : tail.index("</span>", count)].strip()


def test_the_county_sees_a_waiting_price_rise_and_an_objection(client, partner):
    stockrecord = StockRecordFactory(partner=partner)
    PriceChange.objects.create(stockrecord=stockrecord, old_price=100, new_price=130, reference_price=100)
    county = region("430822000000", "桑植县")
    today = timezone.localdate()
    batch = CatalogueBatch.objects.create(
        county=county, year=today.year, number=2, notice_starts_on=today, notice_ends_on=today
    )
    Objection.objects.create(batch=batch, name="王五", contact="139", reason="不实")
    client.force_login(UserFactory(role="county", region=county))
    html = client.get(TODO).content.decode()
    assert badge(html, "todo-price-rises") == "1"
    assert badge(html, "todo-objections") == "1"


def test_the_township_clerk_sees_applications_to_check_and_other_townships_do_not(client, partner):
    product = ProductFactory()
    StockRecordFactory(product=product, partner=partner)
    ProductCertification.objects.create(product=product, partner=partner, status=CertificationStatus.TOWNSHIP)
    client.force_login(UserFactory(role="township", region=region("430822101000", "瑞塔铺镇")))
    html = client.get(TODO).content.decode()
    assert "待乡镇初审的认定申请" in html and badge(html, "todo-first-checks") == "1"
    client.force_login(UserFactory(role="township", region=region("430822102000", "澧源镇")))
    assert badge(client.get(TODO).content.decode(), "todo-first-checks") == "0"
