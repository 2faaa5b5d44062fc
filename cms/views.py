"""爱心关注: following regions, and the account page of what is new there."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.redirects import safe_next
from cms.models import NewsPage, PavilionPage, RegionFollow
from cms.selectors import new_in_regions, sellable_in_order
from regions.models import VILLAGE, Region

MAX_FOLLOWS = 50


def back(request, fallback="cms:following"):
    return safe_next(request, fallback)


@login_required
@require_POST
def follow(request, code):
    region = get_object_or_404(Region, code=code)
    if region.level == VILLAGE:
        messages.error(request, _("Regions can be followed down to the township."))
        return back(request)
    if RegionFollow.objects.filter(user=request.user).count() >= MAX_FOLLOWS:
        messages.error(request, _("You follow %(n)s regions already; stop following one first.") % {"n": MAX_FOLLOWS})
        return back(request)
    _follow, created = RegionFollow.objects.get_or_create(user=request.user, region=region)
    if created:
        messages.success(request, _("You now follow %(region)s.") % {"region": region.full_name})
    return back(request)


@login_required
@require_POST
def unfollow(request, code):
    deleted, _rows = RegionFollow.objects.filter(user=request.user, region__code=code).delete()
    if deleted:
        messages.success(request, _("You no longer follow this region."))
    return back(request)


@login_required
def following(request):
    follows = list(RegionFollow.objects.filter(user=request.user).select_related("region"))
    regions = [f.region for f in follows]
    news = NewsPage.objects.none()
    if regions:
        from django.db.models import Q

        where = Q()
        for region in regions:
            where |= Q(region__code__startswith=region.prefix)
        news = NewsPage.objects.live().filter(where).select_related("region").order_by("-date")[:10]
    pavilions = {p.region_id: p for p in PavilionPage.objects.live().filter(region__in=regions)}
    return render(
        request,
        "cms/following.html",
        {
            "follows": [(f, pavilions.get(f.region_id)) for f in follows],
            "products": sellable_in_order(new_in_regions(regions)),
            "news": news,
            "page_title": _("Regions I follow"),
            "active_tab": "following",
        },
    )
