"""An import reads a spreadsheet by its header, as clerks keep theirs: title rows, their own column names and order,
their date forms; it keeps units of measure as codes; it lists repeated rows for an explicit decision and refuses the
same rows imported twice, however the file was saved."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from reports import importing, services
from reports.importing import COLUMNS, import_cancel, import_confirm, run_import, start_import
from reports.models import ImportJob, PurchaseRecord, UnitOfMeasure

pytestmark = pytest.mark.django_db

TEMPLATE = ["购买日期", "购买单位", "个人帮扶人", "村代码", "销售方类型", "销售方", "商品", "分类", "数量", "计量单位"]
TEMPLATE += ["单价（元）", "受益户数", "渠道", "付款方式"]


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def values(**changes):
    row = {
        "购买日期": "2020-03-05",
        "村代码": "430822101201",
        "销售方类型": "贫困户",
        "销售方": "向大爷",
        "商品": "腊肉",
        "分类": "肉禽蛋",
        "数量": "12.5",
        "计量单位": "斤",
        "单价（元）": "45.80",
        "受益户数": 1,
        "渠道": "到村到户",
    }
    row.update(changes)
    return row


def workbook(header, rows, *, above=(), name="登记.xlsx"):
    book = Workbook()
    sheet = book.active
    for line in above:
        sheet.append(line)
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column, "") if isinstance(row, dict) else row[i] for i, column in enumerate(header)])
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def csv_file(header, rows, *, blank_lines=0, name="登记.csv"):
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join(str(row.get(column, "")) for column in header))
    lines += [""] * blank_lines
    return SimpleUploadedFile(name, "\n".join(lines).encode("utf-8"))


def imported(member, unit, upload):
    return run_import(job=start_import(user=member, unit=unit, upload=upload))


def test_the_template_headers_are_those_the_tests_write():
    assert [str(header) for _key, header in COLUMNS] == TEMPLATE


def test_columns_are_found_by_their_names_in_any_order_under_a_title_row(member, unit, village):
    header = ["序号", "单价(元)", "产品名称", "购买日期", "数量", "计量单位", "销售方", "村", "类别", "销售方类型"]
    header += ["渠道", "金额"]
    rows = [
        dict(
            values(),
            序号=1,
            产品名称="腊肉",
            购买日期="2021/3/5",
            销售方="向大爷",
            村="合群村",
            销售方类型="贫困户",
            类别="肉禽蛋",
        )
        | {"单价(元)": "45.80", "渠道": "到村到户", "金额": "572.50"},
        dict(
            values(), 序号=2, 产品名称="茶叶", 购买日期="2021年3月6日", 销售方="李大姐", 村="430822101201", 类别="茶叶"
        )
        | {"单价(元)": 30, "渠道": "到村到户", "销售方类型": "贫困户", "计量单位": "盒", "数量": 2, "金额": 60},
    ]
    job = imported(member, unit, workbook(header, rows, above=[["2021年3月上半月消费扶贫采购登记表"], []]))
    assert job.status == ImportJob.Status.DONE, job.errors
    first, second = PurchaseRecord.objects.order_by("purchased_on")
    assert (first.purchased_on, first.product_name, first.amount, first.unit_of_measure) == (
        date(2021, 3, 5),
        "腊肉",
        Decimal("572.50"),
        UnitOfMeasure.JIN,
    )
    assert (second.seller_name, second.unit_of_measure, second.amount, second.village) == (
        "李大姐",
        UnitOfMeasure.CARTON,
        Decimal("60.00"),
        village,
    )


def test_a_missing_required_column_is_one_error_naming_it_and_nothing_is_saved(member, unit, village):
    header = [column for column in TEMPLATE if column != "数量"]
    job = imported(member, unit, workbook(header, [values() for _n in range(5)]))
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == ["表头（第1行）缺少“数量”列。"]
    assert not PurchaseRecord.objects.exists()


def test_an_unknown_column_is_one_error_naming_it(member, unit, village):
    job = imported(member, unit, workbook([*TEMPLATE, "备注"], [values(备注="送到食堂") for _n in range(5)]))
    assert job.status == ImportJob.Status.FAILED
    assert len(job.errors) == 1 and "第O列“备注”不是模板中的列" in job.errors[0]
    assert not PurchaseRecord.objects.exists()


def test_a_sheet_without_a_recognisable_header_says_so(member, unit, village):
    rows = [["日期不明", "x"], *[["a", "b"] for _n in range(12)]]
    job = imported(member, unit, workbook(["表一", "表二"], rows))
    assert job.status == ImportJob.Status.FAILED and "找不到表头行" in job.errors[0]


def test_values_in_a_column_without_a_header_are_refused(member, unit, village):
    header = [*TEMPLATE, ""]
    rows = [[*[values().get(column, "") for column in TEMPLATE], "多出来的"]]
    job = imported(member, unit, workbook(header, rows))
    assert job.status == ImportJob.Status.FAILED and "第O列" in job.errors[0] and "没有列名" in job.errors[0]


@pytest.mark.parametrize(
    "written",
    ["2021/3/5", "2021-3-5", "2021-03-05", "2021年3月5日", "2021.3.5", datetime(2021, 3, 5), date(2021, 3, 5)],
)
def test_the_date_forms_of_chinese_spreadsheets_are_read(member, unit, village, written):
    job = imported(member, unit, workbook(TEMPLATE, [values(购买日期=written)]))
    assert job.status == ImportJob.Status.DONE, job.errors
    assert PurchaseRecord.objects.get().purchased_on == date(2021, 3, 5)


@pytest.mark.parametrize("written", ["2021/2/30", "3/5/2021", "去年三月"])
def test_a_date_that_is_no_date_is_refused_with_its_row(member, unit, village, written):
    job = imported(member, unit, workbook(TEMPLATE, [values(), values(购买日期=written, 销售方="李大姐")]))
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [f"第3行「购买日期」列：“{written}”：输入一个有效的日期。"]


def test_a_ten_thousand_character_seller_is_refused_with_its_row_never_cut(member, unit, village):
    job = imported(member, unit, workbook(TEMPLATE, [values(), values(), values(销售方="长" * 10_000)]))
    assert job.status == ImportJob.Status.FAILED
    assert len(job.errors) == 1 and job.errors[0].startswith("第4行「销售方」列：")
    assert "128" in job.errors[0] and "10000" in job.errors[0]
    assert not PurchaseRecord.objects.exists()


def test_an_amount_column_that_disagrees_with_quantity_times_price_is_refused(member, unit, village):
    job = imported(member, unit, workbook([*TEMPLATE, "金额"], [values(金额="572.49")]))
    assert job.status == ImportJob.Status.FAILED
    assert "572.50" in job.errors[0] and "四舍五入" in job.errors[0]


@pytest.mark.parametrize(
    ("written", "code"),
    [("斤", "jin"), ("公斤", "kg"), ("千克", "kg"), ("箱", "box"), ("只", "animal"), ("box", "box"), ("jin", "jin")],
)
def test_units_of_measure_are_kept_as_codes_whatever_name_is_written(member, unit, village, written, code):
    job = imported(member, unit, workbook(TEMPLATE, [values(计量单位=written)]))
    assert job.status == ImportJob.Status.DONE, job.errors
    record = PurchaseRecord.objects.get()
    assert record.unit_of_measure == code
    assert record.unit_of_measure_label == dict(UnitOfMeasure.choices)[code]


def test_an_unknown_unit_of_measure_is_refused_with_the_list_of_units(member, unit, village):
    job = imported(member, unit, workbook(TEMPLATE, [values(计量单位="担")]))
    assert job.status == ImportJob.Status.FAILED
    assert "“担”不是登记可用的计量单位" in job.errors[0] and "斤、公斤" in job.errors[0]


def test_rows_repeating_a_registered_purchase_or_each_other_wait_for_an_explicit_decision(
    member, unit, village, django_capture_on_commit_callbacks
):
    services.record_create(
        registered_by=member,
        unit=unit,
        village=village,
        seller_kind="household",
        seller_name="向大爷",
        product_name="腊肉",
        category="meat",
        quantity=Decimal("12.500"),
        unit_of_measure="斤",
        unit_price=Decimal("45.8"),
        purchased_on=date(2020, 3, 5),
        channel="village",
    )
    rows = [values(), values(销售方="李大姐"), values(销售方="王二"), values(销售方="李大姐")]
    job = imported(member, unit, workbook(TEMPLATE, rows))
    assert job.status == ImportJob.Status.CONFIRM
    assert PurchaseRecord.objects.count() == 1
    assert len(job.duplicates) == 2
    assert job.duplicates[0].startswith("第2行与") and "采购记录重复" in job.duplicates[0]
    assert job.duplicates[1].startswith("第5行与第3行重复")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        import_confirm(job=job, user=member)
    assert len(callbacks) == 1  # the worker is asked to run it again
    job = run_import(job=ImportJob.objects.get(pk=job.pk))
    assert job.status == ImportJob.Status.DONE and job.imported_rows == 4
    assert PurchaseRecord.objects.filter(seller_name="向大爷").count() == 2


def test_a_cancelled_import_saves_nothing_and_frees_the_file(member, unit, village):
    rows = [values(), values()]
    job = imported(member, unit, workbook(TEMPLATE, rows))
    assert job.status == ImportJob.Status.CONFIRM
    import_cancel(job=job, user=member)
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.FAILED
    assert not PurchaseRecord.objects.exists()


def test_only_the_uploader_may_decide_on_repeated_rows(member, unit, village):
    from reports.errors import NotAllowed
    from tests.factories import UserFactory

    job = imported(member, unit, workbook(TEMPLATE, [values(), values()]))
    with pytest.raises(NotAllowed):
        import_confirm(job=job, user=UserFactory())
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.CONFIRM


def test_the_same_rows_saved_again_or_with_a_blank_line_are_refused_naming_the_earlier_import(member, unit, village):
    rows = [values(), values(销售方="李大姐", 数量=3)]
    first = imported(member, unit, workbook(TEMPLATE, rows))
    assert first.status == ImportJob.Status.DONE
    # Other bytes: a CSV, a line added at the end, the rows in another order, the date written another way.
    again = [values(销售方="李大姐", 数量="3.0"), values(购买日期="2020/3/5")]
    job = imported(member, unit, csv_file(TEMPLATE, again, blank_lines=2))
    assert job.status == ImportJob.Status.FAILED
    assert job.same_as == first
    assert f"第{first.pk}号导入" in job.errors[0] and "只导入一次" in job.errors[0]
    assert PurchaseRecord.objects.count() == 2


def test_the_same_rows_for_another_unit_are_not_the_same_import(member, unit, village):
    from tests.factories import UnitFactory

    other = UnitFactory()
    other.paired_villages.add(village)
    other.members.add(member)
    rows = [values()]
    assert imported(member, unit, workbook(TEMPLATE, rows)).status == ImportJob.Status.DONE
    job = imported(member, other, csv_file(TEMPLATE, rows))
    assert job.status == ImportJob.Status.DONE, job.errors


def test_the_database_holds_one_import_of_the_same_rows_per_unit(member, unit, village):
    from django.db import IntegrityError, transaction

    job = imported(member, unit, workbook(TEMPLATE, [values()]))
    twin = ImportJob(uploaded_by=member, unit=unit, file_name="x.xlsx", sha256="1" * 64)
    twin.status, twin.content_digest = ImportJob.Status.DONE, job.content_digest
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_header_names_are_compared_without_spaces_brackets_or_required_marks():
    keys = importing.header_keys()
    assert keys[importing.header_text(" 单价（元）* ")] == "unit_price"
    assert keys[importing.header_text("金额(元)")] == "amount"
    assert keys[importing.header_text("Purchase date")] == "purchased_on"
