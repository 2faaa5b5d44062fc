"""The buyer's after-sales pages, the back office's claim pages, and the claim photos for those allowed to see them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from accounts.errors import Refusal
from accounts.permissions import ANSWER_CLAIMS, DECIDE_CLAIMS, REFUND_ORDERS, permission_required, permissions_required
from shop.aftersales import selectors, services
from shop.aftersales.forms import AnswerForm, ClaimForm, DecisionForm, RefundNoteForm
from shop.aftersales.models import Claim, ClaimPhoto
from suppliers.private_files import private_file_response

Line = get_model("order", "Line")


def _form_errors(form, error):
    """Put a service's refusal on the form: on its field when it names one the form has, else above the form."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _back_office_act(request, claim, form, action, done, form_name):
    """Run a back-office step on a claim from a valid form: on success back to the claim with `done`; a refusal of
    the whole step as a message, a refusal of a field on the form shown again with the claim."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect("aftersales-dashboard:claim-detail", pk=claim.pk)
            _form_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("aftersales-dashboard:claim-detail", pk=claim.pk)
    return dashboard_claim_detail(request, claim.pk, **{form_name: form})


# --- buyer ---


@login_required
def claim_create(request, line_id):
    line = get_object_or_404(Line.objects.select_related("order", "partner"), pk=line_id, order__user=request.user)
    form = ClaimForm(request.POST or None)
    photo_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_open(
                line=line,
                user=request.user,
                reason=form.cleaned_data["reason"],
                description=form.cleaned_data["description"],
                remedy=form.cleaned_data["remedy"],
                amount=form.cleaned_data["amount"],
                photos=request.FILES.getlist("photos"),
            )
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
            photo_errors = errors.pop("photos", [])
            for field, field_errors in errors.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("Your claim has been sent to the supplier."))
            return redirect("aftersales:claim-detail", pk=claim.pk)
    return render(
        request,
        "aftersales/claim_form.html",
        {
            "form": form,
            "line": line,
            "order": line.order,
            "photo_errors": photo_errors,
            "active_tab": "orders",
            "page_title": _("After-sales claim"),
        },
    )


@login_required
def claim_detail(request, pk):
    claim = get_object_or_404(selectors.claims_of_buyer(user=request.user), pk=pk)
    return render(
        request,
        "aftersales/claim_detail.html",
        {
            "claim": claim,
            "photos": list(claim.photos.all()),
            "history": selectors.claim_history(claim=claim),
            "active_tab": "orders",
            "page_title": _("After-sales claim"),
        },
    )


@login_required
@require_POST
def claim_withdraw(request, pk):
    claim = get_object_or_404(Claim, pk=pk, buyer=request.user)
    try:
        services.claim_withdraw(claim=claim, user=request.user)
    except Refusal as error:
        messages.error(request, error.user_message)
    else:
        messages.success(request, _("The claim has been withdrawn."))
    return redirect("aftersales:claim-detail", pk=claim.pk)


@login_required
def claim_photo(request, pk):
    photo = get_object_or_404(ClaimPhoto.objects.select_related("claim__partner"), pk=pk)
    if not selectors.may_see_photo(request.user, photo.claim):
        raise Http404
    return private_file_response(photo.file, original_name=photo.file_name)


# --- back office ---


@permissions_required(([ANSWER_CLAIMS], [DECIDE_CLAIMS]))
def dashboard_claim_list(request):
    claims = selectors.claims_in_back_office(user=request.user)
    waiting = request.GET.get("show") != "all"
    if waiting:
        claims = claims.filter(status__in=["submitted", "disputed", "refunding"])
    return render(
        request,
        "aftersales/dashboard/claim_list.html",
        {"claims": claims[:200], "waiting": waiting, "deciding": request.user.has_perm(DECIDE_CLAIMS)},
    )


@permissions_required(([ANSWER_CLAIMS], [DECIDE_CLAIMS]))
def dashboard_claim_detail(request, pk, answer_form=None, decision_form=None, refund_form=None):
    claim = get_object_or_404(selectors.claims_in_back_office(user=request.user), pk=pk)
    user = request.user
    return render(
        request,
        "aftersales/dashboard/claim_detail.html",
        {
            "claim": claim,
            "photos": list(claim.photos.all()),
            "history": selectors.claim_history(claim=claim),
            "answer_form": answer_form or AnswerForm(),
            "decision_form": decision_form or DecisionForm(),
            "refund_form": refund_form or RefundNoteForm(),
            "may_answer": claim.status == "submitted" and services.may_answer(user, claim),
            "may_decide": user.has_perm(DECIDE_CLAIMS) and (claim.status == "disputed" or claim.is_overdue),
            "may_record_refund": user.has_perm(REFUND_ORDERS) and claim.status == "refunding" and not claim.refund_id,
        },
    )


def _back_office_claim(request, pk):
    return get_object_or_404(selectors.claims_in_back_office(user=request.user), pk=pk)


@permission_required(ANSWER_CLAIMS)
@require_POST
def dashboard_claim_answer(request, pk):
    claim = _back_office_claim(request, pk)
    if not services.may_answer(request.user, claim):
        raise Http404
    accept = request.POST.get("accept") == "1"
    return _back_office_act(
        request,
        claim,
        AnswerForm(request.POST),
        lambda data: services.claim_answer(claim=claim, user=request.user, accept=accept, answer=data["answer"]),
        _("Your answer has been recorded."),
        "answer_form",
    )


@permission_required(DECIDE_CLAIMS)
@require_POST
def dashboard_claim_decide(request, pk):
    claim = _back_office_claim(request, pk)
    uphold = request.POST.get("uphold") == "1"
    return _back_office_act(
        request,
        claim,
        DecisionForm(request.POST),
        lambda data: services.claim_decide(
            claim=claim, user=request.user, uphold=uphold, decision=data["decision"], amount=data["amount"]
        ),
        _("The decision has been recorded."),
        "decision_form",
    )


@permission_required(REFUND_ORDERS)
@require_POST
def dashboard_claim_refunded(request, pk):
    claim = _back_office_claim(request, pk)
    return _back_office_act(
        request,
        claim,
        RefundNoteForm(request.POST),
        lambda data: services.claim_mark_refunded(
            claim=claim, user=request.user, bank_reference=data["bank_reference"], note=data["note"]
        ),
        _("The refund has been recorded."),
        "refund_form",
    )
