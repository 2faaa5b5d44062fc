"""No text a person typed reaches another person's page as markup.

The demo data is loaded, then every free-text field that people fill in (names, titles, descriptions, notes, reasons,
comments, addresses, sellers, carriers) of every model is prefixed with a probe that would become an element or an
event handler if printed unescaped. Each demo role then signs in and follows the links it is shown, as the Chinese
crawl does, and every HTML page it opens must show the probe only as text. New models and new pages are covered by
themselves: the fields are found by their names, the pages by following links.
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from tests.functional.i18n.test_chinese_crawl import (
    BACK_OFFICE,
    BACK_OFFICE_START,
    DEMO_ROLES,
    PUBLIC_START,
    chinese_client,
    crawl,
    demo_media,  # noqa: F401 (the module-scoped demo data fixture)
)

PROBE = "<i data-probe=1>\"' onfocus=probe//"


class ProbeFinder(HTMLParser):
    """Where the probe became markup: an element carrying data-probe, or an onfocus handler it broke out into."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "data-probe" or (name == "onfocus" and (value or "").startswith("probe")):
                self.found.append(self.get_starttag_text())


def markup_from_probe(html):
    finder = ProbeFinder()
    finder.feed(html)
    return finder.found


# Free text people write, by field name. Codes, numbers, slugs, e-mail addresses, file paths and stored choices are
# left alone: the site reads them and they are validated on the way in.
TEXT_FIELD = re.compile(
    r"^(name|title|short_title|description|note|notes|comment|comments|reason|message|text|body|summary|"
    r"first_name|last_name|line[1-4]|seller_name|legal_name|contact_name|contact|carrier|address|"
    r"submission_note|return_reason|answer|remark|remarks|product_name|specification|origin|search_description|"
    r"draft_title|seo_title|legal_representative|village_name|decision|objection|reply)$"
    # and any field named for what it holds as someone's words: supplier_answer, return_comment, review_note ...
    r"|_(name|title|note|notes|reason|comment|answer|description|remark|text)$"
)
# Named like words but read by the site as code.
NOT_WORDS = {"template_name"}
SKIPPED_APPS = {"auth", "contenttypes", "sessions", "admin", "axes", "django_tasks_database", "django_tasks_db"}


def poisoned_fields():
    for model in apps.get_models():
        if (
            model._meta.app_label in SKIPPED_APPS
            or model._meta.proxy
            or not model._meta.managed
            or not hasattr(model, "objects")
        ):
            continue
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.CharField | models.TextField)
                and not isinstance(field, models.EmailField | models.URLField | models.SlugField)
                and not field.choices
                and TEXT_FIELD.search(field.name)
                and field.name not in NOT_WORDS
                and (field.max_length is None or field.max_length >= 40)
            ):
                yield model, field


def poison_every_text_field():
    for model, field in poisoned_fields():
        value = Concat(Value(PROBE), F(field.name), output_field=field)
        if field.max_length:
            value = Substr(value, 1, field.max_length, output_field=field)
        model.objects.exclude(**{field.name: ""}).update(**{field.name: value})


@pytest.fixture(scope="module")
def poisoned(demo_media, django_db_blocker):  # noqa: F811
    with django_db_blocker.unblock():
        poison_every_text_field()
    return demo_media


def unescaped_probes(client, starts, within):
    found = {}

    def check(url, response):
        tags = markup_from_probe(response.content.decode(errors="replace"))
        if tags:
            found[url] = tags[:3]

    problems, opened = crawl(client, starts, within=within, inspect=check)
    return found, problems, opened


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", *DEMO_ROLES])
def test_text_people_typed_is_never_markup_on_any_page_a_role_reaches(poisoned, settings, role):
    settings.MEDIA_ROOT = poisoned
    client = chinese_client(None if role == "anonymous" else f"{role}@demo.cn")
    if role in ("anonymous", "buyer"):
        found, problems, opened = unescaped_probes(client, PUBLIC_START, within=("/",))
    else:
        found, problems, opened = unescaped_probes(client, BACK_OFFICE_START, within=BACK_OFFICE)
    assert opened > 5
    errors = {url: what for url, what in problems.items() if any("answered 5" in item for item in what)}
    assert not errors, f"{role}: pages failed with poisoned data: {errors}"
    assert not found, f"{role}: typed text printed as markup:\n" + "\n".join(f"{u}: {s!r}" for u, s in found.items())


@pytest.mark.django_db
def test_the_probe_is_written_into_the_fields_people_fill_in(poisoned):
    from shop.catalogue.models import Product
    from suppliers.models import Partner

    assert Product.objects.filter(title__startswith="<i data-probe").exists()
    assert Partner.objects.filter(name__startswith="<i data-probe").exists()
    assert markup_from_probe('<p><i data-probe=1>"</p>') == ["<i data-probe=1>"]
    assert markup_from_probe('<input value="x" onfocus=probe//">') == ['<input value="x" onfocus=probe//">']
    # Escaped, or sanitised to plain text (a quote in text breaks nothing), or inside JSON in a script: no markup.
    assert not markup_from_probe("<p>&lt;i data-probe=1&gt;&quot; onfocus=probe</p>")
    assert not markup_from_probe("<div><i>\"' onfocus=probe//</i></div>")
    assert not markup_from_probe('<script>{"t": "\\u003Ci data-probe=1\\u003E"}</script>')
