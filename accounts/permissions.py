"""What each role may do, as named permissions, and the checks back-office views make with them.

A role is an auth group holding these permissions (accounts.roles creates the groups). Views ask for a permission,
never for a role name or `is_staff`; which records a permitted person then sees (their supplier's, their unit's,
their jurisdiction's) stays with each domain's selectors.
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from oscar.views.decorators import check_permissions

from accounts import roles

# Oscar's own permission for its dashboard: it opens the dashboard's home page and shows the back-office link in the
# account bar, so every back-office role holds it; what each sees inside is decided by the permissions below.
BACK_OFFICE = "partner.dashboard_access"
# Wagtail's own permission for its admin at /cms/.
SITE_PAGES = "wagtailadmin.access_admin"

VIEW_ALL_ORDERS = "accounts.view_all_orders"
CONFIRM_TRANSFERS = "accounts.confirm_transfers"
REFUND_ORDERS = "accounts.refund_orders"
FULFIL_OWN_PARCELS = "accounts.fulfil_own_parcels"
MANAGE_OWN_PRODUCTS = "accounts.manage_own_products"
APPLY_CERTIFICATION = "accounts.apply_certification"
VIEW_CERTIFICATIONS = "accounts.view_certifications"
REVIEW_CERTIFICATIONS = "accounts.review_certifications"
VIEW_PURCHASE_RECORDS = "accounts.view_purchase_records"
REGISTER_PURCHASES = "accounts.register_purchases"
CONFIRM_PURCHASES = "accounts.confirm_purchases"
VIEW_REPORTS = "accounts.view_reports"
PREPARE_REPORTS = "accounts.prepare_reports"
REVIEW_REPORTS = "accounts.review_reports"
VIEW_OFFICE_DASHBOARD = "accounts.view_office_dashboard"
# Defined on operations.TaskRetry, beside the background work it is about.
RETRY_TASKS = "operations.retry_tasks"
# Defined on the after-sales claim model (shop.aftersales), so that adding them needs no migration of accounts.
ANSWER_CLAIMS = "aftersales.answer_claims"
DECIDE_CLAIMS = "aftersales.decide_claims"
# Defined on settlement.Statement.
VIEW_OWN_STATEMENTS = "settlement.view_own_statements"
PAY_STATEMENTS = "settlement.pay_statements"
# Defined on invoicing.Invoice.
ISSUE_OWN_INVOICES = "invoicing.issue_own_invoices"
ISSUE_ALL_INVOICES = "invoicing.issue_all_invoices"
# Django's own change permission on the review model: approving or rejecting buyers' reviews (Oscar's moderation).
MODERATE_REVIEWS = "reviews.change_productreview"
# Declared on the certification rules model (suppliers), beside the workflow they belong to.
CHECK_CERTIFICATIONS = "partner.check_certifications"
REVOKE_CERTIFICATIONS = "partner.revoke_certifications"

# The permissions defined on accounts.User (codename, description); Django creates them after migrate.
USER_MODEL_PERMISSIONS = [
    ("view_all_orders", "See every order and the buyers' addresses"),
    ("confirm_transfers", "Mark bank transfers received"),
    ("refund_orders", "Refund orders paid online"),
    ("fulfil_own_parcels", "Ship the parcels of one's own suppliers"),
    ("manage_own_products", "Keep one's own suppliers' products, prices and stock"),
    ("apply_certification", "Apply for certification and keep the supplier profile"),
    ("view_certifications", "See certifications in one's scope"),
    ("review_certifications", "Approve, reject and revoke certifications of one's county"),
    ("view_purchase_records", "See purchase records in one's scope"),
    ("register_purchases", "Register and import purchases"),
    ("confirm_purchases", "Confirm or dispute purchases made from one's supplier or village"),
    ("view_reports", "See half-month reports in one's scope"),
    ("prepare_reports", "Prepare, submit and amend half-month reports"),
    ("review_reports", "Approve or return half-month reports of the bodies below"),
    ("view_office_dashboard", "See the office dashboard of one's jurisdiction"),
]

_REPORTING = [VIEW_PURCHASE_RECORDS, VIEW_REPORTS, PREPARE_REPORTS]

ROLE_PERMISSIONS = {
    roles.BUYER: [],
    roles.SUPPLIER: [
        BACK_OFFICE,
        MANAGE_OWN_PRODUCTS,
        FULFIL_OWN_PARCELS,
        VIEW_CERTIFICATIONS,
        APPLY_CERTIFICATION,
        VIEW_PURCHASE_RECORDS,
        CONFIRM_PURCHASES,
        ANSWER_CLAIMS,
        VIEW_OWN_STATEMENTS,
        ISSUE_OWN_INVOICES,
    ],
    roles.UNIT: [BACK_OFFICE, *_REPORTING, REGISTER_PURCHASES],
    roles.VILLAGE: [BACK_OFFICE, *_REPORTING, REGISTER_PURCHASES, CONFIRM_PURCHASES],
    roles.TOWNSHIP: [BACK_OFFICE, *_REPORTING, REVIEW_REPORTS, CHECK_CERTIFICATIONS],
    roles.COUNTY: [
        BACK_OFFICE,
        *_REPORTING,
        REVIEW_REPORTS,
        VIEW_OFFICE_DASHBOARD,
        VIEW_CERTIFICATIONS,
        REVIEW_CERTIFICATIONS,
        REVOKE_CERTIFICATIONS,
    ],
    roles.CITY: [
        BACK_OFFICE,
        *_REPORTING,
        REVIEW_REPORTS,
        VIEW_OFFICE_DASHBOARD,
        VIEW_CERTIFICATIONS,
        REVOKE_CERTIFICATIONS,
    ],
    roles.EDITOR: [SITE_PAGES],
    roles.MODERATOR: [SITE_PAGES],
    roles.OPERATOR: [
        BACK_OFFICE,
        VIEW_ALL_ORDERS,
        CONFIRM_TRANSFERS,
        REFUND_ORDERS,
        RETRY_TASKS,
        DECIDE_CLAIMS,
        PAY_STATEMENTS,
        ISSUE_ALL_INVOICES,
        MODERATE_REVIEWS,
    ],
}

REASONS = {
    BACK_OFFICE: _(
        "The back office is for suppliers, units, village and township clerks, the poverty offices and "
        "the platform's operators."
    ),
    VIEW_ALL_ORDERS: _("Only the platform's operators see every order and the buyers' addresses."),
    CONFIRM_TRANSFERS: _("Only the platform's operators confirm that a bank transfer was received."),
    REFUND_ORDERS: _("Only the platform's operators refund orders."),
    FULFIL_OWN_PARCELS: _("Only a supplier's staff ship its parcels."),
    MANAGE_OWN_PRODUCTS: _("Only a supplier's staff keep its products."),
    APPLY_CERTIFICATION: _("Only a supplier's staff can use this page."),
    VIEW_CERTIFICATIONS: _("This page is for suppliers and the poverty offices."),
    REVIEW_CERTIFICATIONS: _("Only a county poverty office reviews certifications."),
    CHECK_CERTIFICATIONS: _("Only a township clerk makes the first check of certification applications."),
    REVOKE_CERTIFICATIONS: _("Only the county and city poverty offices revoke certificates."),
    VIEW_PURCHASE_RECORDS: _("This page is for the offices and units that report purchases."),
    REGISTER_PURCHASES: _("Only a unit's members and village clerks register purchases."),
    CONFIRM_PURCHASES: _("Only the seller's side confirms or disputes a purchase."),
    VIEW_REPORTS: _("This page is for the offices and units that report purchases."),
    PREPARE_REPORTS: _("Only the unit or the office that reports prepares its half-month report."),
    REVIEW_REPORTS: _("Only the office above reviews half-month reports."),
    VIEW_OFFICE_DASHBOARD: _("The office dashboard is for the county and city poverty offices."),
    RETRY_TASKS: _("Only the platform's operators see failed background tasks and run them again."),
    ANSWER_CLAIMS: _("Only the supplier's staff answer after-sales claims on its products."),
    DECIDE_CLAIMS: _("Only the platform's operators decide after-sales disputes."),
    VIEW_OWN_STATEMENTS: _("Settlement statements are for the supplier's staff and the platform's operators."),
    PAY_STATEMENTS: _("Only the platform's operators mark settlement statements paid."),
    ISSUE_OWN_INVOICES: _("Invoices are issued by the supplier's staff and the platform's operators."),
    ISSUE_ALL_INVOICES: _("Invoices are issued by the supplier's staff and the platform's operators."),
    MODERATE_REVIEWS: _("Only the platform's operators approve or reject buyers' reviews."),
}

GENERIC_REASON = _("Your account may not open this page.")


def reason_for(permission):
    return REASONS.get(permission, GENERIC_REASON)


def require(user, permission):
    """Refuse, with the permission's reason, a user who does not hold it."""
    if not user.has_perm(permission):
        raise PermissionDenied(reason_for(permission))


def permission_required(permission, login_url=None):
    """View decorator: visitors go to the login page; a signed-in user without the permission reads why not."""
    return permissions_required([permission], login_url=login_url)


def permissions_required(permissions, login_url=None):
    """The same for Oscar's form of permissions (a list all needed, or a tuple of such lists, any one enough)."""
    groups = [permissions] if isinstance(permissions, list) else list(permissions)
    named = [permission for group in groups for permission in group if permission in REASONS]
    reason = reason_for(named[0] if named else None)

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not request.user.is_authenticated:
                # Imported here: auth.views loads forms that need the user model, whose Meta reads this module.
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path(), login_url or settings.LOGIN_URL)
            if not check_permissions(request.user, permissions):
                raise PermissionDenied(reason)
            return view(request, *args, **kwargs)

        return checked

    return decorator


class ReasonedDashboardPermissions:
    """For Oscar dashboard app configs: their permissions_map is checked as Oscar does, and a refusal says why."""

    default_permissions = ["is_superuser"]

    def get_url_decorator(self, pattern):
        permissions = self.get_permissions(pattern.name)
        if permissions:
            return permissions_required(permissions, login_url=self.login_url)
        return None
