"""Filing the reserved share: the four canteen situations, what counts toward each, the office's confirmation."""

from datetime import date
from decimal import Decimal

import pytest
from oscar.test.factories import OrderFactory, OrderLineFactory

from accounts import roles
from organisations.models import Unit
from procurement import selectors, services
from procurement.errors import FilingRefused, IllegalFilingChange, NotAllowed
from procurement.models import Canteen, FilingStatus, ShareFiling
from shop.order.signals import unit_order_paid
from tests.factories import PurchaseRecordFactory, UnitFactory, UserFactory, certified_product, region

pytestmark = pytest.mark.django_db

YEAR = 2026
DAY = date(2026, 6, 1)


@pytest.fixture
def county():
    return region("430822000000", "桑植县")


@pytest.fixture
def unit(county):
    return UnitFactory(name="桑植县教育局", level=Unit.Level.COUNTY, region=county)


@pytest.fixture
def member(unit):
    user = UserFactory(role=roles.UNIT)
    unit.members.add(user)
    return user


def file(unit, member, **kwargs):
    fields = {"canteen": Canteen.OWN, "canteen_budget": Decimal("800000"), "share_percent": Decimal("12")}
    fields.update(kwargs)
    return services.filing_submit(unit=unit, year=YEAR, user=member, **fields)


def spent(filing):
    (row,) = selectors.execution_of([filing], year=YEAR, today=date(2026, 12, 31))
    return row.spent


def bought(unit, amount, day=DAY, **kwargs):
    return PurchaseRecordFactory(
        unit=unit, quantity=Decimal("1"), unit_price=Decimal(amount), purchased_on=day, **kwargs
    )


def test_a_normal_filing_reserves_its_share_and_counts_the_units_own_purchases_of_the_year(unit, member):
    filing = file(unit, member)
    assert filing.status == FilingStatus.SUBMITTED
    assert filing.reserved_amount == Decimal("96000.00")
    bought(unit, "1200.50")
    bought(unit, "300.25")
    bought(unit, "999.00", day=date(2025, 12, 31))  # another budget year
    bought(UnitFactory(), "5000.00")  # another unit
    superseded = bought(unit, "77.00")
    superseded.superseded = True
    superseded.save()
    assert spent(filing) == Decimal("1500.75")


def test_a_share_below_the_provinces_minimum_is_refused_in_chinese_and_nothing_is_saved(unit, member, settings):
    settings.PROCUREMENT_MINIMUM_SHARE_PERCENT = Decimal("15")
    with pytest.raises(FilingRefused) as refused:
        file(unit, member, share_percent=Decimal("12"))
    assert "15%" in refused.value.user_message and "预留份额" in refused.value.user_message
    assert not ShareFiling.objects.exists()


def test_no_canteen_files_no_budget_and_reserves_nothing(unit, member):
    filing = file(unit, member, canteen=Canteen.NONE, canteen_budget="500000", share_percent="30")
    assert filing.canteen_budget == 0 and filing.reserved_amount == 0
    bought(unit, "100.00")
    (row,) = selectors.execution_of([filing], year=YEAR, today=DAY)
    assert row.spent == Decimal("100.00") and row.percent is None


def neighbour_unit(county, name):
    """A county-level unit answering to the same office as `unit` (桑植县), with one member."""
    neighbour = UnitFactory(name=name, level=Unit.Level.COUNTY, region=county)
    their_member = UserFactory(role=roles.UNIT)
    neighbour.members.add(their_member)
    return neighbour, their_member


def file_own(unit, member):
    return services.filing_submit(
        unit=unit, year=YEAR, user=member, canteen=Canteen.OWN, canteen_budget="1000", share_percent="10"
    )


def test_a_shared_canteen_is_filed_once_and_counts_every_units_purchases_there(unit, member, county):
    (neighbour, their_member), (other, _other_member) = (
        neighbour_unit(county, "桑植县财政局"),
        neighbour_unit(county, "桑植县人社局"),
    )
    filing = file(unit, member, canteen=Canteen.SHARED, shared_with=[neighbour, other])
    bought(unit, "100.00")
    bought(neighbour, "200.00")
    bought(other, "300.00")
    bought(UnitFactory(), "400.00")
    assert spent(filing) == Decimal("600.00")
    # Once the office confirms it, the units it files for do not file again.
    services.filing_confirm(filing=filing, user=UserFactory(role=roles.COUNTY, region=county))
    with pytest.raises(FilingRefused) as refused:
        file_own(neighbour, their_member)
    assert "桑植县教育局" in refused.value.user_message


def test_an_unconfirmed_naming_does_not_block_the_named_units_own_filing(unit, member, county):
    """Changed from the old rule, under which any filing that named a unit, even one the office had not looked at,
    stopped that unit from filing: a unit could so block any other. Now only a confirmed filing covers the unit."""
    neighbour, their_member = neighbour_unit(county, "桑植县财政局")
    claim = file(unit, member, canteen=Canteen.SHARED, shared_with=[neighbour])
    # The named unit sees the pending claim ...
    ((pending, named),) = selectors.pending_claims(units=[neighbour], year=YEAR)
    assert pending == claim and named == [neighbour]
    # ... and files its own share all the same.
    own = file_own(neighbour, their_member)
    assert own.status == FilingStatus.SUBMITTED
    # Its purchases count toward its own filing only, not twice.
    bought(neighbour, "200.00")
    bought(unit, "100.00")
    assert spent(own) == Decimal("200.00") and spent(claim) == Decimal("100.00")
    # The office cannot confirm the claim while it names a unit that files for itself.
    reviewer = UserFactory(role=roles.COUNTY, region=county)
    with pytest.raises(FilingRefused) as refused:
        services.filing_confirm(filing=claim, user=reviewer)
    assert "桑植县财政局" in refused.value.user_message and "自行申报" in refused.value.user_message
    claim.refresh_from_db()
    assert claim.status == FilingStatus.SUBMITTED
    services.filing_confirm(filing=own, user=reviewer)


def test_a_unit_already_in_a_confirmed_filing_cannot_be_confirmed_into_a_second(unit, member, county):
    neighbour, _their_member = neighbour_unit(county, "桑植县财政局")
    rival, rival_member = neighbour_unit(county, "桑植县人社局")
    first = file(unit, member, canteen=Canteen.SHARED, shared_with=[neighbour])
    second = file(rival, rival_member, canteen=Canteen.CONTRACTOR, contractor=neighbour)
    reviewer = UserFactory(role=roles.COUNTY, region=county)
    services.filing_confirm(filing=first, user=reviewer)
    with pytest.raises(FilingRefused) as refused:
        services.filing_confirm(filing=second, user=reviewer)
    assert "桑植县教育局" in refused.value.user_message
    second.refresh_from_db()
    assert second.status == FilingStatus.SUBMITTED


def test_a_unit_in_another_county_cannot_be_named(unit, member):
    elsewhere = UnitFactory(name="慈利县财政局", level=Unit.Level.COUNTY, region=region("430821000000", "慈利县"))
    city_level = UnitFactory(name="张家界市财政局", level=Unit.Level.CITY, region=region("430800000000", "张家界市"))
    for named in (elsewhere, city_level):
        with pytest.raises(FilingRefused) as refused:
            file(unit, member, canteen=Canteen.SHARED, shared_with=[named])
        assert named.name in refused.value.user_message and "管辖" in refused.value.user_message
        with pytest.raises(FilingRefused):
            file(unit, member, canteen=Canteen.CONTRACTOR, contractor=named)
    assert not ShareFiling.objects.filter(unit=unit).exists()
    assert selectors.covering_filing(unit=elsewhere, year=YEAR) is None
    assert selectors.pending_claims(units=[elsewhere], year=YEAR) == []


def test_a_shared_canteen_without_the_other_units_is_refused(unit, member):
    with pytest.raises(FilingRefused) as refused:
        file(unit, member, canteen=Canteen.SHARED, shared_with=[])
    assert "其他单位" in refused.value.user_message


def test_a_contractor_run_canteen_counts_the_contractors_purchases(unit, member, county):
    contractor = UnitFactory(
        name="湘味餐饮管理有限公司", kind=Unit.Kind.PRIVATE_ENTERPRISE, level=Unit.Level.COUNTY, region=county
    )
    filing = file(unit, member, canteen=Canteen.CONTRACTOR, contractor=contractor)
    bought(unit, "50.00")
    bought(contractor, "950.00")
    assert spent(filing) == Decimal("1000.00")
    with pytest.raises(FilingRefused):
        file(unit, member, canteen=Canteen.CONTRACTOR, contractor=None)


def test_sub_units_count_toward_the_parent_when_so_set_and_the_trade_union_always(unit, member):
    counting = UnitFactory(name="桑植县第一中学", parent=unit)
    separate = UnitFactory(name="桑植县第二中学", parent=unit, counts_toward_parent=False)
    union = UnitFactory(name="桑植县教育局工会", parent=unit, kind=Unit.Kind.TRADE_UNION, counts_toward_parent=False)
    filing = file(unit, member)
    bought(unit, "10.00")
    bought(counting, "20.00")
    bought(separate, "40.00")
    bought(union, "80.00")
    assert spent(filing) == Decimal("110.00")


def test_a_paid_unit_order_counts_once_through_its_records(unit, member):
    filing = file(unit, member)
    order = OrderFactory(unit=unit)
    product = certified_product(price="60.00")
    stockrecord = product.stockrecords.first()
    OrderLineFactory(
        order=order,
        product=product,
        stockrecord=stockrecord,
        partner=stockrecord.partner,
        quantity=3,
        unit_price_incl_tax=Decimal("60.00"),
        line_price_incl_tax=Decimal("180.00"),
    )
    unit_order_paid.send(sender=type(order), order=order)
    (row,) = selectors.execution_of([filing], year=date.today().year, today=date.today())
    if filing.year == date.today().year:
        assert row.spent == Decimal("180.00")
    records = selectors.spent_per_unit(unit_ids={unit.pk}, year=date.today().year)
    assert records[unit.pk] == Decimal("180.00")


def test_a_staff_purchase_registered_under_the_unit_counts(unit, member):
    filing = file(unit, member)
    staff = UserFactory()
    unit.members.add(staff)
    bought(unit, "66.60", registered_by=staff)
    assert spent(filing) == Decimal("66.60")


def test_only_the_units_members_file(unit):
    outsider = UserFactory(role=roles.UNIT)
    UnitFactory().members.add(outsider)
    with pytest.raises(NotAllowed):
        file(unit, outsider)
    assert not ShareFiling.objects.exists()


def test_the_county_confirms_and_a_change_goes_back_to_it_with_every_step_logged(unit, member, county):
    reviewer = UserFactory(role=roles.COUNTY, region=county)
    filing = file(unit, member)
    services.filing_confirm(filing=filing, user=reviewer)
    filing.refresh_from_db()
    assert filing.status == FilingStatus.CONFIRMED and filing.confirmed_by == reviewer
    file(unit, member, share_percent=Decimal("20"))
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED and filing.confirmed_by is None
    services.filing_return(filing=filing, user=reviewer, reason="请附预算批复")
    steps = list(filing.changes.values_list("from_status", "to_status", "reason"))
    assert steps == [
        ("", "submitted", "申报"),
        ("submitted", "confirmed", "已确认"),
        ("confirmed", "submitted", "修改"),
        ("submitted", "returned", "请附预算批复"),
    ]
    assert [change.figures["share_percent"] for change in filing.changes.all()] == ["12.00", "12.00", "20.00", "20.00"]
    with pytest.raises(IllegalFilingChange):
        services.filing_confirm(filing=filing, user=reviewer)


def test_a_county_cannot_confirm_a_filing_in_another_county(unit, member):
    elsewhere = UserFactory(role=roles.COUNTY, region=region("430821000000", "慈利县"))
    filing = file(unit, member)
    with pytest.raises(NotAllowed):
        services.filing_confirm(filing=filing, user=elsewhere)
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED and filing.changes.count() == 1


def test_a_city_level_units_filing_is_confirmed_by_the_city_not_a_county():
    city = region("430800000000", "张家界市")
    unit = UnitFactory(name="张家界市财政局", level=Unit.Level.CITY, region=city)
    member = UserFactory(role=roles.UNIT)
    unit.members.add(member)
    filing = file(unit, member)
    with pytest.raises(NotAllowed):
        services.filing_confirm(filing=filing, user=UserFactory(role=roles.COUNTY, region=region("430822000000")))
    services.filing_confirm(filing=filing, user=UserFactory(role=roles.CITY, region=city))
    filing.refresh_from_db()
    assert filing.status == FilingStatus.CONFIRMED


def test_a_unit_that_filed_its_own_share_cannot_be_named_in_a_shared_canteen(unit, member, county):
    neighbour, their_member = neighbour_unit(county, "桑植县财政局")
    file_own(neighbour, their_member)
    with pytest.raises(FilingRefused) as refused:
        file(unit, member, canteen=Canteen.SHARED, shared_with=[neighbour])
    assert "桑植县财政局" in refused.value.user_message and "已自行申报" in refused.value.user_message
    assert not ShareFiling.objects.filter(unit=unit).exists()
