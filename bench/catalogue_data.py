"""Bulk-loads N certified products (5 categories, 10 suppliers, one photo each) for the benchmarks."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image

from config.slugs import slugify
from regions import demo as regions_demo
from regions.models import Region
from suppliers.credit_code import check_character
from suppliers.models import CertificationStatus, Partner, ProductCertification, SupplierCertification

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

CATEGORY_NAMES = ["茶叶饮品", "蔬菜水果", "肉禽蛋品", "粮油米面", "地方特产"]
WORDS = ["桑植白茶", "张家界莓茶", "保靖黄金茶", "湘西猕猴桃", "菊花芯柚", "腊肉", "山茶油", "七星椒", "葛根粉", "香米"]
SUPPLIERS = 10


def _photo_path():
    path = "images/products/bench/photo.jpg"
    if not default_storage.exists(path):
        out = io.BytesIO()
        Image.new("RGB", (600, 600), (84, 150, 84)).save(out, "JPEG", quality=80)
        default_storage.save(path, ContentFile(out.getvalue()))
    return path


@transaction.atomic
def ensure_products(total):
    """Tops the catalogue up to `total` bench products; returns the number now present."""
    regions_demo.load()
    today = timezone.localdate()
    product_class, _created = ProductClass.objects.get_or_create(
        slug="farm-product", defaults={"name": "扶贫农产品", "track_stock": True}
    )
    categories = []
    for index, name in enumerate(CATEGORY_NAMES):
        category = Category.objects.filter(name=name, depth=1).first() or Category.add_root(name=name, slug=f"c{index}")
        categories.append(category)
    villages = list(Region.objects.filter(level="village").order_by("code"))
    partners = []
    for index in range(SUPPLIERS):
        first17 = f"93430800BENCH{index:04d}".replace("I", "J").replace("O", "P")
        partner, created = Partner.objects.get_or_create(
            code=f"bench-{index}",
            defaults={
                "name": f"基准供应商{index}",
                "credit_code": first17 + check_character(first17),
                "region": villages[index % len(villages)],
            },
        )
        if created:
            SupplierCertification.objects.create(
                partner=partner,
                status=CertificationStatus.CERTIFIED,
                certifying_office=partner.region.ancestor_at("county"),
                valid_from=today - timedelta(days=10),
                valid_until=today + timedelta(days=365),
            )
        partners.append(partner)

    existing = Product.objects.filter(upc__startswith="B").count()
    if existing >= total:
        return existing
    photo = _photo_path()
    new = []
    for number in range(existing, total):
        title = f"{WORDS[number % len(WORDS)]} {number}号"
        new.append(
            Product(
                upc=f"B{number:07d}",
                title=title,
                slug=slugify(title),
                description=f"<p>{title}，产自认定扶贫基地。</p>",
                product_class=product_class,
                structure=Product.STANDALONE,
                is_public=True,
                origin=partners[number % SUPPLIERS].region,
            )
        )
    created = Product.objects.bulk_create(new, batch_size=500)
    ProductCategory.objects.bulk_create(
        [
            ProductCategory(product=p, category=categories[i % len(categories)])
            for i, p in enumerate(created, start=existing)
        ],
        batch_size=500,
    )
    StockRecord.objects.bulk_create(
        [
            StockRecord(
                product=p,
                partner=partners[i % SUPPLIERS],
                partner_sku=p.upc,
                price=Decimal("20.00") + Decimal(i % 300),
                num_in_stock=1000,
            )
            for i, p in enumerate(created, start=existing)
        ],
        batch_size=500,
    )
    ProductImage.objects.bulk_create(
        [ProductImage(product=p, original=photo, display_order=0) for p in created], batch_size=500
    )
    ProductCertification.objects.bulk_create(
        [
            ProductCertification(
                product=p,
                partner=partners[i % SUPPLIERS],
                status=CertificationStatus.CERTIFIED,
                certificate_number=f"BENCH-{p.upc}",
                certifying_office=partners[i % SUPPLIERS].region.ancestor_at("county"),
                valid_from=today - timedelta(days=10),
                valid_until=today + timedelta(days=365),
            )
            for i, p in enumerate(created, start=existing)
        ],
        batch_size=500,
    )
    return total
