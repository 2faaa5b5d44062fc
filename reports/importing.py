"""Import purchase records from a spreadsheet (.xlsx or .csv): every row checked, all or nothing."""

import csv
import hashlib
import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from regions.models import Region
from reports import selectors
from reports.errors import DuplicateImport, NotAllowed
from reports.models import (
    Category,
    Channel,
    ImportJob,
    PaymentMethod,
    PurchaseRecord,
    SellerKind,
    Source,
    Unit,
)
from spreadsheets import reading
from spreadsheets.writing import CsvWriter, new_workbook, workbook_bytes
from suppliers.models import Partner

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


class RowChecker:
    """Turns one spreadsheet row into an unsaved PurchaseRecord, or a list of errors naming row and column."""

    def __init__(self, *, user, unit=None, village=None):
        self.user = user
        self.default_unit = unit
        self.scope_village = village
        if unit is not None:
            self.units = {unit.name: unit}
        elif village is not None:
            self.units = {u.name: u for u in Unit.objects.all()}
        else:
            self.units = {}
        villages = Region.objects.filter(level="village")
        if village is not None:
            villages = villages.filter(code__startswith=village.prefix)
        self.villages = {}
        for region in villages.only("pk", "code", "name", "level"):
            self.villages[region.code] = region
            self.villages.setdefault(region.name, region)
        self.suppliers = dict(Partner.objects.values_list("name", "pk"))
        self.seller_kinds = _choice_lookup(SellerKind.choices)
        self.categories = _choice_lookup(Category.choices)
        self.channels = _choice_lookup(Channel.choices)
        self.payments = _choice_lookup(PaymentMethod.choices)
        self.headers = {key: str(header) for key, header in COLUMNS}

    def error(self, number, key, message):
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": number,
            "column": self.headers[key],
            "message": message,
        }

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
        fields = {
            "helper_name": str(values["helper_name"] or "")[:64],
            "product_name": str(values["product_name"] or ""),
        }
        purchased_on = values["purchased_on"]
        if isinstance(purchased_on, datetime):
            fields["purchased_on"] = purchased_on.date()
        elif isinstance(purchased_on, date):
            fields["purchased_on"] = purchased_on
        elif purchased_on:
            try:
                fields["purchased_on"] = date.fromisoformat(str(purchased_on).replace("/", "-"))
            except ValueError:
                fail("purchased_on", _("write the date as 2020-03-05"))
        for key, places in (("quantity", "0.001"), ("unit_price", "0.01")):
            if values[key] in (None, ""):
                continue
            try:
                number_value = Decimal(str(values[key]))
                if not number_value.is_finite() or number_value < 0 or (key == "quantity" and number_value == 0):
                    raise InvalidOperation
                fields[key] = number_value.quantize(Decimal(places))
            except InvalidOperation:
                fail(key, _("“%(value)s” is not a positive number") % {"value": values[key]})
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
        if fields.get("seller_kind") == SellerKind.SUPPLIER:
            supplier_id = self.suppliers.get(seller)
            if seller and supplier_id is None:
                fail("seller", _("“%(value)s” is not a certified supplier on the platform") % {"value": seller})
            fields["supplier_id"] = supplier_id
        else:
            fields["seller_name"] = seller[:128]
        if len(fields["product_name"]) > 128:
            fail("product_name", _("keep it under 128 characters"))
        if errors:
            return None, errors
        record = PurchaseRecord(registered_by=self.user, source=Source.IMPORT, **fields)
        record.amount = record.compute_amount()
        return record, []


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
    data = upload.read()
    digest = file_digest(data)
    earlier = ImportJob.objects.filter(sha256=digest, status=ImportJob.Status.DONE).first()
    if earlier is not None:
        raise DuplicateImport(
            _("This file was already imported on %(when)s (%(rows)s records); it is not imported twice.")
            % {"when": f"{earlier.created_at:%Y-%m-%d %H:%M}", "rows": earlier.imported_rows}
        )
    from django.core.files.base import ContentFile

    job = ImportJob(uploaded_by=user, unit=unit, village=village, file_name=name[:255], sha256=digest)
    job.total_rows = count_rows(data, name)
    job.file.save(f"{digest[:16]}-{name[-40:]}", ContentFile(data), save=False)
    job.save()
    return job


def run_import(*, job):
    """Check every row, reporting progress on the job; import them all in one transaction, or none."""
    batch_size = settings.REPORT_IMPORT_BATCH_SIZE
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
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
                ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed)
    except ValidationError as error:
        errors.extend(error.messages)
    if not errors and not records:
        errors.append(_("The file has no rows under its header."))
    job.processed_rows = processed
    job.total_rows = max(job.total_rows, processed)
    if errors:
        job.status = ImportJob.Status.FAILED
        job.errors = errors[:500]
        job.save(update_fields=["status", "errors", "processed_rows", "total_rows"])
        return job
    with transaction.atomic():
        if ImportJob.objects.select_for_update().filter(sha256=job.sha256, status=ImportJob.Status.DONE).exists():
            raise DuplicateImport(_("This file was already imported; it is not imported twice."))
        PurchaseRecord.objects.bulk_create(records, batch_size=batch_size)
        job.status = ImportJob.Status.DONE
        job.imported_rows = len(records)
        job.save(update_fields=["status", "imported_rows", "processed_rows", "total_rows"])
    return job
