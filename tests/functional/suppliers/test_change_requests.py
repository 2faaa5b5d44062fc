"""Certified facts change only through the county office: the product editor and the supplier profile turn such an
edit into a change request (变更申请) and selling stops until the office decides; price and stock stay free."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from suppliers.models import ChangeRequest, ChangeRequestStatus, Partner
from tests.factories import (
    CategoryFactory,
    CertifiedPartnerFactory,
    ProductFactory,
    StockRecordFactory,
    UserFactory,
    certified_product,
    credit_code,
    region,
)
from tests.functional.suppliers.test_profile_and_offices import profile_data

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

PROFILE = "/shop/dashboard/suppliers/profile/"
CHANGES = "/shop/dashboard/suppliers/changes/"
SUBMITTED = "已提交变更申请，县扶贫办审核通过前该产品暂停销售"
SUSPENDED = "暂停销售：认定信息变更待审核"


@pytest.fixture
def partner():
    return CertifiedPartnerFactory(name="合群村白茶合作社", region=region("430822101201", "合群村"))


@pytest.fixture
def staff(partner):
    user = UserFactory(role="supplier")
    partner.users.add(user)
    return user


@pytest.fixture
def tea():
    return CategoryFactory("茶叶")


@pytest.fixture
def product(partner, tea):
    return certified_product(partner=partner, title="桑植白茶", categories=[tea])


@pytest.fixture
def reviewer():
    return UserFactory(role="county", region=region("430822000000", "桑植县"))


def edit_url(product):
    return f"/shop/dashboard/catalogue/products/{product.pk}/"


def product_form(product, **changes):
    """What Oscar's product editor posts for this product, with one category row and one stock record row."""
    stockrecord = product.stockrecords.get()
    category = product.categories.first()
    link = product.productcategory_set.first()
    data = {
        "structure": "standalone",
        "title": product.title,
        "upc": product.upc,
        "description": product.description,
        "is_public": "on",
        "is_discountable": "on",
        "specification": product.specification,
        "sales_unit": product.sales_unit,
        "origin_code": product.origin.code if product.origin else "",
        "slug": product.slug,
        "meta_title": "",
        "meta_description": "",
        "productcategory_set-TOTAL_FORMS": "1",
        "productcategory_set-INITIAL_FORMS": "1" if link else "0",
        "productcategory_set-MIN_NUM_FORMS": "0",
        "productcategory_set-MAX_NUM_FORMS": "1000",
        "productcategory_set-0-category": category.pk if category else "",
        "productcategory_set-0-id": link.pk if link else "",
        "productcategory_set-0-product": product.pk,
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        "primary_recommendations-TOTAL_FORMS": "0",
        "primary_recommendations-INITIAL_FORMS": "0",
        "primary_recommendations-MIN_NUM_FORMS": "0",
        "primary_recommendations-MAX_NUM_FORMS": "1000",
        "stockrecords-TOTAL_FORMS": "1",
        "stockrecords-INITIAL_FORMS": "1",
        "stockrecords-MIN_NUM_FORMS": "0",
        "stockrecords-MAX_NUM_FORMS": "1000",
        "stockrecords-0-partner": stockrecord.partner_id,
        "stockrecords-0-partner_sku": stockrecord.partner_sku,
        "stockrecords-0-num_in_stock": stockrecord.num_in_stock,
        "stockrecords-0-low_stock_threshold": "",
        "stockrecords-0-price_currency": stockrecord.price_currency,
        "stockrecords-0-price": str(stockrecord.price),
        "stockrecords-0-id": stockrecord.pk,
        "stockrecords-0-product": product.pk,
    }
    data.update(changes)
    return data


def can_add_to_basket(client, product):
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    return Basket.objects.filter(lines__product=product).exists()


def search_titles(client, q):
    return client.get("/shop/search/", {"q": q}).content.decode()


def rename(client, staff, product, title):
    client.force_login(staff)
    return client.post(edit_url(product), product_form(product, title=title), follow=True)


def decide(client, user, change_request, decision, reason=""):
    client.force_login(user)
    url = reverse("suppliers-dashboard:change-request-decide", kwargs={"pk": change_request.pk, "decision": decision})
    return client.post(url, {"reason": reason})


def test_renaming_a_certified_product_submits_a_change_request_and_suspends_selling(client, staff, product):
    response = rename(client, staff, product, "桑植白茶（特级）")

    assert SUBMITTED in response.content.decode()
    change_request = ChangeRequest.objects.get(product=product)
    assert change_request.status == ChangeRequestStatus.PENDING
    assert change_request.changes == {"title": ["桑植白茶", "桑植白茶（特级）"]}
    assert change_request.submitted_by == staff
    assert Product.objects.get(pk=product.pk).title == "桑植白茶"

    client.logout()
    page = client.get(product.get_absolute_url()).content.decode()
    assert "桑植白茶" in page and "特级" not in page
    assert SUSPENDED in page
    assert not can_add_to_basket(client, product)
    assert "桑植白茶" not in search_titles(client, "白茶")


def test_the_supplier_sees_its_pending_request_and_its_state(client, staff, product):
    rename(client, staff, product, "桑植白茶（特级）")
    html = client.get(CHANGES).content.decode()
    assert "桑植白茶（特级）" in html and "待审核" in html
    editor = client.get(edit_url(product)).content.decode()
    assert 'id="pending-change-request"' in editor
    assert "等待县扶贫办审核" in editor and "桑植白茶 → 桑植白茶（特级）" in editor


def test_approval_applies_the_new_title_and_selling_resumes(client, staff, product, reviewer):
    rename(client, staff, product, "桑植白茶（特级）")
    change_request = ChangeRequest.objects.get(product=product)

    response = decide(client, reviewer, change_request, "approve")

    assert response.status_code == 302
    assert Product.objects.get(pk=product.pk).title == "桑植白茶（特级）"
    client.logout()
    assert can_add_to_basket(client, product)
    assert "桑植白茶（特级）" in search_titles(client, "白茶")
    moves = list(change_request.status_changes.values_list("old_status", "new_status", "changed_by"))
    assert moves == [("", "pending", staff.pk), ("pending", "approved", reviewer.pk)]


def test_rejection_keeps_the_old_title_and_selling_resumes(client, staff, product, reviewer):
    rename(client, staff, product, "桑植白茶（特级）")
    change_request = ChangeRequest.objects.get(product=product)

    decide(client, reviewer, change_request, "reject", reason="与认定时的产品不一致")

    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.REJECTED
    assert change_request.reason == "与认定时的产品不一致"
    assert change_request.status_changes.last().reason == "与认定时的产品不一致"
    assert Product.objects.get(pk=product.pk).title == "桑植白茶"
    client.logout()
    assert can_add_to_basket(client, product)
    assert "桑植白茶" in search_titles(client, "白茶")


def test_a_rejection_without_a_reason_is_refused_in_chinese_and_changes_nothing(client, staff, product, reviewer):
    rename(client, staff, product, "桑植白茶（特级）")
    change_request = ChangeRequest.objects.get(product=product)

    response = decide(client, reviewer, change_request, "reject")

    assert "请填写驳回理由" in client.get(response.url).content.decode()
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.PENDING
    assert change_request.status_changes.count() == 1


def test_changing_price_and_stock_applies_at_once_without_a_request(client, staff, product):
    client.force_login(staff)
    data = product_form(product, **{"stockrecords-0-price": "66.00", "stockrecords-0-num_in_stock": "40"})

    response = client.post(edit_url(product), data, follow=True)

    assert SUBMITTED not in response.content.decode()
    stockrecord = StockRecord.objects.get(product=product)
    assert (stockrecord.price, stockrecord.num_in_stock) == (66, 40)
    assert not ChangeRequest.objects.exists()
    client.logout()
    assert can_add_to_basket(client, product)


def test_changing_the_category_specification_and_origin_goes_through_a_request(client, staff, product, tea):
    fruit = CategoryFactory("果蔬")
    region("430822102000", "陈家河镇")
    client.force_login(staff)
    data = product_form(
        product,
        specification="250克×2罐",
        sales_unit="盒",
        origin_code="430822102000",
        **{"productcategory_set-0-category": fruit.pk},
    )

    client.post(edit_url(product), data)

    change_request = ChangeRequest.objects.get(product=product)
    assert set(change_request.changes) == {"categories", "specification", "sales_unit", "origin"}
    assert change_request.changes["categories"] == ["茶叶", "果蔬"]
    stored = Product.objects.get(pk=product.pk)
    assert (stored.specification, stored.sales_unit, stored.origin.code) == ("", "", "430822101201")
    assert list(stored.categories.all()) == [tea]


def test_approving_a_category_change_moves_the_product(client, staff, product, reviewer, tea):
    fruit = CategoryFactory("果蔬")
    client.force_login(staff)
    client.post(edit_url(product), product_form(product, **{"productcategory_set-0-category": fruit.pk}))

    decide(client, reviewer, ChangeRequest.objects.get(product=product), "approve")

    assert list(Product.objects.get(pk=product.pk).categories.all()) == [fruit]


def test_a_pending_request_blocks_a_second_one_with_a_chinese_message(client, staff, product):
    rename(client, staff, product, "桑植白茶（特级）")

    response = rename(client, staff, product, "桑植白茶（珍品）")

    assert "已有一项认定信息变更申请在等待县扶贫办审核" in response.content.decode()
    assert ChangeRequest.objects.count() == 1
    assert Product.objects.get(pk=product.pk).title == "桑植白茶"


def test_an_uncertified_product_is_edited_freely(client, staff, partner):
    product = ProductFactory(title="新茶", categories=[CategoryFactory("茶叶")])
    StockRecordFactory(product=product, partner=partner)

    rename(client, staff, product, "新茶（春茶）")

    assert Product.objects.get(pk=product.pk).title == "新茶（春茶）"
    assert not ChangeRequest.objects.exists()


def test_platform_staff_editing_in_the_dashboard_go_through_a_request_too(client, product):
    admin = UserFactory(is_staff=True, is_superuser=True)

    rename(client, admin, product, "桑植白茶（特级）")

    assert Product.objects.get(pk=product.pk).title == "桑植白茶"
    assert ChangeRequest.objects.get(product=product).submitted_by == admin


def test_changing_a_certified_suppliers_credit_code_suspends_all_its_products(client, staff, partner, product):
    other = certified_product(partner=partner, title="桑植莓茶")
    old_code = partner.credit_code
    client.force_login(staff)

    response = client.post(PROFILE, profile_data(partner, credit_code=credit_code(7002)), follow=True)

    assert "县扶贫办审核通过前该供应商的产品暂停销售" in response.content.decode()
    change_request = ChangeRequest.objects.get(partner=partner, product=None)
    assert change_request.changes["credit_code"] == [old_code, credit_code(7002)]
    stored = Partner.objects.get(pk=partner.pk)
    assert stored.credit_code == old_code
    # Facts that need no review are saved at once.
    assert stored.contact_name == "李主任"
    client.logout()
    for suspended in (product, other):
        assert not can_add_to_basket(client, suspended)
        assert SUSPENDED in client.get(suspended.get_absolute_url()).content.decode()
    assert "桑植白茶" not in search_titles(client, "白茶")
    assert "桑植莓茶" not in search_titles(client, "莓茶")


def test_approving_a_suppliers_change_applies_it_and_its_products_sell_again(client, staff, partner, product, reviewer):
    client.force_login(staff)
    client.post(PROFILE, profile_data(partner, credit_code=credit_code(7002), legal_name="桑植县合群村茶业合作社"))
    change_request = ChangeRequest.objects.get(partner=partner, product=None)
    assert Partner.objects.get(pk=partner.pk).legal_name == partner.legal_name

    decide(client, reviewer, change_request, "approve")

    stored = Partner.objects.get(pk=partner.pk)
    assert (stored.credit_code, stored.legal_name) == (credit_code(7002), "桑植县合群村茶业合作社")
    client.logout()
    assert can_add_to_basket(client, product)


def test_an_uncertified_supplier_changes_its_profile_freely(client):
    partner = Partner.objects.create(name="新合作社", region=region("430822101201", "合群村"))
    user = UserFactory(role="supplier")
    partner.users.add(user)
    client.force_login(user)

    client.post(PROFILE, profile_data(partner, credit_code=credit_code(7003)))

    assert Partner.objects.get(pk=partner.pk).credit_code == credit_code(7003)
    assert not ChangeRequest.objects.exists()


def test_the_county_reviewer_sees_old_and_new_values_side_by_side_escaped(client, staff, product, reviewer):
    rename(client, staff, product, "<script>alert(1)</script>白茶")

    client.force_login(reviewer)
    html = client.get(CHANGES).content.decode()

    assert '<td class="old">桑植白茶</td>' in html
    assert '<td class="new">&lt;script&gt;alert(1)&lt;/script&gt;白茶</td>' in html
    assert "<script>alert(1)" not in html
    assert "/approve/" in html


def test_a_reviewer_of_another_county_cannot_see_or_decide(client, staff, product):
    rename(client, staff, product, "桑植白茶（特级）")
    change_request = ChangeRequest.objects.get(product=product)
    stranger = UserFactory(role="county", region=region("430821000000", "慈利县"))

    client.force_login(stranger)
    assert "桑植白茶（特级）" not in client.get(CHANGES).content.decode()
    for decision in ("approve", "reject"):
        assert decide(client, stranger, change_request, decision, reason="不同意").status_code == 404

    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.PENDING
    assert Product.objects.get(pk=product.pk).title == "桑植白茶"


def test_the_city_office_sees_requests_read_only(client, staff, product):
    rename(client, staff, product, "桑植白茶（特级）")
    change_request = ChangeRequest.objects.get(product=product)
    city = UserFactory(role="city", region=region("430800000000", "张家界市"))

    client.force_login(city)
    html = client.get(CHANGES).content.decode()
    assert "桑植白茶（特级）" in html and "/approve/" not in html
    assert decide(client, city, change_request, "approve").status_code == 403

    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.PENDING


def test_a_supplier_cannot_decide_its_own_request(client, staff, product):
    rename(client, staff, product, "桑植白茶（特级）")
    change_request = ChangeRequest.objects.get(product=product)

    assert decide(client, staff, change_request, "approve").status_code == 403

    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.PENDING
    assert Product.objects.get(pk=product.pk).title == "桑植白茶"


def test_a_buyer_cannot_open_the_change_requests(client, product):
    client.force_login(UserFactory(role="buyer"))
    assert client.get(CHANGES).status_code in (302, 403)


def test_staff_in_django_admin_cannot_change_a_certified_products_title(client, product):
    from django.contrib.auth.models import Permission

    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_product", "change_product"]))
    client.force_login(clerk)

    # Django admin is the superusers' alone; a staff account is sent to its sign-in page and changes nothing there.
    page = client.get(f"/django-admin/catalogue/product/{product.pk}/change/")
    assert page.status_code == 302 and "/django-admin/login/" in page["Location"]
    client.post(f"/django-admin/catalogue/product/{product.pk}/change/", {"title": "改名"})
    assert Product.objects.get(pk=product.pk).title == "桑植白茶"


def test_a_superuser_corrects_a_certified_suppliers_facts_in_django_admin_and_the_edit_is_logged(client, partner):
    from django.contrib.admin.models import LogEntry

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    data = {
        "name": partner.name,
        "code": partner.code,
        "legal_name": "更正后的法定名称",
        "supplier_type": partner.supplier_type,
        "credit_code": partner.credit_code,
        "region": partner.region_id,
        "shipping_rate": "10.00",
        "households_linked": "0",
        "people_linked": "0",
    }
    page = client.get(f"/django-admin/partner/partner/{partner.pk}/change/").content.decode()
    assert 'name="legal_name"' in page

    client.post(f"/django-admin/partner/partner/{partner.pk}/change/", data)

    assert Partner.objects.get(pk=partner.pk).legal_name == "更正后的法定名称"
    assert LogEntry.objects.filter(object_id=str(partner.pk), user=admin).exists()
