"""HTML stored before the sanitiser existed is cleaned by the migration that brought it in."""

import importlib

import pytest
from django.apps import apps
from oscar.core.loading import get_model

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
migration = importlib.import_module("shop.catalogue.migrations.0034_sanitise_stored_html")


def test_a_description_stored_with_a_script_loses_it_and_keeps_its_text():
    product = ProductFactory()
    # Written as an old row would be: around the model's save, which now cleans.
    Product.objects.filter(pk=product.pk).update(
        description='<p onclick="steal()">好茶<script>alert(1)</script><img src=x onerror="steal()"></p>'
    )
    migration.sanitise(apps, None)
    stored = Product.objects.get(pk=product.pk).description
    assert "script" not in stored and "onclick" not in stored and "onerror" not in stored
    assert "好茶" in stored
