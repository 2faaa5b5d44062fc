"""Demo suppliers and their products, with photos drawn by Pillow (nothing is downloaded)."""

import io
import random
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image, ImageDraw

from regions.models import Region
from suppliers.credit_code import check_character
from suppliers.models import (
    CatalogueBatch,
    CertificateCounter,
    CertificationRules,
    CertificationStatus,
    HouseholdLink,
    Objection,
    Partner,
    PriceChange,
    PriceChangeStatus,
    PriceHistory,
    PriceSource,
    ProductCertification,
    ProductSource,
    SupplierCertification,
)
from suppliers.services import next_certificate_number

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

CATEGORIES = {
    "grain": ("粮油米面", (214, 178, 94)),
    "fruit": ("蔬菜水果", (231, 134, 52)),
    "meat": ("肉禽蛋品", (176, 70, 60)),
    "aquatic": ("水产品", (64, 128, 176)),
    "tea": ("茶叶饮品", (84, 150, 84)),
    "local": ("地方特产", (150, 96, 160)),
    "craft": ("手工艺品", (110, 110, 110)),
}

# (name, type, village code, leading, link type, households, people, about)
SUPPLIERS = [
    (
        "桑植县白茶产业合作社",
        Partner.COOPERATIVE,
        "430822101202",
        "",
        Partner.LINK_PURCHASE,
        126,
        402,
        "收购周边贫困户鲜叶，统一加工桑植白茶。",
    ),
    (
        "张家界茅岩莓茶有限公司",
        Partner.ENTERPRISE,
        "430802108217",
        "provincial",
        Partner.LINK_WAGES,
        210,
        655,
        "省级龙头企业，吸纳贫困户务工并保底收购莓茶。",
    ),
    (
        "慈利县江垭腊味坊",
        Partner.ENTERPRISE,
        "430821107220",
        "city",
        Partner.LINK_PURCHASE,
        88,
        271,
        "按保护价收购农户生猪，制作传统柴火腊肉。",
    ),
    (
        "武陵源协和山珍合作社",
        Partner.COOPERATIVE,
        "430811201203",
        "",
        Partner.LINK_DIVIDEND,
        64,
        190,
        "村集体入股，年底向贫困户分红。",
    ),
    (
        "桑植洪家关大鲵养殖场",
        Partner.FAMILY_FARM,
        "430822213212",
        "",
        Partner.LINK_WAGES,
        23,
        71,
        "人工繁育大鲵，聘请贫困户从事养殖管理。",
    ),
    (
        "保靖黄金茶业有限公司",
        Partner.ENTERPRISE,
        "433125116208",
        "provincial",
        Partner.LINK_PURCHASE,
        342,
        1105,
        "保靖黄金茶核心产区企业，带动茶农增收。",
    ),
    (
        "凤凰菖蒲塘果业合作社",
        Partner.COOPERATIVE,
        "433123101209",
        "",
        Partner.LINK_PURCHASE,
        158,
        516,
        "种植猕猴桃和蜜柚，统一品控和销售。",
    ),
    (
        "花垣十八洞山泉农业公司",
        Partner.ENTERPRISE,
        "433124110226",
        "city",
        Partner.LINK_DIVIDEND,
        136,
        533,
        "村企合作，利润按股份分给贫困户。",
    ),
    (
        "古丈翁草苗绣工坊",
        Partner.VILLAGE_COLLECTIVE,
        "433126104204",
        "",
        Partner.LINK_WAGES,
        47,
        120,
        "组织留守妇女在家门口做苗绣。",
    ),
    (
        "永顺芙蓉镇油茶合作社",
        Partner.COOPERATIVE,
        "433127103214",
        "",
        Partner.LINK_PURCHASE,
        95,
        288,
        "收购山茶籽，冷榨山茶油。",
    ),
    (
        "江永上洞香柚专业合作社",
        Partner.COOPERATIVE,
        "431125103202",
        "",
        Partner.LINK_PURCHASE,
        77,
        236,
        "种植菊花芯柚等香柚，带动农户统一销售。",
    ),
    (
        "张家界土家七星椒食品厂",
        Partner.INDIVIDUAL,
        "430802208202",
        "",
        Partner.LINK_WAGES,
        31,
        98,
        "加工七星椒酱和剁辣椒，雇用贫困户。",
    ),
]

# (supplier index, title, category, spec, unit, price, marks, season, description)
PRODUCTS = [
    (
        0,
        "桑植白茶 明前特级",
        "tea",
        "100克×2罐",
        "盒",
        "168.00",
        "gi",
        "春季",
        "高山云雾中采摘的明前嫩芽，汤色清亮，回甘持久。",
    ),
    (0, "桑植白茶 一级散茶", "tea", "250克", "袋", "88.00", "", "春季", "一芽一叶初展，适合日常冲泡。"),
    (0, "桑植白茶 礼盒装", "tea", "200克×2罐", "盒", "298.00", "gi,green", "春季", "合作社统一加工的伴手礼装。"),
    (1, "张家界莓茶 芽尖", "tea", "50克", "罐", "58.00", "gi", "夏季", "莓茶嫩尖，白霜浓密，清凉微甜。"),
    (1, "张家界莓茶 家庭装", "tea", "250克", "袋", "66.00", "gi", "夏季", "整叶莓茶，适合泡水或煮饮。"),
    (1, "茅岩莓茶 冷泡茶包", "tea", "3克×30包", "盒", "45.00", "", "全年", "冷水即泡，便于携带。"),
    (1, "莓茶蜂蜜", "local", "500克", "瓶", "78.00", "", "秋季", "山区土蜂蜜配莓茶提取物。"),
    (2, "湘西柴火腊肉", "meat", "500克", "袋", "79.00", "", "冬季", "农户散养生猪，柴火熏制四十天。"),
    (2, "土家腊香肠", "meat", "500克", "袋", "69.00", "", "冬季", "精选前腿肉，手工灌制。"),
    (2, "腊肉腊肠组合", "meat", "1000克", "盒", "138.00", "", "冬季", "腊肉与香肠各半，年货佳品。"),
    (3, "武陵源野生葛根粉", "local", "500克", "罐", "59.00", "green", "秋季", "深山葛根手工沉淀，冲调即食。"),
    (3, "高山小黄姜", "fruit", "2500克", "箱", "39.90", "", "秋季", "沙土种植，姜味浓郁。"),
    (3, "张家界岩耳", "local", "100克", "袋", "128.00", "", "全年", "悬崖采集的石耳，炖汤佳品。"),
    (4, "桑植人工养殖大鲵", "aquatic", "约1000克/尾", "尾", "398.00", "", "全年", "持证人工繁育养殖，冷链发货。"),
    (4, "大鲵酒", "aquatic", "500毫升", "瓶", "268.00", "", "全年", "养殖大鲵配米酒浸制。"),
    (5, "保靖黄金茶 特级", "tea", "100克", "罐", "238.00", "gi,organic", "春季", "氨基酸含量高，鲜爽回甘。"),
    (5, "保靖黄金茶 一级", "tea", "250克", "袋", "128.00", "gi", "春季", "条索紧细，香气高长。"),
    (5, "黄金红茶", "tea", "200克", "盒", "96.00", "", "夏季", "黄金茶鲜叶制成的红茶，蜜香明显。"),
    (5, "黄金茶 袋泡装", "tea", "2克×50包", "盒", "59.00", "", "全年", "办公室冲泡便捷装。"),
    (6, "湘西猕猴桃 红心", "fruit", "5000克", "箱", "88.00", "gi,quality", "秋季", "红心猕猴桃，糖度高，自然成熟。"),
    (6, "湘西猕猴桃 绿心", "fruit", "5000克", "箱", "69.00", "gi", "秋季", "米良一号，酸甜适口。"),
    (6, "凤凰蜜柚", "fruit", "4个装", "箱", "49.90", "", "秋季", "果肉饱满多汁。"),
    (6, "猕猴桃果干", "fruit", "250克", "袋", "35.00", "", "全年", "低温烘干，不添加色素。"),
    (7, "十八洞山泉水", "local", "550毫升×24瓶", "箱", "48.00", "quality", "全年", "村集体入股的山泉水厂出品。"),
    (7, "十八洞苗家腊肉", "meat", "500克", "袋", "85.00", "", "冬季", "苗寨农户自制。"),
    (7, "湘西黄牛肉干", "meat", "200克", "袋", "58.00", "", "全年", "湘西黄牛后腿肉，手撕风味。"),
    (7, "高山红薯粉丝", "grain", "1000克", "袋", "32.00", "", "冬季", "红薯淀粉手工漏制。"),
    (8, "苗绣手工香包", "craft", "2个装", "套", "68.00", "", "全年", "绣娘手工刺绣，图案寓意吉祥。"),
    (8, "苗绣桌旗", "craft", "30×180厘米", "条", "268.00", "", "全年", "传统纹样，可作礼品。"),
    (8, "苗家银饰书签", "craft", "1枚", "枚", "45.00", "", "全年", "手工錾刻。"),
    (9, "永顺冷榨山茶油", "grain", "2500毫升", "桶", "258.00", "green", "冬季", "山茶籽冷榨，烟点高。"),
    (9, "山茶油 礼盒", "grain", "500毫升×2瓶", "盒", "168.00", "green,organic", "冬季", "送礼自用皆宜。"),
    (9, "土家糍粑", "grain", "2000克", "袋", "39.00", "", "冬季", "糯米手工捶打。"),
    (10, "江永菊花芯柚", "fruit", "2个装", "箱", "59.00", "gi", "秋季", "果肉带菊花芯纹理，清甜化渣。"),
    (10, "江永香芋", "fruit", "2500克", "箱", "45.00", "gi", "秋季", "粉糯香甜。"),
    (10, "江永香米", "grain", "5000克", "袋", "68.00", "", "秋季", "山区梯田种植的香米。"),
    (11, "张家界七星椒", "local", "250克", "袋", "26.00", "", "秋季", "晒干七星椒，辣味足。"),
    (11, "土家剁辣椒", "local", "500克", "瓶", "22.00", "", "全年", "新鲜辣椒手工剁制。"),
    (11, "七星椒酱", "local", "280克×2瓶", "组", "36.00", "", "全年", "拌饭拌面皆宜。"),
    (11, "高山萝卜干", "fruit", "500克", "袋", "19.90", "", "冬季", "农家晾晒，脆爽开胃。"),
]

MARK_FIELDS = {
    "gi": "is_geographical_indication",
    "green": "is_green_food",
    "organic": "is_organic",
    "quality": "has_quality_certificate",
}


def credit_code_for(index):
    first17 = f"9343{index:04d}MA4L{index:05d}"[:17]
    first17 = first17.replace("I", "J").replace("O", "P")
    return first17 + check_character(first17)


def draw_photo(seed, colour):
    rng = random.Random(seed)
    image = Image.new("RGB", (600, 600), colour)
    draw = ImageDraw.Draw(image)
    for y in range(600):
        shade = int(40 * y / 600)
        draw.line([(0, y), (600, y)], fill=tuple(max(0, c - shade) for c in colour))
    for _i in range(6):
        x, y, r = rng.randint(80, 520), rng.randint(80, 520), rng.randint(40, 110)
        tint = tuple(min(255, c + rng.randint(30, 90)) for c in colour)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tint, outline=(255, 255, 255), width=3)
    draw.rectangle([0, 540, 600, 600], fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


def load():
    today = timezone.localdate()
    product_class, _created = ProductClass.objects.get_or_create(
        slug="farm-product", defaults={"name": "扶贫农产品", "requires_shipping": True, "track_stock": True}
    )
    categories = {}
    for key, (name, _colour) in CATEGORIES.items():
        category = Category.objects.filter(name=name, depth=1).first()
        if category is None:
            category = Category.add_root(name=name, slug=key)
        categories[key] = category

    partners = []
    for index, (name, kind, village_code, leading, link, households, people, about) in enumerate(SUPPLIERS, start=1):
        village = Region.objects.get(code=village_code)
        partner, created = Partner.objects.get_or_create(
            code=f"supplier-{index:02d}",
            defaults={
                "name": name,
                "legal_name": name,
                "supplier_type": kind,
                "credit_code": credit_code_for(index),
                "region": village,
                "address": village.full_name,
                "contact_name": "联系人",
                "contact_phone": f"0744-82{index:05d}",
                "leading_enterprise": leading,
                "link_type": link,
                "link_description": about,
                "description": about,
                "households_linked": households,
                "people_linked": people,
                "bank_name": "中国农业银行",
                "bank_account_name": name,
                "bank_account": f"6228 4800 {index:04d} 0000",
                "shipping_rate": Decimal("10.00"),
                "free_shipping_threshold": Decimal("99.00"),
                "allows_cash_on_delivery": index % 2 == 0,
            },
        )
        if created:
            county = village.ancestor_at("county")
            SupplierCertification.objects.create(
                partner=partner,
                status=CertificationStatus.CERTIFIED,
                certificate_number=f"{county.code[:6]}-{today.year}-S{index:03d}",
                certifying_office=county,
                valid_from=today - timedelta(days=300),
                valid_until=today + timedelta(days=730),
                decided_at=timezone.now(),
            )
        partners.append(partner)

    sequence = {}
    for number, (supplier_index, title, category_key, spec, unit, price, marks, season, about) in enumerate(
        PRODUCTS, start=1
    ):
        partner = partners[supplier_index]
        upc = f"XF{number:05d}"
        product = Product.objects.filter(upc=upc).first()
        if product is not None:
            continue
        product = Product.objects.create(
            upc=upc,
            title=title,
            description=f"<p>{about}</p>",
            product_class=product_class,
            origin=partner.region,
            specification=spec,
            sales_unit=unit,
            season=season,
            **{MARK_FIELDS[m]: True for m in marks.split(",") if m},
        )
        ProductCategory.objects.create(product=product, category=categories[category_key])
        StockRecord.objects.create(
            partner=partner, product=product, partner_sku=upc, price=Decimal(price), num_in_stock=200 + number * 7
        )
        image = ProductImage(product=product, display_order=0, caption=title)
        image.original.save(f"{upc}.jpg", ContentFile(draw_photo(number, CATEGORIES[category_key][1])), save=False)
        image.save()

        county = partner.region.ancestor_at("county")
        batch, _created = CatalogueBatch.objects.get_or_create(
            county=county,
            year=today.year,
            number=1,
            defaults={
                "notice_starts_on": today - timedelta(days=200),
                "notice_ends_on": today - timedelta(days=193),
                "published_on": today - timedelta(days=192),
            },
        )
        sequence[county.code] = sequence.get(county.code, 0) + 1
        ProductCertification.objects.create(
            product=product,
            partner=partner,
            batch=batch,
            status=CertificationStatus.CERTIFIED,
            certificate_number=f"{county.code[:6]}-{today.year}-{ProductCertification.objects.filter(certifying_office=county).count() + 1:04d}",
            certifying_office=county,
            valid_from=today - timedelta(days=190),
            valid_until=today + timedelta(days=540),
            decided_at=timezone.now(),
        )
    for county_code in sequence:
        county = Region.objects.get(code=county_code)
        used = ProductCertification.objects.filter(certifying_office=county).count()
        counter, _created = CertificateCounter.objects.get_or_create(county=county, year=today.year)
        if counter.last_number < used:
            counter.last_number = used
            counter.save(update_fields=["last_number"])
    load_applications(partners[0], product_class, categories, today)
    load_county_practice(partners, product_class, categories, today)
    return partners


# Applications in every state for the first supplier, so that its staff and its county office have work to do.
APPLICATIONS = [
    ("XFA01", "桑植白茶 明前银针", "128.00", CertificationStatus.PENDING, ""),
    ("XFA02", "桑植白茶 老树寿眉", "86.00", CertificationStatus.PENDING, ""),
    ("XFA03", "桑植白茶 散装毛茶", "45.00", CertificationStatus.REJECTED, "承诺书未加盖公章，请补充后重新提交。"),
    ("XFA04", "桑植白茶 礼盒装", "198.00", CertificationStatus.NOTICE, ""),
    ("XFA05", "桑植白茶 袋泡茶", "39.00", CertificationStatus.REVOKED, "市场抽检包装标识不合格，撤销认定。"),
]


def load_applications(partner, product_class, categories, today):
    county = partner.region.ancestor_at("county")
    for upc, title, price, status, reason in APPLICATIONS:
        if Product.objects.filter(upc=upc).exists():
            continue
        product = Product.objects.create(
            upc=upc, title=title, description=f"<p>{title}</p>", product_class=product_class, origin=partner.region
        )
        ProductCategory.objects.create(product=product, category=categories["tea"])
        StockRecord.objects.create(
            partner=partner, product=product, partner_sku=upc, price=Decimal(price), num_in_stock=50
        )
        image = ProductImage(product=product, display_order=0, caption=title)
        image.original.save(f"{upc}.jpg", ContentFile(draw_photo(ord(upc[-1]), CATEGORIES["tea"][1])), save=False)
        image.save()
        certification = ProductCertification.objects.create(product=product, partner=partner, reason=reason)
        if status == CertificationStatus.PENDING:
            continue
        if status == CertificationStatus.REJECTED:
            certification.set_status(to=status, by=None, reason=reason)
            continue
        batch, _created = CatalogueBatch.objects.get_or_create(
            county=county,
            year=today.year,
            number=2,
            defaults={"notice_starts_on": today - timedelta(days=2), "notice_ends_on": today + timedelta(days=5)},
        )
        certification.batch = batch
        certification.certifying_office = county
        certification.certificate_number = next_certificate_number(county=county, year=today.year)
        certification.set_status(to=CertificationStatus.NOTICE, by=None, reason="审核通过，进入公示。")
        if status == CertificationStatus.REVOKED:
            certification.set_status(to=status, by=None, reason=reason)


# The declared share of sales reaching households, by mechanism (a cooperative buying produce passes on most).
DEMO_RATES = {
    Partner.LINK_PURCHASE: Decimal("35.00"),
    Partner.LINK_WAGES: Decimal("15.00"),
    Partner.LINK_DIVIDEND: Decimal("6.00"),
}


def load_county_practice(partners, product_class, categories, today):
    """Certification as 桑植县 runs it, for the demo accounts: townships check first, a batch on notice with an
    objection, a certificate to renew, price proof on every certified product with one rise of 30% waiting for
    county@demo.cn, and each supplier's household linkage. Idempotent."""
    coop = partners[0]
    county = coop.region.ancestor_at("county")
    CertificationRules.objects.get_or_create(county=county, defaults={"township_check": True, "notice_days": 7})

    # Price proof: the same goods' price seen on another channel when certified.
    for certification in ProductCertification.objects.filter(reference_price__isnull=True).select_related("product"):
        stockrecord = StockRecord.objects.filter(product=certification.product, partner=certification.partner).first()
        if stockrecord is None:
            continue
        certification.reference_price = stockrecord.price
        certification.reference_source = PriceSource.CHANNEL
        certification.reference_note = "同类商品在电商平台的售价"
        certification.save(update_fields=["reference_price", "reference_source", "reference_note"])

    coop_stock = list(StockRecord.objects.filter(partner=coop, product__upc__startswith="XF0").order_by("product__upc"))
    now = timezone.now()
    # 桑植白茶 明前特级: a rise of 30% above its reference, waiting for the county office.
    first = coop_stock[0]
    if not PriceChange.objects.filter(stockrecord=first).exists():
        PriceHistory.objects.create(stockrecord=first, price=first.price, shown_from=now - timedelta(days=120))
        PriceChange.objects.create(
            stockrecord=first,
            old_price=first.price,
            new_price=(first.price * Decimal("1.3")).quantize(Decimal("0.01")),
            reference_price=first.price,
            status=PriceChangeStatus.PENDING,
            requested_at=now - timedelta(days=1),
        )
    # 桑植白茶 一级散茶: raised within the margin ten days ago, so its page shows the lowest price of 30 days.
    second = coop_stock[1]
    if not PriceHistory.objects.filter(stockrecord=second).exists():
        PriceHistory.objects.create(stockrecord=second, price=second.price, shown_from=now - timedelta(days=90))
        second.price = (second.price * Decimal("1.1")).quantize(Decimal("0.01"))
        second.save(update_fields=["price"])
        PriceHistory.objects.create(stockrecord=second, price=second.price, shown_from=now - timedelta(days=10))
    # 桑植白茶 礼盒装: its certificate ends in 45 days, so supplier@demo.cn has been reminded and may renew it.
    ProductCertification.objects.filter(product=coop_stock[2].product, status=CertificationStatus.CERTIFIED).update(
        valid_until=today + timedelta(days=45)
    )

    # The batch on notice (第2批) with an objection county@demo.cn has to answer before it is published.
    on_notice = ProductCertification.objects.filter(
        partner=coop, status=CertificationStatus.NOTICE, batch__isnull=False
    ).first()
    if on_notice and not Objection.objects.filter(batch=on_notice.batch).exists():
        Objection.objects.create(
            batch=on_notice.batch,
            certification=on_notice,
            name="向女士",
            contact="139 0744 0000",
            reason="礼盒里的茶叶听说有一部分是从外县收购的，请核实是否都产自青龙溪村。",
        )

    # An application waiting for township@demo.cn's first check.
    if not Product.objects.filter(upc="XFA06").exists():
        product = Product.objects.create(
            upc="XFA06",
            title="桑植白茶 高山云雾",
            description="<p>海拔八百米茶园的春茶。</p>",
            product_class=product_class,
            origin=coop.region,
        )
        ProductCategory.objects.create(product=product, category=categories["tea"])
        StockRecord.objects.create(
            partner=coop, product=product, partner_sku="XFA06", price=Decimal("138.00"), num_in_stock=60
        )
        image = ProductImage(product=product, display_order=0, caption=product.title)
        image.original.save("XFA06.jpg", ContentFile(draw_photo(6, CATEGORIES["tea"][1])), save=False)
        image.save()
        ProductCertification.objects.create(
            product=product,
            partner=coop,
            status=CertificationStatus.TOWNSHIP,
            reference_price=Decimal("135.00"),
            reference_source=PriceSource.CONTRACT,
            reference_note="与县茶叶公司的供货合同 2026-031 号",
        )

    # Household linkage: each supplier's mechanism from its profile; the tea cooperative also employs pickers.
    for partner in partners:
        if partner.link_type and not partner.household_links.exists():
            link = HouseholdLink.objects.create(
                partner=partner,
                mechanism=partner.link_type,
                households=partner.households_linked,
                rate_percent=DEMO_RATES[partner.link_type],
                description=partner.link_description,
            )
            link.villages.add(partner.region)
    if not coop.household_links.filter(mechanism=Partner.LINK_WAGES).exists():
        HouseholdLink.objects.create(
            partner=coop,
            mechanism=Partner.LINK_WAGES,
            households=18,
            rate_percent=Decimal("8.00"),
            description="采茶季雇用贫困户采摘",
        )
    if not ProductSource.objects.filter(partner=coop).exists():
        for name, kind, households in (("向大伯家", "household", 1), ("青龙溪村茶叶种植专业合作社", "cooperative", 36)):
            for stockrecord in coop_stock[:2]:
                ProductSource.objects.create(
                    product=stockrecord.product,
                    partner=coop,
                    kind=kind,
                    name=name,
                    village=coop.region,
                    households=households,
                )
