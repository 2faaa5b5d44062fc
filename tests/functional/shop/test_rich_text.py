import pytest
from oscar.core.loading import get_model

from tests.factories import CategoryFactory, certified_product

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")

HOSTILE = (
    "<p>明前采摘，<strong>一芽一叶</strong></p>"
    "<ul><li>产地：桑植县</li><li>净含量：250克</li></ul>"
    '<script>alert("stolen")</script>'
    '<img src="/media/tea.jpg" onerror="steal(document.cookie)">'
    '<a href="javascript:steal()">查看证书</a>'
    '<p onmouseover="steal()" style="background:url(javascript:steal())">冲泡</p>'
)


def product_page(client, product):
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_description_keeps_its_paragraphs_bold_and_lists_on_the_product_page(client):
    product = certified_product(title="桑植白茶 明前特级", description=HOSTILE)
    html = product_page(client, product)
    assert "<p>明前采摘，<strong>一芽一叶</strong></p>" in html
    assert "<ul><li>产地：桑植县</li><li>净含量：250克</li></ul>" in html
    assert "查看证书" in html and "冲泡" in html


def test_scripts_event_handlers_and_script_links_in_a_description_never_reach_the_product_page(client):
    product = certified_product(title="桑植白茶 明前特级", description=HOSTILE)
    html = product_page(client, product)
    assert 'alert("stolen")' not in html
    assert "onerror" not in html and "onmouseover" not in html
    assert "javascript:" not in html
    assert "steal(" not in html


def test_a_description_is_stored_sanitised_whoever_saves_it():
    product = certified_product(description=HOSTILE)
    product.refresh_from_db()
    assert "<script" not in product.description and "javascript:" not in product.description
    assert "onerror" not in product.description
    assert "<strong>一芽一叶</strong>" in product.description


def test_a_description_written_behind_the_models_back_is_still_cleaned_on_the_page(client):
    product = certified_product(description="<p>好茶</p>")
    Product.objects.filter(pk=product.pk).update(description=HOSTILE)
    html = product_page(client, product)
    assert "<p>明前采摘，<strong>一芽一叶</strong></p>" in html
    assert 'alert("stolen")' not in html and "javascript:" not in html and "onerror" not in html


def test_category_descriptions_are_stored_sanitised():
    category = CategoryFactory("茶叶饮品")
    category.description = '<p>高山云雾</p><img src="x" onerror="steal()">'
    category.save()
    category.refresh_from_db()
    assert category.description == '<p>高山云雾</p><img src="x">'
