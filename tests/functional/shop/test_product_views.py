import runpy
from unittest import mock

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import UserFactory, certified_product
from tests.tasks import run_due_tasks

ProductRecord = get_model("analytics", "ProductRecord")

pytestmark = pytest.mark.django_db


def product_url(product):
    return reverse("catalogue:detail", kwargs={"product_slug": product.slug, "pk": product.pk})


def test_each_view_of_a_product_page_adds_to_its_view_count_through_the_task_queue(
    client, django_capture_on_commit_callbacks
):
    viewed_twice = certified_product(title="古丈毛尖")
    viewed_once = certified_product(title="保靖黄金茶")
    ProductRecord.objects.create(product=viewed_once, num_views=5)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(product_url(viewed_twice))
        client.get(product_url(viewed_twice))
        client.get(product_url(viewed_once))
    # The pages were answered without writing the counts: a worker adds them.
    assert not ProductRecord.objects.filter(product=viewed_twice).exists()
    assert ProductRecord.objects.get(product=viewed_once).num_views == 5
    assert run_due_tasks() == 3

    assert ProductRecord.objects.get(product=viewed_twice).num_views == 2
    assert ProductRecord.objects.get(product=viewed_once).num_views == 6


def test_a_signed_in_viewer_is_counted_with_the_product(client, django_capture_on_commit_callbacks):
    UserRecord = get_model("analytics", "UserRecord")
    UserProductView = get_model("analytics", "UserProductView")
    product = certified_product(title="古丈毛尖")
    buyer = UserFactory()
    client.force_login(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(product_url(product))
    run_due_tasks()
    assert UserRecord.objects.get(user=buyer).num_product_views == 1
    assert UserProductView.objects.filter(user=buyer, product=product).count() == 1


@pytest.fixture
def tally():
    from shop.analytics.receivers import tally

    tally.take()  # nothing kept from an earlier test
    yield tally
    tally.take()


def test_views_are_handed_to_the_queue_together_once_the_interval_has_passed(
    client, settings, tally, django_capture_on_commit_callbacks
):
    settings.ANALYTICS_VIEWS_SECONDS = 10
    tea, rice = certified_product(title="古丈毛尖"), certified_product(title="桑植大米")
    buyer = UserFactory()
    started = 1000.0
    with mock.patch("shop.analytics.receivers.time.monotonic", return_value=started):
        tally.take()
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(3):
                client.get(product_url(tea))
            client.force_login(buyer)
            client.get(product_url(rice))
    # Every page answered; nothing queued yet, so no worker has anything to write.
    assert run_due_tasks() == 0
    assert not ProductRecord.objects.exists()

    with mock.patch("shop.analytics.receivers.time.monotonic", return_value=started + 10):
        with django_capture_on_commit_callbacks(execute=True):
            client.get(product_url(rice))
    assert run_due_tasks() == 1  # one task for the five views
    assert ProductRecord.objects.get(product=tea).num_views == 3
    assert ProductRecord.objects.get(product=rice).num_views == 2
    UserRecord = get_model("analytics", "UserRecord")
    UserProductView = get_model("analytics", "UserProductView")
    assert UserRecord.objects.get(user=buyer).num_product_views == 2
    assert UserProductView.objects.filter(user=buyer, product=rice).count() == 2


def test_a_stopping_worker_hands_over_the_views_it_kept(client, settings, tally, django_capture_on_commit_callbacks):
    settings.ANALYTICS_VIEWS_SECONDS = 3600
    tea = certified_product(title="古丈毛尖")
    with mock.patch("shop.analytics.receivers.time.monotonic", return_value=1000.0):
        tally.take()
        with django_capture_on_commit_callbacks(execute=True):
            client.get(product_url(tea))
            client.get(product_url(tea))
    assert run_due_tasks() == 0

    gunicorn_conf = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    gunicorn_conf["worker_exit"](server=None, worker=None)
    assert run_due_tasks() == 1
    assert ProductRecord.objects.get(product=tea).num_views == 2


def test_a_view_queued_one_by_one_before_an_upgrade_still_counts():
    from shop.analytics.tasks import product_view_count

    tea = certified_product(title="古丈毛尖")
    product_view_count.enqueue(product_id=tea.pk)
    assert run_due_tasks() == 1
    assert ProductRecord.objects.get(product=tea).num_views == 1
