from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale, Page, Site

from accounts.models import User
from cms.models import HomePage

HOME = {
    "title": "消费扶贫商城",
    "slug": "home",
    "hero_title": "买一份特产，帮一户农家",
    "hero_text": "这里汇集张家界、湘西、永州等地经过认定的扶贫产品。每一笔订单都直接带动合作社和农户增收。",
}
INTRO = (
    "<p>商城中的每一件商品都来自经区县扶贫办认定的供应商，商品页面标明认定证书编号、产地和带贫方式。"
    "后盾单位可以为本单位下单、申请发票，并把到村采购登记进半月报。</p>"
)


def load():
    Locale.objects.get_or_create(language_code="zh-hans")
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        if root is None:
            # Wagtail's migrations create the tree's root; a database emptied since (a flushed test database, a
            # restored dump without it) needs it back before any page can be added.
            root = Page.add_root(title="全部页面", slug="root", content_type=ContentType.objects.get_for_model(Page))
        # Wagtail's migrations create a placeholder welcome page; ours replaces it.
        for placeholder in root.get_children().exclude(content_type__model="homepage"):
            Site.objects.filter(root_page=placeholder).delete()
            placeholder.delete()
        home = HomePage(**HOME, body=[("paragraph", INTRO)])
        root.add_child(instance=home)
        publish_revision(home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="消费扶贫商城"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "消费扶贫商城"
        site.save()
    load_pages(home)
    return home


# --- pages beyond the home page -------------------------------------------------------------------------------------

HOME_FAQ = [
    (
        "什么是扶贫产品？",
        "<p>由贫困地区的企业、合作社和农户生产，经所在县扶贫办审核、公示后列入目录的产品。商品页面写有认定证书编号。</p>",
    ),
    (
        "单位怎样集中采购？",
        "<p>后盾单位的采购人员登录后选择“为本单位下单”，填写发票抬头和税号，用对公转账付款；付款后订单自动记为采购登记。</p>",
    ),
]

GUIDES = [
    (
        "public",
        "市民：注册账号、关注地区",
        "用邮箱注册后，可以关注自己牵挂的县、乡镇，第一时间看到那里的新产品和专馆动态。",
        [
            ("注册账号", "<p>点击页面右上角的“登录或注册”，填写邮箱和密码。</p>"),
            ("找到地区专馆", "<p>在首页“地区专馆”中选择一个县，进入专馆页面。</p>"),
            ("点击“关注”", "<p>在专馆顶部点击“关注”，之后在“我的账户 → 我关注的地区”查看新产品和新闻。</p>"),
        ],
    ),
    (
        "buyer",
        "购买扶贫产品",
        "商城里的每件商品都经过认定。一次可以买多个供应商的商品，各供应商分别发货。",
        [
            ("挑选商品", "<p>在产品目录或搜索中找到商品，留意页面上的认定证书编号和产地。</p>"),
            (
                "加入购物车并结算",
                "<p>填写收货地址和手机号码，选择付款方式：在线支付、对公转账或货到付款（部分供应商支持）。</p>",
            ),
            ("查看物流", "<p>在“我的账户 → 订单”中查看每个供应商的发货单号。</p>"),
        ],
    ),
    (
        "unit",
        "后盾单位：登记采购、导入表格",
        "单位在线下单、到村采购、食堂采购，都要登记，才能计入半月报和年度任务。",
        [
            (
                "逐笔登记",
                "<p>进入后台“采购登记 → 新增”，选择卖方（认定供应商或村里的农户、合作社），填写数量、单价和日期，金额自动计算。</p>",
            ),
            (
                "批量导入",
                "<p>下载平台提供的表格模板，按列填写后上传。只要有一行出错，整份表格都不会导入，并会标出出错的行和列。</p>",
            ),
            ("在线订单自动登记", "<p>为本单位下单并付款后，订单会自动变成采购登记，不必重复填写。</p>"),
        ],
    ),
    (
        "reporting",
        "村和乡镇：半月报怎么报",
        "每月1日至15日、16日至月底各为一期。期满后在规定天数内上报。",
        [
            ("核对本期登记", "<p>村级登记员核对本村本期的采购登记，确认或对有误的记录提出异议。</p>"),
            ("乡镇汇总上报", "<p>乡镇在后台“半月报”中查看各村汇总，确认无误后提交县扶贫办。</p>"),
            ("处理退回", "<p>县扶贫办退回的报表会写明原因，修改后重新提交。</p>"),
        ],
    ),
    (
        "supplier",
        "供应商：申请扶贫产品认定",
        "先完善供应商资料，再为供应商本身和每个产品提出认定申请。",
        [
            ("完善资料", "<p>在后台“扶贫认定 → 供应商资料”中填写统一社会信用代码、所在村和带贫方式。</p>"),
            ("提交申请", "<p>上传营业执照照片和承诺书（图片或PDF，每个不超过5MB），提交县扶贫办审核。</p>"),
            ("公示与入目录", "<p>审核通过后产品进入公示，公示期满自动列入扶贫产品目录，即可在商城销售。</p>"),
        ],
    ),
]

NEWS = [
    ("桑植白茶春茶开采", "430822000000", 12, "青龙溪村茶园迎来春茶开采，合作社按保底价收购贫困户鲜叶。"),
    ("保靖黄金茶进机关食堂", "433125000000", 25, "多家后盾单位把保靖黄金茶列入食堂和工会采购清单。"),
    ("消费扶贫月启动", None, 5, "本年度消费扶贫月活动启动，各后盾单位认领采购任务。"),
]

STORIES = {
    "430822000000": "桑植县地处武陵山区，白茶和蜂蜜是当地合作社带动贫困户增收的主要产业。",
    "433125000000": "保靖县吕洞山一带出产黄金茶，茶园多由村集体和合作社经营，贫困户以土地入股分红。",
}


def draw_banner(text_colour=(255, 255, 255)):
    import io

    from PIL import Image as PilImage
    from PIL import ImageDraw

    picture = PilImage.new("RGB", (1200, 500), (46, 125, 50))
    draw = ImageDraw.Draw(picture)
    for index in range(0, 1200, 60):
        draw.polygon([(index, 500), (index + 30, 320), (index + 60, 500)], fill=(56, 142, 60))
    draw.ellipse([940, 60, 1080, 200], fill=(255, 213, 79))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def demo_image():
    import io

    from django.core.files.images import ImageFile
    from wagtail.images.models import Image
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        # Wagtail's migrations create the root collection; a flushed database needs it back before any image.
        Collection.add_root(name="Root")
    image = Image.objects.filter(title="武陵山茶园").first()
    if image is None:
        image = Image(title="武陵山茶园", file=ImageFile(io.BytesIO(draw_banner()), name="wuling-tea-garden.jpg"))
        image.save()
    return image


def publish_revision(page):
    # Published in the name of the demo's moderator where there is one, so Wagtail's reports name who published each
    # page; the loader writes as the system, so the moderator's page permissions are not asked for.
    moderator = User.objects.filter(email="moderator@demo.cn").first()
    page.save_revision(user=moderator).publish(user=moderator, skip_permission_checks=True)


def publish(parent, page):
    parent.add_child(instance=page)
    publish_revision(page)
    return page


def load_pages(home):
    from datetime import timedelta

    from django.utils import timezone

    from cms.models import (
        CampaignPage,
        GuideIndexPage,
        GuidePage,
        NewsIndexPage,
        NewsPage,
        PavilionPage,
        SiteChrome,
    )
    from organisations.models import Unit
    from regions.models import COUNTY, Region
    from suppliers.catalogue import certified_products

    today = timezone.localdate()
    image = demo_image()
    featured = list(certified_products().values_list("product_id", flat=True)[:4])

    if not home.body or len(home.body) < 2:
        home.body = [
            ("paragraph", INTRO),
            ("products", {"heading": "本期推荐", "products": featured}),
            (
                "call_to_action",
                {
                    "text": "后盾单位集中采购，请先阅读单位采购指南。",
                    "button": "查看指南",
                    "page": None,
                    "url": "/guides/",
                },
            ),
            ("faq", {"heading": "常见问题", "items": [{"question": q, "answer": a} for q, a in HOME_FAQ]}),
        ]
        publish_revision(home)

    if not CampaignPage.objects.exists():
        campaign = CampaignPage(
            title=f"{today.year}年消费扶贫月",
            slug="xiao-fei-fu-pin-yue",
            starts_on=today - timedelta(days=10),
            ends_on=today + timedelta(days=20),
            goal_amount="500000.00",
            intro="买扶贫产品、到村采购、食堂采购，一起完成本月的消费扶贫任务。",
            body=[
                ("paragraph", "<p>活动期间，认定产品在商城集中展示，后盾单位到结对村采购的金额全部计入进度。</p>"),
                ("image", {"image": image, "caption": "武陵山区的茶园"}),
                ("products", {"heading": "活动商品", "products": featured}),
            ],
        )
        publish(home, campaign)
        campaign.units.set(Unit.objects.all()[:6])
        publish_revision(campaign)

    guides = GuideIndexPage.objects.first()
    if guides is None:
        guides = publish(
            home,
            GuideIndexPage(title="使用指南", slug="guides", intro="<p>按身份选择对应的指南。</p>"),
        )
    for audience, title, intro, steps in GUIDES:
        if not GuidePage.objects.filter(audience=audience).exists():
            publish(
                guides,
                GuidePage(
                    title=title,
                    slug=f"guide-{audience}",
                    audience=audience,
                    intro=intro,
                    steps=[("step", {"title": t, "text": text, "image": None}) for t, text in steps],
                ),
            )

    counties = Region.objects.filter(
        level=COUNTY,
        code__in=[
            code[:6] + "000000"
            for code in Region.objects.filter(suppliers__isnull=False).values_list("code", flat=True)
        ],
    )
    for county in counties:
        if not PavilionPage.objects.filter(region=county).exists():
            story = STORIES.get(county.code, f"{county.name}的认定供应商和扶贫产品都在这里。")
            publish(
                home,
                PavilionPage(
                    title=f"{county.name}专馆",
                    slug=f"pavilion-{county.code[:6]}",
                    region=county,
                    story=[("paragraph", f"<p>{story}</p>")],
                ),
            )

    news_index = NewsIndexPage.objects.first()
    if news_index is None:
        news_index = publish(home, NewsIndexPage(title="新闻动态", slug="news"))
        for number, (title, region_code, days_ago, intro) in enumerate(NEWS, start=1):
            publish(
                news_index,
                NewsPage(
                    title=title,
                    slug=f"news-{number}",
                    date=today - timedelta(days=days_ago),
                    region=Region.objects.filter(code=region_code).first() if region_code else None,
                    intro=intro,
                    body=[("paragraph", f"<p>{intro}</p>"), ("image", {"image": image, "caption": title})],
                ),
            )

    chrome = SiteChrome.for_site(home.get_site())
    if not chrome.menu:
        chrome.menu = [
            ("link", {"label": "扶贫产品目录", "page": None, "url": "/shop/suppliers/catalogue/"}),
            ("link", {"label": "认定公示", "page": None, "url": "/shop/suppliers/notice/"}),
            ("link", {"label": "使用指南", "page": guides, "url": ""}),
            ("link", {"label": "新闻动态", "page": news_index, "url": ""}),
        ]
        chrome.contact = "张家界市扶贫开发办公室　地址：张家界市永定区（示例）"
        chrome.hotline = "0744-0000000"
        chrome.report_mailbox = "report@demo.cn"
        chrome.save()
    load_workflow(home)


# Editors read the workflow's name in Wagtail's admin ("提交给审核员审批").
WORKFLOW_NAME = "审核员审批"


def load_workflow(home):
    """Campaign and other pages are published through the moderators' approval."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage

    moderators, _created = Group.objects.get_or_create(name="Moderators")
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME)
        task.groups.set([moderators])
        workflow.workflow_tasks.create(task=task, sort_order=0)
    if (
        not WorkflowPage.objects.filter(page=home).exists()
        and not WorkflowPage.objects.filter(page__in=home.get_ancestors()).exists()
    ):
        WorkflowPage.objects.create(workflow=workflow, page=home)
