"""A product whose certified facts wait on the county office's review of a change is neither sold nor listed in the
public catalogue (扶贫产品目录) until the office decides; the buyer sees the same thing everywhere."""

import csv
import io

import pytest
from openpyxl import load_workbook

from suppliers.models import ChangeRequest
from suppliers.services import change_request_approve
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product, region

pytestmark = pytest.mark.django_db

CATALOGUE = "/shop/suppliers/catalogue/"


@pytest.fixture
def partner():
    return CertifiedPartnerFactory(name="合群村白茶合作社", region=region("430822101201", "合群村"))


@pytest.fixture
def changing(partner):
    product = certified_product(partner=partner, title="桑植白茶 待变更")
    ChangeRequest.objects.create(
        partner=partner,
        product=product,
        changes={"title": ["桑植白茶 待变更", "桑植白茶 新名"]},
        raw_changes={"title": ["桑植白茶 待变更", "桑植白茶 新名"]},
    )
    return product


@pytest.fixture
def steady(partner):
    return certified_product(partner=partner, title="桑植莓茶 在售")


def titles_in_csv(client):
    response = client.get(CATALOGUE, {"format": "csv"})
    return [row[1] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))][1:]


def titles_in_xlsx(client):
    response = client.get(CATALOGUE, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_a_product_with_a_pending_change_is_not_in_the_catalogue_page_or_its_downloads(client, changing, steady):
    page = client.get(CATALOGUE).content.decode()
    assert "桑植莓茶 在售" in page and "桑植白茶 待变更" not in page
    assert titles_in_csv(client) == ["桑植莓茶 在售"]
    assert titles_in_xlsx(client) == ["桑植莓茶 在售"]
    detail = client.get(f"/shop/suppliers/{changing.stockrecords.get().partner_id}/").content.decode()
    assert "桑植莓茶 在售" in detail and "桑植白茶 待变更" not in detail


def test_the_product_page_and_basket_agree_with_the_catalogue(client, changing):
    page = client.get(changing.get_absolute_url()).content.decode()
    assert "暂停销售：认定信息变更待审核" in page
    stockrecord = changing.stockrecords.get()
    response = client.post(
        f"/shop/basket/add/{changing.pk}/", {"quantity": 1, "stockrecord_id": stockrecord.pk}, follow=True
    )
    assert client.get("/shop/basket/").context["basket"].num_items == 0
    assert response.status_code == 200


def test_a_pending_change_to_the_supplier_takes_all_its_products_out_of_the_catalogue(client, partner, steady):
    ChangeRequest.objects.create(
        partner=partner, changes={"legal_name": ["甲", "乙"]}, raw_changes={"legal_name": ["甲", "乙"]}
    )
    assert titles_in_csv(client) == []
    assert "桑植莓茶 在售" not in client.get(CATALOGUE).content.decode()


def test_the_product_returns_to_the_catalogue_once_the_county_approves(client, changing, steady):
    reviewer = UserFactory(role="county", region=region("430822000000", "桑植县"))
    change_request_approve(change_request=ChangeRequest.objects.get(), reviewer=reviewer)
    assert sorted(titles_in_csv(client)) == ["桑植白茶 新名", "桑植莓茶 在售"]
