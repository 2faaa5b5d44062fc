"""Findings of the fault harness run against a production-like stack (gunicorn, PostgreSQL, Redis, the task worker),
each kept as a test that failed before its fix."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from suppliers.models import CatalogueBatch, CertificationStatus, Objection, ObjectionStatus
from tests.factories import CertifiedPartnerFactory, ProductCertificationFactory, ProductFactory, region
from tests.faults.test_dependencies import CLOSED_PORT_REDIS_URL, redis_cache

pytestmark = [pytest.mark.faults, pytest.mark.django_db]


@pytest.fixture
def batch_on_notice():
    today = timezone.localdate()
    batch = CatalogueBatch.objects.create(
        county=region("430822000000", "桑植县"),
        year=today.year,
        number=3,
        notice_starts_on=today - timedelta(days=2),
        notice_ends_on=today + timedelta(days=5),
    )
    ProductCertificationFactory(
        partner=CertifiedPartnerFactory(name="桑植县白茶专业合作社"),
        product=ProductFactory(title="桑植白茶 明前"),
        status=CertificationStatus.NOTICE,
        batch=batch,
    )
    return batch


@override_settings(CACHES=redis_cache(CLOSED_PORT_REDIS_URL))
def test_with_redis_away_an_objection_is_taken_not_answered_with_a_server_error(client, batch_on_notice):
    # The hourly limit counts in the cache; with Redis away there is no count, and the objection must still be heard.
    response = client.post(
        reverse("suppliers:objection", kwargs={"pk": batch_on_notice.pk}),
        {"name": "王五", "contact": "13900000000", "reason": "茶叶是外地收购的"},
        follow=True,
    )
    assert response.status_code == 200
    assert "区县扶贫办将在批次发布前核查您的异议" in response.content.decode()
    assert Objection.objects.get().status == ObjectionStatus.OPEN
