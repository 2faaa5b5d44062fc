"""Public pages of the certification: the catalogue of certified products, the public notice, supplier pages."""

from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from regions.models import COUNTY, Region

from . import catalogue, services
from .models import CatalogueBatch, CertificationStatus, Partner, ProductCertification, SupplierCertification
from .selectors import batches_in_notice, valid_supplier_exists

PUBLIC_SUPPLIER_STATUSES = [
    CertificationStatus.NOTICE,
    CertificationStatus.CERTIFIED,
    CertificationStatus.EXPIRED,
    CertificationStatus.REVOKED,
]

Category = get_model("catalogue", "Category")

PAGE_SIZE = 50


class CatalogueFilterForm(forms.Form):
    county = forms.ModelChoiceField(
        queryset=Region.objects.filter(level=COUNTY),
        to_field_name="code",
        required=False,
        label=gettext_lazy("County"),
        empty_label=gettext_lazy("All counties"),
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.filter(depth=1),
        required=False,
        label=gettext_lazy("Category"),
        empty_label=gettext_lazy("All categories"),
    )
    batch = forms.ModelChoiceField(
        queryset=CatalogueBatch.objects.filter(published_on__isnull=False).select_related("county"),
        required=False,
        label=gettext_lazy("Batch"),
        empty_label=gettext_lazy("All batches"),
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            counties, categories, batches = choices
            self.fields["county"].queryset = counties
            self.fields["category"].queryset = categories
            self.fields["batch"].queryset = batches
        self.fields["batch"].label_from_instance = lambda b: f"{b.county.name} · {b}"


def product_catalogue(request):
    """扶贫产品目录: every product with a valid certification, filtered, paginated, exportable."""
    form = CatalogueFilterForm(request.GET or None, choices=catalogue.filter_choices())
    queryset = catalogue.certified_products()
    if form.is_bound and form.is_valid():
        queryset = catalogue.apply_filters(
            queryset,
            county=form.cleaned_data["county"],
            category=form.cleaned_data["category"],
            batch=form.cleaned_data["batch"],
        )
    elif form.is_bound:
        queryset = queryset.none()

    export = request.GET.get("format")
    if export and export not in ("xlsx", "csv"):
        raise Http404
    if export and not form.errors:
        stamp = timezone.localdate().strftime("%Y%m%d")
        filename = f"certified-products-{stamp}.{export}"
        if export == "xlsx":
            body = catalogue.as_xlsx(queryset, _("Certified products"))
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            body = catalogue.as_csv(queryset)
            content_type = "text/csv; charset=utf-8"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "suppliers/catalogue.html",
        {
            "form": form,
            "page_obj": page,
            "certifications": page.object_list,
            "query": query.urlencode(),
            "notice_url": reverse("suppliers:notice"),
        },
    )


def public_notice(request):
    """公示: products approved by a county office, on notice until the end date shown, and where to object."""
    certifications = catalogue.products_under_notice()
    return render(
        request,
        "suppliers/notice.html",
        {"certifications": certifications[:500], "batches": batches_in_notice().order_by("notice_ends_on")[:100]},
    )


class ObjectionForm(forms.Form):
    certification = forms.ModelChoiceField(
        queryset=ProductCertification.objects.none(),
        required=False,
        label=gettext_lazy("Product"),
        empty_label=gettext_lazy("The whole batch"),
    )
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=64)
    contact = forms.CharField(
        label=gettext_lazy("Phone or e-mail"),
        max_length=64,
        help_text=gettext_lazy("The county office uses it only to ask you about the objection; it is not published."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why the product should not be certified"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
        self.fields["certification"].queryset = batch.certifications.filter(
            status=CertificationStatus.NOTICE
        ).select_related("product")
        self.fields["certification"].label_from_instance = lambda c: c.product.title


def objection_allowed(request):
    """At most OBJECTIONS_PER_HOUR objections from one address an hour; an absent cache lets them through."""
    key = f"objections:{get_client_ip_address(request) or 'unknown'}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired or was evicted since add()
        return True
    # With Redis away django-redis takes the error as a miss (IGNORE_EXCEPTIONS) and incr() answers None: no count.
    return count is None or count <= settings.OBJECTIONS_PER_HOUR


def objection_new(request, pk):
    """异议: anyone may object to a batch on public notice, with a name and a way to reach them; no account is
    needed, as the people who know a supplier best (its neighbours, its village) rarely have one."""
    batch = get_object_or_404(batches_in_notice(), pk=pk)
    form = ObjectionForm(request.POST or None, batch=batch)
    if request.method == "POST" and form.is_valid():
        if not objection_allowed(request):
            form.add_error(None, _("Too many objections from this address; please try again in an hour."))
        else:
            try:
                services.objection_submit(batch=batch, **form.cleaned_data)
            except services.ObjectionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. The county poverty office will look into your objection before the batch is published."
                    ),
                )
                return redirect("suppliers:notice")
    return render(
        request, "suppliers/objection.html", {"form": form, "batch": batch}, status=400 if form.errors else 200
    )


def supplier_list(request):
    today = timezone.localdate()
    suppliers = (
        Partner.objects.filter(valid_supplier_exists(today, partner_ref="pk"))
        .select_related("region")
        .annotate(
            county_name=catalogue.county_name_of("region__code"),
            certified_products=Count(
                "product_certifications",
                filter=Q(
                    product_certifications__status=CertificationStatus.CERTIFIED,
                    product_certifications__valid_from__lte=today,
                    product_certifications__valid_until__gte=today,
                ),
            ),
        )
        .order_by("region__code", "name")
    )
    page = Paginator(suppliers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suppliers/supplier_list.html", {"page_obj": page, "suppliers": page.object_list})


def supplier_detail(request, pk):
    """Who the supplier is, where, how it helps poor households, and its certified products."""
    # Only a supplier that has been through the county office's review is public: an applicant's or a rejected
    # supplier's contact and credit code are not published.
    public = Exists(SupplierCertification.objects.filter(partner=OuterRef("pk"), status__in=PUBLIC_SUPPLIER_STATUSES))
    supplier = get_object_or_404(Partner.objects.filter(public).select_related("region"), pk=pk)
    certification = supplier.certifications.valid().select_related("certifying_office").first()
    products = catalogue.certified_products().filter(partner=supplier)[:200]
    places = supplier.region.ancestors(include_self=True) if supplier.region_id else []
    return render(
        request,
        "suppliers/supplier_detail.html",
        {"supplier": supplier, "certification": certification, "certifications": products, "places": places},
    )
