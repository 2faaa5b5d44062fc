"""Certification as the counties run it: the township's first check, objections during public notice, revocation by
the city office, expiry reminders sent once, and renewal."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from operations.models import EmailDelivery
from suppliers.models import (
    CertificateReminder,
    CertificationRules,
    CertificationStatus,
    InvalidCertificationTransition,
    ObjectionStatus,
    ProductCertification,
    SupplierCertification,
)
from suppliers.services import (
    BatchNotReady,
    CertificationError,
    CertificationPermissionDenied,
    ObjectionError,
    batch_publish,
    certificate_reminders_send,
    certification_approve,
    certification_renew,
    certification_revoke,
    certification_township_pass,
    certification_township_return,
    certifications_daily,
    objection_answer,
    objection_submit,
    product_certification_apply,
)
from suppliers.strategy import CertifiedOnly
from tests.factories import (
    PRICE_PROOF,
    CertifiedPartnerFactory,
    ProductCertificationFactory,
    ProductFactory,
    StockRecordFactory,
    UserFactory,
    certified_product,
    pdf_upload,
    png_upload,
    region,
)

pytestmark = pytest.mark.django_db

TODAY = date(2020, 6, 10)


@pytest.fixture
def county():
    return region("430822000000", "桑植县")


@pytest.fixture
def township():
    return region("430822101000", "瑞塔铺镇")


@pytest.fixture
def reviewer(county):
    return UserFactory(role="county", region=county)


@pytest.fixture
def clerk(township):
    return UserFactory(role="township", region=township)


@pytest.fixture
def partner():
    partner = CertifiedPartnerFactory(name="桑植县白茶专业合作社", contact_email="coop@example.cn")
    partner.users.add(UserFactory(role="supplier", email="staff@example.cn"))
    return partner


@pytest.fixture
def staff(partner):
    return partner.users.get()


def apply_for(partner, staff, title="桑植白茶 特级"):
    product = ProductFactory(title=title)
    StockRecordFactory(product=product, partner=partner)
    return product_certification_apply(
        user=staff,
        partner=partner,
        product=product,
        business_licence=png_upload(),
        commitment_letter=pdf_upload(),
        **PRICE_PROOF,
    )


def statuses(certification):
    return [(c.old_status, c.new_status) for c in certification.status_changes.all()]


# --- township first check ---


def test_where_the_county_asks_for_it_an_application_waits_for_the_township_first(
    county, partner, staff, clerk, reviewer
):
    CertificationRules.objects.create(county=county, township_check=True)
    application = apply_for(partner, staff)
    assert application.status == CertificationStatus.TOWNSHIP

    with pytest.raises(InvalidCertificationTransition):
        certification_approve(certification=application, reviewer=reviewer, on=TODAY)
    application.refresh_from_db()
    assert application.certificate_number is None

    certification_township_pass(certification=application, clerk=clerk, note="经核实，合作社在本镇经营")
    application.refresh_from_db()
    assert application.status == CertificationStatus.PENDING
    change = application.status_changes.last()
    assert change.changed_by == clerk and "经核实" in change.reason

    approved = certification_approve(certification=application, reviewer=reviewer, on=TODAY)
    assert approved.status == CertificationStatus.NOTICE
    assert statuses(approved) == [("township", "pending"), ("pending", "notice")]


def test_without_the_rule_an_application_goes_straight_to_the_county(partner, staff):
    assert apply_for(partner, staff).status == CertificationStatus.PENDING


def test_the_township_sends_an_application_back_with_a_reason_and_the_supplier_can_apply_again(
    county, partner, staff, clerk
):
    CertificationRules.objects.create(county=county, township_check=True)
    application = apply_for(partner, staff)
    with pytest.raises(CertificationError):
        certification_township_return(certification=application, clerk=clerk, reason=" ")
    certification_township_return(certification=application, clerk=clerk, reason="带贫户名单与村里不符")
    application.refresh_from_db()
    assert application.status == CertificationStatus.REJECTED
    assert application.reason == "带贫户名单与村里不符"


def test_a_clerk_of_another_township_or_a_county_reviewer_cannot_make_the_first_check(county, partner, staff, reviewer):
    CertificationRules.objects.create(county=county, township_check=True)
    application = apply_for(partner, staff)
    elsewhere = UserFactory(role="township", region=region("430822102000", "澧源镇"))
    for user in (elsewhere, reviewer):
        with pytest.raises(CertificationPermissionDenied):
            certification_township_pass(certification=application, clerk=user)
    application.refresh_from_db()
    assert application.status == CertificationStatus.TOWNSHIP
    assert not application.status_changes.exists()


# --- public notice and objections ---


@pytest.fixture
def on_notice(partner, staff, reviewer):
    application = apply_for(partner, staff)
    return certification_approve(certification=application, reviewer=reviewer, on=TODAY)


def test_the_notice_period_follows_the_county_rule(county, partner, staff, reviewer):
    CertificationRules.objects.create(county=county, notice_days=10)
    approved = certification_approve(certification=apply_for(partner, staff), reviewer=reviewer, on=TODAY)
    assert approved.batch.notice_ends_on == TODAY + timedelta(days=10)


def test_an_unanswered_objection_keeps_the_batch_from_being_published_until_answered(on_notice, reviewer):
    batch = on_notice.batch
    objection = objection_submit(
        batch=batch,
        certification=on_notice,
        name="张三",
        contact="13800138000",
        reason="这家合作社的茶叶是外地收购的",
        on=TODAY + timedelta(days=2),
    )
    after_notice = batch.notice_ends_on + timedelta(days=1)

    assert certifications_daily(on=after_notice) == (0, 0)
    with pytest.raises(BatchNotReady, match="尚未答复"):
        batch_publish(batch=batch, reviewer=reviewer, on=after_notice)
    batch.refresh_from_db()
    on_notice.refresh_from_db()
    assert batch.published_on is None and on_notice.status == CertificationStatus.NOTICE

    objection_answer(objection=objection, reviewer=reviewer, answer="经实地核查，茶园在本县合群村", uphold=False)
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED and objection.answered_by == reviewer
    assert batch_publish(batch=batch, reviewer=reviewer, on=after_notice) == 1
    on_notice.refresh_from_db()
    assert on_notice.status == CertificationStatus.CERTIFIED and on_notice.valid_from == after_notice


def test_an_upheld_objection_withdraws_the_product_and_the_rest_of_the_batch_is_published(
    on_notice, partner, staff, reviewer
):
    other = certification_approve(certification=apply_for(partner, staff, "桑植莓茶"), reviewer=reviewer, on=TODAY)
    objection = objection_submit(
        batch=on_notice.batch,
        certification=on_notice,
        name="李四",
        contact="li@example.cn",
        reason="以次充好",
        on=TODAY,
    )
    objection_answer(objection=objection, reviewer=reviewer, answer="抽检不合格，撤回公示", uphold=True)
    on_notice.refresh_from_db()
    assert on_notice.status == CertificationStatus.REVOKED
    assert certifications_daily(on=on_notice.batch.notice_ends_on + timedelta(days=1)) == (1, 0)
    other.refresh_from_db()
    assert other.status == CertificationStatus.CERTIFIED


def test_objections_are_taken_only_while_the_notice_runs_and_need_a_name_and_a_reason(on_notice):
    batch = on_notice.batch
    with pytest.raises(ObjectionError):
        objection_submit(batch=batch, name="张三", contact="138", reason="", on=TODAY)
    with pytest.raises(ObjectionError, match="公示期已结束"):
        objection_submit(
            batch=batch, name="张三", contact="138", reason="理由", on=batch.notice_ends_on + timedelta(days=1)
        )
    assert not batch.objections.exists()


def test_only_the_batch_county_office_answers_and_publishes(on_notice):
    objection = objection_submit(batch=on_notice.batch, name="张三", contact="138", reason="理由", on=TODAY)
    other_county = UserFactory(role="county", region=region("430821000000", "慈利县"))
    with pytest.raises(CertificationPermissionDenied):
        objection_answer(objection=objection, reviewer=other_county, answer="驳回", uphold=False)
    with pytest.raises(CertificationPermissionDenied):
        batch_publish(batch=on_notice.batch, reviewer=other_county, on=TODAY + timedelta(days=30))
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.OPEN


def test_a_batch_is_not_published_by_hand_before_its_notice_ends(on_notice, reviewer):
    with pytest.raises(BatchNotReady, match="公示期至"):
        batch_publish(batch=on_notice.batch, reviewer=reviewer, on=TODAY)


# --- revocation by the city office ---


def test_the_city_office_revokes_a_certificate_selling_stops_at_once_and_the_supplier_is_emailed(
    partner, mailoutbox, run_tasks, django_capture_on_commit_callbacks
):
    product = certified_product(partner=partner, title="桑植腊肉")
    certification = product.certifications.get()
    assert CertifiedOnly().fetch_for_product(product).availability.is_available_to_buy
    city = UserFactory(role="city", region=region("430800000000", "张家界市"))

    with django_capture_on_commit_callbacks(execute=True):
        certification_revoke(certification=certification, reviewer=city, reason="市级抽检：亚硝酸盐超标")
    run_tasks()

    certification.refresh_from_db()
    assert certification.status == CertificationStatus.REVOKED and certification.decided_by == city
    assert not CertifiedOnly().fetch_for_product(product).availability.is_available_to_buy
    message = mailoutbox[-1]
    assert sorted(message.to) == ["coop@example.cn", "staff@example.cn"]
    assert "亚硝酸盐超标" in message.body and "桑植腊肉" in message.body


def test_the_city_office_of_another_city_and_a_township_clerk_cannot_revoke(partner, clerk):
    certification = certified_product(partner=partner).certifications.get()
    other_city = UserFactory(role="city", region=region("433100000000", "湘西州"))
    for user in (other_city, clerk):
        with pytest.raises(CertificationPermissionDenied):
            certification_revoke(certification=certification, reviewer=user, reason="违规")
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.CERTIFIED


# --- expiry reminders ---


def expiring(partner, days):
    return ProductCertificationFactory(
        partner=partner,
        product=ProductFactory(title=f"张家界莓茶 {days}"),
        valid_until=timezone.localdate() + timedelta(days=days),
        **PRICE_PROOF,
    )


def test_the_daily_job_reminds_60_and_30_days_before_expiry_once_each_even_when_run_twice(
    partner, mailoutbox, run_tasks, django_capture_on_commit_callbacks
):
    from suppliers.tasks import certifications_daily_run

    in_45_days = expiring(partner, 45)
    in_20_days = expiring(partner, 20)
    expiring(partner, 90)  # not yet
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            certifications_daily_run.enqueue()
        run_tasks()

    reminders = {(r.product_certification_id, r.days_before) for r in CertificateReminder.objects.all()}
    assert reminders == {(in_45_days.pk, 60), (in_20_days.pk, 30)}
    reminded = [m for m in mailoutbox if "到期" in m.subject]
    assert len(reminded) == 2
    assert any("45" in m.body and "张家界莓茶 45" in m.subject for m in reminded)

    # Fifteen days on, the first certificate crosses the 30-day line: it gets its second reminder, and only that.
    with django_capture_on_commit_callbacks(execute=True):
        assert certificate_reminders_send(on=timezone.localdate() + timedelta(days=15)) == 1
    assert CertificateReminder.objects.filter(product_certification=in_45_days, days_before=30).exists()


def test_a_certificate_being_renewed_is_not_reminded(partner, staff):
    certification = expiring(partner, 40)
    certification_renew(certification=certification, user=staff)
    assert certificate_reminders_send() == 0


# --- renewal ---


def test_renewal_keeps_the_evidence_on_file_and_takes_over_the_day_after_the_old_certificate_ends(
    partner, staff, reviewer
):
    application = apply_for(partner, staff)
    old = certification_approve(certification=application, reviewer=reviewer, on=TODAY)
    certifications_daily(on=old.batch.notice_ends_on + timedelta(days=1))
    old.refresh_from_db()
    ProductCertification.objects.filter(pk=old.pk).update(valid_until=timezone.localdate() + timedelta(days=50))
    old.refresh_from_db()

    renewal = certification_renew(certification=old, user=staff)
    assert renewal.renews == old and renewal.status == CertificationStatus.PENDING
    assert renewal.business_licence.name == old.business_licence.name
    assert renewal.commitment_letter_name == old.commitment_letter_name

    with pytest.raises(CertificationError, match="续期申请"):
        certification_renew(certification=old, user=staff)

    approved = certification_approve(certification=renewal, reviewer=reviewer)
    certifications_daily(on=approved.batch.notice_ends_on + timedelta(days=1))
    approved.refresh_from_db()
    assert approved.status == CertificationStatus.CERTIFIED
    assert approved.valid_from == old.valid_until + timedelta(days=1)


def test_renewal_with_new_evidence_and_of_an_expired_supplier_certificate(partner, staff):
    certification = partner.certifications.get()
    SupplierCertification.objects.filter(pk=certification.pk).update(status=CertificationStatus.EXPIRED)
    certification.refresh_from_db()
    renewal = certification_renew(certification=certification, user=staff, business_licence=png_upload("新执照.png"))
    assert renewal.business_licence_name == "新执照.png"
    assert renewal.status == CertificationStatus.PENDING


def test_a_certificate_far_from_expiry_cannot_be_renewed_and_others_cannot_renew_it(partner, staff):
    certification = expiring(partner, 200)
    with pytest.raises(CertificationError, match="60"):
        certification_renew(certification=certification, user=staff)
    near = expiring(partner, 30)
    with pytest.raises(CertificationPermissionDenied):
        certification_renew(certification=near, user=UserFactory(role="supplier"))
    assert not ProductCertification.objects.filter(renews__isnull=False).exists()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL and real connections")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_daily_jobs_running_at_once_send_one_reminder():
    partner = CertifiedPartnerFactory(contact_email="coop@example.cn")
    expiring(partner, 20)
    barrier = threading.Barrier(2)
    sent, errors = [], []

    def remind():
        try:
            barrier.wait()
            with transaction.atomic():
                sent.append(certificate_reminders_send())
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    # Threads here stand for two scheduler runs of the daily job overlapping: each has its own database connection, so the
    # row locks are really contended (the application itself runs no threads).
    threads = [threading.Thread(target=remind) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(sent) == [0, 1]
    assert CertificateReminder.objects.count() == 1
    assert EmailDelivery.objects.count() == 1
