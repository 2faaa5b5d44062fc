from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page


class HomePage(Page):
    hero_title = models.CharField(_("Hero title"), max_length=120, blank=True)
    hero_text = models.TextField(_("Hero text"), blank=True)
    body = StreamField([("paragraph", blocks.RichTextBlock(label=_("Rich text")))], blank=True, verbose_name=_("Body"))

    content_panels = Page.content_panels + [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("Home page")
