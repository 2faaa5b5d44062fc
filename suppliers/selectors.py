from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum, Value
from django.utils import timezone

from accounts import roles
from suppliers.models import (
    CatalogueBatch,
    CertificationStatus,
    ChangeRequest,
    Objection,
    ObjectionStatus,
    Partner,
    ProductCertification,
    SupplierCertification,
)


def valid_supplier_exists(on=None, partner_ref="partner"):
    """An expression true when the supplier named by `partner_ref` holds a valid certification."""
    return Exists(SupplierCertification.objects.valid(on).filter(partner=OuterRef(partner_ref)))


def sellable_product_filter(on=None):
    """An expression true for products that hold a valid certification from a supplier that holds one too, and
    whose certified facts (or the supplier's) are not awaiting the county office's review of a change."""
    on = on or timezone.localdate()
    supplier_ok = SupplierCertification.objects.valid(on).filter(partner=OuterRef("partner"))
    supplier_changing = ChangeRequest.objects.pending().filter(partner=OuterRef("partner"), product__isnull=True)
    product_ok = (
        ProductCertification.objects.valid(on)
        .filter(product=OuterRef("pk"))
        .filter(Exists(supplier_ok))
        .exclude(Exists(supplier_changing))
    )
    product_changing = ChangeRequest.objects.pending().filter(product=OuterRef("pk"))
    return Exists(product_ok) & ~Exists(product_changing)


def sellable_certifications(*, product_ids, on=None):
    """The certifications that let these products be sold today: valid, from a supplier whose certification is valid
    too, and with no change to the product's or the supplier's certified facts awaiting review (the rule of
    sellable_product_filter, asked from the certifications' side). Newest application first, with the supplier and
    the certifying office."""
    on = on or timezone.localdate()
    supplier_ok = SupplierCertification.objects.valid(on).filter(partner=OuterRef("partner"))
    supplier_changing = ChangeRequest.objects.pending().filter(partner=OuterRef("partner"), product__isnull=True)
    product_changing = ChangeRequest.objects.pending().filter(product=OuterRef("product"))
    return (
        ProductCertification.objects.valid(on)
        .filter(product_id__in=product_ids)
        .filter(Exists(supplier_ok))
        .exclude(Exists(supplier_changing))
        .exclude(Exists(product_changing))
        .select_related("partner", "certifying_office")
    )


def change_pending_exists(*, product_ref="product", partner_ref="partner"):
    """An expression true when a change to the certified facts of the product named by `product_ref`, or of its
    supplier named by `partner_ref`, awaits the county office's review."""
    return Exists(
        ChangeRequest.objects.pending().filter(
            Q(product=OuterRef(product_ref)) | Q(partner=OuterRef(partner_ref), product__isnull=True)
        )
    )


def product_valid_certification(*, product, on=None):
    """The certification that lets this product be sold today, or None."""
    on = on or timezone.localdate()
    supplier_ok = SupplierCertification.objects.valid(on).filter(partner=OuterRef("partner"))
    return (
        ProductCertification.objects.valid(on)
        .filter(product=product)
        .filter(Exists(supplier_ok))
        .select_related("partner", "partner__region", "certifying_office", "batch")
        .first()
    )


def review_queue(*, reviewer):
    """Supplier and product certifications of the reviewer's county, newest first."""
    from .models import ProductCertification, SupplierCertification

    county = reviewer.region
    if county is None:
        return SupplierCertification.objects.none(), ProductCertification.objects.none()
    suppliers = SupplierCertification.objects.filter(partner__region__code__startswith=county.prefix).select_related(
        "partner", "partner__region"
    )
    products = ProductCertification.objects.filter(partner__region__code__startswith=county.prefix).select_related(
        "partner", "product", "batch"
    )
    return suppliers, products


def certifications_of_staff(*, user):
    """What a supplier's staff see: their suppliers' certifications, with the reasons given."""
    from .models import ProductCertification, SupplierCertification

    return (
        SupplierCertification.objects.filter(partner__users=user).select_related("partner"),
        ProductCertification.objects.filter(partner__users=user).select_related("partner", "product", "batch"),
    )


def certifications_visible_to(*, user, model):
    """Certifications (with their evidence) this person may see: their supplier's, or their office's jurisdiction's."""
    if not user.is_authenticated:
        return model.objects.none()
    if user.is_superuser:
        return model.objects.all()
    held = set(user.groups.values_list("name", flat=True))
    condition = Q(pk__in=[])
    if roles.SUPPLIER in held:
        condition |= Q(partner__users=user)
    if held & {roles.COUNTY, roles.CITY} and user.region_id:
        condition |= Q(partner__region__code__startswith=user.region.prefix)
    if roles.TOWNSHIP in held and user.region_id and user.region.level == "township":
        condition |= Q(partner__region__code__startswith=user.region.prefix)
    return model.objects.filter(condition).distinct()


def township_queue(*, clerk):
    """Supplier and product applications from the clerk's township: those awaiting its first check first."""
    township = clerk.region
    if township is None or township.level != "township":
        return SupplierCertification.objects.none(), ProductCertification.objects.none()
    within = Q(partner__region__code__startswith=township.prefix)
    suppliers = SupplierCertification.objects.filter(within).select_related("partner", "partner__region")
    products = ProductCertification.objects.filter(within).select_related("partner", "product", "batch")
    return suppliers, products


def batches_of_office(*, reviewer):
    """The county office's numbered batches, newest first, with how many products and open objections each has."""
    from django.db.models import Count

    if reviewer.region_id is None:
        return CatalogueBatch.objects.none()
    return (
        CatalogueBatch.objects.filter(county=reviewer.region)
        .select_related("county")
        .annotate(
            products=Count("certifications", distinct=True),
            open_objections=Count("objections", filter=Q(objections__status=ObjectionStatus.OPEN), distinct=True),
        )
    )


def objections_of_batches(*, batch_ids):
    return (
        Objection.objects.filter(batch_id__in=batch_ids)
        .select_related("certification__product", "answered_by")
        .order_by("status", "-submitted_at")
    )


def batches_in_notice(*, on=None):
    """Batches whose public notice runs today: the public may object to them."""
    on = on or timezone.localdate()
    return CatalogueBatch.objects.filter(
        published_on__isnull=True, notice_starts_on__lte=on, notice_ends_on__gte=on
    ).select_related("county")


def product_is_certified(*, product):
    """Whether the product's facts are vouched for by a certificate (on public notice or in force)."""
    return ProductCertification.objects.filter(
        product=product, status__in=[CertificationStatus.NOTICE, CertificationStatus.CERTIFIED]
    ).exists()


def supplier_is_certified(*, partner):
    return SupplierCertification.objects.filter(partner=partner, status=CertificationStatus.CERTIFIED).exists()


def pending_change_request(*, product):
    return ChangeRequest.objects.pending().filter(product=product).first()


def change_under_review(*, product_id, partner_id):
    """Whether selling this product from this supplier waits on a change request."""
    return (
        ChangeRequest.objects.pending()
        .filter(Q(product_id=product_id) | Q(partner_id=partner_id, product__isnull=True))
        .exists()
    )


def suspended_by_changes(*, product_ids, partner_ids):
    """Of these products and suppliers, the ones whose selling waits on a change request: (product ids, partner ids)."""
    pending = ChangeRequest.objects.pending()
    products = set(pending.filter(product_id__in=list(product_ids)).values_list("product_id", flat=True))
    partners = set(
        pending.filter(partner_id__in=list(partner_ids), product__isnull=True).values_list("partner_id", flat=True)
    )
    return products, partners


def change_requests_to_review(*, reviewer):
    """Change requests of suppliers within the reviewer's office's jurisdiction (county, or city read-only)."""
    region = reviewer.region
    if region is None:
        return ChangeRequest.objects.none()
    return ChangeRequest.objects.filter(partner__region__code__startswith=region.prefix).select_related(
        "partner", "product", "submitted_by", "decided_by"
    )


def change_requests_of_staff(*, user):
    return ChangeRequest.objects.filter(partner__users=user).select_related(
        "partner", "product", "submitted_by", "decided_by"
    )


def supplier_histories(*, partner_ids):
    """For each supplier, its applications by kind and status and its change requests, in three queries.

    {partner_id: {"products": [(status label, count)], "supplier": [...], "changes": [...]}} — what a reviewer reads
    beside an application: what was certified, refused or revoked before, and what the supplier asked to change.
    """
    from django.db.models import Count

    from .models import (
        CertificationStatus,
        ChangeRequest,
        ChangeRequestStatus,
        ProductCertification,
        SupplierCertification,
    )

    histories = {pk: {"products": [], "supplier": [], "changes": []} for pk in partner_ids}
    sources = [
        ("products", ProductCertification.objects, CertificationStatus),
        ("supplier", SupplierCertification.objects, CertificationStatus),
        ("changes", ChangeRequest.objects, ChangeRequestStatus),
    ]
    for key, manager, statuses in sources:
        rows = (
            manager.filter(partner_id__in=partner_ids)
            .values("partner_id", "status")
            .annotate(n=Count("id"))
            .order_by("partner_id", "status")
        )
        for row in rows:
            histories[row["partner_id"]][key].append((statuses(row["status"]).label, row["n"]))
    return histories


# --- Honest prices ---


def lowest_recent_price(*, stockrecord, now=None):
    """The lowest price the stock record showed in the last PRICE_LOWEST_WINDOW_DAYS days, when below today's price.

    Counted in: the prices shown from within the window, and the one already showing when the window began.
    None when the price has not gone up in that time (or no history is kept yet).
    """
    from datetime import timedelta

    from django.conf import settings
    from django.db.models import Min

    from suppliers.models import PriceHistory

    if stockrecord is None or stockrecord.price is None:
        return None
    start = (now or timezone.now()) - timedelta(days=settings.PRICE_LOWEST_WINDOW_DAYS)
    history = PriceHistory.objects.filter(stockrecord=stockrecord)
    lowest = history.filter(shown_from__gte=start).aggregate(low=Min("price"))["low"]
    before = history.filter(shown_from__lt=start).order_by("-shown_from", "-pk").values_list("price", flat=True)[:1]
    # SQLite's MIN gives 100 for 100.00: prices are shown to the fen.
    candidates = [Decimal(price).quantize(Decimal("0.01")) for price in (lowest, *before) if price is not None]
    if not candidates or min(candidates) >= stockrecord.price:
        return None
    return min(candidates)


def price_changes_to_review(*, reviewer):
    """Price rises of suppliers within the office's jurisdiction, awaiting a decision first."""
    from suppliers.models import PriceChange

    region = reviewer.region
    if region is None:
        return PriceChange.objects.none()
    return (
        PriceChange.objects.filter(stockrecord__partner__region__code__startswith=region.prefix)
        .select_related("stockrecord__product", "stockrecord__partner", "requested_by", "decided_by")
        .order_by("status", "-requested_at")
    )


def prices_above_reference(*, region):
    """Stock records within the region whose price is above their certified reference, most above first.

    One query: the reference is the newest certification's (in force or on notice) from the same supplier, and the
    excess is worked out in the database.
    """
    from django.db.models import DecimalField, ExpressionWrapper, F, Subquery
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    reference = (
        ProductCertification.objects.filter(
            product=OuterRef("product"),
            partner=OuterRef("partner"),
            status__in=[CertificationStatus.NOTICE, CertificationStatus.CERTIFIED],
            reference_price__isnull=False,
        )
        .order_by("-applied_at", "-pk")
        .values("reference_price")[:1]
    )
    return (
        StockRecord.objects.filter(partner__region__code__startswith=region.prefix)
        .annotate(reference=Subquery(reference))
        .filter(price__gt=F("reference"))
        .annotate(
            excess_percent=ExpressionWrapper(
                (F("price") - F("reference")) * 100 / F("reference"),
                output_field=DecimalField(max_digits=12, decimal_places=1),
            )
        )
        .select_related("product", "partner")
        .order_by("-excess_percent", "pk")
    )


def office_certification_work(*, region):
    """What waits for an office beside applications: price rises to decide and objections to answer (two queries)."""
    from suppliers.models import PriceChange, PriceChangeStatus

    return {
        "price_rises": PriceChange.objects.filter(
            status=PriceChangeStatus.PENDING, stockrecord__partner__region__code__startswith=region.prefix
        ).count(),
        "objections": Objection.objects.filter(
            status=ObjectionStatus.OPEN, batch__county__code__startswith=region.prefix
        ).count(),
    }


def township_checks_waiting(*, township):
    """Applications from the township's suppliers waiting for its first check."""
    in_township = Q(partner__region__code__startswith=township.prefix, status=CertificationStatus.TOWNSHIP)
    return (
        ProductCertification.objects.filter(in_township).count()
        + SupplierCertification.objects.filter(in_township).count()
    )


def household_income_by_mechanism(*, entries):
    """Amounts by the household-linkage mechanism their suppliers declare, with the estimated income reaching poor
    households: each amount × the rate its supplier declared for the mechanism.

    `entries` are rows with a supplier (`partner`) and a signed `amount`: the settlement ledger's credits and debits
    (the caller picks them; this layer does not know the ledger). One query, aggregated in the database. An amount
    counts once under each mechanism its supplier declares, so the sales are not to be added up across mechanisms;
    the income is. Returns {"rows": [one per mechanism, each with mechanism, label, sales, income, suppliers,
    entries], "income": the estimate in all}, amounts to the fen, half up.
    """
    money = DecimalField(max_digits=20, decimal_places=6)
    by_mechanism = (
        entries.filter(partner__household_links__isnull=False)
        .values(mechanism=F("partner__household_links__mechanism"))
        .annotate(
            sales=Sum("amount"),
            income=Sum(
                ExpressionWrapper(
                    # × 0.01 rather than ÷ 100: SQLite stores 240.00 and 8.00 as integers and would divide them so.
                    F("amount") * F("partner__household_links__rate_percent") * Value(Decimal("0.01")),
                    output_field=money,
                )
            ),
            suppliers=Count("partner", distinct=True),
            n_entries=Count("id"),
        )
        .order_by("mechanism")
    )
    labels = dict(Partner.LINK_CHOICES)
    cent = Decimal("0.01")
    rows, exact_income = [], Decimal("0")
    for row in by_mechanism:
        income = Decimal(row["income"] or 0)
        exact_income += income
        rows.append(
            {
                "mechanism": row["mechanism"],
                "label": labels.get(row["mechanism"], row["mechanism"]),
                "sales": Decimal(row["sales"] or 0).quantize(cent, rounding=ROUND_HALF_UP),
                "income": income.quantize(cent, rounding=ROUND_HALF_UP),
                "suppliers": row["suppliers"],
                "entries": row["n_entries"],
            }
        )
    return {"rows": rows, "income": exact_income.quantize(cent, rounding=ROUND_HALF_UP)}
