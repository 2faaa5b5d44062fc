"""The back office menu: the to-do page first, then Oscar's dashboard sections and each domain's own."""

from importlib import import_module

# Oscar's own home page (its shop statistics) is replaced by the to-do page, which leads the menu.
LEADING_NAVIGATION_MODULES = ["workbench.navigation"]
DOMAIN_NAVIGATION_MODULES = [
    "suppliers.navigation",
    "reports.navigation",
    "settlement.navigation",
    "procurement.navigation",
    "shop.navigation",
    "cms.navigation",
]
REPLACED_URL_NAMES = {"dashboard:index"}


def extend_dashboard_navigation(navigation):
    extended = []
    for module_name in LEADING_NAVIGATION_MODULES:
        extended.extend(import_module(module_name).NAVIGATION)
    extended.extend(item for item in navigation if item.get("url_name") not in REPLACED_URL_NAMES)
    for module_name in DOMAIN_NAVIGATION_MODULES:
        extended.extend(import_module(module_name).NAVIGATION)
    return extended
