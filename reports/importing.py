"""Import purchase records from a spreadsheet (.xlsx or .csv): every row checked, all or nothing."""

import csv
import hashlib
import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from organisations.models import Unit
from regions.models import LEVEL_DIGITS, Region
from reports import selectors
from reports.errors import DuplicateImport, NotAllowed
from reports.models import (
    Category,
    Channel,
    HalfMonthReport,
    ImportJob,
    PaymentMethod,
    PurchaseRecord,
    ReportStatus,
    SellerKind,
    Source,
)
from reports.periods import period_of
from spreadsheets import reading
from spreadsheets.writing import CsvWriter, new_workbook, workbook_bytes
from suppliers.evidence import IMPORT_TYPES, verify_upload
from suppliers.models import Partner, SupplierCertification

# (key, header). The order is the template's column order.
COLUMNS = [
    ("purchased_on", gettext_lazy("Purchase date")),
    ("unit", gettext_lazy("Buying unit")),
    ("helper_name", gettext_lazy("Individual helper")),
    ("village", gettext_lazy("Village code")),
    ("seller_kind", gettext_lazy("Seller type")),
    ("seller", gettext_lazy("Seller")),
    ("product_name", gettext_lazy("Product")),
    ("category", gettext_lazy("Category")),
    ("quantity", gettext_lazy("Quantity")),
    ("unit_of_measure", gettext_lazy("Unit of measure")),
    ("unit_price", gettext_lazy("Unit price (yuan)")),
    ("households_benefiting", gettext_lazy("Households benefiting")),
    ("channel", gettext_lazy("Channel")),
    ("payment_method", gettext_lazy("Payment method")),
]
REQUIRED = {"purchased_on", "village", "seller_kind", "seller", "product_name", "category", "quantity"}
REQUIRED |= {"unit_of_measure", "unit_price", "channel"}
EXAMPLE = [
    "2020-03-05",
    "",
    "",
    "430822101201",
    str(SellerKind.HOUSEHOLD.label),
    "向大爷",
    "腊肉",
    str(Category.MEAT.label),
    "12.5",
    "斤",
    "45.80",
    "1",
    str(Channel.VILLAGE.label),
    str(PaymentMethod.MOBILE.label),
]


def template_xlsx():
    book = new_workbook()
    sheet = book.active
    sheet.title = _("Purchase records")
    sheet.append([str(header) for _key, header in COLUMNS])
    sheet.append([str(value) for value in EXAMPLE])
    return workbook_bytes(book)


def template_csv():
    writer = CsvWriter()
    writer.writerow([str(header) for _key, header in COLUMNS])
    writer.writerow(EXAMPLE)
    return writer.text()


def file_digest(data):
    return hashlib.sha256(data).hexdigest()


def read_rows(data, file_name):
    """The rows after the header, as tuples, from .xlsx (streamed, within the size and row limits) or .csv (UTF-8 or
    GB18030)."""
    if file_name.lower().endswith(".xlsx"):
        yield from reading.xlsx_rows(data)
        return
    if file_name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(_("The CSV file is neither UTF-8 nor GB18030 text."))
        rows = csv.reader(io.StringIO(text))
        next(rows, None)
        yield from reading.limited_rows(tuple(row) for row in rows)
        return
    raise ValidationError(_("Only .xlsx and .csv files can be imported."))


def count_rows(data, file_name):
    """Rows under the header; refuses, before any row is parsed, a workbook over the size or row limits."""
    if file_name.lower().endswith(".xlsx"):
        return reading.xlsx_row_count(data)
    rows = max(data.count(b"\n") - 1, 0)
    if rows > settings.IMPORT_MAX_ROWS:
        raise reading.too_many_rows()
    return rows


def _choice_lookup(choices):
    """Accept a choice by its code or its label in any of the site's languages."""
    lookup = {}
    for value, label in choices:
        lookup[str(value).lower()] = value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                lookup[str(label).lower()] = value
    return lookup


DATE_PATTERN = re.compile(r"^\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?\s*$")


def parse_date(value):
    """A date as clerks type it in Excel: 2021-03-05, 2021-3-5, 2021/3/5, 2021.3.5 or 2021年3月5日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE_PATTERN.match(str(value))
    if match is None:
        raise ValueError(value)
    year, month, day = (int(part) for part in match.groups())
    return date(year, month, day)


def parse_amount(value, *, places):
    """A positive decimal with at most `places` decimals, refused rather than rounded, as the form does."""
    number = Decimal(str(value).replace(",", "").strip())
    if not number.is_finite() or number < 0:
        raise InvalidOperation
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise ValueError(places)
    return number


class RowChecker:
    """Turns one spreadsheet row into an unsaved PurchaseRecord, or a list of errors naming row and column.

    A row is held to the same rules as the record form: only the units and paired villages the person may register
    for, only certified suppliers as sellers, no rounding of what was typed, and no period whose report is already
    submitted or approved.
    """

    def __init__(self, *, user, unit=None, village=None):
        self.user = user
        self.default_unit = unit
        self.scope_village = village
        if unit is not None:
            self.units = {unit.name: unit}
            villages = unit.paired_villages.filter(level="village")
        elif village is not None:
            self.units = {u.name: u for u in Unit.objects.all()}
            villages = Region.objects.filter(level="village", code__startswith=village.prefix)
        else:
            self.units = {}
            villages = Region.objects.none()
        self.villages = {}
        for region in villages.only("pk", "code", "name", "level"):
            self.villages[region.code] = region
            self.villages.setdefault(region.name, region)
        certified = SupplierCertification.objects.valid().values("partner")
        self.suppliers = dict(Partner.objects.filter(pk__in=certified).values_list("name", "pk"))
        self.seller_kinds = _choice_lookup(SellerKind.choices)
        self.categories = _choice_lookup(Category.choices)
        self.channels = _choice_lookup(Channel.choices)
        self.payments = _choice_lookup(PaymentMethod.choices)
        self.headers = {key: str(header) for key, header in COLUMNS}
        self.closed_periods = {}

    def error(self, number, key, message):
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": number,
            "column": self.headers.get(key, key),
            "message": message,
        }

    def closed(self, record):
        """Whether a submitted or approved report already holds this record's period (one query per period)."""
        start = period_of(record.purchased_on).start
        if start not in self.closed_periods:
            reports = HalfMonthReport.objects.filter(
                period_start=start, status__in=(ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED, ReportStatus.APPROVED)
            )
            regions = reports.filter(region__isnull=False).values_list("region__code", "region__level")
            self.closed_periods[start] = (
                set(reports.filter(unit__isnull=False).values_list("unit_id", flat=True)),
                [code[: LEVEL_DIGITS[level]] for code, level in regions],
            )
        units, prefixes = self.closed_periods[start]
        return record.unit_id in units or any(record.village.code.startswith(prefix) for prefix in prefixes)

    def check(self, number, row):
        values = {}
        for index, (key, _header) in enumerate(COLUMNS):
            raw = row[index] if index < len(row) else None
            values[key] = raw.strip() if isinstance(raw, str) else raw
        errors = []

        def fail(key, message):
            errors.append(self.error(number, key, message))

        for key in REQUIRED:
            if values[key] in (None, ""):
                fail(key, _("this column must be filled in"))
        fields = {}
        for key, limit in (("helper_name", 64), ("product_name", 128), ("unit_of_measure", 16)):
            text = str(values[key] or "")
            if len(text) > limit:
                fail(key, _("keep it to %(limit)s characters at most") % {"limit": limit})
            fields[key] = text
        purchased_on = values["purchased_on"]
        if purchased_on not in (None, ""):
            try:
                fields["purchased_on"] = parse_date(purchased_on)
            except ValueError:
                fail("purchased_on", _("write the date as 2020-03-05, 2020/3/5 or 2020年3月5日"))
        for key, places in (("quantity", 3), ("unit_price", 2)):
            if values[key] in (None, ""):
                continue
            try:
                fields[key] = parse_amount(values[key], places=places)
                if key == "quantity" and fields[key] == 0:
                    raise InvalidOperation
            except InvalidOperation:
                fail(key, _("“%(value)s” is not a positive number") % {"value": values[key]})
            except ValueError:
                fail(
                    key,
                    _("“%(value)s” has more than %(places)s decimals") % {"value": values[key], "places": places},
                )
        households = values["households_benefiting"]
        try:
            fields["households_benefiting"] = int(households or 0)
            if fields["households_benefiting"] < 0:
                raise ValueError
        except (TypeError, ValueError):
            fail("households_benefiting", _("write a whole number of households"))
        for key, lookup in (
            ("seller_kind", self.seller_kinds),
            ("category", self.categories),
            ("channel", self.channels),
            ("payment_method", self.payments),
        ):
            if values[key] in (None, ""):
                fields[key] = ""
                continue
            value = lookup.get(str(values[key]).lower())
            if value is None:
                fail(key, _("“%(value)s” is not one of the allowed values") % {"value": values[key]})
            fields[key] = value
        village = self.villages.get(str(values["village"] or ""))
        if values["village"] and village is None:
            fail("village", _("“%(value)s” is not a village you may register for") % {"value": values["village"]})
        fields["village"] = village
        unit_name = str(values["unit"] or "")
        unit = self.units.get(unit_name) if unit_name else self.default_unit
        if unit_name and unit is None:
            fail("unit", _("“%(value)s” is not a unit you may register for") % {"value": unit_name})
        if unit is None and not fields["helper_name"]:
            fail("unit", _("name the buying unit or fill in the individual helper"))
        fields["unit"] = unit
        seller = str(values["seller"] or "")
        if len(seller) > 128:
            fail("seller", _("keep it to %(limit)s characters at most") % {"limit": 128})
        if fields.get("seller_kind") == SellerKind.SUPPLIER:
            supplier_id = self.suppliers.get(seller)
            if seller and supplier_id is None:
                fail("seller", _("“%(value)s” is not a certified supplier on the platform") % {"value": seller})
            fields["supplier_id"] = supplier_id
        else:
            fields["seller_name"] = seller
        if errors:
            return None, errors
        record = PurchaseRecord(registered_by=self.user, source=Source.IMPORT, **fields)
        try:
            record.clean()
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                for message in messages:
                    fail(COLUMN_OF_FIELD.get(key, key), message)
            return None, errors
        if self.closed(record):
            fail(
                "purchased_on",
                _("the report for %(period)s is already submitted or approved; no record can be added to it")
                % {"period": period_of(record.purchased_on)},
            )
            return None, errors
        return record, []


# Model fields whose errors are shown under another column of the spreadsheet.
COLUMN_OF_FIELD = {"supplier": "seller", "seller_name": "seller", "__all__": "purchased_on"}


def start_import(*, user, upload, unit=None, village=None):
    """Check the file is new and allowed, and keep it as an import job waiting to run."""
    held = selectors.user_roles(user)
    if unit is not None and not (roles.UNIT in held and user.units.filter(pk=unit.pk).exists()):
        raise NotAllowed(_("You may only import records for your own unit."))
    if village is not None and not (roles.VILLAGE in held and user.region_id == village.pk):
        raise NotAllowed(_("You may only import records for your own village."))
    if unit is None and village is None:
        raise NotAllowed(_("Choose the unit or village the records belong to."))
    if upload.size > settings.REPORT_IMPORT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.REPORT_IMPORT_MAX_BYTES // 2**20}
        )
    name = upload.name or ""
    if not name.lower().endswith((".xlsx", ".csv")):
        raise ValidationError(_("Only .xlsx and .csv files can be imported."))
    file_type = verify_upload(upload, allowed=IMPORT_TYPES, max_bytes=settings.REPORT_IMPORT_MAX_BYTES)
    data = upload.read()
    digest = file_digest(data)
    earlier = ImportJob.objects.filter(sha256=digest).exclude(status=ImportJob.Status.FAILED).first()
    if earlier is not None:
        raise duplicate_of(earlier)
    from django.core.files.base import ContentFile

    job = ImportJob(uploaded_by=user, unit=unit, village=village, file_name=name[:255], sha256=digest)
    job.total_rows = count_rows(data, name)
    job.file.save(f"upload{file_type.extension}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        # The same file, uploaded at the same moment, won the race to the constraint.
        job.file.delete(save=False)
        earlier = ImportJob.objects.filter(sha256=digest).exclude(status=ImportJob.Status.FAILED).first()
        raise duplicate_of(earlier) if earlier else DuplicateImport(_("This file is already being imported."))
    return job


def duplicate_of(earlier):
    if earlier.status == ImportJob.Status.DONE:
        return DuplicateImport(
            _("This file was already imported on %(when)s (%(rows)s records); it is not imported twice.")
            % {"when": f"{timezone.localtime(earlier.created_at):%Y-%m-%d %H:%M}", "rows": earlier.imported_rows}
        )
    return DuplicateImport(
        _("This file is already being imported (import no. %(number)s, uploaded %(when)s); it is not imported twice.")
        % {"number": earlier.pk, "when": f"{timezone.localtime(earlier.created_at):%Y-%m-%d %H:%M}"}
    )


def import_claim(*, job_id):
    """Take a waiting job for this worker; returns it with its attempt number, or None if it is not waiting."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, heartbeat_at=now, attempts=F("attempts") + 1
    )
    return ImportJob.objects.get(pk=job_id) if claimed else None


def run_import(*, job):
    """Check every row, reporting progress on the job; import them all in one transaction, or none.

    A job still waiting is claimed first (tests and the benchmark call this directly; the worker claims through
    `import_claim`). Progress doubles as the heartbeat the stale-import sweep watches.
    """
    if job.status == ImportJob.Status.PENDING:
        job = import_claim(job_id=job.pk) or job
    attempt = job.attempts
    mine = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING, attempts=attempt)
    batch_size = settings.REPORT_IMPORT_BATCH_SIZE
    with job.file.open("rb") as handle:
        data = handle.read()
    checker = RowChecker(user=job.uploaded_by, unit=job.unit, village=job.village)
    records, errors, processed = [], [], 0
    try:
        for number, row in enumerate(read_rows(data, job.file_name), start=2):
            processed += 1
            if not any(cell not in (None, "") for cell in row):
                continue
            record, row_errors = checker.check(number, row)
            if row_errors:
                errors.extend(row_errors)
            elif not errors:
                record.import_job = job
                records.append(record)
            if processed % batch_size == 0:
                mine.update(processed_rows=processed, heartbeat_at=timezone.now())
    except ValidationError as error:
        errors.extend(error.messages)
    if not errors and not records:
        errors.append(_("The file has no rows under its header."))
    job.processed_rows = processed
    job.total_rows = max(job.total_rows, processed)
    with transaction.atomic():
        # The sweep may have given this job up (or to another worker) while this one was slow: then it keeps away.
        if not mine.select_for_update().exists():
            job.refresh_from_db()
            return job
        if errors:
            job.status = ImportJob.Status.FAILED
            job.errors = errors[:500]
            job.save(update_fields=["status", "errors", "processed_rows", "total_rows"])
            return job
        PurchaseRecord.objects.bulk_create(records, batch_size=batch_size)
        job.status = ImportJob.Status.DONE
        job.imported_rows = len(records)
        job.save(update_fields=["status", "imported_rows", "processed_rows", "total_rows"])
    return job


def import_sweep_stale(*, now=None):
    """Jobs whose worker died: a running job with no heartbeat for `REPORT_IMPORT_STALE_SECONDS` is started again
    (nothing of it was saved: the import is one transaction), or after `REPORT_IMPORT_MAX_ATTEMPTS` marked failed with
    the reason. A job waiting that long whose task was lost is enqueued again. Returns (retried, failed)."""
    from reports.tasks import import_run

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.REPORT_IMPORT_STALE_SECONDS)
    stale = ImportJob.objects.filter(status=ImportJob.Status.RUNNING, heartbeat_at__lt=cutoff)
    with translation.override(settings.LANGUAGE_CODE):
        reason = str(
            _(
                "The import stopped because the worker running it ended (a restart or a crash); nothing of it was "
                "saved. Upload the file again."
            )
        )
    failed = stale.filter(attempts__gte=settings.REPORT_IMPORT_MAX_ATTEMPTS).update(
        status=ImportJob.Status.FAILED, errors=[reason]
    )
    retry_ids = list(stale.values_list("pk", flat=True))
    retried = ImportJob.objects.filter(pk__in=retry_ids, status=ImportJob.Status.RUNNING).update(
        status=ImportJob.Status.PENDING, processed_rows=0, heartbeat_at=now
    )
    waiting = ImportJob.objects.filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff),
        status=ImportJob.Status.PENDING,
    ).values_list("pk", flat=True)
    for pk in [*retry_ids, *waiting]:
        import_run.enqueue(job_id=pk)
    return retried, failed
