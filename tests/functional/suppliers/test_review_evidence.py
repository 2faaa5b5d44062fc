"""The county office decides with the evidence in view: the files, the supplier's history and the product's facts."""

import pytest
from django.urls import reverse

from suppliers.models import CertificationStatus, ChangeRequest, ProductCertification
from tests.factories import (
    PRICE_PROOF,
    CertifiedPartnerFactory,
    ProductCertificationFactory,
    ProductFactory,
    StockRecordFactory,
    UserFactory,
    pdf_upload,
    region,
)
from tests.functional.suppliers.test_dashboard import LIST, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner():
    return CertifiedPartnerFactory(name="桑植县白茶专业合作社")


@pytest.fixture
def reviewer():
    return UserFactory(role="county", region=region("430822000000", "桑植县"))


def application_with_evidence(client, partner, title="桑植白茶 特级"):
    staff = UserFactory(role="supplier", region=partner.region)
    partner.users.add(staff)
    product = ProductFactory(title=title, specification="250克×2罐", sales_unit="盒", season="春季", is_organic=True)
    product.origin = partner.region
    product.save()
    StockRecordFactory(product=product, partner=partner)
    client.force_login(staff)
    client.post(
        reverse("suppliers-dashboard:product-apply"),
        {"product": product.pk, "business_licence": png(), "commitment_letter": pdf_upload(), **PRICE_PROOF},
    )
    client.logout()
    return ProductCertification.objects.get(product=product)


def test_the_review_screen_links_the_evidence_files_and_the_reviewer_can_open_them(client, partner, reviewer):
    application = application_with_evidence(client, partner)
    client.force_login(reviewer)
    page = client.get(LIST).content.decode()
    for field in ("licence", "letter"):
        url = reverse(
            "suppliers-dashboard:certification-file", kwargs={"kind": "product", "pk": application.pk, "field": field}
        )
        assert url in page
        assert client.get(url).status_code == 200


def test_the_review_screen_shows_the_suppliers_history_and_the_products_facts(client, partner, reviewer):
    application = application_with_evidence(client, partner)
    ProductCertificationFactory(partner=partner, status=CertificationStatus.REJECTED, reason="材料不全")
    ProductCertificationFactory(partner=partner)
    ChangeRequest.objects.create(partner=partner, changes={"specification": "500克"})
    client.force_login(reviewer)
    page = client.get(LIST).content.decode()
    row = page[page.index(f'data-history="{application.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "250克×2罐" in row and "盒" in row and "春季" in row and "有机" in row
    assert partner.region.name in row  # the product's origin
    assert "已拒绝 1" in row and "已认定 1" in row and "审核中 1" in row
    assert "待审核 1" in row  # the change request


@pytest.mark.parametrize("count", [1, 8])
def test_the_review_screen_asks_a_bounded_number_of_queries(client, reviewer, django_assert_max_num_queries, count):
    for number in range(count):
        partner = CertifiedPartnerFactory(name=f"合作社{number}")
        ProductCertificationFactory(partner=partner, status=CertificationStatus.PENDING)
        ProductCertificationFactory(partner=partner, status=CertificationStatus.REJECTED, reason="材料不全")
    client.force_login(reviewer)
    with django_assert_max_num_queries(25):
        response = client.get(LIST)
    assert response.content.decode().count('class="evidence-row"') >= 2 * count
