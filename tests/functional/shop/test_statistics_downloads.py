import csv
import io

import pytest
from oscar.core.loading import get_model
from oscar.test.factories import VoucherFactory

from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

ProductRecord = get_model("analytics", "ProductRecord")
UserRecord = get_model("analytics", "UserRecord")
REPORTS = "/shop/dashboard/reports/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def download(client, report_type):
    response = client.get(REPORTS, {"report_type": report_type, "download": "true"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_product_title_starting_with_equals_is_text_in_the_product_statistics(admin_client):
    ProductRecord.objects.create(product=ProductFactory(title='=HYPERLINK("https://evil.example","点我")'), num_views=3)
    table = download(admin_client, "product_analytics")
    assert table[1][0] == '\'=HYPERLINK("https://evil.example","点我")'
    assert table[1][1] == "3"


def test_a_buyers_name_starting_with_at_is_text_in_the_user_statistics(admin_client):
    user = UserFactory(first_name="@SUM(A1:A9)", last_name="")
    UserRecord.objects.create(user=user, num_orders=2)
    table = download(admin_client, "user_analytics")
    row = next(row for row in table if row[0] == user.email)
    assert row[1] == "'@SUM(A1:A9)"


def test_a_voucher_code_starting_with_minus_is_text_in_the_voucher_statistics(admin_client):
    VoucherFactory(code="-2+3")
    vouchers = download(admin_client, "vouchers")
    assert "'-2+3" in [row[0] for row in vouchers]
