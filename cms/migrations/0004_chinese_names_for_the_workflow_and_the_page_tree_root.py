"""The moderation workflow, its task and the root of the page tree are named in Chinese: editors read these names
in Wagtail's admin ("提交给审核员审批", the explorer's breadcrumb)."""

from django.db import migrations

NAMES = [("Moderators approval", "审核员审批")]
ROOT = ("Root", "全部页面")


def rename(apps, schema_editor, forwards=True):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Page = apps.get_model("wagtailcore", "Page")
    for english, chinese in NAMES:
        old, new = (english, chinese) if forwards else (chinese, english)
        Workflow.objects.filter(name=old).update(name=new)
        Task.objects.filter(name=old).update(name=new)
    old, new = ROOT if forwards else ROOT[::-1]
    Page.objects.filter(depth=1, title=old).update(title=new, draft_title=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_campaignpage_units_in_organisations"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
