"""Delivery to many addresses (多地址配送): a unit's order split over the recipients of an uploaded spreadsheet.

The recipients are read row by row like every import — each row's faults listed in Chinese, nothing kept unless every
row is right — and each product's quantities must add up exactly to the quantity bought. At checkout they are read
against the basket and kept in the checkout session; `group_delivery_create` writes them with the order, inside the
transaction that places it, checking them again against the order's lines. The order stays one order: it is counted
once toward the unit's reserved share, however many addresses it goes to.

A row names its product by the product code (商品编码: the product's UPC, or the supplier's SKU when it has none) that
the template lists for the basket, or by its title when no two of the order's products share that title.
"""

import re
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from oscar.core.loading import get_model

from accounts import roles
from accounts.errors import BadRequest, Refusal
from organisations.models import Unit
from spreadsheets.reading import xlsx_rows
from spreadsheets.writing import new_workbook, workbook_bytes
from suppliers.evidence import XLSX, verify_upload

GroupDelivery = get_model("order", "GroupDelivery")
Recipient = get_model("order", "Recipient")

PHONE = re.compile(r"^1[3-9]\d{9}$")
# The template's columns, in order. The product may be left blank when the order has one product; the code comes last
# so that a file made from the earlier five-column template still reads.
COLUMNS = [
    pgettext_lazy("recipients spreadsheet", "Product"),
    pgettext_lazy("recipients spreadsheet", "Recipient"),
    pgettext_lazy("recipients spreadsheet", "Mobile number"),
    pgettext_lazy("recipients spreadsheet", "Delivery address"),
    pgettext_lazy("recipients spreadsheet", "Quantity"),
    pgettext_lazy("recipients spreadsheet", "Product code"),
]


class RecipientsError(Refusal, ValidationError):
    """The recipients cannot be set by this person or for this order."""


class RecipientsRejected(RecipientsError, BadRequest):
    """One or more recipient rows are wrong, or the quantities do not add up; nothing was kept."""

    def __init__(self, row_errors):
        self.row_errors = list(row_errors)
        super().__init__(self.row_errors)


@dataclass(frozen=True)
class Item:
    """What is bought of one product: a basket line at checkout, an order line afterwards."""

    key: int
    title: str
    quantity: int
    code: str = ""


@dataclass(frozen=True)
class RecipientRow:
    row: int
    title: str
    name: str
    phone: str
    address: str
    quantity: int
    code: str = ""
    key: int | None = None

    def as_dict(self):
        return asdict(self)


def purchaser_units(user):
    """The units this person buys for as a unit purchaser (the role, and a member of the unit): only they may send an
    order to many addresses."""
    if not user.is_authenticated or not user.groups.filter(name=roles.UNIT).exists():
        return Unit.objects.none()
    return Unit.objects.filter(members=user)


def template_xlsx(items=()):
    """The sheet to fill in, and a second sheet listing what is bought (title, code, quantity) to copy from."""
    book = new_workbook()
    sheet = book.active
    sheet.title = _("Recipients")
    sheet.append([str(header) for header in COLUMNS])
    example = items[0] if len(items) == 1 else None
    sheet.append(["", "向老师", "13807440001", "湖南省张家界市永定区解放路1号", 2, example.code if example else ""])
    if items:
        products = book.create_sheet(_("Products in the basket"))
        products.append([str(COLUMNS[0]), str(COLUMNS[5]), _("Quantity bought")])
        for item in items:
            products.append([item.title, item.code, item.quantity])
    return workbook_bytes(book)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_upload(upload):
    """The bytes of an uploaded recipients workbook, once its content is verified to be an .xlsx within the limit."""
    try:
        verify_upload(upload, allowed=(XLSX,), max_bytes=settings.REPORT_IMPORT_MAX_BYTES)
    except ValidationError as error:
        raise RecipientsRejected(error.messages) from None
    upload.seek(0)
    return upload.read()


def _quantity_errors(items, rows):
    errors = []
    for item in items:
        split = sum(row.quantity for row in rows if row.key == item.key)
        if split != item.quantity:
            shared = sum(1 for other in items if other.title == item.title) > 1
            product = f"{item.title}（{item.code}）" if shared and item.code else item.title
            errors.append(
                _("%(product)s: the order has %(ordered)s, the recipients add up to %(split)s.")
                % {"product": product, "ordered": item.quantity, "split": split}
            )
    return errors


def _item_for(items, *, title, code):
    """The bought item a row names, by its code, else by its title, else the only one; (item, None) or (None, why)."""
    if code:
        matches = [item for item in items if item.code and item.code.casefold() == code.casefold()]
        if not matches:
            return None, _("no product of this order has the code %(code)s") % {"code": code}
    elif title:
        matches = [item for item in items if item.title == title]
        if not matches:
            return None, _("the product is not in this order")
        if len(matches) > 1:
            return None, _(
                "several products of this order are called %(title)s: write the product code (商品编码) from the "
                "template's product list"
            ) % {"title": title}
    else:
        matches = items if len(items) == 1 else []
        if not matches:
            return None, _("name the product")
    if len(matches) > 1:
        return None, _("the code %(code)s names several lines of this order; name the product by its title") % {
            "code": code
        }
    return matches[0], None


def check_rows(*, rows, items):
    """Rows (as read, or as kept in the session) checked against what is bought; the rows, or RecipientsRejected."""
    items = list(items)
    errors, kept = [], []
    for number, cells in rows:
        title, name, phone, address, quantity, code = (list(cells) + [""] * len(COLUMNS))[: len(COLUMNS)]
        problems = []
        item, problem = _item_for(items, title=title, code=code)
        if problem:
            problems.append(problem)
        if not name:
            problems.append(_("the recipient's name is missing"))
        elif len(name) > 64:
            problems.append(_("the recipient's name is longer than 64 characters"))
        if not PHONE.match(phone):
            problems.append(_("the mobile number must be 11 digits starting with 1"))
        if not address:
            problems.append(_("the address is missing"))
        elif len(address) > 255:
            problems.append(_("the address is longer than 255 characters"))
        if not quantity.isdigit() or int(quantity) < 1:
            problems.append(_("the quantity must be a whole number of at least 1"))
        if problems:
            errors.append(_("Row %(row)s: %(problems)s.") % {"row": number, "problems": "；".join(problems)})
            continue
        kept.append(
            RecipientRow(
                row=number,
                title=item.title,
                name=name,
                phone=phone,
                address=address,
                quantity=int(quantity),
                code=item.code,
                key=item.key,
            )
        )
    if not errors and not kept:
        errors.append(_("The file has no recipients."))
    if not errors:
        errors = _quantity_errors(items, kept)
    if errors:
        raise RecipientsRejected(errors)
    return kept


def recipients_read(*, data, items):
    """The recipients of an uploaded workbook (first sheet, header in row 1), checked against `items`. Row numbers are
    the spreadsheet's own, blank rows skipped but counted."""
    try:
        rows = [
            (number, [_cell(value) for value in row])
            for number, row in enumerate(xlsx_rows(data), start=2)
            if any(_cell(value) for value in row)
        ]
    except ValidationError as error:
        raise RecipientsRejected(error.messages) from None
    return check_rows(rows=rows, items=items)


def basket_items(basket):
    return [
        Item(
            key=line.pk,
            title=line.product.get_title(),
            quantity=line.quantity,
            code=line.product.upc or (line.stockrecord.partner_sku if line.stockrecord_id else ""),
        )
        for line in basket.all_lines()
    ]


def line_item(line):
    # An order line keeps the product's UPC and the supplier's SKU as they were, so its code is the basket line's.
    return Item(key=line.pk, title=line.title, quantity=line.quantity, code=line.upc or line.partner_sku or "")


def order_items(order):
    return [line_item(line) for line in order.lines.all()]


def rows_from_session(stored):
    """Rows kept in the checkout session, in the shape `check_rows` reads."""
    return [
        (
            entry["row"],
            [
                entry["title"],
                entry["name"],
                entry["phone"],
                entry["address"],
                str(entry["quantity"]),
                entry.get("code", ""),
            ],
        )
        for entry in stored or []
    ]


def split_summary(*, items, rows):
    """Per product: bought, sent to recipients, and the number of recipients, for the page that shows the split."""
    return [
        {
            "title": item.title,
            "code": item.code,
            "ordered": item.quantity,
            "split": sum(row.quantity for row in rows if row.key == item.key),
            "recipients": sum(1 for row in rows if row.key == item.key),
        }
        for item in items
    ]


def group_delivery_create(*, order, user, rows, file_name=""):
    """Write the recipients of a unit's order, checked against its lines; all or nothing. Called inside the
    transaction that places the order, so that there is never an order without its recipients nor the reverse; also
    used to replace the recipients of an order placed before this choice was offered at checkout."""
    if order.unit_id is None or not purchaser_units(user).filter(pk=order.unit_id).exists():
        raise RecipientsError(_("Only the unit's own purchasers set the recipients of its orders."))
    lines = {line.pk: line for line in order.lines.all()}
    checked = check_rows(rows=rows, items=[line_item(line) for line in lines.values()])
    with transaction.atomic():
        delivery, _created = GroupDelivery.objects.update_or_create(
            order=order, defaults={"uploaded_by": user, "file_name": file_name[:255]}
        )
        delivery.recipients.all().delete()
        Recipient.objects.bulk_create(
            Recipient(
                delivery=delivery,
                row=row.row,
                line=lines[row.key],
                name=row.name,
                phone=row.phone,
                address=row.address,
                quantity=row.quantity,
            )
            for row in checked
        )
    return delivery


def group_delivery_upload(*, order, user, data, file_name=""):
    """Replace an order's recipients from a workbook (for orders placed before checkout offered the choice)."""
    if order.unit_id is None or not purchaser_units(user).filter(pk=order.unit_id).exists():
        raise RecipientsError(_("Only the unit's own purchasers set the recipients of its orders."))
    rows = recipients_read(data=data, items=order_items(order))
    return group_delivery_create(
        order=order, user=user, rows=rows_from_session([row.as_dict() for row in rows]), file_name=file_name
    )
