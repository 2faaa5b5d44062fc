"""The back office menu: Oscar's dashboard sections plus each domain's own."""

from importlib import import_module

DOMAIN_NAVIGATION_MODULES = ["suppliers.navigation", "reports.navigation", "shop.navigation", "cms.navigation"]


def extend_dashboard_navigation(navigation):
    extended = list(navigation)
    for module_name in DOMAIN_NAVIGATION_MODULES:
        extended.extend(import_module(module_name).NAVIGATION)
    return extended
