"""Page slugs in pinyin: 张家界莓茶 → zhang-jia-jie-mei-cha."""

from django.utils.text import slugify
from pypinyin import lazy_pinyin
from wagtail.admin.forms import WagtailAdminPageForm


def pinyin_slug(text):
    return slugify(" ".join(lazy_pinyin(text)))


class PinyinSlugPageForm(WagtailAdminPageForm):
    """The page form with the slug optional: left blank, the page gets the pinyin of its title on saving."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False


class PinyinSlugMixin:
    """A page whose slug is left blank, or typed in Chinese, gets the pinyin of its title (or of that slug).

    Once the page has its place in the tree, a slug a sibling already uses gets a number (-2, -3 …).
    """

    base_form_class = PinyinSlugPageForm

    def full_clean(self, *args, **kwargs):
        if not self.slug or not self.slug.isascii():
            base = pinyin_slug(self.slug or self.title)
            if base:
                self.slug = self.free_slug(base)
        super().full_clean(*args, **kwargs)

    def free_slug(self, base):
        if not self.path:
            return base
        taken = set(
            self.get_siblings().exclude(pk=self.pk).filter(slug__startswith=base).values_list("slug", flat=True)
        )
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        return candidate
