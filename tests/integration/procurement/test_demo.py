"""The demo: unit@demo.cn's unit has a confirmed filing, and the county's bulletin names the demo's lagging units;
the figures are worked out again from the demo records."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from procurement.models import Bulletin, FilingStatus, GiftVoucher, ShareFiling
from reports.models import PurchaseRecord
from shop.invoicing.models import UnitOrder
from shop.order.models import GroupDelivery

pytestmark = pytest.mark.django_db


def test_the_demo_files_shares_and_the_countys_bulletin_names_the_lagging_units():
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    today = timezone.localdate()
    own = ShareFiling.objects.get(unit__members__email="unit@demo.cn", year=today.year)
    assert own.status == FilingStatus.CONFIRMED and own.changes.count() == 2
    assert ShareFiling.objects.filter(year=today.year).count() == 8
    assert GiftVoucher.objects.filter(batch__unit=own.unit).count() == 20
    assert GiftVoucher.objects.filter(batch__unit=own.unit, record__isnull=False).count() == 1
    # One unit order placed at checkout for its staff's addresses, its quantities split exactly over them.
    delivery = GroupDelivery.objects.get(order__unit=own.unit)
    assert delivery.recipients.values("name").distinct().count() == 3
    for line in delivery.order.lines.all():
        assert sum(delivery.recipients.filter(line=line).values_list("quantity", flat=True)) == line.quantity

    # The city's bulletin names the demo unit whose payment to its supplier is overdue, for what it owes.
    city = Bulletin.objects.get(office__code="430800000000").contents
    (late,) = city["overdue"]
    overdue = UnitOrder.objects.get(unit=own.unit, payment_due_on__lt=date.fromisoformat(city["as_of"]))
    assert (late["unit"], late["orders"], Decimal(late["amount"])) == ("张家界市财政局", 1, overdue.accepted_amount)

    bulletin = Bulletin.objects.get(office__code="430822000000")
    contents = bulletin.contents
    assert [row["unit"] for row in contents["idle"]] == ["桑植县人民医院"]
    assert "桑植县农业农村局" in [row["unit"] for row in contents["behind"]]

    # The shared canteen counts the tea company's and the tourism centre's purchases, worked out from the records.
    as_of = date.fromisoformat(contents["as_of"])
    records = PurchaseRecord.objects.filter(
        superseded=False,
        purchased_on__year=as_of.year,
        purchased_on__lte=as_of,
        unit__name__in=["桑植县茶旅开发有限公司", "桑植县旅游服务中心"],
    )
    spent = records.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    (row,) = [row for row in contents["units"] if row["unit"] == "桑植县茶旅开发有限公司"]
    assert Decimal(row["spent"]) == spent
    assert Decimal(row["reserved"]) == Decimal("30000.00")
    if spent:
        assert Decimal(row["percent"]) == (spent * 100 / Decimal("30000")).quantize(Decimal("0.1"), ROUND_HALF_UP)
