"""Demo reserved-share filings for this year: the demo unit's own (confirmed by the city), a contractor-run canteen, a
shared canteen, a unit without a canteen, and county units that lag or have bought nothing, so that the bulletins of
桑植县 and 张家界市 name someone; and a unit order the demo purchaser sent to its staff's addresses at checkout, which
supplier@demo.cn has still to ship. Running it again changes nothing."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from accounts.models import User
from organisations.models import Unit
from procurement import bulletins, services
from procurement.models import Canteen, FilingStatus, ShareFiling
from regions.models import Region
from reports.models import Category, Channel, PaymentMethod, PurchaseRecord, SellerKind, Source
from reports.periods import period_of
from shop.demo import place_order
from shop.invoicing.demo import UNIT_ADDRESS
from suppliers.catalogue import certified_products

Product = get_model("catalogue", "Product")

# (name, kind, level, region code, parent unit's name)
NEW_UNITS = [
    ("张家界市财政局工会", Unit.Kind.TRADE_UNION, Unit.Level.CITY, "430800000000", "张家界市财政局"),
    ("张家界湘味餐饮管理有限公司", Unit.Kind.PRIVATE_ENTERPRISE, Unit.Level.CITY, "430800000000", None),
    ("桑植县旅游服务中心", Unit.Kind.AGENCY, Unit.Level.COUNTY, "430822000000", None),
    ("桑植县人民医院", Unit.Kind.HOSPITAL, Unit.Level.COUNTY, "430822000000", None),
    ("桑植县农业农村局", Unit.Kind.AGENCY, Unit.Level.COUNTY, "430822000000", None),
]

# (unit, canteen, budget, percent, others sharing the canteen or the contractor, confirmed by)
FILINGS = [
    ("张家界市财政局", Canteen.OWN, "800000", "15", [], "city@demo.cn"),
    ("张家界市人民医院", Canteen.CONTRACTOR, "2400000", "10", ["张家界湘味餐饮管理有限公司"], "city@demo.cn"),
    ("张家界市供电公司", Canteen.OWN, "900000", "20", [], None),
    ("张家界市慈善总会", Canteen.NONE, "0", "0", [], "city@demo.cn"),
    ("桑植县第一中学", Canteen.OWN, "1500000", "15", [], "county@demo.cn"),
    ("桑植县茶旅开发有限公司", Canteen.SHARED, "300000", "10", ["桑植县旅游服务中心"], "county@demo.cn"),
    ("桑植县人民医院", Canteen.OWN, "2000000", "10", [], "county@demo.cn"),
    ("桑植县农业农村局", Canteen.OWN, "600000", "12", [], None),
]

# A few purchases of the units added here: the trade union's and the contractor's count toward their units' shares.
PURCHASES = [
    ("张家界市财政局工会", "桑植白茶", Category.TEA, "box", "60", "168.00", 40),
    ("张家界湘味餐饮管理有限公司", "大米", Category.GRAIN, "jin", "5130", "3.20", 30),
    ("张家界湘味餐饮管理有限公司", "土鸡", Category.MEAT, "animal", "413", "85.00", 45),
    ("桑植县农业农村局", "高山蔬菜", Category.VEGETABLES, "jin", "300", "4.50", 20),
]


def load():
    today = timezone.localdate()
    with transaction.atomic():
        units = _units()
        if not ShareFiling.objects.filter(year=today.year).exists():
            _purchases(units, today)
            _filings(units, today.year)
            _vouchers(units)
            _group_order(units)
    period = period_of(today).previous()
    if period.end.year != today.year:
        # In the first half of January the last bulletin is of last year, which the demo has no filings for.
        period = period_of(today)
    for code in ("430822000000", "430800000000"):
        bulletins.bulletin_generate(office=Region.objects.get(code=code), period=period)


def _units():
    for name, kind, level, region_code, parent in NEW_UNITS:
        Unit.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "level": level,
                "region": Region.objects.get(code=region_code),
                "parent": Unit.objects.filter(name=parent).first() if parent else None,
                "canteen_budget": Decimal("0"),
                "reserved_share_percent": Decimal("0"),
            },
        )
    return {unit.name: unit for unit in Unit.objects.all()}


def _purchases(units, today):
    clerk = User.objects.get(email="village@demo.cn")
    village = Region.objects.get(code="430822101202")
    for number, (unit, product, category, measure, quantity, price, days_ago) in enumerate(PURCHASES):
        record = PurchaseRecord(
            unit=units[unit],
            village=village,
            seller_kind=SellerKind.COOPERATIVE,
            seller_name="青龙溪村种养合作社",
            product_name=product,
            category=category,
            quantity=Decimal(quantity),
            unit_of_measure=measure,
            unit_price=Decimal(price),
            households_benefiting=3 + number,
            purchased_on=max(today - timedelta(days=days_ago), today.replace(month=1, day=1)),
            channel=Channel.VILLAGE,
            payment_method=PaymentMethod.PUBLIC_ACCOUNT,
            source=Source.VILLAGE,
            registered_by=clerk,
        )
        record.amount = record.compute_amount()
        record.save()


def _filings(units, year):
    unit_member = User.objects.get(email="unit@demo.cn")
    administrator = User.objects.get(email="admin@demo.cn")
    for name, canteen, budget, percent, others, confirmer in FILINGS:
        unit = units[name]
        others = [units[other] for other in others]
        if unit.members.filter(pk=unit_member.pk).exists():
            filing = services.filing_submit(
                unit=unit,
                year=year,
                user=unit_member,
                canteen=canteen,
                canteen_budget=Decimal(budget),
                share_percent=Decimal(percent),
                note="按年度部门预算食堂食材经费申报。",
            )
        else:
            # The other demo units have no member account: the administrator entered their filings for them.
            filing = ShareFiling.objects.create(
                unit=unit,
                year=year,
                canteen=canteen,
                canteen_budget=Decimal(budget),
                share_percent=Decimal(percent),
                contractor=others[0] if canteen == Canteen.CONTRACTOR else None,
                filed_by=administrator,
            )
            if canteen == Canteen.SHARED:
                filing.shared_with.set(others)
            filing.record_status_change(old="", new=FilingStatus.SUBMITTED, by=administrator, reason="申报")
        if confirmer:
            services.filing_confirm(filing=filing, user=User.objects.get(email=confirmer))


def _vouchers(units):
    """The demo unit's gift vouchers for its staff, one of them already redeemed by the demo purchaser."""
    unit_member = User.objects.get(email="unit@demo.cn")
    batch = services.voucher_batch_buy(
        unit=units["张家界市财政局"], user=unit_member, count=20, value=Decimal("200.00"), note="春节慰问职工"
    )
    product = Product.objects.filter(pk__in=certified_products().values("product")).order_by("pk").first()
    if product is not None:
        services.voucher_redeem(code=batch.vouchers.first().code, user=unit_member, product=product)


# The staff a demo unit order goes to: (name, mobile number, address, quantity of the first product, of the second).
STAFF = [
    ("向晓红", "13807440011", "湖南省张家界市永定区子午路1号财政局宿舍3栋", 2, 1),
    ("田建军", "13807440012", "湖南省张家界市永定区南庄坪街道天门路88号", 2, 1),
    ("谷春梅", "13807440013", "湖南省张家界市武陵源区军地坪街道溪布街16号", 1, 1),
]


def _group_order(units):
    """A unit order delivered to many addresses, placed through checkout with its recipients, not yet shipped."""
    unit_member = User.objects.get(email="unit@demo.cn")
    supplier_user = User.objects.filter(email="supplier@demo.cn").first()
    partner = supplier_user.partners.first() if supplier_user else None
    if partner is None:
        return
    products = list(
        certified_products()
        .filter(partner=partner, product__stockrecords__num_in_stock__gt=20)
        .values_list("product", flat=True)
        .distinct()
        .order_by("product")[:2]
    )
    if len(products) < 2:
        return
    first, second = Product.objects.get(pk=products[0]), Product.objects.get(pk=products[1])
    rows = []
    for name, phone, address, of_first, of_second in STAFF:
        for product, quantity in ((first, of_first), (second, of_second)):
            rows.append(
                {
                    "row": len(rows) + 2,
                    "title": product.get_title(),
                    "name": name,
                    "phone": phone,
                    "address": address,
                    "quantity": quantity,
                }
            )
    unit = units["张家界市财政局"]
    place_order(
        unit_member,
        [(first, sum(staff[3] for staff in STAFF)), (second, sum(staff[4] for staff in STAFF))],
        address=UNIT_ADDRESS,
        unit=unit,
        invoice_title=unit.name,
        invoice_tax_number="11430800MB1234567X",
        recipients=rows,
        recipients_file_name="端午职工慰问名单.xlsx",
    )
