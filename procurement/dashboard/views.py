"""Back-office pages of the units' reserved share: filings, execution, bulletins."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from accounts import roles
from accounts.permissions import (
    REGISTER_PURCHASES,
    REVIEW_REPORTS,
    VIEW_OFFICE_DASHBOARD,
    VIEW_REPORTS,
    permission_required,
)
from procurement import bulletins, selectors, services
from procurement.dashboard.forms import FilingForm, RecipientsForm, ReturnForm, SendForm, VoucherBatchForm
from procurement.models import WITH_BUDGET, FilingStatus, VoucherBatch
from regions.models import CITY, COUNTY
from reports.selectors import office_region, units_of, user_roles
from shop.order import recipients

Order = get_model("order", "Order")
GroupDelivery = get_model("order", "GroupDelivery")


def _error_text(error):
    return " ".join(error.messages)


def _office(user):
    region = office_region(user)
    if region is None or region.level not in (COUNTY, CITY) or not user_roles(user) & selectors.OFFICE_ROLES:
        raise PermissionDenied(_("This page is for the county and city offices."))
    return region


def _year(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


@permission_required(VIEW_REPORTS)
def filing_list(request):
    """A unit files its share here and sees its filings; an office sees the filings of its jurisdiction."""
    user = request.user
    units = units_of(user)
    is_unit = roles.UNIT in user_roles(user)
    office = office_region(user) if user_roles(user) & selectors.OFFICE_ROLES else None
    if not is_unit and office is None and not user.is_superuser:
        raise PermissionDenied(_("This page is for units and the offices that confirm their filings."))
    form = None
    year = _year(request)
    if is_unit:
        form = FilingForm(request.POST or None, units=units, initial=_filed_figures(units, year))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                filing = services.filing_submit(
                    unit=data["unit"],
                    year=data["year"],
                    user=user,
                    canteen=data["canteen"],
                    canteen_budget=data["canteen_budget"],
                    share_percent=data["share_percent"],
                    shared_with=list(data["shared_with"]),
                    contractor=data["contractor"],
                    note=data["note"],
                )
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("The filing was sent to the office to confirm."))
                return redirect("procurement-dashboard:filing-detail", pk=filing.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Only the unit's own members file its reserved share."))
    filings = selectors.filings_visible_to(user).filter(year=year).order_by("status", "unit__name")
    rows = selectors.execution_of(filings, year=year)
    return render(
        request,
        "procurement/dashboard/filing_list.html",
        {
            "form": form,
            "rows": rows,
            "year": year,
            "office": office,
            "minimum": _minimum(),
            # Other units' unconfirmed filings that name the person's units: shown, and blocking nothing yet.
            "claims": selectors.pending_claims(units=units, year=year) if is_unit else [],
        },
    )


def _filed_figures(units, year):
    """The form filled in with the year's filing of the person's unit, when they have one unit and it filed: a change
    starts from what was filed."""
    if units.count() != 1:
        return {"year": year}
    filing = selectors.unit_filings(units=units, year=year).first()
    if filing is None:
        return {"year": year, "unit": units.first()}
    return {
        "unit": filing.unit,
        "year": year,
        "canteen": filing.canteen,
        "canteen_budget": filing.canteen_budget,
        "share_percent": filing.share_percent,
        "shared_with": list(filing.shared_with.all()),
        "contractor": filing.contractor,
        "note": filing.note,
    }


def _minimum():
    return settings.PROCUREMENT_MINIMUM_SHARE_PERCENT


@permission_required(VIEW_REPORTS)
def filing_detail(request, pk):
    filing = get_object_or_404(selectors.filings_visible_to(request.user), pk=pk)
    (row,) = selectors.execution_of([filing], year=filing.year)
    return render(
        request,
        "procurement/dashboard/filing_detail.html",
        {
            "filing": filing,
            "row": row,
            "changes": filing.changes.select_related("changed_by"),
            "shared_with": filing.shared_with.order_by("name"),
            "may_decide": filing.status == FilingStatus.SUBMITTED
            and selectors.is_confirming_office(request.user, filing.unit),
            "return_form": ReturnForm(),
            "with_budget": filing.canteen in WITH_BUDGET,
        },
    )


@permission_required(REVIEW_REPORTS)
@require_POST
def filing_decide(request, pk, step):
    filing = get_object_or_404(selectors.filings_visible_to(request.user), pk=pk)
    try:
        if step == "confirm":
            services.filing_confirm(filing=filing, user=request.user)
            messages.success(request, _("The filing is confirmed."))
        else:
            services.filing_return(filing=filing, user=request.user, reason=request.POST.get("reason", ""))
            messages.warning(request, _("The filing was returned to the unit with your reason."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("procurement-dashboard:filing-detail", pk=filing.pk)


@permission_required(VIEW_OFFICE_DASHBOARD)
def execution(request):
    office = _office(request.user)
    year = _year(request)
    today = timezone.localdate()
    rows = selectors.office_execution(
        office=office, year=year, today=min(today, today.replace(year=year, month=12, day=31))
    )
    elapsed, days = selectors.year_elapsed(year, today)
    return render(
        request,
        "procurement/dashboard/execution.html",
        {
            "office": office,
            "year": year,
            "rows": rows,
            "counties": selectors.county_execution(rows) if office.level == CITY else [],
            "elapsed": elapsed,
            "days": days,
        },
    )


@permission_required(VIEW_OFFICE_DASHBOARD)
def bulletin_list(request):
    _office(request.user)
    return render(
        request,
        "procurement/dashboard/bulletin_list.html",
        {"bulletins": bulletins.bulletins_visible_to(request.user)[:48]},
    )


@permission_required(VIEW_OFFICE_DASHBOARD)
def bulletin_detail(request, pk):
    bulletin = get_object_or_404(bulletins.bulletins_visible_to(request.user), pk=pk)
    return render(
        request,
        "procurement/dashboard/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "contents": bulletin.contents,
            "send_form": SendForm(initial={"comment": bulletin.comment}),
            "may_send": bulletin.status == "draft" and bulletins.may_send(request.user, bulletin),
            "canteens": dict(bulletins.Canteen.choices),
        },
    )


@permission_required(VIEW_OFFICE_DASHBOARD)
def bulletin_download(request, pk):
    bulletin = get_object_or_404(bulletins.bulletins_visible_to(request.user), pk=pk)
    response = HttpResponse(bulletins.bulletin_xlsx(bulletin), content_type=bulletins.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{bulletins.file_name(bulletin)}"'
    return response


@permission_required(VIEW_OFFICE_DASHBOARD)
@require_POST
def bulletin_send(request, pk):
    bulletin = get_object_or_404(bulletins.bulletins_visible_to(request.user), pk=pk)
    form = SendForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        bulletins.bulletin_send(bulletin=bulletin, user=request.user, comment=comment)
        messages.success(request, _("The bulletin is being sent to the office and to the units it names."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("procurement-dashboard:bulletin-detail", pk=bulletin.pk)


def _unit_member(user):
    if roles.UNIT not in user_roles(user):
        raise PermissionDenied(_("Only a unit's purchasers buy vouchers and set delivery addresses for it."))
    return units_of(user)


@permission_required(REGISTER_PURCHASES)
def voucher_list(request):
    units = _unit_member(request.user)
    form = VoucherBatchForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.voucher_batch_buy(
                unit=data["unit"], user=request.user, count=data["count"], value=data["value"], note=data["note"]
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The vouchers are issued; hand each member of staff one code."))
            return redirect("procurement-dashboard:voucher-detail", pk=batch.pk)
    batches = (
        VoucherBatch.objects.filter(unit__in=units)
        .select_related("unit")
        .annotate(redeemed=Count("vouchers", filter=Q(vouchers__redeemed_at__isnull=False)))
    )
    orders = (
        Order.objects.filter(unit__in=units)
        .select_related("unit")
        .annotate(recipient_count=Count("group_delivery__recipients__phone", distinct=True))
        .order_by("-date_placed")[:10]
    )
    return render(
        request,
        "procurement/dashboard/voucher_list.html",
        {"form": form, "batches": batches[:100], "orders": orders},
    )


@permission_required(REGISTER_PURCHASES)
def voucher_detail(request, pk):
    units = _unit_member(request.user)
    batch = get_object_or_404(VoucherBatch.objects.filter(unit__in=units).select_related("unit"), pk=pk)
    vouchers = batch.vouchers.select_related("redeemed_by", "product")
    return render(request, "procurement/dashboard/voucher_detail.html", {"batch": batch, "vouchers": vouchers})


@permission_required(REGISTER_PURCHASES)
def order_recipients(request, number):
    """An order's recipients; they are chosen at checkout, and can be set or replaced here until a parcel leaves
    (for an order placed for one address, or placed before checkout offered the choice)."""
    units = _unit_member(request.user)
    order = get_object_or_404(Order.objects.filter(unit__in=units).select_related("unit"), number=number)
    shipped = order.shipments.filter(shipped_at__isnull=False).exists()
    form = None if shipped else RecipientsForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST":
        if shipped:
            raise PermissionDenied(_("A parcel of this order has left; its recipients can no longer change."))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                recipients.group_delivery_upload(
                    order=order, user=request.user, data=recipients.read_upload(upload), file_name=upload.name
                )
            except recipients.RecipientsRejected as error:
                errors = error.row_errors
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("The recipients are saved; the order goes to each of them."))
                return redirect("procurement-dashboard:order-recipients", number=order.number)
    delivery = GroupDelivery.objects.filter(order=order).first()
    rows = list(delivery.recipients.select_related("line")) if delivery else []
    return render(
        request,
        "procurement/dashboard/order_recipients.html",
        {"order": order, "form": form, "errors": errors, "delivery": delivery, "recipients": rows},
    )
