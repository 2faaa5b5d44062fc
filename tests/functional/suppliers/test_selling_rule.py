"""Only validly certified products of certified suppliers can be put in a basket; the product page says why not."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from suppliers import services
from suppliers.models import CertificationStatus, ProductCertification
from tests.factories import CertifiedPartnerFactory, ProductFactory, StockRecordFactory, UserFactory, certified_product

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")


def add(client, product):
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    basket = Basket.objects.filter(lines__product=product).first()
    return basket is not None


def lapse(product, how):
    certification = product.certifications.get()
    if how == "expired":
        certification.valid_until = timezone.localdate() - timedelta(days=1)
        certification.save()
        services.certifications_daily()
    elif how == "revoked":
        reviewer = UserFactory(role="county", region=certification.certifying_office)
        services.certification_revoke(certification=certification, reviewer=reviewer, reason="抽检不合格")
    elif how == "supplier lapsed":
        certification.partner.certifications.update(status=CertificationStatus.EXPIRED)


def test_a_certified_product_goes_into_the_basket(client):
    product = certified_product(title="桑植白茶")
    assert add(client, product)


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("expired", "认定已过期或被撤销"),
        ("revoked", "认定已过期或被撤销"),
        ("supplier lapsed", "供应商的认定目前无效"),
    ],
)
def test_a_lapsed_certification_makes_the_product_unbuyable_and_the_page_says_why(client, how, reason):
    product = certified_product(title="桑植白茶")
    lapse(product, how)
    assert not add(client, product)
    html = client.get(product.get_absolute_url()).content.decode()
    assert reason in html
    assert 'id="certification-badge"' not in html


def test_a_never_certified_product_cannot_be_bought(client):
    product = ProductFactory(title="未认定的腊肉")
    StockRecordFactory(product=product, partner=CertifiedPartnerFactory())
    assert not add(client, product)
    assert "尚未被认定为扶贫产品" in client.get(product.get_absolute_url()).content.decode()


def test_a_basket_line_added_before_a_revocation_cannot_be_checked_out(client):
    client.force_login(UserFactory(role="buyer"))
    product = certified_product(title="桑植白茶")
    assert add(client, product)
    lapse(product, "revoked")
    html = client.get(reverse("basket:summary")).content.decode()
    assert "认定已过期或被撤销" in html
    response = client.get(reverse("checkout:index"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("basket:summary")
    assert "认定已过期或被撤销" in response.content.decode()


def test_revoking_keeps_the_history(client):
    product = certified_product(title="桑植白茶")
    lapse(product, "revoked")
    certification = ProductCertification.objects.get(product=product)
    assert certification.status == CertificationStatus.REVOKED
    assert certification.certificate_number
    assert [(c.old_status, c.new_status, c.reason) for c in certification.status_changes.all()] == [
        ("certified", "revoked", "抽检不合格")
    ]
    assert product.__class__.objects.filter(pk=product.pk).exists()


def test_the_product_page_shows_badge_number_origin_and_link(client):
    partner = CertifiedPartnerFactory(link_type="purchase", households_linked=58, people_linked=190)
    product = certified_product(partner=partner, title="桑植白茶")
    html = client.get(product.get_absolute_url()).content.decode()
    certification = product.certifications.get()
    assert 'id="certification-badge"' in html
    assert certification.certificate_number in html
    assert "合群村" in html
    assert "58" in html and f"/shop/suppliers/{partner.pk}/" in html
