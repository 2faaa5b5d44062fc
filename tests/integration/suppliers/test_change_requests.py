"""The change-request services: what they hold back, what they apply, who may decide, and what every move records."""

import pytest
from oscar.core.loading import get_model

from search.models import ProductSearchEntry
from suppliers import services
from suppliers.models import ChangeRequest, ChangeRequestStatus, InvalidChangeRequestTransition, Partner
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product, credit_code, region

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")


@pytest.fixture
def partner():
    return CertifiedPartnerFactory(region=region("430822101201", "合群村"))


@pytest.fixture
def product(partner):
    return certified_product(partner=partner, title="桑植白茶")


@pytest.fixture
def reviewer():
    return UserFactory(role="county", region=region("430822000000", "桑植县"))


def submit_rename(product, title, user=None):
    edited = Product.objects.get(pk=product.pk)
    edited.title = title
    change_request = services.product_change_request_submit(product=edited, user=user)
    edited.save()
    return change_request


def searchable(product):
    entry = ProductSearchEntry.objects.get(product_id=product.pk)
    return entry.sellable_from is not None


def test_a_held_back_rename_leaves_the_edited_product_with_its_stored_title(product):
    edited = Product.objects.get(pk=product.pk)
    edited.title = "桑植白茶（特级）"

    change_request = services.product_change_request_submit(product=edited, user=None)

    assert edited.title == "桑植白茶"
    assert change_request.raw_changes == {"title": ["桑植白茶", "桑植白茶（特级）"]}


def test_a_pending_request_takes_the_product_out_of_the_search_index_until_it_is_decided(product, reviewer):
    assert searchable(product)
    change_request = submit_rename(product, "桑植白茶（特级）")
    assert not searchable(product)

    services.change_request_reject(change_request=change_request, reviewer=reviewer, reason="名称不符")

    assert searchable(product)
    assert ProductSearchEntry.objects.get(product_id=product.pk).title == "桑植白茶"


def test_a_supplier_request_takes_every_product_of_the_supplier_out_of_the_index(partner, product, reviewer):
    other = certified_product(partner=partner, title="桑植莓茶")
    edited = Partner.objects.get(pk=partner.pk)
    edited.legal_name = "新名称"

    change_request = services.supplier_profile_save(partner=edited, user=None)

    assert not searchable(product) and not searchable(other)
    services.change_request_approve(change_request=change_request, reviewer=reviewer)
    assert searchable(product) and searchable(other)
    assert Partner.objects.get(pk=partner.pk).legal_name == "新名称"


def test_a_decided_request_cannot_be_decided_again(product, reviewer):
    change_request = submit_rename(product, "桑植白茶（特级）")
    services.change_request_approve(change_request=change_request, reviewer=reviewer)

    with pytest.raises(services.ChangeRequestError, match="已审核"):
        services.change_request_reject(change_request=change_request, reviewer=reviewer, reason="撤回")

    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.APPROVED
    assert change_request.status_changes.count() == 2


def test_the_status_machine_refuses_an_illegal_move_by_name(product):
    change_request = submit_rename(product, "桑植白茶（特级）")
    change_request.set_status(ChangeRequestStatus.REJECTED, reason="不符")

    with pytest.raises(InvalidChangeRequestTransition):
        change_request.set_status(ChangeRequestStatus.APPROVED)


def test_an_approval_that_would_break_a_rule_is_refused_and_changes_nothing(partner, reviewer):
    taken = CertifiedPartnerFactory().credit_code
    edited = Partner.objects.get(pk=partner.pk)
    edited.credit_code = credit_code(9001)
    change_request = services.supplier_profile_save(partner=edited, user=None)
    # Another supplier took the code while the request waited.
    ChangeRequest.objects.filter(pk=change_request.pk).update(raw_changes={"credit_code": [partner.credit_code, taken]})

    with pytest.raises(services.ChangeRequestError, match="无法生效"):
        services.change_request_approve(change_request=change_request, reviewer=reviewer)

    assert Partner.objects.get(pk=partner.pk).credit_code == partner.credit_code
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.PENDING


def test_an_edit_that_changes_no_reviewed_fact_opens_no_request(product):
    edited = Product.objects.get(pk=product.pk)
    edited.description = "高山云雾茶"

    assert services.product_change_request_submit(product=edited, user=None) is None
    assert not ChangeRequest.objects.exists()


def test_a_product_on_public_notice_is_held_to_its_facts_too(partner):
    product = certified_product(partner=partner, title="桑植白茶")
    product.certifications.update(status="notice")

    assert submit_rename(product, "桑植白茶（特级）") is not None
    assert Product.objects.get(pk=product.pk).title == "桑植白茶"
