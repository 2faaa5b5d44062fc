"""The Content-Security-Policy of Wagtail's admin (/cms/): the site's policy, with inline scripts allowed.

Wagtail's inline panels, multiple-chooser panels and date widgets write inline <script> elements whose text varies
per field, and Wagtail gives them no nonce; with the site's nonce-only policy the page editor would not work. The
admin is only for signed-in editors and moderators, and what they write reaches the public pages through the
sanitiser, where the strict policy applies.
"""

from csp.constants import NONCE
from csp.utils import build_policy
from django.conf import settings
from django.urls import reverse


def admin_directives():
    directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    directives["script-src"] = [source for source in directives["script-src"] if source != NONCE] + ["'unsafe-inline'"]
    return directives


class WagtailAdminPolicyMiddleware:
    """Sets the admin's policy on /cms/ responses; django-csp's middleware leaves a policy already set alone."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy(config=admin_directives())

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(reverse("wagtailadmin_home")):
            response["Content-Security-Policy"] = self.policy
        return response
