"""Certifications and half-month reports move through the same status machine (accounts.workflow)."""

from datetime import date

import pytest

from accounts.errors import Refusal
from accounts.workflow import IllegalStatusChange
from reports.errors import IllegalTransition
from reports.models import HalfMonthReport, ReportStatus, ReportStatusChange
from suppliers.models import CertificationStatus, CertificationStatusChange, InvalidCertificationTransition
from tests.factories import SupplierCertificationFactory, UnitFactory, UserFactory, region

pytestmark = pytest.mark.django_db


def a_draft_report():
    return HalfMonthReport.objects.create(
        unit=UnitFactory(region=region("430822000000", "桑植县")),
        period_start=date(2020, 3, 1),
        period_end=date(2020, 3, 15),
    )


def test_a_legal_move_of_a_report_is_saved_with_who_from_to_and_why():
    report, clerk = a_draft_report(), UserFactory()
    report.set_status(to=ReportStatus.SUBMITTED, by=clerk, reason="按时报送")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    change = ReportStatusChange.objects.get(report=report)
    assert (change.from_status, change.to_status, change.changed_by, change.comment) == (
        ReportStatus.DRAFT,
        ReportStatus.SUBMITTED,
        clerk,
        "按时报送",
    )
    assert change.changed_at is not None


def test_an_illegal_move_of_a_report_is_a_named_refusal_and_changes_nothing():
    report = a_draft_report()
    with pytest.raises(IllegalTransition) as refused:
        report.set_status(to=ReportStatus.APPROVED, by=UserFactory())
    assert isinstance(refused.value, IllegalStatusChange) and isinstance(refused.value, Refusal)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not ReportStatusChange.objects.exists()


def test_a_certification_moves_and_is_refused_the_same_way():
    certification = SupplierCertificationFactory()
    reviewer = UserFactory()
    certification.set_status(to=CertificationStatus.REVOKED, by=reviewer, reason="质量抽检不合格")
    change = CertificationStatusChange.objects.get(supplier_certification=certification)
    assert (change.old_status, change.new_status, change.changed_by, change.reason) == (
        CertificationStatus.CERTIFIED,
        CertificationStatus.REVOKED,
        reviewer,
        "质量抽检不合格",
    )
    with pytest.raises(InvalidCertificationTransition) as refused:
        certification.set_status(to=CertificationStatus.CERTIFIED, by=reviewer)
    assert isinstance(refused.value, IllegalStatusChange) and refused.value.status == 403
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.REVOKED
    assert CertificationStatusChange.objects.count() == 1
