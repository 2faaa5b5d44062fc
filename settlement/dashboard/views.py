"""Back-office pages of the settlement statements: the supplier's own, every one for the operator."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import PAY_STATEMENTS, VIEW_OWN_STATEMENTS, permission_required, permissions_required
from settlement import selectors, services
from settlement.dashboard.forms import PayForm
from settlement.models import StatementStatus
from settlement.outputs import file_name, statement_xlsx, summary_rows
from spreadsheets.writing import XLSX_TYPE

MAY_SEE = ([VIEW_OWN_STATEMENTS], [PAY_STATEMENTS])


def _visible(user, pk):
    statement = selectors.statements_visible_to(user).filter(pk=pk).first()
    if statement is None:
        raise Http404
    return statement


@permissions_required(MAY_SEE)
def statement_list(request):
    statements = selectors.statements_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in StatementStatus.values:
        statements = statements.filter(status=status)
    page = Paginator(statements.order_by("-period_start", "partner__name"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "settlement/dashboard/statement_list.html",
        {
            "page": page,
            "status": status,
            "statuses": StatementStatus.choices,
            "may_pay": request.user.has_perm(PAY_STATEMENTS),
        },
    )


@permissions_required(MAY_SEE)
def statement_detail(request, pk):
    statement = _visible(request.user, pk)
    may_pay = request.user.has_perm(PAY_STATEMENTS) and statement.status == StatementStatus.READY
    return render(
        request,
        "settlement/dashboard/statement_detail.html",
        {
            "statement": statement,
            "summary": summary_rows(statement),
            "entries": selectors.statement_entries(statement),
            "form": PayForm() if may_pay else None,
            "changes": statement.status_changes.select_related("changed_by"),
        },
    )


@permissions_required(MAY_SEE)
def statement_download(request, pk):
    statement = _visible(request.user, pk)
    response = HttpResponse(statement_xlsx(statement), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name(statement)}"'
    return response


@permission_required(PAY_STATEMENTS)
@require_POST
def statement_pay(request, pk):
    statement = _visible(request.user, pk)
    form = PayForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("settlement-dashboard:statement-detail", pk=statement.pk)
    try:
        services.statement_mark_paid(
            statement=statement,
            user=request.user,
            bank_reference=form.cleaned_data["bank_reference"],
            paid_on=form.cleaned_data["paid_on"],
        )
    except services.SettlementError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The statement is marked paid."))
    return redirect("settlement-dashboard:statement-detail", pk=statement.pk)
