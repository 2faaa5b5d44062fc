"""A buyer who taps 提交订单 twice at once (a slow phone network): one order, and both taps end on a page, not an error."""

import threading
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from shop.checkout import services
from tests.factories import UserFactory
from tests.faults.test_dependencies import catalogue, to_payment_method  # noqa: F401 - the fixture
from tests.functional.shop.test_checkout import add

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real connections")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_placing_the_same_basket_twice_at_once_makes_one_order_and_no_server_error(catalogue):  # noqa: F811
    product, _category = catalogue
    buyer = UserFactory(email="buyer@example.cn")
    first = Client()
    first.force_login(buyer)
    add(first, product, 2)
    to_payment_method(first)
    first.post(reverse("checkout:payment-method"), {"method": "transfer"})
    second = Client()
    second.cookies = first.cookies  # the same browser: one session, one basket
    barrier = threading.Barrier(2)
    answers, errors = [], []

    def tap(client):
        try:
            barrier.wait()
            answers.append(client.post(reverse("checkout:preview"), {"action": "place_order"}))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tap, args=(client,)) for client in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    # Both taps end on the thank-you page of the one order: the second finds the basket placed and is shown it.
    assert [(answer.status_code, answer.url) for answer in answers] == [(302, reverse("checkout:thank-you"))] * 2
    order = Order.objects.get(user=buyer)
    assert order.basket.status == Basket.SUBMITTED and order.num_items == 2
    assert not Basket.objects.filter(owner=buyer, status=Basket.FROZEN).exists()
    assert order.number in first.get(reverse("checkout:thank-you")).content.decode()


@pytest.mark.django_db
def test_a_basket_placed_in_another_tab_is_not_placed_again_and_the_buyer_sees_its_order(client, catalogue):  # noqa: F811
    product, _category = catalogue
    buyer = UserFactory(email="buyer@example.cn")
    client.force_login(buyer)
    add(client, product, 1)
    to_payment_method(client)
    client.post(reverse("checkout:payment-method"), {"method": "transfer"})
    basket = Basket.objects.get(owner=buyer, status=Basket.OPEN)
    # The other tab placed it: the basket this request loaded is submitted in the database meanwhile.
    original = services.checkout_place_order

    def other_tab_first(**kwargs):
        original(**kwargs)  # the first tab's placement
        # This tab's, on the basket object it loaded, with the order number it drew.
        return original(**{**kwargs, "order_number": services.order_number_for(kwargs["basket"])})

    with mock.patch("shop.checkout.views.checkout_place_order", side_effect=other_tab_first):
        response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302 and response.url == reverse("checkout:thank-you")
    order = Order.objects.get(user=buyer)
    assert order.basket_id == basket.pk
    assert order.number in client.get(reverse("checkout:thank-you")).content.decode()
