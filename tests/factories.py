"""factory_boy factories for the project's own models, beside oscar.test.factories."""

import io
from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image
from pypdf import PdfWriter

from accounts.models import User
from organisations.models import Unit
from regions.models import LEVEL_DIGITS, LEVEL_ORDER, Region, level_of_code
from suppliers.credit_code import check_character
from suppliers.models import CertificationStatus, Partner, ProductCertification, SupplierCertification


def png_upload(name="licence.png", size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (0, 120, 0)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf_bytes(password=None):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(name="承诺书.pdf", password=None):
    return SimpleUploadedFile(name, pdf_bytes(password), content_type="application/pdf")


Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")


def region(code, name=None):
    """The region with this code, creating it and its ancestors as needed."""
    code = code.ljust(12, "0")
    existing = Region.objects.filter(code=code).first()
    if existing:
        return existing
    level = level_of_code(code)
    depth = LEVEL_ORDER.index(level)
    parent = region(code[: LEVEL_DIGITS[LEVEL_ORDER[depth - 1]]]) if depth else None
    return Region.objects.create(code=code, name=name or f"地区{code.rstrip('0')}", level=level, parent=parent)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-2020")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
        if create:
            self.save()


def credit_code(n):
    first17 = f"9343{n:013d}"
    return first17 + check_character(first17)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"扶贫供应商{n}")
    code = factory.Sequence(lambda n: f"partner-{n}")
    legal_name = factory.SelfAttribute("name")
    credit_code = factory.Sequence(credit_code)
    region = factory.LazyFunction(lambda: region("430822101201", "合群村"))
    shipping_rate = Decimal("10.00")


class SupplierCertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierCertification

    partner = factory.SubFactory(PartnerFactory)
    status = CertificationStatus.CERTIFIED
    certifying_office = factory.LazyAttribute(lambda o: o.partner.region.ancestor_at("county"))
    certificate_number = factory.Sequence(lambda n: f"430822-2026-S{n:04d}")
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))


class CertifiedPartnerFactory(PartnerFactory):
    class Meta:
        skip_postgeneration_save = True

    certification = factory.RelatedFactory(SupplierCertificationFactory, factory_related_name="partner")


class ProductClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductClass
        django_get_or_create = ["slug"]

    name = "扶贫农产品"
    slug = "farm-product"
    requires_shipping = True
    track_stock = True


def CategoryFactory(name, parent=None):  # noqa: N802 - reads like the other factories
    """A category (Oscar's treebeard tree): a root, or a child of `parent`."""
    if parent is not None:
        return parent.add_child(name=name)
    return Category.add_root(name=name)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"桑植白茶{n}号")
    upc = factory.Sequence(lambda n: f"T{n:06d}")
    product_class = factory.SubFactory(ProductClassFactory)
    structure = "standalone"
    is_public = True
    origin = factory.LazyFunction(lambda: region("430822101201", "合群村"))

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        for category in extracted or ():
            ProductCategory.objects.create(product=self, category=category)


class StockRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockRecord

    product = factory.SubFactory(ProductFactory)
    partner = factory.SubFactory(CertifiedPartnerFactory)
    partner_sku = factory.Sequence(lambda n: f"SKU{n:06d}")
    price = Decimal("88.00")
    num_in_stock = 100


# The price proof (价格佐证) an application must carry to be approved.
PRICE_PROOF = {
    "reference_price": Decimal("88.00"),
    "reference_source": "invoice",
    "reference_note": "发票 No.00012345",
}


class ProductCertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCertification

    product = factory.SubFactory(ProductFactory)
    partner = factory.SubFactory(CertifiedPartnerFactory)
    status = CertificationStatus.CERTIFIED
    certifying_office = factory.LazyAttribute(lambda o: o.partner.region.ancestor_at("county"))
    certificate_number = factory.Sequence(lambda n: f"430822-2026-{n:04d}")
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))


def certified_product(partner=None, price="88.00", stock=100, **product_fields):
    """A product on sale: certified, from a certified supplier, with a stock record."""
    partner = partner or CertifiedPartnerFactory()
    product = ProductFactory(**product_fields)
    StockRecordFactory(product=product, partner=partner, price=Decimal(price), num_in_stock=stock)
    ProductCertificationFactory(product=product, partner=partner)
    return product


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"后盾单位{n}")
    kind = Unit.Kind.AGENCY
    level = Unit.Level.CITY
    region = factory.LazyFunction(lambda: region("430800000000", "张家界市"))
    annual_target = Decimal("100000.00")
    canteen_budget = Decimal("500000.00")
    reserved_share_percent = Decimal("10.00")


# --- reports ---
class PurchaseRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.PurchaseRecord"

    unit = factory.SubFactory(UnitFactory)
    village = factory.LazyFunction(lambda: region("430822101201", "合群村"))
    seller_kind = "household"
    seller_name = factory.Sequence(lambda n: f"脱贫户{n}")
    product_name = "土鸡"
    category = "meat"
    quantity = Decimal("10")
    unit_of_measure = "animal"
    unit_price = Decimal("80.00")
    households_benefiting = 1
    purchased_on = factory.LazyFunction(lambda: timezone.localdate().replace(day=3))
    channel = "village"
    source = "form"
