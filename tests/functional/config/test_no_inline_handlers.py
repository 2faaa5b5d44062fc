"""The Content-Security-Policy refuses inline event handlers and javascript: addresses, so no template the site serves
may carry one: ours are written without, and each of Oscar's that has one is replaced where it does."""

import re
from pathlib import Path

import oscar
from django.conf import settings
from django.template.loader import get_template

# An attribute named on… after a space, a quote or a template tag (`{% if popup %}onclick="…"`), or a javascript: URL.
INLINE = re.compile(r"""(?:\s|["'}])on[a-z]+\s*=\s*["']|javascript:""", re.IGNORECASE)
OURS = Path(settings.BASE_DIR) / "templates"
OSCARS = Path(oscar.__file__).parent / "templates"


def test_no_template_of_ours_has_an_inline_handler_or_a_javascript_address():
    found = [str(path.relative_to(OURS)) for path in OURS.rglob("*.html") if INLINE.search(path.read_text())]
    assert found == []


def test_every_oscar_template_with_an_inline_handler_is_replaced_by_ours():
    with_handlers = [
        str(path.relative_to(OSCARS)) for path in OSCARS.rglob("*.html") if INLINE.search(path.read_text())
    ]
    assert "oscar/partials/form.html" in with_handlers  # the search finds what it looks for
    served_from_oscar = [
        name for name in with_handlers if not Path(get_template(name).origin.name).is_relative_to(OURS)
    ]
    assert served_from_oscar == []
