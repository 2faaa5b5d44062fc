"""Campaign pages are published by moderators only; editors submit them."""

from datetime import date

import pytest
from django.contrib.auth.models import Group

from accounts import roles
from cms import demo as cms_demo
from cms.models import CampaignPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    home = cms_demo.load()
    page = CampaignPage(
        title="草稿活动", slug="draft", starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30), live=False
    )
    home.add_child(instance=page)
    page.save_revision()
    return page


def user_in(wagtail_group):
    user = UserFactory(role=roles.EDITOR)
    user.groups.add(Group.objects.get(name=wagtail_group))
    return user


def test_an_editor_may_submit_but_not_publish(client, campaign):
    editor = user_in("Editors")
    assert not campaign.permissions_for_user(editor).can_publish()
    client.force_login(editor)
    html = client.get(f"/cms/pages/{campaign.pk}/edit/").content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html
    assert client.get(campaign.url_path.replace("/home", "", 1)).status_code == 404


def test_a_moderator_may_publish(client, campaign):
    moderator = user_in("Moderators")
    assert campaign.permissions_for_user(moderator).can_publish()


def test_a_buyer_cannot_open_the_cms(client, campaign):
    client.force_login(UserFactory(role=roles.BUYER))
    response = client.get(f"/cms/pages/{campaign.pk}/edit/")
    assert response.status_code in (302, 403)
    campaign.refresh_from_db()
    assert not campaign.live


def test_an_editor_can_view_the_draft_before_it_is_published(client, campaign):
    client.force_login(user_in("Editors"))
    response = client.get(f"/cms/pages/{campaign.pk}/view_draft/")
    assert response.status_code == 200
    assert "草稿活动" in response.content.decode()
