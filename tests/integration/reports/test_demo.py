import pytest

from accounts import demo as accounts_demo
from organisations.models import Unit
from regions import demo as regions_demo
from reports import demo as reports_demo
from reports.models import Confirmation, HalfMonthReport, PurchaseRecord, ReportStatus
from suppliers import demo as suppliers_demo

pytestmark = pytest.mark.django_db


def test_the_demo_gives_every_kind_of_unit_records_in_all_states_and_reports_at_each_stage():
    regions_demo.load()
    accounts_demo.load()
    suppliers_demo.load()
    reports_demo.load()
    reports_demo.load()
    assert set(Unit.objects.values_list("kind", flat=True)) == set(Unit.Kind.values)
    states = set(PurchaseRecord.objects.values_list("confirmation", flat=True))
    assert states == set(Confirmation.values)
    statuses = set(HalfMonthReport.objects.values_list("status", flat=True))
    assert statuses >= {"draft", "submitted", "approved", "returned"}
    assert HalfMonthReport.objects.filter(amends__isnull=False).exists()
    count = PurchaseRecord.objects.count()
    reports_demo.load()
    assert PurchaseRecord.objects.count() == count
    assert HalfMonthReport.objects.filter(status=ReportStatus.SUBMITTED, region__code="430822101000").exists()
