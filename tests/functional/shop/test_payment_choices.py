"""The payment step: large options with what each means, named for a screen reader, one preselected when alone."""

import re

import pytest

from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product
from tests.functional.shop.test_checkout import add, to_payment_method

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(client):
    user = UserFactory(email="buyer@example.cn")
    client.force_login(user)
    return user


def options(page):
    fieldset = re.search(r'<fieldset class="choice-cards" id="payment-methods".*?</fieldset>', page, re.S).group(0)
    return fieldset, re.findall(r'<label class="choice-card" for="([^"]+)">(.*?)</label>', fieldset, re.S)


def test_each_option_is_a_labelled_card_with_its_description_inside_a_fieldset_with_a_legend(client, buyer):
    add(client, certified_product(partner=CertifiedPartnerFactory(allows_cash_on_delivery=True)))
    page = to_payment_method(client).content.decode()
    fieldset, cards = options(page)
    assert "<legend>付款方式</legend>" in fieldset
    assert len(cards) == 2
    for radio_id, card in cards:
        # The radio sits inside its label and is described by the sentence under it.
        assert f'id="{radio_id}"' in card
        assert f'aria-describedby="{radio_id}-description"' in card
        assert re.search(rf'<span class="choice-description" id="{radio_id}-description">\S', card)
    texts = " ".join(card for _id, card in cards)
    assert "对公转账" in texts and "货到付款" in texts and "快递员" in texts
    # With two choices the buyer chooses; nothing is chosen for them.
    assert "checked" not in fieldset
    # 继续 comes after the options, not over them.
    assert page.index('id="payment-methods"') < page.index('id="payment-method-continue"')


def test_a_single_way_to_pay_is_preselected(client, buyer):
    add(client, certified_product(partner=CertifiedPartnerFactory(allows_cash_on_delivery=False)))
    fieldset, cards = options(to_payment_method(client).content.decode())
    assert len(cards) == 1
    assert re.search(r'<input type="radio" name="method" value="transfer"[^>]* checked', fieldset)


def test_a_choice_already_made_stays_chosen_when_the_buyer_comes_back(client, buyer):
    add(client, certified_product(partner=CertifiedPartnerFactory(allows_cash_on_delivery=True)))
    to_payment_method(client)
    client.post("/shop/checkout/payment-method/", {"method": "cod"})
    fieldset, _cards = options(client.get("/shop/checkout/payment-method/").content.decode())
    assert re.search(r'value="cod"[^>]* checked', fieldset)
    assert not re.search(r'value="transfer"[^>]* checked', fieldset)


def test_continuing_without_a_choice_says_so_in_chinese(client, buyer):
    add(client, certified_product(partner=CertifiedPartnerFactory(allows_cash_on_delivery=True)))
    to_payment_method(client)
    response = client.post("/shop/checkout/payment-method/", {})
    assert response.status_code == 200
    assert 'id="payment-method-errors"' in response.content.decode()
    assert "必需字段" in response.content.decode()
