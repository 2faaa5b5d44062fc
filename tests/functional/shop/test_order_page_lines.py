"""The buyer's order page below the shop's sections: the lines, totals and address as a buyer reads them, no tax
columns, the address from the province down."""

import pytest

from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product
from tests.integration.shop.support import basket_for, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    buyer = UserFactory(email="lines-buyer@example.cn")
    tea = certified_product(
        partner=CertifiedPartnerFactory(name="桑植白茶合作社"), title="桑植白茶 明前", price="88.00"
    )
    return place(buyer, basket_for(buyer, (tea, 2))).order


def test_each_line_shows_its_supplier_quantity_and_price_and_can_be_bought_again(client, order):
    client.force_login(order.user)
    html = client.get(f"/shop/accounts/orders/{order.number}/").content.decode()
    lines = html[html.index('id="order-lines"') :]
    assert "桑植白茶 明前" in lines and "桑植白茶合作社 · × 2" in lines and "¥176.00" in lines
    assert f'id="reorder_line_{order.lines.get().pk}"' in lines
    assert "不含税" not in html and "含税" not in html
    assert f"¥{order.total_incl_tax}" in html[html.index('id="order-total"') :]


def test_the_address_reads_from_the_province_down_to_the_street(client, order):
    address = order.shipping_address
    address.line2, address.line1 = "澧源镇", "人民路8号"
    address.save()
    client.force_login(order.user)
    html = client.get(f"/shop/accounts/orders/{order.number}/").content.decode()
    assert "湖南省张家界市桑植县澧源镇 人民路8号" in html


def test_another_buyer_does_not_see_the_order(client, order):
    client.force_login(UserFactory())
    assert client.get(f"/shop/accounts/orders/{order.number}/").status_code == 404


def test_addresses_print_from_the_province_down_and_keep_oscars_hash(order):
    from oscar.core.loading import get_model

    UserAddress = get_model("address", "UserAddress")
    address = order.shipping_address
    address.line2, address.line1 = "澧源镇", "人民路8号"
    fields = address.active_address_fields()
    assert fields[1:6] == ["湖南省", "张家界市", "桑植县", "澧源镇", "人民路8号"]
    assert "中国" not in fields
    remembered = UserAddress(
        user=order.user,
        country=address.country,
        **{
            name: getattr(address, name)
            for name in ("first_name", "line1", "line2", "line3", "line4", "state", "postcode")
        },
    )
    assert remembered.active_address_fields() == fields
    # Which remembered address is which is still told by Oscar's fields, in Oscar's order.
    assert UserAddress.hash_fields[:6] == ["salutation", "line1", "line2", "line3", "line4", "state"]
