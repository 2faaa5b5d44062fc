"""The half-month bulletin (通报) of an office on its units' reserved share: generated, shown, downloaded, e-mailed.

A bulletin is generated once per office and period, for the day the period ends: execution by unit and by county,
ranked; units that filed a share and bought nothing; units behind the pro-rata expectation by more than the margin;
units with payments to suppliers overdue. Its contents are stored as generated, so what was sent stays what it said.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from organisations.models import Unit
from procurement import selectors
from procurement.errors import NotAllowed
from procurement.models import Bulletin, BulletinStatus, Canteen, ShareFiling
from regions.models import CITY, COUNTY, Region
from reports.models import ReportingOffice
from reports.periods import period_of
from reports.selectors import office_region, user_roles
from spreadsheets.writing import XLSX_TYPE, new_workbook, workbook_bytes


def overdue_payments(*, units, today):
    """[{"unit_id", "orders", "amount"}] of the units' orders whose payment to the supplier is overdue, from the
    invoicing app's selector when the site has it; without it, none."""
    try:
        from shop.invoicing.selectors import overdue_unit_orders
    except ImportError:
        return []
    totals = {}
    for unit_order in overdue_unit_orders(units=units, today=today):
        entry = totals.setdefault(
            unit_order.unit_id, {"unit_id": unit_order.unit_id, "orders": 0, "amount": Decimal("0")}
        )
        entry["orders"] += 1
        # What the unit owes the suppliers: the accepted amount, as the offices' overdue page sums it.
        entry["amount"] += unit_order.accepted_amount or Decimal("0")
    return list(totals.values())


def _money(value):
    return str(selectors.half_up(value))


def _percent(value):
    return None if value is None else str(value)


def contents_for(*, office, as_of, overdue=None):
    """The bulletin's sections for an office as of a day. `overdue` is the list overdue_payments answers (given
    directly by a caller that has it); None reads it."""
    year = as_of.year
    rows = selectors.office_execution(office=office, year=year, today=as_of)
    margin = settings.PROCUREMENT_BEHIND_MARGIN_POINTS
    elapsed, days = selectors.year_elapsed(year, as_of)
    expected_percent = selectors.half_up(Decimal(elapsed) * 100 / days, selectors.TENTH)
    county_names = dict(
        Region.objects.filter(
            code__in={row.unit.region.code[:6].ljust(12, "0") for row in rows}
            | {row.unit.region.code[:4].ljust(12, "0") for row in rows}
        ).values_list("code", "name")
    )

    def unit_row(row):
        unit = row.unit
        area = unit.region.code[:4] if unit.level == Unit.Level.CITY else unit.region.code[:6]
        return {
            "rank": row.rank,
            "unit_id": unit.pk,
            "unit": unit.name,
            "county": county_names.get(area.ljust(12, "0"), ""),
            "canteen": row.filing.canteen,
            "status": row.filing.status,
            "reserved": _money(row.reserved),
            "spent": _money(row.spent),
            "percent": _percent(row.percent),
            "expected": _money(row.expected),
        }

    units = [unit_row(row) for row in rows]
    idle = [unit_row(row) for row in rows if row.has_share and row.spent == 0]
    behind = [
        unit_row(row)
        for row in rows
        if row.has_share and row.percent is not None and row.percent < expected_percent - margin
    ]
    if overdue is None:
        overdue = overdue_payments(units=[row.unit for row in rows], today=as_of)
    names = {row.unit.pk: row.unit.name for row in rows}
    missing = {entry["unit_id"] for entry in overdue} - set(names)
    if missing:
        names.update(Unit.objects.filter(pk__in=missing).values_list("pk", "name"))
    overdue_rows = sorted(
        (
            {
                "unit_id": entry["unit_id"],
                "unit": names.get(entry["unit_id"], ""),
                "orders": entry["orders"],
                "amount": _money(entry["amount"]),
            }
            for entry in overdue
        ),
        key=lambda entry: -Decimal(entry["amount"]),
    )
    counties = [
        {
            **entry,
            "reserved": _money(entry["reserved"]),
            "spent": _money(entry["spent"]),
            "percent": _percent(entry["percent"]),
        }
        for entry in selectors.county_execution(rows)
    ]
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "expected_percent": str(expected_percent),
        "margin": f"{margin:g}",
        "units": units,
        "counties": counties,
        "idle": idle,
        "behind": behind,
        "overdue": overdue_rows,
    }


def named_unit_ids(contents):
    return {row["unit_id"] for key in ("idle", "behind", "overdue") for row in contents[key]}


@transaction.atomic
def bulletin_generate(*, office, period, overdue=None):
    """The office's bulletin for the period, generated if it is not there yet (never twice)."""
    existing = Bulletin.objects.filter(office=office, period_start=period.start).first()
    if existing is not None:
        return existing, False
    contents = contents_for(office=office, as_of=period.end, overdue=overdue)
    try:
        with transaction.atomic():
            bulletin = Bulletin.objects.create(
                office=office, period_start=period.start, period_end=period.end, contents=contents
            )
    except IntegrityError:
        return Bulletin.objects.get(office=office, period_start=period.start), False
    bulletin.named_units.set(named_unit_ids(contents))
    return bulletin, True


def offices_with_filings(year):
    """The county and city offices under which some unit filed a share for the year."""
    codes = set()
    for code, level in ShareFiling.objects.filter(year=year).values_list("unit__region__code", "unit__level"):
        codes.add(code[:4].ljust(12, "0"))
        if level != Unit.Level.CITY:
            codes.add(code[:6].ljust(12, "0"))
    return Region.objects.filter(code__in=codes, level__in=[COUNTY, CITY]).order_by("code")


def bulletins_generate(*, today=None):
    """Each office's bulletin for the half month that ended last; run on the 1st and 16th (and idempotent)."""
    today = today or timezone.localdate()
    period = period_of(today).previous()
    made = 0
    with translation.override(settings.LANGUAGE_CODE):
        for office in offices_with_filings(period.end.year):
            _bulletin, created = bulletin_generate(office=office, period=period)
            made += created
    return made


def bulletins_visible_to(user):
    region = office_region(user)
    if user.is_superuser:
        return Bulletin.objects.select_related("office")
    if region is None or not user_roles(user) & selectors.OFFICE_ROLES:
        return Bulletin.objects.none()
    return Bulletin.objects.filter(office=region).select_related("office")


def may_send(user, bulletin):
    region = office_region(user)
    return region is not None and region.pk == bulletin.office_id and bool(user_roles(user) & selectors.OFFICE_ROLES)


@transaction.atomic
def bulletin_send(*, bulletin, user, comment=""):
    """The office adds its comment and sends: the mail goes out through the task queue, once."""
    from procurement.tasks import bulletin_email_send

    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if not may_send(user, bulletin):
        raise NotAllowed(_("Only the office whose bulletin it is sends it."))
    if bulletin.status == BulletinStatus.SENT:
        raise NotAllowed(_("This bulletin was sent already."))
    bulletin.comment = comment.strip()
    bulletin.status = BulletinStatus.SENT
    bulletin.sent_at, bulletin.sent_by = timezone.now(), user
    bulletin.save()
    transaction.on_commit(lambda: bulletin_email_send.enqueue(bulletin.pk))
    return bulletin


def recipients(bulletin):
    """(office addresses, addresses of the units named): the office's mailbox and reviewers, each unit's members."""
    User = get_user_model()
    office = set(
        User.objects.filter(region=bulletin.office, is_active=True)
        .filter(Q(groups__name=roles.COUNTY) | Q(groups__name=roles.CITY))
        .exclude(email="")
        .values_list("email", flat=True)
    )
    mailbox = ReportingOffice.objects.filter(region=bulletin.office).values_list("email", flat=True).first()
    if mailbox:
        office.add(mailbox)
    units = set(
        User.objects.filter(units__in=bulletin.named_units.all(), is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(office), sorted(units - office)


def file_name(bulletin):
    return f"bulletin-{bulletin.office.code[:6]}-{bulletin.period_start:%Y%m%d}.xlsx"


def send_email(bulletin):
    """One message to the office, one to the units named, with the bulletin as .xlsx; returns the messages."""
    office, units = recipients(bulletin)
    subject = _("Bulletin on the units' reserved share, %(office)s, %(period)s") % {
        "office": bulletin.office.name,
        "period": bulletin.period,
    }
    body = summary_text(bulletin)
    attachment = (file_name(bulletin), bulletin_xlsx(bulletin), XLSX_TYPE)
    messages = []
    for addresses in (office, units):
        if addresses:
            message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
            message.attach(*attachment)
            messages.append(message)
    if messages:
        get_connection().send_messages(messages)
    return messages


def summary_text(bulletin):
    contents = bulletin.contents
    lines = [
        _("%(office)s, bulletin for %(period)s (as of %(day)s).")
        % {"office": bulletin.office.name, "period": bulletin.period, "day": contents["as_of"]}
    ]
    if bulletin.comment:
        lines += ["", bulletin.comment]
    lines += [
        "",
        _("Share of the budget year gone by: %(percent)s%%.") % {"percent": contents["expected_percent"]},
        _("Units that filed a share and bought nothing: %(names)s")
        % {"names": "、".join(row["unit"] for row in contents["idle"]) or _("none")},
        _("Units more than %(margin)s points behind: %(names)s")
        % {"margin": contents["margin"], "names": "、".join(row["unit"] for row in contents["behind"]) or _("none")},
        _("Units with payments to suppliers overdue: %(names)s")
        % {"names": "、".join(row["unit"] for row in contents["overdue"]) or _("none")},
        "",
        _("The full bulletin is attached."),
    ]
    return "\n".join(lines)


def canteen_label(code):
    return dict(Canteen.choices).get(code, code)


def bulletin_xlsx(bulletin):
    contents = bulletin.contents
    book = new_workbook()
    sheet = book.active
    sheet.title = _("By unit")[:31]
    sheet.append(
        [
            _("Rank"),
            _("Unit"),
            _("County"),
            _("Canteen"),
            _("Reserved share (yuan)"),
            _("Spent (yuan)"),
            _("Execution (%)"),
            _("Expected by then, pro rata (yuan)"),
        ]
    )
    for row in contents["units"]:
        sheet.append(
            [
                row["rank"],
                row["unit"],
                row["county"],
                str(canteen_label(row["canteen"])),
                Decimal(row["reserved"]),
                Decimal(row["spent"]),
                None if row["percent"] is None else Decimal(row["percent"]),
                Decimal(row["expected"]),
            ]
        )
    counties = book.create_sheet(_("By county")[:31])
    counties.append(
        [_("Rank"), _("County"), _("Units"), _("Reserved share (yuan)"), _("Spent (yuan)"), _("Execution (%)")]
    )
    for row in contents["counties"]:
        counties.append(
            [
                row["rank"],
                row["name"],
                row["units"],
                Decimal(row["reserved"]),
                Decimal(row["spent"]),
                None if row["percent"] is None else Decimal(row["percent"]),
            ]
        )
    named = book.create_sheet(_("Units named")[:31])
    named.append(
        [
            _("Reason"),
            _("Unit"),
            _("Reserved share (yuan)"),
            _("Spent (yuan)"),
            _("Execution (%)"),
            _("Overdue orders"),
            _("Overdue amount (yuan)"),
        ]
    )
    for row in contents["idle"]:
        named.append(
            [
                _("Filed a share, bought nothing"),
                row["unit"],
                Decimal(row["reserved"]),
                Decimal(row["spent"]),
                None if row["percent"] is None else Decimal(row["percent"]),
                None,
                None,
            ]
        )
    for row in contents["behind"]:
        named.append(
            [
                _("Behind the pro-rata expectation"),
                row["unit"],
                Decimal(row["reserved"]),
                Decimal(row["spent"]),
                None if row["percent"] is None else Decimal(row["percent"]),
                None,
                None,
            ]
        )
    for row in contents["overdue"]:
        named.append(
            [_("Payments to suppliers overdue"), row["unit"], None, None, None, row["orders"], Decimal(row["amount"])]
        )
    if bulletin.comment:
        named.append([])
        named.append([_("Office's comment"), bulletin.comment])
    return workbook_bytes(book)
