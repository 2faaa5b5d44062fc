from anyascii import anyascii
from django.utils.text import slugify as django_slugify


def slugify(value, allow_unicode=False):
    """Readable ASCII slugs for Chinese names: 桑植白茶 500g -> sang-zhi-bai-cha-500g."""
    spaced = "".join(f" {anyascii(ch)} " if "\u4e00" <= ch <= "\u9fff" else ch for ch in str(value))
    return django_slugify(anyascii(spaced))
