"""Oscar's order pages as the platform operator reads them: statuses, note types and filters in Chinese, scripts that
exist, and links only to pages the operator may open, from the shop's product and category pages too (the
administrator, who may open them all, still gets them)."""

import re
from pathlib import Path

import oscar
import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.order.services import transfer_mark_received
from tests.factories import CategoryFactory, CertifiedPartnerFactory, UserFactory, certified_product
from tests.integration.shop.support import basket_for, place

Line = get_model("order", "Line")
ProductCategory = get_model("catalogue", "ProductCategory")

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order():
    buyer, operator = UserFactory(first_name="张三"), UserFactory(role="operator", is_staff=True)
    partner = CertifiedPartnerFactory(name="桑植白茶合作社")
    tea = certified_product(partner=partner, title="桑植白茶 明前")
    order = place(buyer, basket_for(buyer, (tea, 2))).order
    transfer_mark_received(order=order, user=operator)
    return {"order": order, "operator": operator, "product": tea, "partner": partner, "buyer": buyer}


def page(client, user, name, **kwargs):
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.content.decode()


def test_the_order_page_shows_statuses_and_note_types_in_chinese(client, paid_order):
    order = paid_order["order"]
    html = page(client, paid_order["operator"], "dashboard:order-detail", number=order.number)
    assert "已付款" in html
    assert "系统" in html
    assert ">System<" not in html


def test_the_operator_is_not_linked_to_product_supplier_or_customer_pages_it_may_not_open(client, paid_order):
    order, operator = paid_order["order"], paid_order["operator"]
    detail = page(client, operator, "dashboard:order-detail", number=order.number)
    product_url = reverse("dashboard:catalogue-product", kwargs={"pk": paid_order["product"].pk})
    partner_url = reverse("dashboard:partner-manage", kwargs={"pk": paid_order["partner"].pk})
    user_url = reverse("dashboard:user-detail", kwargs={"pk": paid_order["buyer"].pk})
    assert product_url not in detail and partner_url not in detail
    assert "桑植白茶 明前" in detail and "桑植白茶合作社" in detail
    listing = page(client, operator, "dashboard:order-list")
    assert user_url not in listing and "张三" in listing
    line = order.lines.get()
    line_page = page(client, operator, "dashboard:order-line-detail", number=order.number, line_id=line.pk)
    assert product_url not in line_page
    # and those pages really are closed to the operator
    for url in (product_url, partner_url, user_url):
        assert client.get(url).status_code == 403


def test_the_administrator_keeps_the_links(client, paid_order):
    admin = UserFactory(is_staff=True, is_superuser=True)
    order = paid_order["order"]
    detail = page(client, admin, "dashboard:order-detail", number=order.number)
    assert reverse("dashboard:catalogue-product", kwargs={"pk": paid_order["product"].pk}) in detail
    assert reverse("dashboard:partner-manage", kwargs={"pk": paid_order["partner"].pk}) in detail
    listing = page(client, admin, "dashboard:order-list")
    assert reverse("dashboard:user-detail", kwargs={"pk": paid_order["buyer"].pk}) in listing


def test_line_and_statistics_pages_show_status_labels_not_codes(client, paid_order):
    order, operator = paid_order["order"], paid_order["operator"]
    line = order.lines.get()
    line_page = page(client, operator, "dashboard:order-line-detail", number=order.number, line_id=line.pk)
    assert "待发货" in line_page and ">pending<" not in line_page
    stats = page(client, operator, "dashboard:order-stats")
    assert "已付款" in stats and ">paid<" not in stats


def test_the_order_list_filtered_by_status_names_the_filter_and_the_status_in_chinese(client, paid_order):
    client.force_login(paid_order["operator"])
    response = client.get(reverse("dashboard:order-list"), {"status": "paid"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert "筛选条件：" in html and "订单状态为已付款" in html
    assert "Filters:" not in html and "订单状态为paid" not in html


def test_the_order_pages_call_only_scripts_oscars_dashboard_defines(client, paid_order):
    order = paid_order["order"]
    detail = page(client, paid_order["operator"], "dashboard:order-detail", number=order.number)
    called = set(re.findall(r"oscar\.dashboard\.([\w.]+)\(", detail))
    assert "orders.initTabs" in called
    script = (Path(oscar.__file__).parent / "static/oscar/js/oscar/dashboard.js").read_text()
    # Each call is the last name of its path, defined in dashboard.js as "name: function".
    missing = {name for name in called if not re.search(rf"\b{name.rsplit('.', 1)[-1]}\s*:\s*function", script)}
    assert missing == set()


def test_the_product_and_category_pages_link_staff_only_to_back_office_pages_they_may_open(client, paid_order):
    product = paid_order["product"]
    category = CategoryFactory("茶饮")
    ProductCategory.objects.create(product=product, category=category)
    product_edit = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    category_edit = reverse("dashboard:catalogue-category-update", kwargs={"pk": category.pk})
    client.force_login(paid_order["operator"])
    assert product_edit not in client.get(product.get_absolute_url()).content.decode()
    assert category_edit not in client.get(category.get_absolute_url()).content.decode()
    assert client.get(product_edit).status_code == 403
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert product_edit in client.get(product.get_absolute_url()).content.decode()
    assert category_edit in client.get(category.get_absolute_url()).content.decode()
