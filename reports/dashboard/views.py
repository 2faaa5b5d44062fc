"""Back-office screens of purchase records and half-month reports (Oscar dashboard)."""

from datetime import date
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.errors import BadRequest
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
from reports import charts, importing, reconciliation, reminders, selectors, services, status
from reports.dashboard.forms import AmendReasonForm, DisputeForm, ImportForm, RecordForm, ReturnForm, SubmitForm
from reports.errors import NotAllowed, PeriodClosed
from reports.models import (
    Category,
    Channel,
    Confirmation,
    ImportJob,
    PaymentMethod,
    RecordChange,
    SellerKind,
)
from reports.outputs import XLSX_TYPE, file_name, report_csv, report_disputes, report_figures, report_xlsx
from reports.periods import period_from_key, period_of
from reports.status import CHILD_LEVEL, ReportState
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
    """Units and villages this person may register purchases for (the import offers the same)."""
    return selectors.record_entry_choices(user)


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
    # The filters without the page number, for the page links: moving through the pages keeps the filters.
    filters = request.GET.copy()
    filters.pop("page", None)
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
        {
            "page": page,
            "can_enter": villages.exists(),
            "dispute_form": DisputeForm(),
            "filters": filters.urlencode(),
            "period_key": key or "",
            "confirmation": status or "",
            "periods": recent_periods(),
        },
    )


def recent_periods(count=24):
    """The latest half-month periods, newest first, to filter lists by."""
    periods = [period_of(timezone.localdate())]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods


def record_receipt(request, pk):
    """A record's receipt, for its unit or village and the offices over it; a 404 for anyone else."""
    record = get_object_or_404(selectors.receipts_visible_to(request.user), pk=pk)
    return private_file_response(record.receipt, original_name=record.receipt_name)


@permission_required(REGISTER_PURCHASES)
def record_create(request):
    closed_reports = []
    units, villages = entry_choices(request.user)
    form = RecordForm(request.POST or None, request.FILES or None, units=units, villages=villages)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        receipt = data.pop("receipt", None) or None
        source = "village" if roles.VILLAGE in selectors.user_roles(request.user) else "form"
        try:
            services.record_create(registered_by=request.user, source=source, receipt=receipt, **data)
        except PeriodClosed as error:
            form.add_error(None, _error_text(error))
            closed_reports = _closed_report_links(request.user, error)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The purchase was recorded."))
            return redirect("reports-dashboard:record-list")
    return render(request, "reports/dashboard/record_form.html", {"form": form, "closed_reports": closed_reports})


def _closed_report_links(user, error):
    """The reports that closed a period, those this person may open marked so the refusal links to them."""
    visible = set(
        selectors.reports_visible_to(user).filter(pk__in=[r.pk for r in error.reports]).values_list("pk", flat=True)
    )
    return [{"report": report, "visible": report.pk in visible} for report in error.reports]


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
    if amending:
        # An amendment says why: the reason is kept with the change and shown on the record's page.
        form.fields.update(AmendReasonForm().fields)
    closed_reports = []
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in services.RECORD_FIELDS}
        try:
            if amending:
                saved = services.record_amend(
                    record=record, user=request.user, reason=form.cleaned_data["reason"], **changes
                )
            else:
                saved = services.record_update(record=record, user=request.user, **changes)
        except PeriodClosed as error:
            form.add_error(None, _error_text(error))
            closed_reports = _closed_report_links(request.user, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if amending:
                messages.success(request, _("An amendment replaces the record; the original is kept in the history."))
            else:
                messages.success(request, _("The purchase was corrected."))
            return redirect("reports-dashboard:record-detail", pk=saved.pk)
    return render(
        request,
        "reports/dashboard/record_form.html",
        {"form": form, "record": record, "amending": amending, "closed_reports": closed_reports},
    )


CHANGE_LABELS = {
    "unit": _lazy("Buying unit"),
    "helper": _lazy("Individual helper"),
    "helper_name": _lazy("Helper's name"),
    "village": _lazy("Village"),
    "seller_kind": _lazy("Seller type"),
    "supplier": _lazy("Certified supplier"),
    "seller_name": _lazy("Household or cooperative"),
    "product": _lazy("Certified product"),
    "product_name": _lazy("Product"),
    "category": _lazy("Category"),
    "quantity": _lazy("Quantity"),
    "unit_of_measure": _lazy("Unit of measure"),
    "unit_price": _lazy("Unit price (yuan)"),
    "amount": _lazy("Amount (yuan)"),
    "households_benefiting": _lazy("Households benefiting"),
    "purchased_on": _lazy("Purchase date"),
    "channel": _lazy("Channel"),
    "payment_method": _lazy("Payment method"),
    "confirmation": _lazy("Seller confirmation"),
    "dispute_reason": _lazy("Why the seller disputes it"),
}
CHANGE_CHOICES = {
    "seller_kind": SellerKind,
    "category": Category,
    "channel": Channel,
    "payment_method": PaymentMethod,
    "confirmation": Confirmation,
}


def _change_rows(change):
    """The fields a logged change altered, as (label, before, after) in the reader's language, in form order."""
    rows = []
    names = list(CHANGE_LABELS) + sorted((change.before.keys() | change.after.keys()) - CHANGE_LABELS.keys())
    for name in names:
        if name not in change.before and name not in change.after:
            continue
        before, after = change.before.get(name), change.after.get(name)
        if change.before and change.after and before == after:
            continue
        labels = dict(CHANGE_CHOICES[name].choices) if name in CHANGE_CHOICES else {}
        rows.append((CHANGE_LABELS.get(name, name), labels.get(before, before), labels.get(after, after)))
    return rows


@permission_required(VIEW_PURCHASE_RECORDS)
def record_detail(request, pk):
    """A record, the reports that counted it, its corrections and amendments, and every logged change."""
    visible = selectors.records_visible_to(request.user)
    record = get_object_or_404(
        visible.select_related("unit", "village", "supplier", "registered_by", "amends", "confirmed_by"), pk=pk
    )
    reports = list(
        selectors.reports_visible_to(request.user).filter(record_links__record=record).order_by("period_start", "pk")
    )
    changes = list(RecordChange.objects.filter(record_number=record.pk).select_related("changed_by"))
    for change in changes:
        change.rows = _change_rows(change)
    amendments = list(visible.filter(amends=record).select_related("registered_by").order_by("pk"))
    can_change = services.may_change(request.user, record)
    reported = record.reported or record.locked
    return render(
        request,
        "reports/dashboard/record_detail.html",
        {
            "record": record,
            "reports": reports,
            "changes": changes,
            "amendments": amendments,
            "amends": record.amends if record.amends_id and visible.filter(pk=record.amends_id).exists() else None,
            "can_edit": can_change and not reported,
            "can_amend": can_change and reported,
            "can_open_receipt": bool(record.receipt)
            and selectors.receipts_visible_to(request.user).filter(pk=record.pk).exists(),
        },
    )


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
    return safe_next(request, "reports-dashboard:record-list")


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
                "duplicates": job.duplicates[:200],
            }
        )
    return render(request, "reports/dashboard/import_detail.html", {"job": job})


@permission_required(REGISTER_PURCHASES)
@require_POST
def import_decide(request, pk):
    """The uploader imports the rows that repeat registered purchases anyway, or drops the import."""
    job = get_object_or_404(ImportJob, pk=pk, uploaded_by=request.user)
    try:
        if request.POST.get("action") == "cancel":
            importing.import_cancel(job=job, user=request.user)
            messages.info(request, _("The import was cancelled; nothing of it was saved."))
        else:
            importing.import_confirm(job=job, user=request.user)
            messages.success(request, _("The rows are checked again and imported, repeated rows included."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("reports-dashboard:import-detail", pk=job.pk)


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
    overview = []
    if region is not None and region.level in CHILD_LEVEL and request.user.has_perm(REVIEW_REPORTS):
        overview = status.status_list(
            office=region, period=period, visible_reports=selectors.reports_visible_to(request.user)
        ).rows
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
    try:
        period = period_from_key(request.POST.get("period", ""))
        kind, pk = request.POST.get("body", ":").split(":")
        pk = int(pk)
    except ValueError:
        raise BadRequest(_("Choose the reporting body and the half-month from the list.")) from None
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
    chain = reconciliation.reconcile(report)
    disputes, disputes_more = report_disputes(report)
    return render(
        request,
        "reports/dashboard/report_detail.html",
        {
            "reconciliation": chain,
            "child_links": reconciliation.visible_child_reports(request.user, chain) if chain else set(),
            "submit_form": SubmitForm(initial={"note": report.submission_note}),
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
            note = request.POST.get("note") or request.POST.get("submission_note", "")
            services.report_submit(report=report, user=request.user, note=note)
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


def _office_year(request):
    """The office's region and the year asked for (this year when none or one outside the platform's years)."""
    region = selectors.office_region(request.user)
    if region is None:
        raise PermissionDenied(_("Your account has no jurisdiction to review."))
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    # A year typed into the address outside the platform's years would overflow the calendar; show this year instead.
    if not 2000 <= year <= this_year + 1:
        year = this_year
    return region, year


@permission_required(VIEW_OFFICE_DASHBOARD)
def office_dashboard(request):
    region, year = _office_year(request)
    figures = selectors.dashboard_figures(region=region, year=year)
    office_charts = charts.office_charts(figures)
    return render(
        request,
        "reports/dashboard/office_dashboard.html",
        {
            "region": region,
            "year": year,
            "figures": figures,
            "charts": office_charts,
            "chart": {chart.key: chart.data() for chart in office_charts},
            "today": date.today(),
            "reporting": status.status_list(office=region, period=services.default_period()),
        },
    )


@permission_required(VIEW_OFFICE_DASHBOARD)
def office_chart_download(request, chart):
    if chart not in charts.CHARTS:
        raise Http404
    region, year = _office_year(request)
    figures = selectors.dashboard_figures(region=region, year=year)
    wanted = next(each for each in charts.office_charts(figures) if each.key == chart)
    response = HttpResponse(charts.chart_xlsx(wanted, region=region, year=year), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="office-{region.code}-{year}-{chart}.xlsx"'
    return response


# --- who reports and who doesn't ---------------------------------------------------------------------------


def _chosen_period(key):
    """The period named in the address, else the one due now."""
    try:
        period = period_from_key(key) if key else None
    except ValueError:
        period = None
    # Far years have no neighbour periods to link to (date arithmetic overflows at year 1 and 9999).
    if period is None or not 2000 <= period.start.year <= 2100:
        return services.default_period()
    return period


def _status_office(user, code=None):
    """The office whose status list is asked for: the person's own, unless another is named (then refused later)."""
    region = selectors.office_region(user)
    if code and (region is None or code != region.code):
        named = Region.objects.filter(code=code).first()
        if named is not None:
            return named
    if region is None or region.level not in CHILD_LEVEL:
        raise NotAllowed(_("Only a township, county or city office has bodies reporting to it."))
    return region


def _office_in_jurisdiction(user, code):
    """The office whose bodies' states are listed: the person's own, or (`code`) one below it, say a county's
    township, whose villages the county may look into; any other is not found."""
    own = _status_office(user)
    if not code or code == own.code:
        return own, own
    office = Region.objects.filter(code=code).first()
    if office is None or office.level not in CHILD_LEVEL or not own.contains(office):
        raise Http404
    return office, own


@permission_required(REVIEW_REPORTS)
def report_status(request):
    office, own = _office_in_jurisdiction(request.user, request.GET.get("office"))
    period = _chosen_period(request.GET.get("period"))
    listing = status.status_list(
        office=office, period=period, visible_reports=selectors.reports_visible_to(request.user)
    )
    chosen = request.GET.get("state")
    rows = [row for row in listing.rows if row.state == chosen] if chosen in ReportState.values else listing.rows
    return render(
        request,
        "reports/dashboard/report_status.html",
        {
            "office": office,
            "own_office": own,
            # Kept in the page's own links (periods, states) while a county looks into one of its townships.
            "office_query": "" if office == own else f"&office={office.code}",
            # Bodies that are offices themselves: their own list of who has reported under them opens from here.
            "offices_below": {
                row.body.pk for row in listing.rows if row.kind == "region" and row.body.level in CHILD_LEVEL
            },
            "period": period,
            "previous": period.previous(),
            "next": period.next(),
            "listing": listing,
            "rows": rows,
            "chosen": chosen if chosen in ReportState.values else "",
            "overdue": len(listing.overdue),
            "can_remind": reminders.may_remind(request.user, office),
        },
    )


@permission_required(REVIEW_REPORTS)
def report_remind(request):
    """催报: the confirmation page (GET), then the reminders to the overdue bodies (POST)."""
    office = _status_office(request.user, request.POST.get("office") or request.GET.get("office"))
    period = _chosen_period(request.POST.get("period") or request.GET.get("period"))
    if not reminders.may_remind(request.user, office):
        raise NotAllowed(_("Only the office that these bodies report to may remind them."))
    if request.method == "POST":
        outcome = reminders.overdue_reminders_send(office=office, period=period, user=request.user)
        if outcome.reminded:
            messages.success(
                request,
                _("Reminders were e-mailed to %(n)s bodies: %(names)s.")
                % {"n": len(outcome.reminded), "names": "、".join(str(body) for body, _n in outcome.reminded)},
            )
        if outcome.recently_reminded:
            messages.warning(
                request,
                _("Not reminded again, as they were reminded less than an hour ago: %(names)s.")
                % {"names": "、".join(str(body) for body in outcome.recently_reminded)},
            )
        if outcome.without_address:
            messages.warning(
                request,
                _("Nobody with an e-mail address reports for: %(names)s; remind them another way.")
                % {"names": "、".join(str(body) for body in outcome.without_address)},
            )
        if not (outcome.reminded or outcome.recently_reminded or outcome.without_address):
            messages.info(request, _("No body is overdue for this period; nobody was reminded."))
        return redirect(f"{reverse('reports-dashboard:report-status')}?period={period.key}")
    listing = status.status_list(office=office, period=period)
    window = status.reminder_window_start()
    rows = [
        {"row": row, "recent": row.last_reminded_at is not None and row.last_reminded_at > window}
        for row in listing.overdue
    ]
    return render(
        request,
        "reports/dashboard/report_remind.html",
        {"office": office, "period": period, "rows": rows, "to_remind": sum(not r["recent"] for r in rows)},
    )


@permission_required(VIEW_REPORTS)
def unit_progress(request, pk):
    """A unit's own page: its purchases against its annual target and reserved share, and its reports' states."""
    unit = get_object_or_404(selectors.units_visible_to(request.user), pk=pk)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    progress = status.unit_progress(unit=unit, year=year, today=today)
    return render(
        request,
        "reports/dashboard/unit_progress.html",
        {"unit": unit, "year": year, "progress": progress, "today": today},
    )
