"""Back-office screens of the certification workflow: supplier staff apply, the county office decides."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import (
    APPLY_CERTIFICATION,
    REVIEW_CERTIFICATIONS,
    VIEW_CERTIFICATIONS,
    permission_required,
)
from suppliers import selectors, services
from suppliers.dashboard.forms import (
    DecisionForm,
    ProductApplicationForm,
    RecordCertificateForm,
    SupplierApplicationForm,
    SupplierProfileForm,
)
from suppliers.models import InvalidCertificationTransition, ProductCertification, SupplierCertification

KINDS = {"product": ProductCertification, "supplier": SupplierCertification}
DECISIONS = {"approve", "reject", "revoke"}


def holds(user, role):
    return user.groups.filter(name=role).exists()


@permission_required(VIEW_CERTIFICATIONS)
def certification_list(request):
    reviewing = overseeing = False
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
    return render(
        request,
        "suppliers/dashboard/certification_list.html",
        {
            "reviewing": reviewing,
            "overseeing": overseeing,
            "supplier_certifications": suppliers[:200],
            "product_certifications": products[:200],
            "decision_form": DecisionForm(),
            "status": status,
        },
    )


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
        elif decision == "reject":
            services.certification_reject(certification=certification, reviewer=request.user, reason=reason)
            messages.success(request, _("Rejected; the supplier sees your reason."))
        else:
            services.certification_revoke(certification=certification, reviewer=request.user, reason=reason)
            messages.success(request, _("Revoked; its products can no longer be bought."))
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
        form.save()
        messages.success(request, _("The supplier's profile is saved."))
        return redirect(request.get_full_path())
    return render(request, "suppliers/dashboard/profile.html", {"form": form, "partner": partner})


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
