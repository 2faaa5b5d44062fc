"""Import purchase records from a spreadsheet (.xlsx or .csv): every row checked, all or nothing."""

import csv
import hashlib
import io
from collections import namedtuple
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from accounts import roles
from operations.services import task_results_fail_running
from organisations.models import Unit
from regions.models import Region
from reports import selectors, services
from reports.errors import DuplicateImport, NotAllowed
from reports.models import (
    Category,
    Channel,
    ImportJob,
    PaymentMethod,
    PurchaseRecord,
    SellerKind,
    Source,
    UnitOfMeasure,
)
from reports.periods import period_of
from spreadsheets import reading
from spreadsheets.writing import CsvWriter, new_workbook, workbook_bytes
from suppliers.evidence import IMPORT_TYPES, verify_upload
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
    "430822101202",
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
    """Every row of the first sheet, header and any title rows above it included, as tuples: from .xlsx (streamed,
    within the size and row limits) or .csv (UTF-8 or GB18030)."""
    if file_name.lower().endswith(".xlsx"):
        yield from reading.xlsx_rows(data, with_header=True)
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
        yield from reading.limited_rows(tuple(row) for row in csv.reader(io.StringIO(text)))
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


# --- the header -----------------------------------------------------------------------------------

# Headers found in the spreadsheets clerks already keep, beside the template's own (in every site language).
HEADER_ALIASES = {
    "purchased_on": ["日期", "采购日期", "购买日期", "采购时间", "购买时间", "交易日期", "date"],
    "unit": ["采购单位", "购买单位", "后盾单位", "帮扶单位", "单位名称", "unit"],
    "helper_name": ["帮扶人", "帮扶责任人", "个人", "购买人", "helper"],
    "village": ["村", "村名", "村庄", "行政村", "所在村", "村代码", "村编码", "village"],
    "seller_kind": ["销售方类型", "卖方类型", "销售主体类型"],
    "seller": ["销售方", "卖方", "销售主体", "供应商", "农户", "售卖人", "销售单位"],
    "product_name": ["产品", "产品名称", "商品", "商品名称", "品名", "名称"],
    "category": ["类别", "品类", "产品类别", "分类", "产品分类"],
    "quantity": ["数量", "采购数量", "购买数量"],
    "unit_of_measure": ["计量单位", "数量单位", "规格单位"],
    "unit_price": ["单价", "单价(元)", "价格", "价格(元)", "采购单价"],
    "amount": ["金额", "金额(元)", "采购金额", "采购金额(元)", "合计", "合计(元)", "总价", "总金额", "amount"],
    "households_benefiting": ["受益户数", "带动户数", "受益农户", "受益农户数", "受益贫困户数"],
    "channel": ["渠道", "采购渠道", "购买渠道", "采购方式", "购买方式"],
    "payment_method": ["支付方式", "付款方式", "结算方式"],
}
# Columns that only number the rows: read past, never imported.
IGNORED_HEADERS = {"序号", "编号", "行号", "no", "no.", "#"}
# The header row is looked for among the first rows, under any title rows.
HEADER_SEARCH_ROWS = 10
# The amount is computed, never typed; a column of it is only compared with quantity × unit price.
OPTIONAL_KEYS = {"amount"}

_FULL_WIDTH = str.maketrans({"（": "(", "）": ")", "＊": "*", "：": ":"})


def header_text(cell):
    """A header cell as it is compared: spaces, full-width brackets, required-marks and case aside."""
    text = "".join(str(cell if cell is not None else "").split()).translate(_FULL_WIDTH).lower()
    return text.strip("*:")


def header_keys():
    keys = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for key, header in COLUMNS:
                keys.setdefault(header_text(header), key)
    for key, aliases in HEADER_ALIASES.items():
        for alias in aliases:
            keys.setdefault(header_text(alias), key)
    return keys


class Layout:
    """Where each column is: the header row's number, the column index of each key, and the header as written."""

    def __init__(self, *, number, columns, written, ignored):
        self.number = number
        self.columns = columns
        self.written = written
        self.read = set(columns.values()) | ignored

    @classmethod
    def template(cls):
        """The template's own columns, in its order."""
        return cls(number=1, columns={key: index for index, (key, _h) in enumerate(COLUMNS)}, written={}, ignored=set())

    def values(self, row):
        return {key: (row[index] if index < len(row) else None) for key, index in self.columns.items()}

    def stray_cells(self, row):
        """Letters of the columns with content under no header."""
        return [
            column_name(index)
            for index, cell in enumerate(row)
            if index not in self.read and cell is not None and str(cell).strip()
        ]


def column_name(index):
    """A spreadsheet column's letters: 0 → A, 27 → AB."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name


def locate_header(rows):
    """Read the first rows up to the header; returns (Layout, errors). The header is the first row in which at least
    two cells name known columns; every unknown or repeated column and every missing required one is an error."""
    known = header_keys()
    for number, row in rows:
        recognised = [known.get(header_text(cell)) for cell in row]
        if sum(1 for key in recognised if key) < 2:
            if number >= HEADER_SEARCH_ROWS:
                break
            continue
        columns, written, ignored, errors = {}, {}, set(), []
        for index, (cell, key) in enumerate(zip(row, recognised, strict=True)):
            text = str(cell).strip() if cell is not None else ""
            if not text:
                continue
            if header_text(cell) in IGNORED_HEADERS:
                ignored.add(index)
                continue
            if key is None:
                errors.append(
                    _("Column %(column)s, “%(header)s”, is not a column of the template; rename or remove it.")
                    % {"column": column_name(index), "header": text}
                )
            elif key in columns:
                errors.append(
                    _("Columns %(first)s and %(second)s both hold “%(header)s”; keep one.")
                    % {"first": column_name(columns[key]), "second": column_name(index), "header": text}
                )
            else:
                columns[key] = index
                written[key] = text
        headers = dict(COLUMNS)
        for key, _header in COLUMNS:
            if key in REQUIRED and key not in columns:
                errors.append(
                    _("The column “%(header)s” is missing from the header (row %(row)s).")
                    % {"header": headers[key], "row": number}
                )
        return Layout(number=number, columns=columns, written=written, ignored=ignored), errors
    return None, [
        _(
            "No header row was found in the first %(rows)s rows: the header names the columns, as the template does "
            "(“%(date)s”, “%(quantity)s”, …)."
        )
        % {"rows": HEADER_SEARCH_ROWS, "date": dict(COLUMNS)["purchased_on"], "quantity": dict(COLUMNS)["quantity"]}
    ]


# --- the rows -------------------------------------------------------------------------------------


def cell_text(value):
    """A cell as the form would receive it: text stripped, numbers as written (a float cell without float noise)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value)


def number_text(value):
    """A number cell or text; thousands separators in text are spreadsheet formatting, not part of the number."""
    text = cell_text(value)
    return text.replace(",", "").replace("，", "") if isinstance(value, str) else text


def with_value(value, message):
    """The field's message after the value it refuses (a long value shown by its start only)."""
    text = str(value) if value not in (None, "") else ""
    if not text or text in message:
        return message
    shown = text if len(text) <= 40 else f"{text[:40]}…"
    return _("“%(value)s”: %(message)s") % {"value": shown, "message": message}


# Cells passed to the form's field of the same name.
FIELD_KEYS = ["helper_name", "product_name", "quantity", "unit_of_measure", "unit_price", "households_benefiting"]
CHOICE_KEYS = ["seller_kind", "category", "channel", "payment_method"]


# How many (field, cell text) answers a checker keeps before starting again: bounds its memory on a sheet of distinct
# values.
CLEANED_CELLS_KEPT = 20_000


class RowChecker:
    """Turns one spreadsheet row into an unsaved PurchaseRecord, or a list of errors naming row and column.

    Each cell is cleaned by the record form's own field (RecordForm, with the same units, paired villages and
    certified suppliers the form offers this person), then the record by the model's clean() that the form also
    runs, then the period by the services' rule: the import accepts exactly what the form accepts, with the same
    messages. Only the spreadsheet's ways of writing a value are read first: labels of choices, names of villages,
    units and suppliers, date cells, thousands separators.
    """

    def __init__(self, *, user, unit=None, village=None, layout=None):
        from reports.dashboard.forms import RecordForm

        self.user = user
        self.default_unit = unit
        units, villages = selectors.record_entry_choices(user)
        if user.is_superuser:
            # No role of their own: the body chosen at upload decides, as it does for its members.
            units = Unit.objects.filter(pk=unit.pk) if unit is not None else Unit.objects.all()
            villages = unit.paired_villages.all() if unit is not None else Region.objects.filter(pk=village.pk)
        self.form = RecordForm(units=units, villages=villages)
        self.fields = self.form.fields
        self.units = {}
        for each in self.fields["unit"].queryset.only("pk", "name"):
            self.units.setdefault(each.name, each)
        if unit is not None:
            self.units.setdefault(unit.name, unit)
        self.villages = {}
        names = {}
        for region in self.fields["village"].queryset.only("pk", "code", "name", "level", "parent_id"):
            self.villages[region.code] = region
            names.setdefault(region.name, []).append(region)
        for name, regions in names.items():
            # A name two villages share is no answer: such a row must give the code.
            self.villages.setdefault(name, regions[0] if len(regions) == 1 else None)
        self.suppliers = {}
        for partner in self.fields["supplier"].queryset.only("pk", "name"):
            self.suppliers.setdefault(partner.name, partner)
        self.choices = {
            "seller_kind": _choice_lookup(SellerKind.choices),
            "category": _choice_lookup(Category.choices),
            "channel": _choice_lookup(Channel.choices),
            "payment_method": _choice_lookup(PaymentMethod.choices),
        }
        self.layout = layout or Layout.template()
        self.open_periods = {}
        # What each field made of a cell it has seen before: a sheet repeats its dates, products, units, villages
        # and prices row after row, and a field's clean() gives the same answer for the same text.
        self.cleaned = {}

    def header(self, key):
        return self.layout.written.get(key) or str(dict(COLUMNS).get(key, key))

    def error(self, number, key, message):
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": number,
            "column": self.header(key),
            "message": message,
        }

    def period_refusal(self, record):
        """The services' refusal of a record dated in a period already reported, if any (asked once per body and
        period)."""
        key = (record.unit_id, record.village_id, period_of(record.purchased_on).start)
        if key not in self.open_periods:
            try:
                services.record_period_check(unit=record.unit, village=record.village, purchased_on=record.purchased_on)
            except ValidationError as error:
                self.open_periods[key] = " ".join(error.messages)
            else:
                self.open_periods[key] = None
        return self.open_periods[key]

    def clean_field(self, name, value, fail, key=None):
        memo = (name, type(value), value)
        if memo not in self.cleaned:
            if len(self.cleaned) >= CLEANED_CELLS_KEPT:
                self.cleaned.clear()
            try:
                self.cleaned[memo] = (self.fields[name].clean(value), ())
            except ValidationError as error:
                self.cleaned[memo] = (None, tuple(error.messages))
        cleaned, messages = self.cleaned[memo]
        for message in messages:
            fail(key or name, with_value(value, message))
        return cleaned

    def choose(self, name, value, table, fail, key=None):
        """An object named in a cell, among those the form's field offers; the field's own messages otherwise."""
        if value == "":
            return self.clean_field(name, None, fail, key)
        found = table.get(value)
        if found is None:
            fail(
                key or name,
                _("“%(value)s”: %(message)s")
                % {"value": value, "message": self.fields[name].error_messages["invalid_choice"]},
            )
        return found

    def check(self, number, row):
        values = self.layout.values(row)
        errors = []

        def fail(key, message):
            errors.append(self.error(number, key, message))

        fields = {}
        for key in FIELD_KEYS:
            raw = values.get(key)
            text = number_text(raw) if key in ("quantity", "unit_price", "households_benefiting") else cell_text(raw)
            fields[key] = self.clean_field(key, text, fail)
        purchased_on = values.get("purchased_on")
        if not isinstance(purchased_on, (date, datetime)):
            purchased_on = cell_text(purchased_on)
        fields["purchased_on"] = self.clean_field("purchased_on", purchased_on, fail)
        for key in CHOICE_KEYS:
            text = cell_text(values.get(key))
            fields[key] = self.clean_field(key, self.choices[key].get(text.lower(), text), fail)
        fields["village"] = self.choose("village", cell_text(values.get("village")), self.villages, fail)
        unit_name = cell_text(values.get("unit"))
        fields["unit"] = self.choose("unit", unit_name, self.units, fail) if unit_name else self.default_unit
        seller = cell_text(values.get("seller"))
        if fields["seller_kind"] == SellerKind.SUPPLIER:
            fields["supplier"] = self.choose("supplier", seller, self.suppliers, fail, key="seller")
            fields["seller_name"] = ""
        else:
            fields["supplier"] = None
            fields["seller_name"] = self.clean_field("seller_name", seller, fail, key="seller") or ""
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
        typed_amount = number_text(values.get("amount"))
        if typed_amount:
            try:
                matches = Decimal(typed_amount) == record.amount
            except InvalidOperation:
                matches = False
            if not matches:
                fail(
                    "amount",
                    _("“%(value)s” is not quantity × unit price (%(amount)s, rounded half up to the fen)")
                    % {"value": typed_amount, "amount": record.amount},
                )
                return None, errors
        refusal = self.period_refusal(record)
        if refusal:
            fail("purchased_on", refusal)
            return None, errors
        return CheckedRow(number, *(getattr(record, name) for name in STORED_FIELDS)), []


# What a checked row keeps until it is saved: a plain tuple, a fraction of a model instance's memory.
STORED_FIELDS = [
    "purchased_on",
    "unit_id",
    "helper_name",
    "village_id",
    "seller_kind",
    "supplier_id",
    "seller_name",
    "product_name",
    "category",
    "quantity",
    "unit_of_measure",
    "unit_price",
    "amount",
    "households_benefiting",
    "channel",
    "payment_method",
]
CheckedRow = namedtuple("CheckedRow", ["number", *STORED_FIELDS])


def summary_order(rows):
    """A sort key putting rows in the order of the purchase-summary rows their insert updates (half month, county,
    unit, category), the order in which the summary's trigger locks them within one statement."""
    codes = dict(Region.objects.filter(pk__in={row.village_id for row in rows}).values_list("pk", "code"))
    starts = {day: period_of(day).start for day in {row.purchased_on for row in rows}}

    def key(row):
        return (starts[row.purchased_on], codes[row.village_id][:6], row.unit_id or 0, row.category, row.number)

    return key


def new_records(rows, *, job):
    for row in rows:
        fields = row._asdict()
        del fields["number"]
        yield PurchaseRecord(registered_by=job.uploaded_by, source=Source.IMPORT, import_job=job, **fields)


# Model fields whose errors are shown under another column of the spreadsheet.
COLUMN_OF_FIELD = {"supplier": "seller", "seller_name": "seller", "__all__": "purchased_on"}


# --- repeated rows ------------------------------------------------------------------------------------


def duplicate_key(record, body_field):
    """What makes two purchases the same: body, date, seller, product, quantity and unit price."""
    return (
        getattr(record, f"{body_field}_id"),
        record.purchased_on,
        record.supplier_id,
        record.seller_name.strip(),
        record.product_name.strip(),
        Decimal(record.quantity),
        Decimal(record.unit_price),
    )


def content_digest(records):
    """A digest of what the rows say, whatever the bytes: order, blank lines and cell types aside."""
    lines = sorted(
        "\t".join(
            str(value)
            for value in (
                record.purchased_on.isoformat(),
                record.unit_id,
                record.helper_name,
                record.village_id,
                record.seller_kind,
                record.supplier_id,
                record.seller_name,
                record.product_name,
                record.category,
                f"{Decimal(record.quantity).normalize():f}",
                record.unit_of_measure,
                f"{Decimal(record.unit_price).normalize():f}",
                record.households_benefiting,
                record.channel,
                record.payment_method,
            )
        )
        for record in records
    )
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def describe(record, suppliers):
    return _("%(date)s, %(seller)s, %(product)s, %(quantity)s %(unit)s × ¥%(price)s") % {
        "date": record.purchased_on.isoformat(),
        "seller": record.seller_name or suppliers.get(record.supplier_id, ""),
        "product": record.product_name,
        "quantity": f"{Decimal(record.quantity).normalize():f}",
        "unit": UnitOfMeasure(record.unit_of_measure).label,
        "price": record.unit_price,
    }


def find_duplicates(job, records, *, limit=500):
    """Rows that repeat an earlier row of the file or a record already registered for the same body, described."""
    body_field = "unit" if job.unit_id else "village"
    first_row, repeated = {}, []
    suppliers = None
    for record in records:
        number = record.number
        key = duplicate_key(record, body_field)
        if key in first_row:
            if suppliers is None:
                suppliers = dict(Partner.objects.values_list("pk", "name"))
            repeated.append(
                (
                    number,
                    _("Row %(row)s repeats row %(first)s: %(what)s")
                    % {"row": number, "first": first_row[key], "what": describe(record, suppliers)},
                )
            )
        else:
            first_row[key] = number
    if first_row:
        dates = [key[1] for key in first_row]
        bodies = {key[0] for key in first_row}
        registered = (
            PurchaseRecord.objects.filter(
                **{f"{body_field}__in": bodies},
                purchased_on__gte=min(dates),
                purchased_on__lte=max(dates),
                superseded=False,
            )
            .values_list(
                f"{body_field}_id",
                "purchased_on",
                "supplier_id",
                "seller_name",
                "product_name",
                "quantity",
                "unit_price",
                "pk",
                "created_at",
            )
            .order_by()
        )
        for body, day, supplier, seller, product, quantity, price, pk, created in registered.iterator(chunk_size=5000):
            number = first_row.get((body, day, supplier, seller.strip(), product.strip(), quantity, price))
            if number is not None:
                repeated.append(
                    (
                        number,
                        _("Row %(row)s repeats purchase record no. %(record)s, registered on %(when)s: %(what)s")
                        % {
                            "row": number,
                            "record": pk,
                            "when": f"{timezone.localtime(created):%Y-%m-%d %H:%M}",
                            "what": f"{day.isoformat()}, {seller}, {product}, {quantity.normalize():f} × ¥{price}",
                        },
                    )
                )
    repeated.sort(key=lambda pair: pair[0])
    return [text for _number, text in repeated[:limit]], len(repeated)


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


def check_rows(job, data, *, progress=None):
    """Read and check every row of the job's file: returns ([CheckedRow], errors, rows read)."""
    batch_size = settings.REPORT_IMPORT_BATCH_SIZE
    records, errors, processed = [], [], 0
    try:
        rows = enumerate(read_rows(data, job.file_name), start=1)
        layout, errors = locate_header(rows)
        if errors:
            return [], errors, 0
        checker = RowChecker(user=job.uploaded_by, unit=job.unit, village=job.village, layout=layout)
        stray_reported = False
        for number, row in rows:
            processed += 1
            if not any(cell is not None and str(cell).strip() for cell in row):
                continue
            stray = layout.stray_cells(row)
            if stray and not stray_reported:
                # One error for the file: a column without a header is a column the import would not read.
                stray_reported = True
                errors.append(
                    _("Row %(row)s has values in column %(columns)s, which has no header; name the column or empty it.")
                    % {"row": number, "columns": "、".join(stray)}
                )
            record, row_errors = checker.check(number, row)
            if row_errors:
                errors.extend(row_errors)
            elif not errors:
                records.append(record)
            if progress is not None and processed % batch_size == 0:
                progress(processed)
    except ValidationError as error:
        errors.extend(error.messages)
    if not errors and not records:
        errors.append(_("The file has no rows under its header."))
    return records, errors, processed


def same_rows_message(earlier):
    return _(
        "These rows were already imported for the same unit or village by import no. %(number)s (%(file)s, "
        "%(when)s, %(rows)s records): the same rows, even saved again or with a line added, are imported once."
    ) % {
        "number": earlier.pk,
        "file": earlier.file_name,
        "when": f"{timezone.localtime(earlier.created_at):%Y-%m-%d %H:%M}",
        "rows": earlier.imported_rows,
    }


def earlier_same_rows(job, digest):
    body = {"unit": job.unit} if job.unit_id else {"unit__isnull": True, "village": job.village}
    return (
        ImportJob.objects.filter(status=ImportJob.Status.DONE, content_digest=digest, **body).exclude(pk=job.pk).first()
    )


def run_import(*, job):
    """Check every row, reporting progress on the job; import them all in one transaction, or none.

    Rows that repeat each other or a record already registered for the body stop the import at "waiting for your
    confirmation" until the uploader imports them anyway (import_confirm); rows already imported (same content, by
    digest) are refused outright. A job still waiting is claimed first (tests and the benchmark call this directly;
    the worker claims through `import_claim`). Progress doubles as the heartbeat the stale-import sweep watches.
    """
    if job.status == ImportJob.Status.PENDING:
        job = import_claim(job_id=job.pk) or job
    attempt = job.attempts
    mine = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING, attempts=attempt)
    with job.file.open("rb") as handle:
        data = handle.read()

    def progress(processed):
        mine.update(processed_rows=processed, heartbeat_at=timezone.now())

    records, errors, processed = check_rows(job, data, progress=progress)
    job.processed_rows = processed
    job.total_rows = max(job.total_rows, processed)
    digest = "" if errors else content_digest(records)
    earlier = earlier_same_rows(job, digest) if digest else None
    if earlier is not None:
        errors, job.same_as = [same_rows_message(earlier)], earlier
    duplicates, repeated = ([], 0) if errors or job.duplicates_confirmed else find_duplicates(job, records)
    try:
        with transaction.atomic():
            # The sweep may have given this job up (or to another worker) while this one was slow: then it keeps
            # away.
            if not mine.select_for_update().exists():
                job.refresh_from_db()
                return job
            if errors:
                job.status = ImportJob.Status.FAILED
                job.errors = errors[:500]
                job.save(update_fields=["status", "errors", "processed_rows", "total_rows", "same_as"])
                return job
            if repeated:
                job.status = ImportJob.Status.CONFIRM
                job.duplicates = duplicates
                if repeated > len(duplicates):
                    job.duplicates.append(_("… and %(more)s more.") % {"more": repeated - len(duplicates)})
                job.save(update_fields=["status", "duplicates", "processed_rows", "total_rows"])
                return job
            # Model instances are made a batch at a time (bulk_create would hold them all at once), in the order of
            # the purchase summary's keys, so two imports running at once lock its rows in the same order.
            records.sort(key=summary_order(records))
            batch_size = settings.REPORT_IMPORT_BATCH_SIZE
            for start in range(0, len(records), batch_size):
                PurchaseRecord.objects.bulk_create(new_records(records[start : start + batch_size], job=job))
            job.status = ImportJob.Status.DONE
            job.imported_rows = len(records)
            job.content_digest = digest
            job.save(update_fields=["status", "imported_rows", "processed_rows", "total_rows", "content_digest"])
    except IntegrityError:
        # The same rows, imported for the same body at the same moment, won the race to the constraint.
        job.refresh_from_db()
        earlier = earlier_same_rows(job, digest)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            same_as=earlier,
            errors=[same_rows_message(earlier) if earlier else _("These rows are being imported by another upload.")],
        )
        job.refresh_from_db()
    return job


@transaction.atomic
def import_confirm(*, job, user):
    """The uploader imports the repeated rows anyway: the job checks its rows again and imports them all."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.uploaded_by_id != user.pk:
        raise NotAllowed(_("Only the person who uploaded the file may confirm its import."))
    if job.status != ImportJob.Status.CONFIRM:
        raise ValidationError(_("This import is not waiting for a confirmation."))
    job.status = ImportJob.Status.PENDING
    job.duplicates_confirmed = True
    job.processed_rows = 0
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "duplicates_confirmed", "processed_rows", "heartbeat_at"])
    from reports.tasks import import_run

    transaction.on_commit(partial(import_run.enqueue, job_id=job.pk), robust=True)
    return job


@transaction.atomic
def import_cancel(*, job, user):
    """The uploader drops an import waiting for confirmation: nothing of it is saved, and the file may come again."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.uploaded_by_id != user.pk:
        raise NotAllowed(_("Only the person who uploaded the file may cancel its import."))
    if job.status != ImportJob.Status.CONFIRM:
        raise ValidationError(_("This import is not waiting for a confirmation."))
    job.status = ImportJob.Status.FAILED
    with translation.override(settings.LANGUAGE_CODE):
        job.errors = [str(_("Cancelled by the uploader: the repeated rows were not imported, nor any other row."))]
    job.save(update_fields=["status", "errors"])
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
    stale_ids = list(stale.values_list("pk", flat=True))
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
    # The task runs of those jobs are dead too: failed for the operator, not left "running" (the job is what to watch).
    with transaction.atomic():
        dead_runs = DBTaskResult.objects.running().select_for_update(skip_locked=True)
        dead_runs = dead_runs.filter(task_path="reports.tasks.import_run", args_kwargs__kwargs__job_id__in=stale_ids)
        task_results_fail_running(
            rows=list(dead_runs), minutes=-(-settings.REPORT_IMPORT_STALE_SECONDS // 60), heartbeat=True
        )
    return retried, failed
