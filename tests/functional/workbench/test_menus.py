"""The back office's menu shows each demo role only what it may open."""

import pytest
from oscar.apps.dashboard.menu import get_nodes

from tests.functional.accounts import test_permission_matrix as matrix
from tests.functional.accounts.test_permission_matrix import BACK_OFFICE, client_as

# The permission matrix's demo roles and data, as a fixture of this module.
demo = matrix.world

pytestmark = pytest.mark.django_db


def menu_links(user):
    links = []
    for node in get_nodes(user):
        if not node.is_heading:
            links.append((str(node.label), node.url))
        links.extend((str(child.label), child.url) for child in node.children)
    return links


@pytest.mark.parametrize("role", sorted(BACK_OFFICE))
def test_every_menu_link_a_role_is_shown_opens_for_that_role(demo, role):
    client = client_as(demo, role)
    links = menu_links(demo["people"][role])
    assert ("待办", "/shop/dashboard/") == links[0]
    refused = [f"{label} {url}: {code}" for label, url in links if (code := client.get(url).status_code) != 200]
    assert not refused, f"{role} is shown links it cannot open:\n" + "\n".join(refused)


def test_menus_follow_the_roles(demo):
    labels = {role: [label for label, _url in menu_links(demo["people"][role])] for role in BACK_OFFICE}
    assert labels["township"] == ["待办", "乡镇初审", "采购登记", "半月报"]
    assert "商品" not in labels["village"] and "商品" in labels["supplier"]
    assert "订单" not in labels["county"] and "订单" in labels["operator"]
    assert "登记采购" in labels["village"] and "登记采购" not in labels["county"]
    assert "收款与退款" not in labels["supplier"] and "待发货订单" not in labels["operator"]
    assert "售后申请" in labels["supplier"] and "售后申请" in labels["operator"] and "售后申请" not in labels["county"]
    assert "我们商品的评价" in labels["supplier"] and "我们商品的评价" not in labels["operator"]
    # Buyers' reviews are moderated by the operator (Oscar's 评论 under 顾客), not by a supplier.
    assert "评论" in labels["operator"] and "评论" not in labels["supplier"]
    # Pages about one's own supplier or jurisdiction are not offered to an administrator, who has neither.
    assert "供应商资料" not in labels["admin"] and "扶贫办看板" not in labels["admin"]
