"""Text that the database search backend matches against: the words as written, plus their pinyin.

Chinese is written without spaces, so a substring match on the original text finds any word a buyer types
(猕猴桃 inside 湘西红心猕猴桃). Buyers on a Latin keyboard type pinyin in full (mihoutao) or as initials (mht);
both are stored beside the characters, so one case-insensitive substring test per search word covers all three.
"""

import re

from pypinyin import Style, lazy_pinyin

_HAN = re.compile(r"[\u3400-\u9fff]+")
_PIECE = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+")
# Longest token kept, in characters: a query word longer than this matches on its first characters.
MAX_HAN, MAX_LATIN = 8, 24
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


def index_tokens(text):
    """Every suffix of each Chinese run, and of its pinyin from each syllable on, as space-separated tokens.

    A word found anywhere inside a run is then the beginning of one of these tokens, which PostgreSQL's full-text
    index answers as a prefix query ("猕猴:*" finds 湘西猕猴桃 through its suffix 猕猴桃) without reading every row.
    """
    tokens = set()
    for piece in _PIECE.findall((text or "").lower()):
        if _HAN.fullmatch(piece):
            syllables = lazy_pinyin(piece)
            initials = [syllable[0] for syllable in syllables if syllable]
            for i in range(len(piece)):
                tokens.add(piece[i : i + MAX_HAN])
            for i in range(len(syllables)):
                tokens.add("".join(syllables[i:])[:MAX_LATIN])
            for i in range(len(initials)):
                tokens.add("".join(initials[i:])[:MAX_LATIN])
        else:
            tokens.add(piece[:MAX_LATIN])
    return " ".join(sorted(tokens))


def query_prefixes(term):
    """The pieces of one query word as index-token prefixes (Chinese and Latin runs apart)."""
    return [piece[:MAX_HAN] if _HAN.fullmatch(piece) else piece[:MAX_LATIN] for piece in _PIECE.findall(term.lower())]
