"""Page slugs in pinyin: 张家界莓茶 → zhang-jia-jie-mei-cha."""

from django.utils.text import slugify
from pypinyin import lazy_pinyin


def pinyin_slug(text):
    return slugify(" ".join(lazy_pinyin(text)))


class PinyinSlugMixin:
    """A page whose slug is left blank, or typed in Chinese, gets the pinyin of its title (or of that slug).

    Once the page has its place in the tree, a slug a sibling already uses gets a number (-2, -3 …).
    """

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
