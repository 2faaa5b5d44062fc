"""The public catalogue of certified poverty-alleviation products (扶贫产品目录): its rows, filters and exports."""

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from regions.models import COUNTY, Region
from spreadsheets.writing import CsvWriter, new_workbook, workbook_bytes, write_only_row

from .models import CatalogueBatch, CertificationStatus, ProductCertification, SupplierCertification
from .selectors import change_pending_exists, valid_supplier_exists

Category = get_model("catalogue", "Category")


def county_name_of(region_code_path):
    """A subquery giving the name of the county that the region at `region_code_path` lies in."""
    county_code = Concat(Substr(OuterRef(region_code_path), 1, 6), Value("000000"))
    return Subquery(Region.objects.filter(code=county_code).values("name")[:1])


def category_name_of(product_path):
    """A subquery giving the name of one of the product's categories (the first by tree order)."""
    return Subquery(
        Category.objects.filter(product=OuterRef(product_path)).order_by("path").values("name")[:1],
    )


def certified_products(*, on=None):
    """Product certifications valid today, from suppliers whose own certification is valid, with all a row shows.
    A product whose certified facts (or its supplier's) await review of a change is left out, as it is not sold."""
    on = on or timezone.localdate()
    return (
        ProductCertification.objects.valid(on)
        .filter(valid_supplier_exists(on))
        .exclude(change_pending_exists())
        .select_related("product", "partner", "partner__region", "batch", "certifying_office")
        .annotate(county_name=county_name_of("partner__region__code"), category_name=category_name_of("product"))
        .order_by("-valid_from", "certificate_number")
    )


def products_under_notice():
    return (
        ProductCertification.objects.filter(status=CertificationStatus.NOTICE, batch__isnull=False)
        .select_related("product", "partner", "partner__region", "batch", "certifying_office")
        .annotate(county_name=county_name_of("partner__region__code"), category_name=category_name_of("product"))
        .order_by("batch__notice_ends_on", "certificate_number")
    )


def filter_choices():
    """The counties, categories and batches offered as filters (four queries)."""
    county_codes = list(
        SupplierCertification.objects.filter(status=CertificationStatus.CERTIFIED)
        .values_list("partner__region__code", flat=True)
        .distinct()
    )
    prefixes = {code[:6] for code in county_codes if code}
    counties = Region.objects.filter(level=COUNTY, code__in=[p + "000000" for p in prefixes]).order_by("code")
    categories = Category.objects.filter(depth=1).order_by("path")
    batches = CatalogueBatch.objects.filter(published_on__isnull=False).select_related("county")
    return counties, categories, batches


def apply_filters(queryset, *, county=None, category=None, batch=None):
    if county is not None:
        queryset = queryset.filter(partner__region__code__startswith=county.prefix)
    if category is not None:
        queryset = queryset.filter(product__categories__path__startswith=category.path).distinct()
    if batch is not None:
        queryset = queryset.filter(batch=batch)
    return queryset


def export_columns():
    return [
        _("Certificate number"),
        _("Product"),
        _("Supplier"),
        _("Unified social credit code"),
        _("County"),
        _("Category"),
        _("Batch"),
        _("Certifying office"),
        _("Valid from"),
        _("Valid until"),
    ]


def export_rows(queryset):
    for c in queryset.iterator(chunk_size=500):
        yield [
            c.certificate_number,
            c.product.title,
            c.partner.display_name,
            c.partner.credit_code or "",
            c.county_name or "",
            c.category_name or "",
            str(c.batch) if c.batch_id else "",
            c.certifying_office.name if c.certifying_office_id else "",
            c.valid_from,
            c.valid_until,
        ]


def as_xlsx(queryset, title):
    from openpyxl.styles import Font

    workbook = new_workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    widths = [18, 30, 30, 22, 12, 14, 16, 14, 12, 12]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append(write_only_row(sheet, export_columns(), font=Font(bold=True)))
    for row in export_rows(queryset):
        sheet.append(write_only_row(sheet, row))
    return workbook_bytes(workbook)


def as_csv(queryset):
    writer = CsvWriter()
    writer.writerow(export_columns())
    writer.writerows(export_rows(queryset))
    return writer.text().encode("utf-8")
