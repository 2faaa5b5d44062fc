"""Unified social credit code (统一社会信用代码), GB 32100-2015."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The 31 characters of the standard: digits and capitals without I, O, Z, S, V.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def check_character(first17):
    total = sum(ALPHABET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code):
    return (
        isinstance(code, str)
        and len(code) == 18
        and all(ch in ALPHABET for ch in code)
        and check_character(code[:17]) == code[17]
    )


def validate_credit_code(value):
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)s.") % {"n": len(code)}, code="length"
        )
    bad = [ch for ch in code if ch not in ALPHABET]
    if bad:
        raise ValidationError(
            _("The character “%(ch)s” cannot appear in a unified social credit code.") % {"ch": bad[0]}, code="alphabet"
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(
            _(
                "The check character of this unified social credit code is wrong: please copy it again from the business licence."
            ),
            code="check",
        )
