"""The reserved-share pages from each side: the unit files and follows its execution, the office confirms, ranks and
sends its bulletin; everyone else is kept out."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import roles
from organisations.models import Unit
from procurement import bulletins, services
from procurement.models import FilingStatus, ShareFiling
from reports.periods import period_of
from tests.factories import PurchaseRecordFactory, UnitFactory, UserFactory, region

pytestmark = pytest.mark.django_db

FILINGS = reverse("procurement-dashboard:filing-list")
EXECUTION = reverse("procurement-dashboard:execution")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def county():
    region("430800000000", "张家界市")
    return region("430822000000", "桑植县")


@pytest.fixture
def unit(county):
    return UnitFactory(name="桑植县教育局", level=Unit.Level.COUNTY, region=county)


@pytest.fixture
def member(unit):
    user = UserFactory(role=roles.UNIT)
    unit.members.add(user)
    return user


@pytest.fixture
def reviewer(county):
    return UserFactory(role=roles.COUNTY, region=county)


def filing_of(unit, member, budget="800000", percent="12"):
    return services.filing_submit(
        unit=unit,
        year=timezone.localdate().year,
        user=member,
        canteen="own",
        canteen_budget=Decimal(budget),
        share_percent=Decimal(percent),
    )


def test_a_unit_files_its_share_through_the_form_and_reads_it_back(unit, member):
    client = signed_in(member)
    response = client.post(
        FILINGS,
        {"unit": unit.pk, "year": 2026, "canteen": "own", "canteen_budget": "800000", "share_percent": "12"},
    )
    filing = ShareFiling.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/filings/{filing.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "待主管部门确认" in page and "800,000.00" in page


def test_a_share_below_the_minimum_shows_the_reason_in_chinese_and_saves_nothing(unit, member):
    response = signed_in(member).post(
        FILINGS, {"unit": unit.pk, "year": 2026, "canteen": "own", "canteen_budget": "800000", "share_percent": "5"}
    )
    assert response.status_code == 200
    assert "预留份额不得低于食堂食材采购预算的 10%" in response.content.decode()
    assert not ShareFiling.objects.exists()


def test_a_unit_cannot_file_for_or_see_another_units_filing(unit, member, county):
    other = UnitFactory(name="桑植县卫健局", level=Unit.Level.COUNTY, region=county)
    theirs = UserFactory(role=roles.UNIT)
    other.members.add(theirs)
    their_filing = filing_of(other, theirs)
    client = signed_in(member)
    assert client.get(reverse("procurement-dashboard:filing-detail", args=[their_filing.pk])).status_code == 404
    listing = client.get(FILINGS).content.decode()
    assert "桑植县卫健局" not in listing.split('id="filings"')[1].split("</table>")[0]
    response = client.post(
        FILINGS, {"unit": other.pk, "year": 2026, "canteen": "own", "canteen_budget": "1", "share_percent": "50"}
    )
    assert response.status_code == 200
    their_filing.refresh_from_db()
    assert their_filing.canteen_budget == Decimal("800000.00") and ShareFiling.objects.count() == 1


def test_the_county_confirms_and_another_county_is_kept_out(unit, member, reviewer):
    filing = filing_of(unit, member)
    decide = reverse("procurement-dashboard:filing-decide", args=[filing.pk, "confirm"])
    elsewhere = UserFactory(role=roles.COUNTY, region=region("430821000000", "慈利县"))
    assert signed_in(elsewhere).post(decide).status_code == 404
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED
    page = signed_in(reviewer).get(reverse("procurement-dashboard:filing-detail", args=[filing.pk])).content.decode()
    assert 'id="confirm-filing"' in page
    assert signed_in(reviewer).post(decide).status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.CONFIRMED


def test_the_unit_sees_its_execution_on_its_landing_page(unit, member):
    filing_of(unit, member, budget="100000", percent="10")
    PurchaseRecordFactory(unit=unit, quantity=Decimal("1"), unit_price=Decimal("2500.00"), purchased_on=date.today())
    page = signed_in(member).get("/shop/dashboard/").content.decode()
    card = page[page.index('id="todo-unit-share"') :]
    assert "桑植县教育局" in card and "25.0%" in card and "¥2,500.00" in card


def test_the_office_execution_page_ranks_its_units_in_a_bounded_number_of_queries(
    county, reviewer, django_assert_max_num_queries
):
    def add_units(count, start):
        for n in range(start, start + count):
            unit = UnitFactory(name=f"桑植县单位{n:02d}", level=Unit.Level.COUNTY, region=county)
            user = UserFactory(role=roles.UNIT)
            unit.members.add(user)
            filing_of(unit, user, budget="100000", percent="10")
            PurchaseRecordFactory(
                unit=unit, quantity=Decimal("1"), unit_price=Decimal(100 * n + 1), purchased_on=date.today()
            )

    client = signed_in(reviewer)
    add_units(2, 1)
    with django_assert_max_num_queries(22) as few:
        client.get(EXECUTION)
    add_units(8, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(EXECUTION)
    html = response.content.decode()
    table = html[html.index('id="unit-execution"') :]
    assert table.index("桑植县单位10") < table.index("桑植县单位09") < table.index("桑植县单位01")


def test_a_unit_or_a_village_clerk_cannot_open_the_office_pages(member):
    assert signed_in(member).get(EXECUTION).status_code == 403
    clerk = UserFactory(role=roles.VILLAGE, region=region("430822101201", "合群村"))
    assert signed_in(clerk).get(EXECUTION).status_code == 403
    assert signed_in(clerk).get(FILINGS).status_code == 403


def test_the_office_reads_downloads_and_sends_its_bulletin(
    county, unit, member, reviewer, django_capture_on_commit_callbacks
):
    filing_of(unit, member)
    period = period_of(timezone.localdate()).previous()
    bulletin, _created = bulletins.bulletin_generate(office=county, period=period, overdue=[])
    client = signed_in(reviewer)
    page = client.get(reverse("procurement-dashboard:bulletin-detail", args=[bulletin.pk])).content.decode()
    idle = page[page.index('id="bulletin-idle"') :]
    assert "桑植县教育局" in idle[: idle.index("</ul>")]
    download = client.get(reverse("procurement-dashboard:bulletin-download", args=[bulletin.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(download.content)).worksheets[0]
    assert [cell.value for cell in sheet[2]][1] == "桑植县教育局"
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("procurement-dashboard:bulletin-send", args=[bulletin.pk]), {"comment": "请尽快启动采购。"}
        )
    assert sent.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.status == "sent" and bulletin.comment == "请尽快启动采购。"
    assert (
        signed_in(member).get(reverse("procurement-dashboard:bulletin-detail", args=[bulletin.pk])).status_code == 403
    )


def test_the_units_landing_page_takes_the_same_queries_for_one_filing_or_many(
    county, unit, member, django_assert_max_num_queries
):
    filing_of(unit, member)
    client = signed_in(member)
    client.get("/shop/dashboard/")
    with django_assert_max_num_queries(40) as one:
        client.get("/shop/dashboard/")
    for n in range(3):
        other = UnitFactory(name=f"桑植县二级单位{n}", level=Unit.Level.COUNTY, region=county, parent=unit)
        other.members.add(member)
        filing_of(other, member, budget="50000", percent="10")
        PurchaseRecordFactory(unit=other, quantity=Decimal("1"), unit_price=Decimal("10.00"), purchased_on=date.today())
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/shop/dashboard/").content.decode()
    assert page.count('class="list-group-item unit-share"') == 4


def test_a_change_to_the_years_filing_starts_from_what_was_filed(unit, member):
    filing_of(unit, member, budget="800000", percent="12")
    form = signed_in(member).get(FILINGS).context["form"]
    assert (form["canteen_budget"].value(), form["share_percent"].value()) == (Decimal("800000"), Decimal("12"))
    next_year = signed_in(member).get(FILINGS, {"year": timezone.localdate().year + 1}).context["form"]
    assert next_year["share_percent"].value() is None
    assert next_year["year"].value() == timezone.localdate().year + 1


def test_a_unit_in_another_county_is_not_offered_and_cannot_be_named_through_the_form(unit, member):
    neighbour = UnitFactory(name="桑植县财政局", level=Unit.Level.COUNTY, region=region("430822000000"))
    elsewhere = UnitFactory(name="慈利县财政局", level=Unit.Level.COUNTY, region=region("430821000000", "慈利县"))
    client = signed_in(member)
    form = client.get(FILINGS).context["form"]
    assert neighbour in form.fields["shared_with"].queryset
    assert elsewhere not in form.fields["shared_with"].queryset
    assert elsewhere not in form.fields["contractor"].queryset
    response = client.post(
        FILINGS,
        {
            "unit": unit.pk,
            "year": timezone.localdate().year,
            "canteen": "shared",
            "canteen_budget": "800000",
            "share_percent": "12",
            "shared_with": [elsewhere.pk],
        },
    )
    assert response.status_code == 200 and not ShareFiling.objects.exists()
    # The service refuses it too, whatever the form offered.
    with pytest.raises(ValidationError) as refused:
        services.filing_submit(
            unit=unit,
            year=timezone.localdate().year,
            user=member,
            canteen="shared",
            canteen_budget=Decimal("800000"),
            share_percent=Decimal("12"),
            shared_with=[elsewhere],
        )
    assert "不在贵单位的管辖范围内" in " ".join(refused.value.messages)
    assert not ShareFiling.objects.exists()


def test_a_named_unit_sees_an_unconfirmed_claim_and_still_files_its_own_share(unit, member, county, reviewer):
    neighbour = UnitFactory(name="桑植县财政局", level=Unit.Level.COUNTY, region=county)
    their_member = UserFactory(role=roles.UNIT)
    neighbour.members.add(their_member)
    year = timezone.localdate().year
    claim = services.filing_submit(
        unit=unit,
        year=year,
        user=member,
        canteen="shared",
        canteen_budget=Decimal("800000"),
        share_percent=Decimal("12"),
        shared_with=[neighbour],
    )
    client = signed_in(their_member)
    page = client.get(FILINGS).content.decode()
    assert 'id="pending-claims"' in page and "桑植县教育局" in page and "待主管部门确认" in page
    response = client.post(
        FILINGS,
        {"unit": neighbour.pk, "year": year, "canteen": "own", "canteen_budget": "300000", "share_percent": "10"},
    )
    assert response.status_code == 302
    assert ShareFiling.objects.get(unit=neighbour).status == FilingStatus.SUBMITTED
    # The claim's filing itself stays closed to the named unit.
    assert client.get(reverse("procurement-dashboard:filing-detail", args=[claim.pk])).status_code == 404
    # The county, asked to confirm the claim now, is told why it cannot.
    office = signed_in(reviewer)
    page = office.post(
        reverse("procurement-dashboard:filing-decide", args=[claim.pk, "confirm"]), follow=True
    ).content.decode()
    assert "已自行申报" in page
    claim.refresh_from_db()
    assert claim.status == FilingStatus.SUBMITTED
