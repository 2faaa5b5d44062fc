import re

from django.utils.html import escape
from django.utils.safestring import mark_safe


def highlight(title, terms):
    """The title, HTML-escaped, with each query word found in it wrapped in <mark>."""
    words = sorted({t for t in terms if t}, key=len, reverse=True)
    if not words:
        return escape(title)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(title):
        out.append(escape(title[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(title[last:]))
    return mark_safe("".join(out))
