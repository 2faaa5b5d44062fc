from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from cms.blocks import FaqBlock, OptionalPageChooserBlock, StepBlock, body_blocks
from cms.slugs import PinyinSlugMixin

LIVE_PAGES_KEY = "cms:live-pages"
LIVE_PAGES_SECONDS = 60


def live_pages_state():
    """The live pages' count and latest publication, as one string.

    Kept in the cache and forgotten whenever a page is published, unpublished, moved or deleted (cms.apps), so the home
    page's cached parts follow any change at once without counting the pages on every visit; after a minute in any
    case (a process whose cache is its own memory does not see another's change).
    """

    def compute():
        live = Page.objects.live().aggregate(pages=Count("pk"), last=Max("last_published_at"))
        return f"{live['pages']}/{live['last']}"

    return cache.get_or_set(LIVE_PAGES_KEY, compute, LIVE_PAGES_SECONDS)


def live_pages_forget(**kwargs):
    cache.delete(LIVE_PAGES_KEY)


class HomePage(PinyinSlugMixin, Page):
    hero_title = models.CharField(_("Hero title"), max_length=120, blank=True)
    hero_text = models.TextField(_("Hero text"), blank=True)
    hero_campaign = models.ForeignKey(
        "cms.CampaignPage",
        verbose_name=_("Campaign in the hero"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to show the campaign running today, if any."),
    )
    body = StreamField(body_blocks(), blank=True, verbose_name=_("Body"))

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_campaign")], _("Hero")),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.CampaignPage", "cms.GuideIndexPage", "cms.PavilionPage", "cms.NewsIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("Home page")

    def current_campaign(self):
        if self.hero_campaign_id and self.hero_campaign.live:
            return self.hero_campaign
        today = timezone.localdate()
        return CampaignPage.objects.live().filter(starts_on__lte=today, ends_on__gte=today).order_by("ends_on").first()

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import impact_figures

        context = super().get_context(request, *args, **kwargs)
        # What the cached hero, pavilions and news are keyed on (templates/cms/home_page.html): the live pages' count
        # and latest publication (live_pages_state), and the date (a campaign runs between dates).
        context["live_pages"] = f"{live_pages_state()}/{timezone.localdate()}"
        context["pavilions"] = PavilionPage.objects.live().child_of(self).select_related("region")
        context["impact"] = impact_figures()
        context["news"] = NewsPage.objects.live().order_by("-date")[:4]
        return context


class CampaignPage(PinyinSlugMixin, Page):
    """A campaign such as 消费扶贫月: dates, a goal, the units taking part and the sales made meanwhile."""

    starts_on = models.DateField(_("Starts on"))
    ends_on = models.DateField(_("Ends on"))
    goal_amount = models.DecimalField(_("Sales goal (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    intro = models.TextField(_("Introduction"), blank=True)
    units = ParentalManyToManyField("organisations.Unit", verbose_name=_("Participating units"), blank=True)
    body = StreamField(body_blocks(), blank=True, verbose_name=_("Body"))

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("starts_on"), FieldPanel("ends_on"), FieldPanel("goal_amount")], _("Campaign")),
        FieldPanel("intro"),
        FieldPanel("units"),
        FieldPanel("body"),
    ]

    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Campaign page")

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A campaign cannot end before it starts.")})
        if self.goal_amount is not None and self.goal_amount < 0:
            raise ValidationError({"goal_amount": _("The goal cannot be negative.")})

    def sales(self):
        from cms.selectors import sales_between

        return sales_between(self.starts_on, self.ends_on)

    def progress(self):
        """Sales so far and their share of the goal, in percent (capped at 100 for the bar)."""
        sales = self.sales()
        percent = (sales / self.goal_amount * 100) if self.goal_amount else Decimal("0")
        return {
            "sales": sales,
            "percent": percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
            "bar": min(percent, Decimal("100")),
        }

    def is_running(self):
        return self.starts_on <= timezone.localdate() <= self.ends_on

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["progress"] = self.progress()
        context["participating_units"] = self.units.all().order_by("name")
        return context


class GuideIndexPage(PinyinSlugMixin, Page):
    intro = RichTextField(_("Introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.GuidePage"]
    max_count = 1

    class Meta:
        verbose_name = _("Guide index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guides"] = GuidePage.objects.live().child_of(self)
        return context


class GuidePage(PinyinSlugMixin, Page):
    """Step-by-step help for one role."""

    PUBLIC, BUYER, UNIT, REPORTING, SUPPLIER = "public", "buyer", "unit", "reporting", "supplier"
    AUDIENCE_CHOICES = [
        (PUBLIC, _("Members of the public: register and follow regions")),
        (BUYER, _("Buyers: how to buy")),
        (UNIT, _("Units: log purchases and import spreadsheets")),
        (REPORTING, _("Villages and townships: half-month reports")),
        (SUPPLIER, _("Suppliers: apply for certification")),
    ]

    audience = models.CharField(_("For whom"), max_length=16, choices=AUDIENCE_CHOICES)
    intro = models.TextField(_("Introduction"), blank=True)
    steps = StreamField([("step", StepBlock())], verbose_name=_("Steps"))
    faq = StreamField([("faq", FaqBlock())], blank=True, verbose_name=_("Questions"))

    content_panels = Page.content_panels + [
        FieldPanel("audience"),
        FieldPanel("intro"),
        FieldPanel("steps"),
        FieldPanel("faq"),
    ]
    parent_page_types = ["cms.GuideIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Guide page")


class PavilionPage(PinyinSlugMixin, Page):
    """专馆: a region's own pavilion, listing its certified suppliers and products by itself."""

    region = models.ForeignKey("regions.Region", verbose_name=_("Region"), on_delete=models.PROTECT, related_name="+")
    story = StreamField(body_blocks(), blank=True, verbose_name=_("The story of the place"))

    content_panels = Page.content_panels + [FieldPanel("region"), FieldPanel("story")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Pavilion page")

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import region_product_ids, region_suppliers, sellable_in_order

        context = super().get_context(request, *args, **kwargs)
        context["products"] = sellable_in_order(region_product_ids(self.region))
        context["suppliers"] = region_suppliers(self.region)
        context["news"] = (
            NewsPage.objects.live().filter(region__code__startswith=self.region.prefix).order_by("-date")[:5]
        )
        user = getattr(request, "user", None)
        context["following"] = bool(
            user and user.is_authenticated and RegionFollow.objects.filter(user=user, region_id=self.region_id).exists()
        )
        return context


class NewsIndexPage(PinyinSlugMixin, Page):
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("News index")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.live().child_of(self).order_by("-date")
        context["page_obj"] = Paginator(news, 20).get_page(request.GET.get("page"))
        return context


class NewsPage(PinyinSlugMixin, Page):
    date = models.DateField(_("Date"), default=timezone.localdate)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("Region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("News of a region also shows in its pavilion and to those who follow it."),
    )
    intro = models.TextField(_("Summary"), blank=True)
    body = StreamField(body_blocks(), blank=True, verbose_name=_("Body"))

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("region"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("News article")


@register_setting(icon="list-ul")
class SiteChrome(BaseSiteSetting):
    """The menu and the footer of the site's pages."""

    menu = StreamField(
        [
            (
                "link",
                blocks.StructBlock(
                    [
                        ("label", blocks.CharBlock(label=_("Label"), max_length=30)),
                        ("page", OptionalPageChooserBlock(label=_("Page"), required=False)),
                        ("url", blocks.CharBlock(label=_("Or an address on this site"), required=False)),
                    ],
                    label=_("Link"),
                ),
            )
        ],
        blank=True,
        verbose_name=_("Menu"),
    )
    contact = models.TextField(_("Contact"), blank=True)
    hotline = models.CharField(_("Hotline"), max_length=32, blank=True)
    report_mailbox = models.EmailField(
        _("The offices' report mailbox"), blank=True, help_text=_("Where villages and units may write to the offices.")
    )

    panels = [FieldPanel("menu"), FieldPanel("contact"), FieldPanel("hotline"), FieldPanel("report_mailbox")]

    class Meta:
        verbose_name = _("Menu and footer")


class RegionFollow(models.Model):
    """爱心关注: a buyer follows a region to hear of its new products and pavilion news."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("User"), on_delete=models.CASCADE, related_name="region_follows"
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("Region"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("Followed at"), auto_now_add=True)

    class Meta:
        unique_together = [("user", "region")]
        ordering = ["region__code"]
        verbose_name = _("Followed region")
        verbose_name_plural = _("Followed regions")

    def __str__(self):
        return f"{self.user} → {self.region}"
