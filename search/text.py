"""Text that the database search backend matches against: the words as written, plus their pinyin.

Chinese is written without spaces, so a substring match on the original text finds any word a buyer types
(猕猴桃 inside 湘西红心猕猴桃). Buyers on a Latin keyboard type pinyin in full (mihoutao) or as initials (mht);
both are stored beside the characters, so one case-insensitive substring test per search word covers all three.
"""

import re

from pypinyin import Style, lazy_pinyin

_HAN = re.compile(r"[\u3400-\u9fff]+")
_SPACE = re.compile(r"\s+")
_SPLIT = re.compile(r"[\s,，。；;、/|]+")


def pinyin_forms(text):
    """Full pinyin and initials of each run of Chinese characters in text: '湘西腊肉' → ['xiangxilarou', 'xxlr']."""
    forms = []
    for run in _HAN.findall(text or ""):
        forms.append("".join(lazy_pinyin(run)))
        forms.append("".join(lazy_pinyin(run, style=Style.FIRST_LETTER)))
    return forms


def searchable_text(*parts):
    """One lower-case line holding each part and the pinyin of its Chinese words."""
    words = []
    for part in parts:
        part = _SPACE.sub(" ", str(part or "")).strip().lower()
        if part:
            words.append(part)
            words.extend(pinyin_forms(part))
    return " ".join(words)


def query_terms(query):
    """The words of a buyer's query, lower-case, each of which must be found."""
    return [term for term in _SPLIT.split((query or "").lower()) if term][:8]
