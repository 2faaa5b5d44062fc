import pytest
from django.core.exceptions import ValidationError

from suppliers.credit_code import is_valid_credit_code, validate_credit_code

# Codes printed on real business licences (public registers).
REAL_CODES = ["91350100M000100Y43", "91110000802100433B", "91430800MA4L1X0R2K"]


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000802100433B"])
def test_real_codes_are_accepted(code):
    assert is_valid_credit_code(code)
    validate_credit_code(code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "18"),
        ("91350100M000100Y44", "校验"),
        ("91350100M000I00Y43", "I"),
        ("91350100m000100Y4O", "O"),
    ],
)
def test_malformed_codes_are_refused_with_a_chinese_message(code, message):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert message in excinfo.value.messages[0]
