import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.views.static import serve

from accounts import roles
from config.settings.base import private_bucket_storage
from suppliers import services
from suppliers.models import ProductCertification
from suppliers.private_files import private_storage
from tests.factories import (
    PRICE_PROOF,
    CertifiedPartnerFactory,
    ProductFactory,
    StockRecordFactory,
    UserFactory,
    pdf_bytes,
    pdf_upload,
    png_upload,
    region,
)

pytestmark = pytest.mark.django_db

APPLY = "/shop/dashboard/suppliers/certifications/apply/"
LIST = "/shop/dashboard/suppliers/certifications/"


@pytest.fixture
def partner():
    return CertifiedPartnerFactory(name="桑植县白茶专业合作社")


@pytest.fixture
def staff(partner):
    user = UserFactory(role=roles.SUPPLIER, region=partner.region)
    partner.users.add(user)
    return user


@pytest.fixture
def product(partner):
    product = ProductFactory(title="桑植白茶 特级")
    StockRecordFactory(product=product, partner=partner)
    return product


@pytest.fixture
def certification(staff, partner, product):
    return services.product_certification_apply(
        user=staff,
        partner=partner,
        product=product,
        business_licence=png_upload("营业执照.png"),
        commitment_letter=pdf_upload("承诺书.pdf"),
        **PRICE_PROOF,
    )


def letter_url(certification):
    return reverse(
        "suppliers-dashboard:certification-file", kwargs={"kind": "product", "pk": certification.pk, "field": "letter"}
    )


def files_under(root):
    return [path for path in Path(root).rglob("*") if path.is_file()]


def test_a_file_named_html_that_starts_like_a_pdf_is_refused_and_nothing_is_saved(client, staff, product):
    client.force_login(staff)
    kept_before = set(files_under(settings.PRIVATE_MEDIA_ROOT))
    fake = SimpleUploadedFile("承诺书.html", b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>")
    response = client.post(
        APPLY,
        {"product": product.pk, "business_licence": png_upload(), "commitment_letter": fake},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "该文件不是可读取的 JPEG、PNG、PDF 文件，未予接收。" in response.content.decode()
    assert not ProductCertification.objects.exists()
    assert set(files_under(settings.PRIVATE_MEDIA_ROOT)) == kept_before


def test_a_real_pdf_and_png_are_kept_under_random_names_in_the_private_root(client, staff, product):
    client.force_login(staff)
    response = client.post(
        APPLY,
        {
            "product": product.pk,
            "business_licence": png_upload("营业执照.png"),
            "commitment_letter": pdf_upload(),
            **PRICE_PROOF,
        },
    )
    assert response.status_code == 302
    certification = ProductCertification.objects.get(product=product)
    assert re.fullmatch(r"certification/[0-9a-f]{32}\.png", certification.business_licence.name)
    assert re.fullmatch(r"certification/[0-9a-f]{32}\.pdf", certification.commitment_letter.name)
    assert certification.business_licence_name == "营业执照.png"
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / certification.commitment_letter.name
    assert stored.read_bytes().startswith(b"%PDF-")
    assert not Path(settings.PRIVATE_MEDIA_ROOT).is_relative_to(settings.MEDIA_ROOT)
    assert files_under(settings.MEDIA_ROOT) == []


@pytest.mark.parametrize(
    "outsider",
    [
        lambda: None,
        lambda: UserFactory(),
        lambda: UserFactory(role=roles.SUPPLIER, region=region("430822101201")),
        lambda: UserFactory(role=roles.COUNTY, region=region("430821000000", "慈利县")),
        lambda: UserFactory(role=roles.CITY, region=region("433100000000", "湘西州")),
    ],
    ids=["anonymous", "buyer", "another supplier's staff", "another county's office", "another city's office"],
)
def test_people_outside_the_supplier_and_its_offices_get_a_404_for_its_evidence(client, certification, outsider):
    user = outsider()
    if user is not None:
        client.force_login(user)
    response = client.get(letter_url(certification))
    assert response.status_code == 404
    assert b"%PDF-" not in b"".join(getattr(response, "streaming_content", [response.content]))


@pytest.mark.parametrize(
    "viewer",
    [
        lambda staff: staff,
        lambda staff: UserFactory(role=roles.COUNTY, region=region("430822000000", "桑植县")),
        lambda staff: UserFactory(role=roles.CITY, region=region("430800000000", "张家界市")),
    ],
    ids=["the supplier's staff", "the county office", "the city office above"],
)
def test_the_supplier_and_the_offices_over_it_get_the_evidence_with_safe_headers(client, certification, staff, viewer):
    client.force_login(viewer(staff))
    response = client.get(letter_url(certification))
    assert response.status_code == 200
    assert (
        b"".join(response.streaming_content)
        == (Path(settings.PRIVATE_MEDIA_ROOT) / certification.commitment_letter.name).read_bytes()
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_kept_file_of_no_accepted_type_is_only_ever_a_download(client, certification, staff):
    certification.commitment_letter = private_storage().save("certification/legacy", ContentFile(b"<script>1</script>"))
    certification.save()
    client.force_login(staff)
    response = client.get(letter_url(certification))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_county_office_review_screen_links_to_the_evidence(client, certification):
    client.force_login(UserFactory(role=roles.COUNTY, region=region("430822000000", "桑植县")))
    page = client.get(LIST, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'href="{letter_url(certification)}"' in page
    assert "承诺书" in page


def test_behind_nginx_the_view_answers_with_an_internal_redirect_and_no_body(client, certification, staff, settings):
    settings.PRIVATE_MEDIA_X_ACCEL_REDIRECT = "/protected/"
    client.force_login(staff)
    response = client.get(letter_url(certification))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected/{certification.commitment_letter.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_public_media_address_does_not_serve_a_private_file(client, certification):
    name = certification.commitment_letter.name
    assert client.get(f"{settings.MEDIA_URL}{name}").status_code == 404
    with pytest.raises(Http404):
        serve(RequestFactory().get(f"/media/{name}"), name, document_root=settings.MEDIA_ROOT)


def test_a_password_protected_letter_is_refused_with_a_chinese_message(client, staff, product):
    client.force_login(staff)
    locked = SimpleUploadedFile("承诺书.pdf", pdf_bytes(password="secret"))
    response = client.post(
        APPLY,
        {"product": product.pk, "business_licence": png_upload(), "commitment_letter": locked},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "该 PDF 设有密码保护" in response.content.decode()
    assert not ProductCertification.objects.exists()


@pytest.fixture
def bucket(settings, monkeypatch):
    """The private storage in an S3-compatible bucket; signing an address needs credentials, not the network."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret-example")
    settings.PRIVATE_STORAGE_BUCKET = "xfbsc-private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": private_bucket_storage(
            bucket="xfbsc-private", expire_seconds=60, endpoint_url="https://s3.example.cn", region_name="cn-north-1"
        ),
    }


@pytest.mark.parametrize(
    "outsider",
    [lambda: None, lambda: UserFactory(role=roles.COUNTY, region=region("430821000000", "慈利县"))],
    ids=["anonymous", "another county's office"],
)
def test_with_a_bucket_an_outsider_still_gets_a_404_and_no_signed_address(client, certification, bucket, outsider):
    user = outsider()
    if user is not None:
        client.force_login(user)
    response = client.get(letter_url(certification))
    assert response.status_code == 404
    assert "X-Amz-Signature" not in response.get("Location", "")


def test_with_a_bucket_the_supplier_is_sent_to_a_signed_address_that_expires_in_a_minute(
    client, certification, staff, bucket
):
    client.force_login(staff)
    response = client.get(letter_url(certification))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    query = parse_qs(location.query)
    assert location.scheme == "https" and location.netloc.startswith("s3.example.cn")
    assert location.path == f"/xfbsc-private/{certification.commitment_letter.name}"
    assert query["X-Amz-Expires"] == ["60"] and query["X-Amz-Signature"]
    assert query["response-content-type"] == ["application/pdf"]
    assert query["response-content-disposition"][0].startswith("inline;")
    assert response["Cache-Control"] == "private, no-store"
