import pytest

from cms import demo as cms_demo
from tests.factories import UserFactory, certified_product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pass-word-2020"
# Recorded by the page itself, so that a violation is caught even when the console message is worded differently.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def visit(page, url, problems):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    header = page.evaluate("() => window.__cspViolations")
    problems.extend(f"{url}: {violation}" for violation in header)


def test_the_sites_pages_dashboard_and_page_editor_pass_the_content_security_policy(live_server, page):
    home = cms_demo.load()
    product = certified_product(title="湘西猕猴桃 红心", price="88.00")
    UserFactory(email="admin@example.cn", is_staff=True, is_superuser=True)
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)

    response = page.goto(live_server.url + "/")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self' 'nonce-" in policy
    visit(page, live_server.url + "/", problems)
    visit(page, live_server.url + "/shop/catalogue/", problems)
    visit(page, live_server.url + product.get_absolute_url(), problems)
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    visit(page, live_server.url + "/shop/basket/", problems)

    page.goto(live_server.url + "/shop/accounts/login/")
    page.fill("#id_login-username", "admin@example.cn")
    page.fill("#id_login-password", PASSWORD)
    with page.expect_navigation():
        page.click("button[name=login_submit]")
    visit(page, live_server.url + "/shop/checkout/", problems)
    visit(page, live_server.url + "/shop/dashboard/", problems)
    visit(page, f"{live_server.url}/cms/pages/{home.pk}/edit/", problems)
    assert "id_title" in page.content()

    print("\n".join(problems))
    assert problems == []
