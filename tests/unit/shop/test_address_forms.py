import pytest

from shop.address.forms import UserAddressForm
from shop.order.services import transfer_reference_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = {
    "first_name": "李四",
    "phone_number": "13912345678",
    "state": "湖南省",
    "line4": "湘西土家族苗族自治州",
    "line3": "凤凰县",
    "line1": "沱江镇虹桥路1号",
    "postcode": "416200",
}


@pytest.mark.parametrize("number", ["13912345678", "+86 139 1234 5678", "19812345678"])
def test_mainland_mobile_numbers_are_accepted(number):
    form = UserAddressForm(UserFactory(), data={**ADDRESS, "phone_number": number})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone_number"].country_code == 86


@pytest.mark.parametrize("number", ["12345678901", "0743-3221234", "+85291234567", "1391234567", "电话"])
def test_other_numbers_are_refused_in_chinese_and_nothing_is_saved(number):
    user = UserFactory()
    form = UserAddressForm(user, data={**ADDRESS, "phone_number": number})
    assert not form.is_valid()
    assert form.errors["phone_number"] == ["请输入中国大陆手机号码：以 1 开头的 11 位数字。"]
    assert not user.addresses.exists()


def test_the_address_reads_province_city_county_street_and_is_in_china():
    form = UserAddressForm(UserFactory(), data=ADDRESS)
    assert list(form.fields) == [
        "first_name",
        "phone_number",
        "state",
        "line4",
        "line3",
        "line2",
        "line1",
        "postcode",
        "notes",
    ]
    assert [str(form.fields[n].label) for n in ("state", "line4", "line3", "line1")] == [
        "省份",
        "城市",
        "区县",
        "详细地址",
    ]
    address = form.save()
    assert address.country.iso_3166_1_a2 == "CN"


def test_a_bad_postcode_is_refused():
    form = UserAddressForm(UserFactory(), data={**ADDRESS, "postcode": "4162"})
    assert form.errors["postcode"] == ["邮政编码为 6 位数字。"]


def test_a_transfer_reference_catches_a_mistyped_digit():
    reference = transfer_reference_for("26112300012145")
    assert reference.startswith("XF26112300012145")
    assert transfer_reference_for("26112300012154") != reference
