"""The project's zh_Hans catalogue completes the one shipped with django-oscar.

Oscar's own Simplified Chinese catalogue leaves some strings untranslated or
fuzzy; ``locale/zh_Hans/LC_MESSAGES/django.po`` (listed in ``LOCALE_PATHS``,
so it wins over every app catalogue) has to supply all of them.
"""

import re
from collections import Counter
from io import BytesIO
from pathlib import Path

import oscar
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

OSCAR_CATALOGUE = Path(oscar.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.po"
PROJECT_CATALOGUE = Path(__file__).resolve().parents[3] / "locale/zh_Hans/LC_MESSAGES/django.po"

PYTHON_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]+)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])"
)
BRACE_FORMAT = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*|\d*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def _read(path):
    with open(path, "rb") as handle:
        return read_po(handle)


def _singular(message):
    return message.id[0] if isinstance(message.id, (tuple, list)) else message.id


def _translations(message):
    string = message.string
    return [s for s in string] if isinstance(string, (tuple, list)) else [string]


def _is_translated(message):
    return bool(message) and not message.fuzzy and all(_translations(message))


def _key(message):
    return (_singular(message), message.context)


def _needs_translation(message):
    if not message.id:
        return False
    return message.fuzzy or not any(_translations(message))


def _python_placeholders(text):
    named, positional = set(), Counter()
    for match in PYTHON_FORMAT.finditer(text):
        if match.group("conv") == "%":
            continue
        if match.group("name") is not None:
            named.add(match.group(0))
        else:
            positional[match.group(0)] += 1
    return named, positional


def _source_texts(message):
    """The English text(s) whose placeholders the Chinese form must keep.

    Chinese has a single plural form, used for every count, so when the
    singular spells the number out ("Moved up 1 place.") the plural's
    placeholders are the ones that matter.
    """
    if isinstance(message.id, (tuple, list)):
        singular, plural = message.id[0], message.id[1]
        named, positional = _python_placeholders(singular)
        return [singular] if (named or positional) else [plural]
    return [message.id]


@pytest.fixture(scope="module")
def oscar_catalogue():
    return _read(OSCAR_CATALOGUE)


@pytest.fixture(scope="module")
def project_catalogue():
    return _read(PROJECT_CATALOGUE)


@pytest.fixture(scope="module")
def project_messages(project_catalogue):
    return {_key(message): message for message in project_catalogue if message.id}


def test_oscar_still_ships_strings_the_project_has_to_translate(oscar_catalogue):
    assert any(_needs_translation(message) for message in oscar_catalogue)


def test_every_string_oscar_leaves_untranslated_or_fuzzy_is_translated_by_the_project(
    oscar_catalogue, project_messages
):
    missing = [
        _key(message)
        for message in oscar_catalogue
        if _needs_translation(message) and not _is_translated(project_messages.get(_key(message)))
    ]
    assert missing == []


def test_plural_strings_from_oscar_keep_their_plural_form_in_the_project_catalogue(oscar_catalogue, project_messages):
    for message in oscar_catalogue:
        ours = project_messages.get(_key(message))
        if ours is not None:
            assert isinstance(ours.id, (tuple, list)) == isinstance(message.id, (tuple, list)), _key(message)


def test_every_python_format_placeholder_survives_translation(project_catalogue):
    broken = []
    for message in project_catalogue:
        if not message.id or "python-format" not in message.flags:
            continue
        for source in _source_texts(message):
            named, positional = _python_placeholders(source)
            for translation in _translations(message):
                got_named, got_positional = _python_placeholders(translation)
                if not named <= got_named or positional != got_positional:
                    broken.append((_singular(message), translation))
    assert broken == []


def test_every_brace_format_placeholder_survives_translation(project_catalogue):
    broken = []
    for message in project_catalogue:
        if not message.id or "python-brace-format" not in message.flags:
            continue
        expected = set(BRACE_FORMAT.findall(_singular(message)))
        for translation in _translations(message):
            if not expected <= set(BRACE_FORMAT.findall(translation)):
                broken.append((_singular(message), translation))
    assert broken == []


def test_oscars_untranslated_strings_keep_their_python_format_placeholders(oscar_catalogue, project_messages):
    for message in oscar_catalogue:
        if not _needs_translation(message):
            continue
        ours = project_messages[_key(message)]
        named, positional = _python_placeholders(_singular(message))
        for translation in _translations(ours):
            got_named, got_positional = _python_placeholders(translation)
            assert named <= got_named, (_singular(message), translation)
            assert positional == got_positional, (_singular(message), translation)


def test_the_catalogue_uses_the_single_chinese_plural_form(project_catalogue):
    assert project_catalogue.num_plurals == 1
    assert project_catalogue.plural_expr == "0"
    for message in project_catalogue:
        if isinstance(message.id, (tuple, list)):
            assert len(_translations(message)) == 1, _singular(message)


def test_the_catalogue_has_no_fuzzy_or_empty_entries(project_catalogue):
    assert [_key(m) for m in project_catalogue if m.id and not _is_translated(m)] == []


def test_the_catalogue_compiles(project_catalogue):
    buffer = BytesIO()
    write_mo(buffer, project_catalogue)
    assert buffer.getvalue()
