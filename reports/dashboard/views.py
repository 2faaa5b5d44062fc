"""Back-office screens of purchase records and half-month reports (Oscar dashboard)."""

from datetime import date
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import (
    CONFIRM_PURCHASES,
    PREPARE_REPORTS,
    REGISTER_PURCHASES,
    REVIEW_REPORTS,
    VIEW_OFFICE_DASHBOARD,
    VIEW_PURCHASE_RECORDS,
    VIEW_REPORTS,
    permission_required,
    require,
)
from accounts.redirects import safe_next
from organisations.models import Unit
from regions.models import Region
from reports import importing, rollup, selectors, services
from reports.dashboard.forms import DisputeForm, ImportForm, RecordForm, ReturnForm
from reports.models import ImportJob
from reports.outputs import XLSX_TYPE, file_name, report_csv, report_figures, report_xlsx
from reports.periods import period_from_key
from reports.tasks import import_run
from suppliers.private_files import private_file_response

ACTION_PERMISSIONS = {
    "submit": PREPARE_REPORTS,
    "amend": PREPARE_REPORTS,
    "approve": REVIEW_REPORTS,
    "return": REVIEW_REPORTS,
}


def _error_text(error):
    return " ".join(error.messages)


def entry_choices(user):
    """Units and villages this person may register purchases for."""
    units = selectors.units_of(user)
    region = selectors.office_region(user)
    if roles.VILLAGE in selectors.user_roles(user) and region is not None:
        return Unit.objects.all(), Region.objects.filter(pk=region.pk)
    villages = Region.objects.filter(paired_units__in=units).distinct()
    return units, villages


@permission_required(VIEW_PURCHASE_RECORDS)
def record_list(request):
    records = selectors.records_visible_to(request.user).select_related("unit", "village", "supplier")
    key = request.GET.get("period")
    if key:
        try:
            period = period_from_key(key)
        except ValueError:
            period = None
        if period:
            records = records.filter(purchased_on__gte=period.start, purchased_on__lte=period.end)
    status = request.GET.get("confirmation")
    if status:
        records = records.filter(confirmation=status)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    units, villages = entry_choices(request.user)
    own_units = set(selectors.units_of(request.user).values_list("pk", flat=True))
    for record in page.object_list:
        record.can_confirm = (
            record.confirmation != "confirmed" and not record.locked and services.may_confirm(request.user, record)
        )
        record.can_change = services.may_change(request.user, record, own_unit_ids=own_units)
    with_receipt = [record.pk for record in page.object_list if record.receipt]
    receipts = set(selectors.receipts_visible_to(request.user).filter(pk__in=with_receipt).values_list("pk", flat=True))
    for record in page.object_list:
        record.can_open_receipt = record.pk in receipts
    return render(
        request,
        "reports/dashboard/record_list.html",
        {"page": page, "can_enter": villages.exists(), "dispute_form": DisputeForm()},
    )


def record_receipt(request, pk):
    """A record's receipt, for its unit or village and the offices over it; a 404 for anyone else."""
    record = get_object_or_404(selectors.receipts_visible_to(request.user), pk=pk)
    return private_file_response(record.receipt, original_name=record.receipt_name)


@permission_required(REGISTER_PURCHASES)
def record_create(request):
    units, villages = entry_choices(request.user)
    form = RecordForm(request.POST or None, request.FILES or None, units=units, villages=villages)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        receipt = data.pop("receipt", None) or None
        source = "village" if roles.VILLAGE in selectors.user_roles(request.user) else "form"
        try:
            services.record_create(registered_by=request.user, source=source, receipt=receipt, **data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The purchase was recorded."))
            return redirect("reports-dashboard:record-list")
    return render(request, "reports/dashboard/record_form.html", {"form": form})


def _form_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, _error_text(error))


@permission_required(REGISTER_PURCHASES)
def record_edit(request, pk):
    """Correct a record: changed in place while no report has counted it, else replaced by an amendment."""
    record = get_object_or_404(selectors.records_visible_to(request.user), pk=pk)
    if not services.may_change(request.user, record):
        raise PermissionDenied(_("Only the unit or village that registered this purchase may correct it."))
    amending = record.reported or record.locked
    units, villages = entry_choices(request.user)
    form = RecordForm(request.POST or None, instance=record, units=units, villages=villages)
    form.fields.pop("receipt")
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in services.RECORD_FIELDS}
        try:
            if amending:
                services.record_amend(record=record, user=request.user, **changes)
            else:
                services.record_update(record=record, user=request.user, **changes)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if amending:
                messages.success(request, _("An amendment replaces the record; the original is kept in the history."))
            else:
                messages.success(request, _("The purchase was corrected."))
            return redirect("reports-dashboard:record-list")
    return render(request, "reports/dashboard/record_form.html", {"form": form, "record": record, "amending": amending})


@permission_required(REGISTER_PURCHASES)
@require_POST
def record_delete(request, pk):
    record = get_object_or_404(selectors.records_visible_to(request.user), pk=pk)
    try:
        services.record_delete(record=record, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The purchase record was deleted."))
    return redirect("reports-dashboard:record-list")


@permission_required(CONFIRM_PURCHASES)
@require_POST
def record_confirm(request, pk):
    record = get_object_or_404(selectors.records_visible_to(request.user), pk=pk)
    try:
        if request.POST.get("action") == "dispute":
            services.record_dispute(record=record, user=request.user, reason=request.POST.get("reason", ""))
            messages.warning(request, _("The purchase was disputed."))
        else:
            services.record_confirm(record=record, user=request.user)
            messages.success(request, _("The purchase was confirmed."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return safe_next(request, "reports-dashboard:record-list")


@permission_required(REGISTER_PURCHASES)
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    units = list(selectors.units_of(request.user))
    if request.method == "POST" and form.is_valid():
        region = selectors.office_region(request.user)
        village = region if roles.VILLAGE in selectors.user_roles(request.user) and region else None
        unit = None
        if village is None:
            unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), units[0] if units else None)
        try:
            job = importing.start_import(
                user=request.user, upload=form.cleaned_data["file"], unit=unit, village=village
            )
        except ValidationError as error:
            form.add_error("file", _error_text(error))
        else:
            # A lost enqueue is not lost work: the sweep enqueues a job left waiting again.
            transaction.on_commit(partial(import_run.enqueue, job_id=job.pk), robust=True)
            return redirect("reports-dashboard:import-detail", pk=job.pk)
    jobs = ImportJob.objects.filter(uploaded_by=request.user)[:10]
    return render(request, "reports/dashboard/import_form.html", {"form": form, "units": units, "jobs": jobs})


@permission_required(REGISTER_PURCHASES)
def import_detail(request, pk):
    job = get_object_or_404(ImportJob, pk=pk, uploaded_by=request.user)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": job.status,
                "status_label": job.get_status_display(),
                "processed": job.processed_rows,
                "total": job.total_rows,
                "percent": job.percent,
                "imported": job.imported_rows,
                "errors": job.errors[:200],
            }
        )
    return render(request, "reports/dashboard/import_detail.html", {"job": job})


def import_file(request, pk):
    """The spreadsheet as uploaded, for the person who uploaded it; a 404 for anyone else."""
    if not request.user.is_authenticated:
        raise Http404
    jobs = ImportJob.objects.all() if request.user.is_superuser else ImportJob.objects.filter(uploaded_by=request.user)
    job = get_object_or_404(jobs, pk=pk)
    return private_file_response(job.file, original_name=job.file_name)


@permission_required(REGISTER_PURCHASES)
def import_template(request, extension):
    if extension == "xlsx":
        response = HttpResponse(importing.template_xlsx(), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="purchase-records-template.{extension}"'
    return response


def _bodies(user):
    """The reporting bodies this person prepares reports for."""
    bodies = [("unit", unit) for unit in selectors.units_of(user)]
    region = selectors.office_region(user)
    if region is not None and selectors.REGION_ROLE_OF_LEVEL.get(region.level) in selectors.user_roles(user):
        bodies.append(("region", region))
    return bodies


@permission_required(VIEW_REPORTS)
def report_list(request):
    try:
        period = period_from_key(request.GET["period"]) if "period" in request.GET else services.default_period()
    except ValueError:
        period = services.default_period()
    region = selectors.office_region(request.user)
    overview = selectors.submission_overview(region=region, period=period) if region is not None else []
    reports = selectors.reports_visible_to(request.user).filter(period_start=period.start)
    return render(
        request,
        "reports/dashboard/report_list.html",
        {
            "period": period,
            "previous": period.previous(),
            "next": period.next(),
            "bodies": _bodies(request.user),
            "overview": overview,
            "reports": reports,
        },
    )


@permission_required(PREPARE_REPORTS)
@require_POST
def report_start(request):
    period = period_from_key(request.POST["period"])
    kind, pk = request.POST.get("body", ":").split(":")
    unit = get_object_or_404(Unit, pk=pk) if kind == "unit" else None
    region = get_object_or_404(Region, pk=pk) if kind == "region" else None
    report = services.report_for(user=request.user, period=period, unit=unit, region=region)
    return redirect("reports-dashboard:report-detail", pk=report.pk)


def _visible_report(user, pk):
    return get_object_or_404(selectors.reports_visible_to(user), pk=pk)


@permission_required(VIEW_REPORTS)
def report_detail(request, pk):
    report = _visible_report(request.user, pk)
    figures = report_figures(report)
    can_prepare = services.may_prepare(request.user, unit=report.unit, region=report.region)
    can_review = services.may_review(request.user, report)
    disputes, disputes_more = rollup.dispute_list(services.body_records(report))
    return render(
        request,
        "reports/dashboard/report_detail.html",
        {
            "report": report,
            "figures": figures,
            "disputes": disputes,
            "disputes_more": disputes_more,
            "history": report.status_changes.select_related("changed_by"),
            "can_submit": can_prepare and report.status in ("draft", "returned"),
            "can_review": can_review and report.status in ("submitted", "resubmitted"),
            "can_amend": can_prepare and report.status == "approved",
            "return_form": ReturnForm(),
        },
    )


@permission_required(VIEW_REPORTS)
@require_POST
def report_action(request, pk, action):
    if action not in ACTION_PERMISSIONS:
        raise Http404
    require(request.user, ACTION_PERMISSIONS[action])
    report = _visible_report(request.user, pk)
    try:
        if action == "submit":
            services.report_submit(report=report, user=request.user)
            messages.success(request, _("The report was submitted to the office above."))
        elif action == "approve":
            services.report_approve(report=report, user=request.user, comment=request.POST.get("comment", ""))
            messages.success(request, _("The report was approved; it and its records are now locked."))
        elif action == "return":
            services.report_return(report=report, user=request.user, comment=request.POST.get("comment", ""))
            messages.warning(request, _("The report was returned with your comment."))
        else:
            amendment = services.report_amend(report=report, user=request.user)
            return redirect("reports-dashboard:report-detail", pk=amendment.pk)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("reports-dashboard:report-detail", pk=report.pk)


@permission_required(VIEW_REPORTS)
def report_download(request, pk, extension):
    report = _visible_report(request.user, pk)
    if extension == "xlsx":
        response = HttpResponse(report_xlsx(report), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name(report, extension)}"'
    return response


@permission_required(VIEW_OFFICE_DASHBOARD)
def office_dashboard(request):
    region = selectors.office_region(request.user)
    if region is None:
        raise PermissionDenied(_("Your account has no jurisdiction to review."))
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    figures = selectors.dashboard_figures(region=region, year=year)
    chart = {
        "periods": {
            "labels": [p["label"] for p in figures["periods"]],
            "values": [str(p["amount"]) for p in figures["periods"]],
        },
        "counties": {
            "labels": [c["county_name"] for c in figures["counties"]],
            "values": [str(c["amount"]) for c in figures["counties"]],
        },
        "categories": {
            "labels": [c["category"] for c in figures["categories"]],
            "values": [str(c["amount"]) for c in figures["categories"]],
        },
        "units": {
            "labels": [u["unit__name"] or "—" for u in figures["units"]],
            "values": [str(u["amount"]) for u in figures["units"]],
        },
    }
    from reports.models import Category

    labels = dict(Category.choices)
    chart["categories"]["labels"] = [str(labels.get(c, c)) for c in chart["categories"]["labels"]]
    return render(
        request,
        "reports/dashboard/office_dashboard.html",
        {"region": region, "year": year, "figures": figures, "chart": chart, "today": date.today()},
    )
