import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections

from search.backends import get_backend
from search.backends.base import SearchQuery
from suppliers.models import (
    CertificationStatus,
    CertificationStatusChange,
    InvalidCertificationTransition,
    ProductCertification,
)
from suppliers.services import (
    CertificationError,
    CertificationPermissionDenied,
    certification_approve,
    certification_reject,
    certification_revoke,
    certifications_daily,
)
from tests.factories import (
    PRICE_PROOF,
    CertifiedPartnerFactory,
    ProductFactory,
    StockRecordFactory,
    SupplierCertificationFactory,
    UserFactory,
    region,
)

pytestmark = pytest.mark.django_db

TODAY = date(2020, 6, 10)


@pytest.fixture
def reviewer():
    return UserFactory(role="county", region=region("430822000000", "桑植县"))


@pytest.fixture
def application():
    partner = CertifiedPartnerFactory()
    product = ProductFactory(title="桑植白茶 特级")
    StockRecordFactory(product=product, partner=partner)
    return ProductCertification.objects.create(product=product, partner=partner, **PRICE_PROOF)


def test_approval_numbers_the_certificate_per_county_and_year_and_puts_it_on_notice(reviewer, application):
    approved = certification_approve(certification=application, reviewer=reviewer, on=TODAY)
    assert approved.status == CertificationStatus.NOTICE
    assert approved.certificate_number == "430822-2020-0001"
    assert approved.certifying_office.code == "430822000000"
    assert approved.batch.number == 1
    assert approved.batch.notice_ends_on == TODAY + timedelta(days=7)

    second = ProductCertification.objects.create(product=ProductFactory(), partner=application.partner, **PRICE_PROOF)
    assert certification_approve(certification=second, reviewer=reviewer, on=TODAY).certificate_number == (
        "430822-2020-0002"
    )


def another_application(partner):
    return ProductCertification.objects.create(product=ProductFactory(), partner=partner, **PRICE_PROOF)


def test_products_approved_on_different_days_of_one_notice_period_share_one_numbered_batch(reviewer, application):
    first = certification_approve(certification=application, reviewer=reviewer, on=TODAY)
    later = certification_approve(
        certification=another_application(application.partner), reviewer=reviewer, on=TODAY + timedelta(days=3)
    )
    assert later.batch == first.batch
    assert later.batch.number == 1
    # The product approved last is on notice for the full period as well.
    assert later.batch.notice_ends_on == TODAY + timedelta(days=3 + 7)
    assert first.batch.certifications.count() == 2


def test_an_approval_after_the_notice_period_ends_opens_the_next_batch(reviewer, application):
    first = certification_approve(certification=application, reviewer=reviewer, on=TODAY)
    after = certification_approve(
        certification=another_application(application.partner), reviewer=reviewer, on=TODAY + timedelta(days=8)
    )
    assert after.batch != first.batch
    assert after.batch.number == 2


def test_every_status_change_is_recorded_with_who_and_why(reviewer, application):
    certification_reject(certification=application, reviewer=reviewer, reason="承诺书未盖章")
    change = CertificationStatusChange.objects.get(product_certification=application)
    assert (change.old_status, change.new_status) == ("pending", "rejected")
    assert change.changed_by == reviewer
    assert change.reason == "承诺书未盖章"
    application.refresh_from_db()
    assert application.reason == "承诺书未盖章"


def test_a_rejection_needs_a_reason_and_changes_nothing_without_one(reviewer, application):
    with pytest.raises(CertificationError):
        certification_reject(certification=application, reviewer=reviewer, reason="  ")
    application.refresh_from_db()
    assert application.status == CertificationStatus.PENDING
    assert not CertificationStatusChange.objects.exists()


def test_illegal_moves_are_refused_by_name(reviewer, application):
    certification_revoke(
        certification=certification_approve(certification=application, reviewer=reviewer),
        reviewer=reviewer,
        reason="抽检不合格",
    )
    with pytest.raises(InvalidCertificationTransition):
        application.refresh_from_db()
        application.set_status(to=CertificationStatus.CERTIFIED, by=None)
    application.refresh_from_db()
    assert application.status == CertificationStatus.REVOKED


def test_an_office_of_another_county_cannot_decide(application):
    outsider = UserFactory(role="county", region=region("433127000000", "永顺县"))
    with pytest.raises(CertificationPermissionDenied):
        certification_approve(certification=application, reviewer=outsider)
    application.refresh_from_db()
    assert application.status == CertificationStatus.PENDING
    assert application.certificate_number is None


def test_a_supplier_staff_member_cannot_approve_their_own_application(application):
    staff = UserFactory(role="supplier", region=region("430822000000"))
    with pytest.raises(CertificationPermissionDenied):
        certification_approve(certification=application, reviewer=staff)


def test_the_daily_run_publishes_after_the_notice_and_the_product_becomes_sellable(reviewer, application):
    from django.utils import timezone

    today = timezone.localdate()
    certification_approve(certification=application, reviewer=reviewer, on=today)
    assert certifications_daily(on=today) == (0, 0)
    assert get_backend().search(SearchQuery(text="桑植白茶")).total == 0

    application.refresh_from_db()
    publication_day = application.batch.notice_ends_on + timedelta(days=1)
    published, _expired = certifications_daily(on=publication_day)
    application.refresh_from_db()
    assert published == 1
    assert application.status == CertificationStatus.CERTIFIED
    assert application.valid_from == publication_day
    assert application.batch.published_on == publication_day
    assert get_backend().search(SearchQuery(text="桑植白茶")).total == 0  # not before its first valid day
    assert certifications_daily(on=publication_day) == (0, 0)


def test_a_product_published_today_is_found_and_can_be_bought(reviewer, application, client):
    from django.urls import reverse
    from django.utils import timezone

    today = timezone.localdate()
    certification_approve(certification=application, reviewer=reviewer, on=today - timedelta(days=8))
    certifications_daily(on=today)
    assert get_backend().search(SearchQuery(text="桑植白茶")).total == 1
    response = client.post(reverse("basket:add", kwargs={"pk": application.product.pk}), {"quantity": 1})
    assert response.status_code == 302
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 1


def test_certifications_past_their_validity_expire_and_keep_their_history():
    supplier_certification = SupplierCertificationFactory(valid_until=date(2020, 1, 31))
    assert certifications_daily(on=date(2020, 2, 1)) == (0, 1)
    supplier_certification.refresh_from_db()
    assert supplier_certification.status == CertificationStatus.EXPIRED
    assert supplier_certification.certificate_number
    assert supplier_certification.status_changes.get().new_status == "expired"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real connections")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_offices_approving_at_once_draw_different_certificate_numbers():
    reviewer = UserFactory(role="county", region=region("430822000000", "桑植县"))
    partner = CertifiedPartnerFactory()
    applications = [
        ProductCertification.objects.create(product=ProductFactory(), partner=partner, **PRICE_PROOF) for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    numbers, errors = [], []

    def approve(certification):
        try:
            barrier.wait()
            numbers.append(certification_approve(certification=certification, reviewer=reviewer).certificate_number)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(n[-4:] for n in numbers) == ["0001", "0002"]
