import pytest
from django.contrib.auth.models import Group

from accounts import roles
from cms import demo as cms_demo
from cms.models import CampaignPage
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pass-word-2020"


def wagtail_user(wagtail_group):
    user = UserFactory(role=roles.EDITOR)
    user.groups.add(Group.objects.get(name=wagtail_group))
    return user


def sign_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(live_server.url + "/cms/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_an_editor_submits_a_campaign_a_moderator_publishes_it_and_the_public_sees_it(live_server, page):
    home = cms_demo.load()
    editor = wagtail_user("Editors")
    moderator = wagtail_user("Moderators")

    # The editor writes the campaign page and submits it for moderation; it is not public yet.
    sign_in(page, live_server, editor)
    page.goto(f"{live_server.url}/cms/pages/add/cms/campaignpage/{home.pk}/")
    page.wait_for_load_state("networkidle")
    page.fill("#id_title", "金秋消费扶贫周")
    # The slug sits on the promote tab; the editor would keep the one Wagtail proposes.
    page.eval_on_selector("#id_slug", "field => { field.value = 'jin-qiu-xiao-fei-zhou'; }")
    page.fill("#id_starts_on", "2026-11-01")
    page.fill("#id_ends_on", "2026-11-30")
    page.fill("#id_goal_amount", "200000")
    page.fill("#id_intro", "到结对村采购秋收农产品。")
    with page.expect_navigation():
        page.eval_on_selector('button[name="action-submit"]', "button => button.click()")
    campaign = CampaignPage.objects.get(title="金秋消费扶贫周")
    assert not campaign.live
    assert campaign.current_workflow_state is not None
    response = page.goto(live_server.url + campaign.url_path.replace(home.url_path, "/", 1))
    assert response.status == 404

    # The moderator approves it, which publishes it.
    sign_in(page, live_server, moderator)
    page.goto(f"{live_server.url}/cms/pages/{campaign.pk}/edit/")
    page.wait_for_load_state("networkidle")
    with page.expect_navigation():
        page.eval_on_selector(
            'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])',
            "button => button.click()",
        )
    campaign.refresh_from_db()
    assert campaign.live

    # Anyone can now read it, with its goal.
    page.context.clear_cookies()
    page.goto(live_server.url + campaign.url)
    assert "金秋消费扶贫周" in page.content()
    assert "200,000.00" in page.locator("#campaign-progress").inner_text()
