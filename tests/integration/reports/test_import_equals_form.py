"""One set of rules for a record: the same generated rows, typed into the record form (over HTTP, as a unit member
does) and imported from a workbook, are accepted and refused alike, with the form's own messages, and the accepted
rows are stored with the same values.

A seeded generator of rows (no extra dependency) mixes valid rows with the loopholes seen before: extra decimals, zero
and negative numbers, amounts too large for the books, dates long past, in the future or impossible, unknown choices,
uncertified suppliers, villages not paired with the unit, names too long, unknown units of measure.
"""

import random
import re
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from reports.importing import COLUMNS, import_confirm, run_import, start_import
from reports.models import Category, Channel, ImportJob, PaymentMethod, PurchaseRecord, SellerKind, UnitOfMeasure
from tests.factories import CertifiedPartnerFactory, PartnerFactory

pytestmark = pytest.mark.django_db

ROWS = 120
STORED = [
    "purchased_on",
    "unit_id",
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


def generated_rows(seed, *, unit, village, stranger, certified, uncertified):
    """Rows in the form's terms (codes and primary keys) beside the same rows as a clerk writes them in a sheet."""
    rng = random.Random(seed)
    today = timezone.localdate()
    labels = {
        "seller_kind": dict(SellerKind.choices),
        "category": dict(Category.choices),
        "channel": dict(Channel.choices),
        "payment_method": dict(PaymentMethod.choices),
    }
    for n in range(ROWS):
        day = today - timedelta(days=rng.randint(400, 900))
        kind = rng.choice([SellerKind.HOUSEHOLD, SellerKind.COOPERATIVE, SellerKind.SUPPLIER])
        supplier = certified if kind == SellerKind.SUPPLIER else None
        row = {
            "purchased_on": day.isoformat(),
            "unit": unit,
            "village": village,
            "seller_kind": kind,
            "supplier": supplier,
            "seller_name": "" if supplier else f"农户{n}",
            "product_name": rng.choice(["腊肉", "土鸡", "桑植白茶", "猕猴桃"]),
            "category": rng.choice(Category.values),
            "quantity": str(Decimal(rng.randint(1, 999_999)) / 10 ** rng.randint(0, 3)),
            "unit_of_measure": rng.choice(["斤", "公斤", "箱", "只", "jin", "bag"]),
            "unit_price": str(Decimal(rng.randint(1, 99_999)) / 10 ** rng.randint(0, 2)),
            "households_benefiting": str(rng.randint(0, 9)),
            "channel": rng.choice([Channel.VILLAGE, Channel.COUNTER, Channel.FAIR]),
            "payment_method": rng.choice(["", *PaymentMethod.values]),
        }
        flaw = rng.randrange(24)
        if flaw == 0:
            row["quantity"] = row["quantity"].split(".")[0] + ".1235"
        elif flaw == 1:
            row["unit_price"] = "0.125"
        elif flaw == 2:
            row["quantity"] = rng.choice(["0", "-3", "十只", "1e3"])
        elif flaw == 3:
            row["quantity"], row["unit_price"] = "99999999999.999", "9999999999.99"
        elif flaw == 4:
            row["purchased_on"] = rng.choice(["1900-01-01", (today + timedelta(days=3)).isoformat(), "2021-02-30"])
        elif flaw == 5:
            row["category"] = "seafood"
        elif flaw == 6:
            row["seller_kind"], row["supplier"], row["seller_name"] = SellerKind.SUPPLIER, uncertified, ""
        elif flaw == 7:
            row["village"] = stranger
        elif flaw == 8:
            row["seller_name"] = "长" * rng.choice([129, 10_000]) if not supplier else row["seller_name"]
            row["product_name"] = "名" * 129
        elif flaw == 9:
            row["unit_of_measure"] = rng.choice(["担", "pounds", ""])
        elif flaw == 10:
            row["households_benefiting"] = "-1"
        elif flaw == 11 and not supplier:
            row["seller_name"] = ""
        form = {
            key: (value.pk if hasattr(value, "pk") else ("" if value is None else value)) for key, value in row.items()
        }
        sheet = {
            "purchased_on": rng.choice([row["purchased_on"], row["purchased_on"].replace("-", "/")]),
            "unit": unit.name,
            "helper_name": "",
            "village": rng.choice([row["village"].code, row["village"].name]),
            "seller_kind": str(labels["seller_kind"][row["seller_kind"]]),
            "seller": row["supplier"].name if row["supplier"] else row["seller_name"],
            "product_name": row["product_name"],
            "category": str(labels["category"].get(row["category"], row["category"])),
            "quantity": row["quantity"],
            "unit_of_measure": row["unit_of_measure"],
            "unit_price": row["unit_price"],
            "households_benefiting": row["households_benefiting"],
            "channel": str(labels["channel"][row["channel"]]),
            "payment_method": str(labels["payment_method"][row["payment_method"]]) if row["payment_method"] else "",
        }
        yield form, sheet


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.append([str(header) for _key, header in COLUMNS])
    for row in rows:
        sheet.append([row[key] for key, _header in COLUMNS])
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("生成的行.xlsx", out.getvalue())


def stored(record):
    return tuple(getattr(record, name) for name in STORED[:-1]) + (record.payment_method,)


@pytest.mark.parametrize("seed", [17, 2024])
def test_the_form_and_the_import_decide_every_generated_row_alike(client, member, unit, village, settings, seed):
    from tests.factories import region

    settings.LANGUAGE_CODE = "zh-hans"
    stranger = region("430822102201", "双溪村")
    rows = list(
        generated_rows(
            seed,
            unit=unit,
            village=village,
            stranger=stranger,
            certified=CertifiedPartnerFactory(name="已认定合作社"),
            uncertified=PartnerFactory(name="未认定合作社"),
        )
    )
    client.force_login(member)
    form_refusals, form_records = {}, {}
    for number, (form, _sheet) in enumerate(rows, start=2):
        before = set(PurchaseRecord.objects.values_list("pk", flat=True))
        response = client.post(reverse("reports-dashboard:record-create"), form, HTTP_ACCEPT_LANGUAGE="zh-hans")
        if response.status_code == 302:
            (pk,) = set(PurchaseRecord.objects.values_list("pk", flat=True)) - before
            form_records[number] = PurchaseRecord.objects.get(pk=pk)
        else:
            assert response.status_code == 200
            bound = response.context["form"]
            form_refusals[number] = [message for messages in bound.errors.values() for message in messages]
    assert form_refusals and form_records, "the generator must give both kinds of rows"

    job = run_import(job=start_import(user=member, unit=unit, upload=workbook(sheet for _form, sheet in rows)))
    assert job.status == ImportJob.Status.FAILED
    assert not PurchaseRecord.objects.filter(import_job=job).exists()
    import_refusals = {}
    for error in job.errors:
        number = int(re.match(r"第(\d+)行", error).group(1))
        import_refusals.setdefault(number, []).append(error)
    assert set(import_refusals) == set(form_refusals)
    for number, errors in import_refusals.items():
        for error in errors:
            assert any(message in error for message in form_refusals[number]), (error, form_refusals[number])

    # The rows the form accepted, imported: each repeats the record the form stored, so the import waits for an
    # explicit decision, then stores the very same values.
    accepted = [sheet for number, (_form, sheet) in enumerate(rows, start=2) if number in form_records]
    job = run_import(job=start_import(user=member, unit=unit, upload=workbook(accepted)))
    assert job.status == ImportJob.Status.CONFIRM
    assert len(job.duplicates) == len(accepted)
    import_confirm(job=job, user=member)
    job = run_import(job=ImportJob.objects.get(pk=job.pk))
    assert job.status == ImportJob.Status.DONE, job.errors
    imported = list(PurchaseRecord.objects.filter(import_job=job))
    # The same records (the import stores them in the purchase summary's order, not the sheet's).
    assert Counter(stored(record) for record in imported) == Counter(stored(record) for record in form_records.values())
    assert len(imported) == len(form_records)
    assert all(record.unit_of_measure in UnitOfMeasure.values for record in imported)
