"""Every back-office page a demo role reaches fits a phone's screen: nothing wider than 390 pixels.

Each demo role signs in on a 390 × 844 screen with the demo data, starts at its to-do page and follows the back-office
links it is shown, one address per URL pattern. A wide table may scroll inside its own box; the page itself may not.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROLES = ["county", "city", "township", "village", "unit", "supplier", "operator"]
PAGES_PER_ROLE = 14
SKIPPED = re.compile(r"logout|download|\.(?:xlsx|csv|pdf)(?:\?|$)|/files?/|/receipt/|/media/|/i18n/|export")


def pattern(path):
    return re.sub(r"/\d+(?=/)", "/N", path.split("?")[0])


def sign_in(page, live_server, email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "zh-hans", "url": live_server.url},
        ]
    )


def test_every_back_office_page_a_demo_role_reaches_fits_a_phone(live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    page.set_viewport_size({"width": 390, "height": 844})
    too_wide = []
    for role in ROLES:
        sign_in(page, live_server, f"{role}@demo.cn")
        queue, seen, patterns = ["/shop/dashboard/"], set(), set()
        while queue and len(seen) < PAGES_PER_ROLE:
            path = queue.pop(0)
            if path in seen or pattern(path) in patterns:
                continue
            seen.add(path)
            patterns.add(pattern(path))
            try:
                response = page.goto(live_server.url + path)
            except PlaywrightError:  # an address that answers with a file download is not a page
                continue
            if response is None or response.status != 200 or "text/html" not in response.headers["content-type"]:
                continue
            width = page.evaluate("document.scrollingElement.scrollWidth")
            if width > 390:
                too_wide.append(f"{role} {path}: {width}px")
            for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
                parts = urlsplit(urljoin(live_server.url + path, href))
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if (
                    parts.netloc == urlsplit(live_server.url).netloc
                    and target.startswith("/shop/dashboard/")
                    and not SKIPPED.search(target)
                ):
                    queue.append(target)
        assert len(seen) > 2, role
    assert not too_wide, "wider than the phone:\n" + "\n".join(too_wide)
