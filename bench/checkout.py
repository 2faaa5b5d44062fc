"""Concurrent checkouts of one popular product (PostgreSQL).

Creates a fresh database, then for each N in --buyers runs N threads, each placing --orders orders of one unit by bank
transfer through shop.checkout.services.checkout_place_order (the service the checkout view calls):
  * contended: every buyer wants the same product, stocked for only half of the attempts, so the row lock is
    fought over and half the attempts end "sold out";
  * baseline: every buyer buys a product of its own (no contention).
Prints orders per second for both, the ratio, and checks that the popular product was never oversold.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/checkout.py
    ... bench/checkout.py --buyers 1 4 16 --orders 20
"""

import argparse
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = "xfbsc_bench_checkout"


def fresh_database():
    from bench.common import fresh_postgres_database

    return fresh_postgres_database(DATABASE)


class World:
    """A certified supplier in a village, buyers, and products to sell."""

    def __init__(self):
        from django.utils import timezone
        from oscar.core.loading import get_model

        from accounts.models import User
        from regions.models import Region
        from suppliers.models import CertificationStatus, Partner, ProductCertification, SupplierCertification

        self.models = {name: get_model(*name.split(".")) for name in ("catalogue.Product", "partner.StockRecord")}
        self.ProductCertification, self.CertificationStatus = ProductCertification, CertificationStatus
        self.today = timezone.localdate()
        province = Region.objects.create(code="430000000000", name="湖南省", level="province")
        city = Region.objects.create(code="430800000000", name="张家界市", level="city", parent=province)
        county = Region.objects.create(code="430822000000", name="桑植县", level="county", parent=city)
        township = Region.objects.create(code="430822101000", name="瑞塔铺镇", level="township", parent=county)
        self.village = Region.objects.create(code="430822101201", name="合群村", level="village", parent=township)
        self.county = county
        self.partner = Partner.objects.create(name="桑植白茶合作社", code="bench", region=self.village)
        SupplierCertification.objects.create(
            partner=self.partner,
            status=CertificationStatus.CERTIFIED,
            certifying_office=county,
            valid_from=self.today - timedelta(days=10),
            valid_until=self.today + timedelta(days=365),
        )
        self.User = User
        self.n_products = 0

    def product(self, stock):
        from oscar.core.loading import get_model

        ProductClass = get_model("catalogue", "ProductClass")
        product_class, _ = ProductClass.objects.get_or_create(
            slug="farm-product", defaults={"name": "扶贫农产品", "requires_shipping": True, "track_stock": True}
        )
        self.n_products += 1
        product = self.models["catalogue.Product"].objects.create(
            title=f"桑植白茶{self.n_products}", product_class=product_class, structure="standalone", origin=self.village
        )
        self.models["partner.StockRecord"].objects.create(
            product=product,
            partner=self.partner,
            partner_sku=f"B{self.n_products}",
            price=Decimal("88.00"),
            num_in_stock=stock,
        )
        self.ProductCertification.objects.create(
            product=product,
            partner=self.partner,
            status=self.CertificationStatus.CERTIFIED,
            certifying_office=self.county,
            valid_from=self.today - timedelta(days=10),
            valid_until=self.today + timedelta(days=365),
        )
        return product

    def buyers(self, count, tag):
        return [self.User.objects.create_user(email=f"{tag}-{i}@bench.cn", password="x") for i in range(count)]


def run(world, buyers, products, orders_each):
    """Each buyer thread places orders_each orders; returns (placed, sold_out, seconds)."""
    from django.db import connections
    from oscar.core.loading import get_class, get_model

    from shop.address.forms import china
    from shop.checkout.services import checkout_place_order
    from shop.order.utils import SoldOut
    from shop.shipping.methods import SupplierShipping

    Basket = get_model("basket", "Basket")
    ShippingAddress = get_model("order", "ShippingAddress")
    OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
    Selector = get_class("partner.strategy", "Selector")
    country = china()

    baskets = {}
    for buyer, product in zip(buyers, products, strict=True):
        baskets[buyer.pk] = []
        for _ in range(orders_each):
            basket = Basket.objects.create(owner=buyer)
            basket.strategy = Selector().strategy()
            basket.add_product(product, 1)
            baskets[buyer.pk].append(basket)
    placed, sold_out, errors = [], [], []
    barrier = threading.Barrier(len(buyers) + 1)

    def buy(buyer):
        try:
            barrier.wait()
            for basket in baskets[buyer.pk]:
                method = SupplierShipping()
                charge = method.calculate(basket)
                address = ShippingAddress(
                    country=country,
                    first_name="张三",
                    phone_number="+8613800138000",
                    state="湖南省",
                    line4="张家界市",
                    line3="桑植县",
                    line1="人民路8号",
                )
                try:
                    checkout_place_order(
                        user=buyer,
                        basket=basket,
                        shipping_address=address,
                        shipping_method=method,
                        shipping_charge=charge,
                        order_total=OrderTotalCalculator().calculate(basket, charge),
                        payment_method="transfer",
                    )
                    placed.append(1)
                except SoldOut:
                    sold_out.append(1)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buy, args=(buyer,)) for buyer in buyers]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if errors:
        raise errors[0]
    return len(placed), len(sold_out), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, nargs="+", default=[1, 4, 8, 16])
    parser.add_argument("--orders", type=int, default=20, help="orders each buyer tries to place")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = fresh_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput"],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    import django

    django.setup()
    world = World()
    StockRecord = world.models["partner.StockRecord"]
    oversold = False
    for n in args.buyers:
        attempts = n * args.orders
        stock = max(1, attempts // 2)
        popular = world.product(stock)
        placed, sold_out, contended = run(world, world.buyers(n, f"c{n}"), [popular] * n, args.orders)
        record = StockRecord.objects.get(product=popular)
        ok = record.num_allocated == placed == min(stock, attempts) and placed + sold_out == attempts
        oversold |= not ok
        own = [world.product(attempts) for _ in range(n)]
        base_placed, _none, baseline = run(world, world.buyers(n, f"b{n}"), own, args.orders)
        rate, base_rate = placed / contended, base_placed / baseline
        print(
            f"N={n:>3}: contended {rate:7.1f} orders/s ({placed} placed, {sold_out} sold out, stock {stock}); "
            f"no contention {base_rate:7.1f} orders/s; ratio {rate / base_rate:.2f}; "
            f"{'no oversell' if ok else 'OVERSOLD'} (allocated {record.num_allocated} of {record.num_in_stock})"
        )
    sys.exit(1 if oversold else 0)


if __name__ == "__main__":
    main()
