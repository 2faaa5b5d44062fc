"""Back-office screens of the certification workflow: supplier staff apply, the county office decides."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import (
    APPLY_CERTIFICATION,
    CHECK_CERTIFICATIONS,
    REVIEW_CERTIFICATIONS,
    REVOKE_CERTIFICATIONS,
    VIEW_CERTIFICATIONS,
    VIEW_OFFICE_DASHBOARD,
    permission_required,
)
from suppliers import selectors, services
from suppliers.dashboard.forms import (
    DecisionForm,
    HouseholdLinkForm,
    ObjectionAnswerForm,
    ProductApplicationForm,
    ProductRenewalForm,
    ProductSourceForm,
    RecordCertificateForm,
    RenewalForm,
    SupplierApplicationForm,
    SupplierProfileForm,
)
from suppliers.models import (
    CertificationStatus,
    ChangeRequestStatus,
    HouseholdLink,
    InvalidCertificationTransition,
    InvalidChangeRequestTransition,
    InvalidPriceChangeTransition,
    Objection,
    PriceChangeStatus,
    ProductCertification,
    ProductSource,
    SupplierCertification,
)
from suppliers.private_files import private_file_response

KINDS = {"product": ProductCertification, "supplier": SupplierCertification}
DECISIONS = {"approve", "reject"}
TOWNSHIP_DECISIONS = {"pass", "return"}
EVIDENCE_FIELDS = {"licence": "business_licence", "letter": "commitment_letter"}


def holds(user, role):
    return user.groups.filter(name=role).exists()


@permission_required(VIEW_CERTIFICATIONS)
def certification_list(request):
    reviewing = overseeing = False
    if holds(request.user, roles.TOWNSHIP) and not request.user.has_perm(REVIEW_CERTIFICATIONS):
        return redirect("suppliers-dashboard:township-queue")
    if holds(request.user, roles.COUNTY) or holds(request.user, roles.CITY):
        suppliers, products = selectors.review_queue(reviewer=request.user)
        # The city office follows every county of its city; the decisions stay with each county office.
        reviewing = request.user.has_perm(REVIEW_CERTIFICATIONS)
        overseeing = not reviewing
    else:
        suppliers, products = selectors.certifications_of_staff(user=request.user)
    status = request.GET.get("status", "")
    if status:
        suppliers, products = suppliers.filter(status=status), products.filter(status=status)
    suppliers, products = list(suppliers[:200]), list(products.select_related("product__origin")[:200])
    histories = selectors.supplier_histories(
        partner_ids={c.partner_id for c in suppliers} | {c.partner_id for c in products}
    )
    for certification in (*suppliers, *products):
        certification.history = histories[certification.partner_id]
    return render(
        request,
        "suppliers/dashboard/certification_list.html",
        {
            "reviewing": reviewing,
            "overseeing": overseeing,
            "supplier_certifications": suppliers,
            "product_certifications": products,
            "decision_form": DecisionForm(),
            "status": status,
            "revoking": request.user.has_perm(REVOKE_CERTIFICATIONS),
            "renewable_from": renewal_threshold(),
        },
    )


def renewal_threshold():
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    return timezone.localdate() + timedelta(days=max(settings.CERTIFICATION_REMINDER_DAYS))


@permission_required(CHECK_CERTIFICATIONS)
def township_queue(request):
    """The township clerk's first check (镇初审) of applications from suppliers in the township."""
    suppliers, products = selectors.township_queue(clerk=request.user)
    waiting = CertificationStatus.TOWNSHIP
    return render(
        request,
        "suppliers/dashboard/township_queue.html",
        {
            "supplier_waiting": list(suppliers.filter(status=waiting)[:200]),
            "product_waiting": list(products.filter(status=waiting)[:200]),
            "supplier_others": list(suppliers.exclude(status=waiting)[:50]),
            "product_others": list(products.exclude(status=waiting)[:50]),
            "decision_form": DecisionForm(),
        },
    )


@permission_required(CHECK_CERTIFICATIONS)
@require_POST
def township_decide(request, kind, pk, decision):
    if kind not in KINDS or decision not in TOWNSHIP_DECISIONS:
        raise PermissionDenied
    # Another township's application is not found, whatever id is typed into the URL.
    suppliers, products = selectors.township_queue(clerk=request.user)
    certification = get_object_or_404(products if kind == "product" else suppliers, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    try:
        if decision == "pass":
            services.certification_township_pass(certification=certification, clerk=request.user, note=reason)
            messages.success(request, _("Passed; the application goes on to the county poverty office."))
        else:
            services.certification_township_return(certification=certification, clerk=request.user, reason=reason)
            messages.success(request, _("Sent back to the supplier with your reason."))
    except services.CertificationPermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    except (services.CertificationError, InvalidCertificationTransition) as error:
        messages.error(request, str(error))
    return redirect("suppliers-dashboard:township-queue")


@permission_required(REVOKE_CERTIFICATIONS)
@require_POST
def certification_revoke(request, kind, pk):
    """The county office or the city office above it revokes a certificate; selling stops at once."""
    if kind not in KINDS:
        raise PermissionDenied
    certification = get_object_or_404(selectors.certifications_visible_to(user=request.user, model=KINDS[kind]), pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.certification_revoke(
            certification=certification, reviewer=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except services.CertificationPermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    except (services.CertificationError, InvalidCertificationTransition) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Revoked; its products can no longer be bought and the supplier is told."))
    return redirect("suppliers-dashboard:certification-list")


@permission_required(APPLY_CERTIFICATION)
def certification_renew(request, kind, pk):
    """A supplier's staff apply to renew a certificate that expires soon, keeping or replacing the evidence."""
    if kind not in KINDS:
        raise Http404
    certification = get_object_or_404(KINDS[kind].objects.filter(partner__users=request.user), pk=pk)
    posted = request.method == "POST"
    # Both files are optional, so a renewal may be posted with no data at all.
    data = (request.POST, request.FILES) if posted else (None, None)
    if kind == "product":
        form = ProductRenewalForm(*data, certification=certification)
    else:
        form = RenewalForm(*data)
    if posted and form.is_valid():
        try:
            services.certification_renew(certification=certification, user=request.user, **form.cleaned_data)
        except services.CertificationPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        except (services.CertificationError, ValidationError) as error:
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Renewal sent for review; the current certificate stays valid until it ends."))
            return redirect("suppliers-dashboard:certification-list")
    return render(
        request,
        "suppliers/dashboard/renew.html",
        {"form": form, "certification": certification, "partner": certification.partner},
    )


@permission_required(REVIEW_CERTIFICATIONS)
def batch_list(request):
    """The county office's numbered batches: notice dates, objections to answer, publication."""
    batches = list(selectors.batches_of_office(reviewer=request.user)[:50])
    objections = {}
    for objection in selectors.objections_of_batches(batch_ids=[b.pk for b in batches]):
        objections.setdefault(objection.batch_id, []).append(objection)
    for batch in batches:
        batch.objection_list = objections.get(batch.pk, [])
    return render(
        request,
        "suppliers/dashboard/batch_list.html",
        {"batches": batches, "answer_form": ObjectionAnswerForm(auto_id=False)},
    )


@permission_required(REVIEW_CERTIFICATIONS)
@require_POST
def batch_publish(request, pk):
    batch = get_object_or_404(selectors.batches_of_office(reviewer=request.user), pk=pk)
    try:
        published = services.batch_publish(batch=batch, reviewer=request.user)
    except services.CertificationPermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    except services.BatchNotReady as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Published: %(count)s products enter the catalogue.") % {"count": published})
    return redirect("suppliers-dashboard:batch-list")


@permission_required(REVIEW_CERTIFICATIONS)
@require_POST
def objection_answer(request, pk):
    objection = get_object_or_404(
        Objection.objects.filter(batch__in=selectors.batches_of_office(reviewer=request.user).values("pk")), pk=pk
    )
    form = ObjectionAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the answer; it is kept with the objection."))
        return redirect("suppliers-dashboard:batch-list")
    try:
        services.objection_answer(
            objection=objection,
            reviewer=request.user,
            answer=form.cleaned_data["answer"],
            uphold=form.cleaned_data["uphold"],
        )
    except services.CertificationPermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    except services.ObjectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Answered."))
    return redirect("suppliers-dashboard:batch-list")


@permission_required(REVIEW_CERTIFICATIONS)
@require_POST
def certification_decide(request, kind, pk, decision):
    if kind not in KINDS or decision not in DECISIONS:
        raise PermissionDenied
    certification = get_object_or_404(KINDS[kind], pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    try:
        if decision == "approve":
            services.certification_approve(certification=certification, reviewer=request.user)
            messages.success(
                request,
                _("Approved. Certificate number %(number)s.")
                % {"number": KINDS[kind].objects.get(pk=pk).certificate_number},
            )
        else:
            services.certification_reject(certification=certification, reviewer=request.user, reason=reason)
            messages.success(request, _("Rejected; the supplier sees your reason."))
    except services.CertificationPermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    except (services.CertificationError, InvalidCertificationTransition) as error:
        messages.error(request, str(error))
    return redirect("suppliers-dashboard:certification-list")


@permission_required(APPLY_CERTIFICATION)
def product_apply(request):
    partner = request.user.partners.first()
    if partner is None:
        raise PermissionDenied(_("Only a supplier's staff can apply for certification."))
    form = ProductApplicationForm(request.POST or None, request.FILES or None, partner=partner)
    return application_page(request, form, partner, services.product_certification_apply)


def application_page(request, form, partner, apply, **context):
    """The application form; on a valid POST, `apply` (a certification service) is called with the form's data."""
    if request.method == "POST" and form.is_valid():
        try:
            apply(user=request.user, partner=partner, **form.cleaned_data)
        except (services.CertificationError, ValidationError) as error:
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Application sent to the county poverty office."))
            return redirect("suppliers-dashboard:certification-list")
    return render(request, "suppliers/dashboard/apply.html", {"form": form, "partner": partner, **context})


def own_partner(request):
    """The supplier whose staff the user is (the one named by ?partner= when they serve several)."""
    partners = request.user.partners.all()
    wanted = request.GET.get("partner")
    partner = partners.filter(pk=wanted).first() if wanted and wanted.isdigit() else partners.first()
    if partner is None:
        raise PermissionDenied(_("Only a supplier's staff can use this page."))
    return partner


@permission_required(APPLY_CERTIFICATION)
def supplier_profile(request):
    partner = own_partner(request)
    form = SupplierProfileForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            change_request = services.supplier_profile_save(partner=form.save(commit=False), user=request.user)
        except services.ChangeRequestError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            if change_request:
                messages.warning(
                    request,
                    _(
                        "Change request submitted; the supplier's products are not sold until the county poverty "
                        "office approves it."
                    ),
                )
            else:
                messages.success(request, _("The supplier's profile is saved."))
            return redirect(request.get_full_path())
    return render(
        request,
        "suppliers/dashboard/profile.html",
        {
            "form": form,
            "partner": partner,
            "change_requests": selectors.change_requests_of_staff(user=request.user).filter(partner=partner)[:50],
        },
    )


@permission_required(APPLY_CERTIFICATION)
def supplier_apply(request):
    partner = own_partner(request)
    form = SupplierApplicationForm(request.POST or None, request.FILES or None)
    return application_page(
        request,
        form,
        partner,
        services.supplier_certification_apply,
        title=_("Apply for the supplier's certification"),
    )


@permission_required(REVIEW_CERTIFICATIONS)
def record_certificate(request):
    if not (holds(request.user, roles.COUNTY) and request.user.region_id):
        raise PermissionDenied(_("Only a county poverty office enters certificates."))
    form = RecordCertificateForm(request.POST or None, county=request.user.region)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_existing_certificate(reviewer=request.user, **form.cleaned_data)
        except services.CertificationPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("The certificate is entered; the supplier is certified."))
            return redirect("suppliers-dashboard:certification-list")
    return render(request, "suppliers/dashboard/record_certificate.html", {"form": form})


def certification_file(request, kind, pk, field):
    """An evidence file, for the supplier's staff and the offices over its county; a 404 for anyone else."""
    if kind not in KINDS or field not in EVIDENCE_FIELDS:
        raise Http404
    visible = selectors.certifications_visible_to(user=request.user, model=KINDS[kind])
    certification = get_object_or_404(visible, pk=pk)
    name = EVIDENCE_FIELDS[field]
    return private_file_response(getattr(certification, name), original_name=getattr(certification, f"{name}_name"))


@permission_required(VIEW_CERTIFICATIONS)
def change_request_list(request):
    """County offices review the changes of their county; the city office follows them; staff see their own."""
    if holds(request.user, roles.COUNTY):
        change_requests, reviewing = selectors.change_requests_to_review(reviewer=request.user), True
    elif holds(request.user, roles.CITY):
        change_requests, reviewing = selectors.change_requests_to_review(reviewer=request.user), False
    elif holds(request.user, roles.SUPPLIER):
        change_requests, reviewing = selectors.change_requests_of_staff(user=request.user), False
    else:
        raise PermissionDenied(_("This page is for suppliers and the poverty offices."))
    status = request.GET.get("status", ChangeRequestStatus.PENDING if reviewing else "")
    if status in ChangeRequestStatus.values:
        change_requests = change_requests.filter(status=status)
    return render(
        request,
        "suppliers/dashboard/change_request_list.html",
        {
            "reviewing": reviewing,
            "change_requests": change_requests[:200],
            "statuses": ChangeRequestStatus.choices,
            "status": status,
            "decision_form": DecisionForm(),
        },
    )


def visible_change_requests(user):
    if holds(user, roles.COUNTY) or holds(user, roles.CITY):
        return selectors.change_requests_to_review(reviewer=user)
    if holds(user, roles.SUPPLIER):
        return selectors.change_requests_of_staff(user=user)
    raise PermissionDenied(_("This page is for suppliers and the poverty offices."))


@permission_required(REVIEW_CERTIFICATIONS)
@require_POST
def change_request_decide(request, pk, decision):
    if decision not in {"approve", "reject"}:
        raise PermissionDenied
    # A request outside the user's jurisdiction is not found, whatever id is typed into the URL.
    change_request = get_object_or_404(visible_change_requests(request.user), pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        if decision == "approve":
            services.change_request_approve(change_request=change_request, reviewer=request.user)
            messages.success(request, _("Change approved; the new facts apply and selling resumes."))
        else:
            services.change_request_reject(
                change_request=change_request, reviewer=request.user, reason=form.cleaned_data.get("reason", "")
            )
            messages.success(request, _("Change rejected; the certified facts stay as they were and selling resumes."))
    except services.CertificationPermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    except (services.ChangeRequestError, InvalidChangeRequestTransition) as error:
        messages.error(request, str(error))
    return redirect("suppliers-dashboard:change-request-list")


@permission_required(VIEW_OFFICE_DASHBOARD)
def price_list(request):
    """Honest prices: rises above the reference waiting for the county office, and products priced above it."""
    region = request.user.region
    if region is None:
        raise PermissionDenied(_("The office dashboard is for the county and city poverty offices."))
    changes = selectors.price_changes_to_review(reviewer=request.user)
    return render(
        request,
        "suppliers/dashboard/price_list.html",
        {
            "deciding": request.user.has_perm(REVIEW_CERTIFICATIONS),
            "waiting": list(changes.filter(status=PriceChangeStatus.PENDING)[:200]),
            "decided": list(changes.exclude(status=PriceChangeStatus.PENDING)[:50]),
            "above": list(selectors.prices_above_reference(region=region)[:200]),
            "decision_form": DecisionForm(auto_id=False),
        },
    )


@permission_required(REVIEW_CERTIFICATIONS)
@require_POST
def price_decide(request, pk, decision):
    if decision not in {"approve", "reject"}:
        raise PermissionDenied
    price_change = get_object_or_404(selectors.price_changes_to_review(reviewer=request.user), pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        if decision == "approve":
            services.price_change_approve(price_change=price_change, reviewer=request.user)
            messages.success(request, _("Approved; the new price shows from now on."))
        else:
            services.price_change_reject(
                price_change=price_change, reviewer=request.user, reason=form.cleaned_data.get("reason", "")
            )
            messages.success(request, _("Refused; the old price stays."))
    except services.CertificationPermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    except (services.PriceChangeError, InvalidPriceChangeTransition) as error:
        messages.error(request, str(error))
    return redirect("suppliers-dashboard:price-list")


@permission_required(APPLY_CERTIFICATION)
def household_linkage(request):
    """带贫益贫: how the supplier links to poor households, per mechanism, and whom each product is bought from."""
    partner = own_partner(request)
    action = request.POST.get("action") if request.method == "POST" else None
    link_form = HouseholdLinkForm(request.POST if action == "link" else None, partner=partner)
    source_form = ProductSourceForm(request.POST if action == "source" else None, partner=partner)
    try:
        if action == "link" and link_form.is_valid():
            data = link_form.cleaned_data
            services.household_link_save(partner=partner, user=request.user, **data)
            messages.success(request, _("The household linkage is saved."))
            return redirect(request.get_full_path())
        if action == "source" and source_form.is_valid():
            data = dict(source_form.cleaned_data)
            services.product_source_add(partner=partner, user=request.user, village=data.pop("village_code"), **data)
            messages.success(request, _("The source is added."))
            return redirect(request.get_full_path())
        if action == "delete-link":
            link = get_object_or_404(HouseholdLink, partner=partner, pk=request.POST.get("pk") or 0)
            services.household_link_delete(link=link, user=request.user)
            return redirect(request.get_full_path())
        if action == "delete-source":
            source = get_object_or_404(ProductSource, partner=partner, pk=request.POST.get("pk") or 0)
            services.product_source_delete(source=source, user=request.user)
            return redirect(request.get_full_path())
    except (services.CertificationError, ValidationError) as error:
        form = link_form if action == "link" else source_form
        form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
    return render(
        request,
        "suppliers/dashboard/household_linkage.html",
        {
            "partner": partner,
            "links": partner.household_links.prefetch_related("villages"),
            "sources": partner.sources.select_related("product", "village"),
            "link_form": link_form,
            "source_form": source_form,
        },
        status=400 if link_form.errors or source_form.errors else 200,
    )
