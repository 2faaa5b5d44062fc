"""The pages of the township's first check, public objections, the county's batches, revocation and renewal, each
seen also from the side of the person it keeps out."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from suppliers.models import (
    CatalogueBatch,
    CertificationRules,
    CertificationStatus,
    Objection,
    ObjectionStatus,
    ProductCertification,
)
from tests.factories import (
    PRICE_PROOF,
    CertifiedPartnerFactory,
    ProductCertificationFactory,
    ProductFactory,
    StockRecordFactory,
    UserFactory,
    certified_product,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return region("430822000000", "桑植县")


@pytest.fixture
def partner():
    partner = CertifiedPartnerFactory(name="桑植县白茶专业合作社", contact_email="coop@example.cn")
    partner.users.add(UserFactory(role="supplier"))
    return partner


@pytest.fixture
def clerk():
    return UserFactory(role="township", region=region("430822101000", "瑞塔铺镇"))


@pytest.fixture
def reviewer(county):
    return UserFactory(role="county", region=county)


def application(partner, status=CertificationStatus.TOWNSHIP, title="桑植白茶 特级"):
    product = ProductFactory(title=title)
    StockRecordFactory(product=product, partner=partner)
    return ProductCertification.objects.create(product=product, partner=partner, status=status, **PRICE_PROOF)


def test_the_township_clerk_sees_and_passes_an_application_from_the_township(
    client, county, partner, clerk, django_assert_max_num_queries
):
    CertificationRules.objects.create(county=county, township_check=True)
    waiting = application(partner)
    for n in range(3):
        application(partner, title=f"桑植莓茶{n}")
    client.force_login(clerk)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("suppliers-dashboard:township-queue"))
    assert page.status_code == 200
    assert "桑植白茶 特级" in page.content.decode() and "待初审" in page.content.decode()

    url = reverse(
        "suppliers-dashboard:township-decide", kwargs={"kind": "product", "pk": waiting.pk, "decision": "pass"}
    )
    response = client.post(url, {"reason": "已实地核实"}, follow=True)
    assert "初审通过，申请已转区县扶贫办审定" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == CertificationStatus.PENDING


def test_a_clerk_of_another_township_finds_nothing_and_a_supplier_is_refused(client, partner):
    waiting = application(partner)
    url = reverse(
        "suppliers-dashboard:township-decide", kwargs={"kind": "product", "pk": waiting.pk, "decision": "pass"}
    )
    client.force_login(UserFactory(role="township", region=region("430822102000", "澧源镇")))
    assert client.post(url).status_code == 404
    assert "桑植白茶" not in client.get(reverse("suppliers-dashboard:township-queue")).content.decode()
    client.force_login(partner.users.get())
    assert client.post(url).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == CertificationStatus.TOWNSHIP


@pytest.fixture
def batch(county, partner):
    today = timezone.localdate()
    batch = CatalogueBatch.objects.create(
        county=county,
        year=today.year,
        number=3,
        notice_starts_on=today - timedelta(days=2),
        notice_ends_on=today + timedelta(days=5),
    )
    ProductCertificationFactory(
        partner=partner, product=ProductFactory(title="桑植白茶 明前"), status=CertificationStatus.NOTICE, batch=batch
    )
    return batch


def test_anyone_can_object_during_notice_and_the_county_reads_it_escaped(client, batch, reviewer):
    notice = client.get(reverse("suppliers:notice")).content.decode()
    objection_url = reverse("suppliers:objection", kwargs={"pk": batch.pk})
    assert objection_url in notice and "提出异议" in notice

    certification = batch.certifications.get()
    response = client.post(
        objection_url,
        {
            "certification": certification.pk,
            "name": "王五",
            "contact": "13900000000",
            "reason": "<script>alert(1)</script>茶叶是外地收购的",
        },
        follow=True,
    )
    assert "区县扶贫办将在批次发布前核查您的异议" in response.content.decode()
    objection = Objection.objects.get()
    assert objection.certification == certification and objection.status == ObjectionStatus.OPEN

    client.force_login(reviewer)
    page = client.get(reverse("suppliers-dashboard:batch-list")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;茶叶是外地收购的" in page
    assert "<script>alert(1)</script>" not in page
    assert "1 条异议待答复" in page


def test_an_objection_without_a_reason_is_refused_and_nothing_is_saved(client, batch):
    response = client.post(reverse("suppliers:objection", kwargs={"pk": batch.pk}), {"name": "王五", "contact": "139"})
    assert response.status_code == 400
    assert "必需字段" in response.content.decode()
    assert not Objection.objects.exists()


def test_objections_from_one_address_are_limited_per_hour(client, batch, settings):
    settings.OBJECTIONS_PER_HOUR = 2
    url = reverse("suppliers:objection", kwargs={"pk": batch.pk})
    data = {"name": "王五", "contact": "139", "reason": "不实"}
    for _n in range(2):
        assert client.post(url, data).status_code == 302
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "来自此地址的异议过多" in refused.content.decode()
    assert Objection.objects.count() == 2


def test_no_objection_to_a_batch_whose_notice_has_ended(client, batch):
    CatalogueBatch.objects.filter(pk=batch.pk).update(notice_ends_on=timezone.localdate() - timedelta(days=1))
    url = reverse("suppliers:objection", kwargs={"pk": batch.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "王五", "contact": "139", "reason": "不实"}).status_code == 404
    assert not Objection.objects.exists()


def test_the_county_cannot_publish_while_an_objection_waits_then_answers_and_publishes(client, batch, reviewer):
    objection = Objection.objects.create(batch=batch, name="王五", contact="139", reason="不实")
    CatalogueBatch.objects.filter(pk=batch.pk).update(notice_ends_on=timezone.localdate() - timedelta(days=1))
    client.force_login(reviewer)
    publish = reverse("suppliers-dashboard:batch-publish", kwargs={"pk": batch.pk})
    refused = client.post(publish, follow=True).content.decode()
    assert "此批次有 1 条异议尚未答复，请答复后再发布" in refused
    batch.refresh_from_db()
    assert batch.published_on is None

    answer = reverse("suppliers-dashboard:objection-answer", kwargs={"pk": objection.pk})
    client.post(answer, {"answer": "经核查，茶园在本县"})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED
    assert "已发布：1 个产品进入扶贫产品目录" in client.post(publish, follow=True).content.decode()
    assert batch.certifications.get().status == CertificationStatus.CERTIFIED


def test_another_county_and_the_city_cannot_answer_or_publish(client, batch):
    objection = Objection.objects.create(batch=batch, name="王五", contact="139", reason="不实")
    answer = reverse("suppliers-dashboard:objection-answer", kwargs={"pk": objection.pk})
    publish = reverse("suppliers-dashboard:batch-publish", kwargs={"pk": batch.pk})
    client.force_login(UserFactory(role="county", region=region("430821000000", "慈利县")))
    assert client.post(answer, {"answer": "驳回"}).status_code == 404
    assert client.post(publish).status_code == 404
    client.force_login(UserFactory(role="city", region=region("430800000000", "张家界市")))
    assert client.post(answer, {"answer": "驳回"}).status_code == 403
    objection.refresh_from_db()
    batch.refresh_from_db()
    assert objection.status == ObjectionStatus.OPEN and batch.published_on is None


def test_the_city_office_revokes_from_its_list_and_the_product_page_stops_selling(client, partner):
    product = certified_product(partner=partner, title="桑植腊肉")
    certification = product.certifications.get()
    city = UserFactory(role="city", region=region("430800000000", "张家界市"))
    client.force_login(city)
    page = client.get(reverse("suppliers-dashboard:certification-list")).content.decode()
    revoke = reverse("suppliers-dashboard:certification-revoke", kwargs={"kind": "product", "pk": certification.pk})
    assert revoke in page

    response = client.post(revoke, {"reason": "市级抽检不合格"}, follow=True)
    assert "已撤销认定" in response.content.decode()
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.REVOKED
    product_page = client.get(product.get_absolute_url()).content.decode()
    assert "认定已过期或被撤销" in product_page


def test_a_supplier_cannot_revoke_and_an_office_of_another_city_finds_nothing(client, partner):
    certification = certified_product(partner=partner).certifications.get()
    revoke = reverse("suppliers-dashboard:certification-revoke", kwargs={"kind": "product", "pk": certification.pk})
    client.force_login(partner.users.get())
    assert client.post(revoke, {"reason": "x"}).status_code == 403
    client.force_login(UserFactory(role="city", region=region("433100000000", "湘西州")))
    assert client.post(revoke, {"reason": "x"}).status_code == 404
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.CERTIFIED


def test_the_supplier_renews_a_certificate_about_to_expire_keeping_its_evidence(client, partner):
    certification = ProductCertificationFactory(
        partner=partner,
        product=ProductFactory(title="张家界莓茶"),
        valid_until=timezone.localdate() + timedelta(days=40),
        **PRICE_PROOF,
    )
    client.force_login(partner.users.get())
    page = client.get(reverse("suppliers-dashboard:certification-list")).content.decode()
    renew = reverse("suppliers-dashboard:certification-renew", kwargs={"kind": "product", "pk": certification.pk})
    assert renew in page and "申请续期" in page
    # The form comes filled in with the certificate's price proof; sent as it is, the renewal keeps it.
    response = client.post(renew, client.get(renew).context["form"].initial, follow=True)
    assert "续期申请已提交审核" in response.content.decode()
    assert ProductCertification.objects.get(renews=certification).status == CertificationStatus.PENDING


def test_another_supplier_cannot_renew_the_certificate(client, partner):
    certification = ProductCertificationFactory(partner=partner, valid_until=timezone.localdate() + timedelta(days=40))
    other = CertifiedPartnerFactory()
    stranger = UserFactory(role="supplier")
    other.users.add(stranger)
    client.force_login(stranger)
    renew = reverse("suppliers-dashboard:certification-renew", kwargs={"kind": "product", "pk": certification.pk})
    assert client.post(renew).status_code == 404
    assert not ProductCertification.objects.filter(renews=certification).exists()


def test_behind_the_proxy_each_visitor_has_their_own_objection_count_and_cannot_forge_another(client, batch, settings):
    """Behind nginx every request comes from nginx's address: counted by it, a few objections from anyone would
    close the form to everyone. The address counted is the one nginx appended, not one the visitor wrote."""
    settings.OBJECTIONS_PER_HOUR = 2
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("suppliers:objection", kwargs={"pk": batch.pk})
    data = {"name": "王五", "contact": "139", "reason": "不实"}
    nginx = {"REMOTE_ADDR": "172.18.0.5"}
    for forged in ("1.1.1.1", "2.2.2.2"):
        sent = client.post(url, data, HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7", **nginx)
        assert sent.status_code == 302
    forged_again = client.post(url, data, HTTP_X_FORWARDED_FOR="3.3.3.3, 203.0.113.7", **nginx)
    assert forged_again.status_code == 400 and "来自此地址的异议过多" in forged_again.content.decode()
    neighbour = client.post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.20", **nginx)
    assert neighbour.status_code == 302
    assert Objection.objects.count() == 3


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(client, batch, settings):
    settings.OBJECTIONS_PER_HOUR = 1
    settings.TRUSTED_PROXY_COUNT = 0
    url = reverse("suppliers:objection", kwargs={"pk": batch.pk})
    data = {"name": "王五", "contact": "139", "reason": "不实"}
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 302
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 400
    assert Objection.objects.count() == 1
