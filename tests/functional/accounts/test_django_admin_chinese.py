"""Django's admin (/django-admin/) reads in Chinese for the project's own models: every model the project declares and
every field on it is named in Chinese, yes/no columns show Django's icon with a Chinese text instead of True or False,
and the list, add and change pages of each of those models head their columns and label their fields in Chinese."""

import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page

from accounts.models import User
from procurement.models import FilingChange, FilingStatus
from suppliers.models import CertificationRules
from tests.factories import UserFactory, region
from tests.functional.i18n.test_chinese_crawl import (
    chinese_client,
    demo_media,  # noqa: F401 (the module-scoped demo data fixture)
    english_in,
)

ProductClass = get_model("catalogue", "ProductClass")

# Fields Wagtail declares on the pages and site settings the project builds on: Wagtail edits them in its own admin.
WAGTAIL_FIELDS = {field.name for base in (Page, BaseSiteSetting) for field in base._meta.get_fields()}
# Django's own help for lists where several may be chosen, whose Chinese names the keys (Control, Command, Mac).
MULTIPLE_CHOICE_HELP = "Hold down “Control”, or “Command” on a Mac, to select more than one."


def project_models():
    base = Path(settings.BASE_DIR)
    for model in apps.get_models():
        path = Path(sys.modules[model.__module__].__file__).resolve()
        if base in path.parents and ".venv" not in path.parts:
            yield model


def test_every_model_of_the_project_and_every_field_on_it_is_named_in_chinese():
    unnamed = []
    with translation.override("zh-hans"):
        for model in project_models():
            names = {"": model._meta.verbose_name, " (plural)": model._meta.verbose_name_plural}
            wagtails = WAGTAIL_FIELDS if issubclass(model, Page | BaseSiteSetting) else set()
            for field in model._meta.fields + model._meta.many_to_many:
                if not field.auto_created and field.name not in wagtails:
                    names[f".{field.name}"] = field.verbose_name
            for where, name in names.items():
                if english_in([str(name)]):
                    unnamed.append(f"{model._meta.label}{where}: {name}")
    assert unnamed == []


@pytest.mark.django_db
def test_yes_no_columns_show_the_icon_with_a_chinese_text(client):
    UserFactory(is_staff=False, email="buyer@example.cn")
    for code, name, township_check in (("430822000000", "桑植县", True), ("430821000000", "慈利县", False)):
        CertificationRules.objects.update_or_create(
            county=region(code, name), defaults={"township_check": township_check}
        )
    ProductClass.objects.create(name="茶叶", requires_shipping=True, track_stock=False)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for model in (User, CertificationRules, ProductClass):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert 'alt="是"' in html and 'alt="否"' in html, url
        assert 'alt="True"' not in html and 'alt="False"' not in html, url


class Labels(HTMLParser):
    """The texts in the admin's content area that name things: headings, column heads, field labels and icons (but
    the search box's icon, which Django's template writes as "Search")."""

    NAMING = {"label", "th", "h1", "h2", "h3", "legend", "caption"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open = []
        self.texts = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        in_search_label = self.open and self.open[-1] == ("label", "searchbar")
        if tag == "img" and attributes.get("alt") and not in_search_label:
            self.texts.append(attributes["alt"])
        if tag in self.NAMING:
            self.open.append((tag, attributes.get("for")))

    def handle_endtag(self, tag):
        if self.open and self.open[-1][0] == tag:
            self.open.pop()

    def handle_data(self, data):
        if self.open and data.strip():
            self.texts.append(data.strip())


def english_labels(html):
    labels = Labels()
    labels.feed(html[html.index("<!-- Content -->") : html.index("<!-- END Content -->")])
    with translation.override("zh-hans"):
        help_text = translation.gettext(MULTIPLE_CHOICE_HELP)
    return english_in([text.replace(help_text, "") for text in labels.texts])


@pytest.mark.django_db
def test_the_admin_pages_of_the_projects_models_label_everything_in_chinese(demo_media, settings):  # noqa: F811
    settings.MEDIA_ROOT = demo_media
    client = chinese_client("admin@demo.cn")
    english, opened = {}, 0
    for model in project_models():
        if not admin.site.is_registered(model):
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls = [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        latest = model._default_manager.order_by("-pk").first()
        if latest is not None:
            urls.append(reverse(f"{name}_change", args=[latest.pk]))
        for url in urls:
            response = client.get(url)
            if response.status_code == 403:  # a model kept read-only in the admin
                continue
            assert response.status_code == 200, url
            opened += 1
            if found := english_labels(response.content.decode()):
                english[url] = found
    assert opened > 40
    assert english == {}


@pytest.mark.django_db
def test_a_filings_history_in_the_admin_names_its_statuses_in_chinese(demo_media, settings):  # noqa: F811
    settings.MEDIA_ROOT = demo_media
    change = FilingChange.objects.filter(to_status=FilingStatus.SUBMITTED).first()
    url = reverse("admin:procurement_sharefiling_change", args=[change.filing_id])
    html = chinese_client("admin@demo.cn").get(url).content.decode()
    assert "→待主管部门确认" in html
    assert "→submitted" not in html
