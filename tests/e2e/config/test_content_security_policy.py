import pytest
from django.test import Client

from accounts import roles
from cms import demo as cms_demo
from tests.factories import UnitFactory, UserFactory, certified_product, region

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pass-word-2020"
# Recorded by the page itself, so that a violation is caught even when the console message is worded differently.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""
# An inline handler or a javascript: address is refused only when it runs (a click, a picture that loads), so the page
# is also searched for them: each one is a button or a link that would do nothing.
INLINE_BEHAVIOUR = """() => {
    const found = [];
    for (const element of document.querySelectorAll("*")) {
        for (const attribute of element.attributes) {
            if (/^on/i.test(attribute.name)) {
                found.push(element.tagName + "[" + attribute.name + "]");
            } else if (/^\\s*javascript:/i.test(attribute.value)) {
                found.push(element.tagName + "[" + attribute.name + "=javascript:]");
            }
        }
    }
    return found;
}"""


class Watch:
    """What the browser complains about while the test moves through the site."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: script error {error}"))
        page.add_init_script(RECORD_VIOLATIONS)

    def console(self, message):
        # A page visited on purpose for its 404 is reported by chromium as a failed resource; nothing else may fail.
        if message.type == "error" and not message.text.startswith(
            "Failed to load resource: the server responded with a status of 404"
        ):
            self.problems.append(f"{self.page.url}: {message.text}")

    def visit(self, url, status=200):
        response = self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        assert response.status == status, f"{url} answered {response.status}"
        self.check()
        return response

    def check(self):
        url = self.page.url
        self.problems.extend(f"{url}: {violation}" for violation in self.page.evaluate("() => window.__cspViolations"))
        self.problems.extend(f"{url}: inline {found}" for found in self.page.evaluate(INLINE_BEHAVIOUR))


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_sites_pages_dashboard_and_page_editor_pass_the_content_security_policy(live_server, page):
    home = cms_demo.load()
    product = certified_product(title="湘西猕猴桃 红心", price="88.00")
    UserFactory(email="admin@example.cn", is_staff=True, is_superuser=True)
    watch = Watch(page)

    response = page.goto(live_server.url + "/")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self' 'nonce-" in policy
    watch.visit(live_server.url + "/")
    watch.visit(live_server.url + "/shop/catalogue/")
    watch.visit(live_server.url + product.get_absolute_url())
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    watch.visit(live_server.url + "/shop/basket/")

    page.goto(live_server.url + "/shop/accounts/login/")
    page.fill("#id_login-username", "admin@example.cn")
    page.fill("#id_login-password", PASSWORD)
    with page.expect_navigation():
        page.click("button[name=login_submit]")
    watch.visit(live_server.url + "/shop/checkout/")
    watch.visit(live_server.url + "/shop/dashboard/")
    watch.visit(f"{live_server.url}/cms/pages/{home.pk}/edit/")
    assert "id_title" in page.content()

    assert watch.problems == []


def test_public_pages_and_each_roles_dashboard_run_without_a_refused_script_or_console_error(live_server, page):
    cms_demo.load()
    county = region("430822000000", "桑植县")
    village = region("430822101201", "合群村")
    product = certified_product(title="桑植白茶 明前", price="128.00")
    partner = product.stockrecords.get().partner
    supplier_staff = UserFactory(role=roles.SUPPLIER)
    partner.users.add(supplier_staff)
    unit = UnitFactory(name="桑植县第一中学", region=county)
    unit.paired_villages.add(village)
    unit_member = UserFactory(role=roles.UNIT)
    unit.members.add(unit_member)
    reviewer = UserFactory(role=roles.COUNTY, region=county)
    admin = UserFactory(is_staff=True, is_superuser=True)
    buyer = UserFactory(role=roles.BUYER)
    watch = Watch(page)
    url = live_server.url

    for path in [
        "/",
        "/shop/catalogue/",
        product.get_absolute_url(),
        "/shop/search/?q=白茶",
        "/shop/suppliers/",
        f"/shop/suppliers/{partner.pk}/",
        "/shop/suppliers/catalogue/",
        "/shop/suppliers/notice/",
        "/shop/basket/",
        "/shop/accounts/login/",
    ]:
        watch.visit(url + path)
    watch.visit(url + "/shop/no-such-page/", status=404)

    sign_in(page, live_server, buyer)
    for path in ["/shop/accounts/", "/shop/accounts/profile/edit/", "/shop/accounts/addresses/add/"]:
        watch.visit(url + path)
    # The profile form's "cancel" link goes back to the previous page without an inline handler.
    watch.visit(url + "/shop/accounts/profile/")
    watch.visit(url + "/shop/accounts/profile/edit/")
    with page.expect_navigation():
        page.get_by_role("link", name="取消").click()
    assert page.url == url + "/shop/accounts/profile/"
    watch.check()

    sign_in(page, live_server, supplier_staff)
    for path in [
        "/shop/dashboard/",
        "/shop/dashboard/catalogue/",
        "/shop/dashboard/orders/fulfilment/",
        "/shop/dashboard/suppliers/certifications/",
        "/shop/dashboard/suppliers/certifications/apply/",
        "/shop/dashboard/suppliers/profile/",
        "/shop/dashboard/reports/records/",
    ]:
        watch.visit(url + path)

    sign_in(page, live_server, unit_member)
    for path in [
        "/shop/dashboard/",
        "/shop/dashboard/reports/records/",
        "/shop/dashboard/reports/records/new/",
        "/shop/dashboard/reports/imports/",
        "/shop/dashboard/reports/half-month/",
    ]:
        watch.visit(url + path)

    sign_in(page, live_server, reviewer)
    for path in [
        "/shop/dashboard/",
        "/shop/dashboard/reports/office/",
        "/shop/dashboard/reports/half-month/",
        "/shop/dashboard/suppliers/certifications/",
        "/shop/dashboard/suppliers/changes/",
    ]:
        watch.visit(url + path)

    sign_in(page, live_server, admin)
    for path in [
        "/shop/dashboard/",
        f"/shop/dashboard/catalogue/products/{product.pk}/",
        "/shop/dashboard/catalogue/product-type/create/",
        "/shop/dashboard/catalogue/option/create/",
        "/shop/dashboard/catalogue/attribute-option-group/create/",
        "/shop/dashboard/partners/create/",
        "/shop/dashboard/orders/",
        "/shop/dashboard/users/",
    ]:
        watch.visit(url + path)

    assert watch.problems == []
