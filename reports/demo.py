import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from organisations.models import Unit
from regions.models import Region
from reports import services
from reports.models import (
    Category,
    Channel,
    Confirmation,
    HalfMonthReport,
    PaymentMethod,
    PurchaseRecord,
    ReportingOffice,
    SellerKind,
    Source,
)
from reports.periods import period_of
from suppliers.models import Partner

# (name, kind, level, region code, paired village codes, annual target, canteen budget, reserved %)
UNITS = [
    (
        "张家界市财政局",
        Unit.Kind.AGENCY,
        Unit.Level.CITY,
        "430800000000",
        ["430822101202", "430822101203"],
        "300000",
        "800000",
        "15",
    ),
    (
        "张家界市人民医院",
        Unit.Kind.HOSPITAL,
        Unit.Level.CITY,
        "430800000000",
        ["430802108217"],
        "500000",
        "2400000",
        "10",
    ),
    (
        "张家界市供电公司",
        Unit.Kind.STATE_ENTERPRISE,
        Unit.Level.CITY,
        "430800000000",
        ["430811201203"],
        "400000",
        "900000",
        "20",
    ),
    (
        "张家界市慈善总会",
        Unit.Kind.SOCIAL_ORGANISATION,
        Unit.Level.CITY,
        "430800000000",
        ["430821107220"],
        "80000",
        "0",
        "0",
    ),
    (
        "桑植县第一中学",
        Unit.Kind.SCHOOL,
        Unit.Level.COUNTY,
        "430822000000",
        ["430822101202"],
        "200000",
        "1500000",
        "15",
    ),
    (
        "桑植县茶旅开发有限公司",
        Unit.Kind.PRIVATE_ENTERPRISE,
        Unit.Level.COUNTY,
        "430822000000",
        ["430822213212"],
        "120000",
        "300000",
        "10",
    ),
    (
        "瑞塔铺镇总工会",
        Unit.Kind.TRADE_UNION,
        Unit.Level.TOWNSHIP,
        "430822101000",
        ["430822101203"],
        "30000",
        "60000",
        "10",
    ),
]

OFFICES = [
    ("430822101000", "瑞塔铺镇扶贫工作站", "fupin@ruitapu.example.cn"),
    ("430822000000", "桑植县扶贫开发办公室", "fupin@sangzhi.example.cn"),
    ("430800000000", "张家界市扶贫开发办公室", "fupin@zjj.example.cn"),
]

# (product, category, unit of measure, price range)
PRODUCE = [
    ("大米", Category.GRAIN, "斤", (2.5, 3.5)),
    ("土鸡", Category.MEAT, "只", (70, 90)),
    ("腊肉", Category.MEAT, "斤", (40, 60)),
    ("莓茶", Category.TEA, "盒", (60, 120)),
    ("桑植白茶", Category.TEA, "盒", (120, 260)),
    ("猕猴桃", Category.FRUIT, "箱", (50, 80)),
    ("高山蔬菜", Category.VEGETABLES, "斤", (3, 6)),
    ("葛根粉", Category.PROCESSED, "袋", (30, 45)),
]
HOUSEHOLDS = ["向大爷", "田大姐", "覃家", "钟家", "谷大叔", "青龙溪村种养合作社"]


def load():
    units = _units()
    if not PurchaseRecord.objects.filter(unit__in=units).exists():
        with transaction.atomic():
            _records(units)
    if not HalfMonthReport.objects.filter(unit__in=units).exists():
        with transaction.atomic():
            _reports(units)
    return units


def _units():
    units = []
    for name, kind, level, region_code, villages, target, budget, share in UNITS:
        unit, _created = Unit.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "level": level,
                "region": Region.objects.get(code=region_code),
                "annual_target": Decimal(target),
                "canteen_budget": Decimal(budget),
                "reserved_share_percent": Decimal(share),
            },
        )
        unit.paired_villages.add(*Region.objects.filter(code__in=villages))
        units.append(unit)
    units[0].members.add(User.objects.get(email="unit@demo.cn"))
    for code, name, email in OFFICES:
        ReportingOffice.objects.get_or_create(
            region=Region.objects.get(code=code), defaults={"name": name, "email": email}
        )
    return units


def _records(units):
    rng = random.Random(2020)
    today = timezone.localdate()
    supplier = Partner.objects.filter(users__email="supplier@demo.cn").first()
    if supplier is None:
        # The demo supplier account confirms the records that name its company.
        supplier = Partner.objects.order_by("pk").first()
        if supplier is not None:
            supplier.users.add(User.objects.get(email="supplier@demo.cn"))
    village_clerk = User.objects.get(email="village@demo.cn")
    unit_member = User.objects.get(email="unit@demo.cn")
    records = []
    for days_ago in range(0, 62):
        day = today - timedelta(days=days_ago)
        for _index in range(rng.randint(1, 3)):
            unit = rng.choice(units)
            village = rng.choice(list(unit.paired_villages.all()))
            product, category, measure, (low, high) = rng.choice(PRODUCE)
            by_supplier = supplier is not None and rng.random() < 0.3
            quantity = Decimal(
                rng.choice([20, 50, 120, 413, 800, 5130]) if measure in ("斤", "只") else rng.randint(5, 60)
            )
            price = Decimal(str(round(rng.uniform(low, high), 2)))
            at_home_village = village.code == "430822101202"
            confirmation = Confirmation.CONFIRMED if days_ago > 20 else rng.choice(list(Confirmation.values))
            records.append(
                PurchaseRecord(
                    unit=unit,
                    village=village,
                    seller_kind=SellerKind.SUPPLIER if by_supplier else SellerKind.HOUSEHOLD,
                    supplier=supplier if by_supplier else None,
                    seller_name="" if by_supplier else rng.choice(HOUSEHOLDS),
                    product_name=product,
                    category=category,
                    quantity=quantity,
                    unit_of_measure=measure,
                    unit_price=price,
                    amount=PurchaseRecord(quantity=quantity, unit_price=price).compute_amount(),
                    households_benefiting=rng.randint(1, 12),
                    purchased_on=day,
                    channel=Channel.VILLAGE if not by_supplier else rng.choice([Channel.COUNTER, Channel.FAIR]),
                    payment_method=rng.choice([PaymentMethod.PUBLIC_ACCOUNT, PaymentMethod.CARD, PaymentMethod.MOBILE]),
                    source=Source.VILLAGE if at_home_village and rng.random() < 0.5 else Source.FORM,
                    confirmation=confirmation,
                    dispute_reason="数量与送货单不符" if confirmation == Confirmation.DISPUTED else "",
                    registered_by=village_clerk if at_home_village else unit_member,
                )
            )
        if days_ago % 9 == 0:
            records.append(
                PurchaseRecord(
                    helper_name=rng.choice(["刘干部", "张老师", "李医生"]),
                    village=Region.objects.get(code="430822101202"),
                    seller_kind=SellerKind.HOUSEHOLD,
                    seller_name=rng.choice(HOUSEHOLDS),
                    product_name="土鸡蛋",
                    category=Category.MEAT,
                    quantity=Decimal("60"),
                    unit_of_measure="个",
                    unit_price=Decimal("1.50"),
                    amount=Decimal("90.00"),
                    households_benefiting=1,
                    purchased_on=day,
                    channel=Channel.VILLAGE,
                    source=Source.VILLAGE,
                    registered_by=village_clerk,
                )
            )
    PurchaseRecord.objects.bulk_create(records)


# An office submitting over villages or townships that have not reported explains it, as the reviewer expects.
DEMO_NOTE = "其余村（乡镇）本期尚未报送，已电话催报；差额为其未报送部分。"


def _reports(units):
    """Reports at every stage, so that each demo account finds something waiting for it."""
    village_clerk = User.objects.get(email="village@demo.cn")
    township = User.objects.get(email="township@demo.cn")
    county = User.objects.get(email="county@demo.cn")
    city = User.objects.get(email="city@demo.cn")
    member = User.objects.get(email="unit@demo.cn")
    current = period_of(timezone.localdate())
    p1, p2, p3, p4 = current.previous(), current.previous().previous(), None, None
    p3 = p2.previous()
    p4 = p3.previous()
    village = village_clerk.region

    # Oldest period: approved all the way up, then an amendment being prepared by the village.
    report = services.report_for(user=village_clerk, period=p4, region=village)
    services.report_submit(report=report, user=village_clerk)
    report = services.report_approve(report=report, user=township, comment="数据属实")
    services.report_amend(report=report, user=village_clerk)
    report = services.report_for(user=township, period=p4, region=township.region)
    services.report_submit(report=report, user=township, note=DEMO_NOTE)
    services.report_approve(report=report, user=county)
    report = services.report_for(user=county, period=p4, region=county.region)
    services.report_submit(report=report, user=county, note=DEMO_NOTE)
    services.report_approve(report=report, user=city)

    # Returned and resubmitted at the township; the county has the township's report waiting.
    report = services.report_for(user=village_clerk, period=p3, region=village)
    services.report_submit(report=report, user=village_clerk)
    services.report_return(report=report, user=township, comment="请补充票据照片后重新报送")
    services.report_submit(report=report, user=village_clerk)
    services.report_approve(report=report, user=township)
    report = services.report_for(user=township, period=p3, region=township.region)
    services.report_submit(report=report, user=township, note=DEMO_NOTE)
    # The county's own report of p3 waits for the city.
    report = services.report_for(user=county, period=p2, region=county.region)
    services.report_submit(report=report, user=county, note=DEMO_NOTE)

    # The village's report of p2 waits for the township; p1 is still a returned report to fix.
    report = services.report_for(user=village_clerk, period=p2, region=village)
    services.report_submit(report=report, user=village_clerk)
    report = services.report_for(user=village_clerk, period=p1, region=village)
    services.report_submit(report=report, user=village_clerk)
    services.report_return(report=report, user=township, comment="芦溪村的登记请一并核对")

    # The city-level unit: an older report waiting for the city office, the last period in draft.
    report = services.report_for(user=member, period=p2, unit=units[0])
    services.report_submit(report=report, user=member)
    services.report_for(user=member, period=p1, unit=units[0])
