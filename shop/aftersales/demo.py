"""Demo orders after delivery: one to confirm, one received and reviewed, and two after-sales claims.

For buyer@demo.cn: a parcel of white tea on its way (待收货), a received order whose review waits for the supplier's
answer, a claim on a damaged gift box (and a review of it waiting for operator@demo.cn to approve) for
supplier@demo.cn to answer, and a claim on spoiled kiwi fruit that its
supplier refused, for operator@demo.cn to decide. Idempotent: nothing is added once the buyer has a claim.
"""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image, ImageDraw

from accounts.models import User
from shop.aftersales.models import Claim
from shop.aftersales.services import claim_answer, claim_open
from shop.demo import place_order
from shop.order.services import order_confirm_receipt, shipment_ship, transfer_mark_received
from suppliers.selectors import sellable_product_filter

Product = get_model("catalogue", "Product")
ProductReview = get_model("reviews", "ProductReview")


def _photo(name, colour):
    image = Image.new("RGB", (480, 360), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((140, 80, 340, 280), fill=(92, 64, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _shipped(buyer, admin, product, tracking):
    order = place_order(buyer, [(product, 1)])
    transfer_mark_received(order=order, user=admin)
    shipment_ship(shipment=order.shipments.get(), user=admin, carrier="顺丰速运", tracking_number=tracking)
    order.refresh_from_db()
    return order


def load():
    buyer = User.objects.filter(email="buyer@demo.cn").first()
    admin = User.objects.filter(email="admin@demo.cn").first()
    supplier = User.objects.filter(email="supplier@demo.cn").first()
    if buyer is None or admin is None or supplier is None or Claim.objects.filter(buyer=buyer).exists():
        return
    sellable = Product.objects.filter(sellable_product_filter(), stockrecords__num_in_stock__gt=5).distinct()
    teas = list(sellable.filter(stockrecords__partner__users=supplier).order_by("pk")[:3])
    kiwi = sellable.filter(title__contains="猕猴桃").order_by("pk").first()
    if len(teas) < 3 or kiwi is None:
        return

    _shipped(buyer, admin, teas[0], "SF1402202611")

    reviewed = _shipped(buyer, admin, teas[1], "SF1402202612")
    order_confirm_receipt(order=reviewed, user=buyer)
    ProductReview.objects.get_or_create(
        product=teas[1],
        user=buyer,
        defaults={
            "score": 5,
            "title": "回甘明显",
            "body": "茶汤清亮，回甘明显，单位同事都说好喝，还会再买。",
            "status": ProductReview.APPROVED,
        },
    )

    gift = _shipped(buyer, admin, teas[2], "SF1402202613")
    order_confirm_receipt(order=gift, user=buyer)
    ProductReview.objects.get_or_create(
        product=teas[2],
        user=buyer,
        defaults={
            "score": 3,
            "title": "茶不错，包装一般",
            "body": "茶叶香气好，就是礼盒在路上压坏了，已申请售后。",
            "status": ProductReview.FOR_MODERATION,
        },
    )
    claim_open(
        line=gift.lines.get(),
        user=buyer,
        reason="damaged",
        description="礼盒外包装压坏，一罐茶叶盖子变形，茶叶本身没有受潮。",
        remedy="partial_refund",
        amount=teas[2].stockrecords.first().price / 5,
        photos=[_photo("礼盒破损.png", (220, 205, 170))],
    )

    fruit = _shipped(buyer, admin, kiwi, "SF1402202614")
    claim = claim_open(
        line=fruit.lines.get(),
        user=buyer,
        reason="quality",
        description="一箱里有六个猕猴桃已经软烂发霉。",
        remedy="refund",
        photos=[_photo("猕猴桃.png", (120, 150, 60))],
    )
    kiwi_staff = kiwi.stockrecords.first().partner.users.first() or admin
    claim_answer(
        claim=claim, user=kiwi_staff, accept=False, answer="发货时逐个检查过，可能是运输中受热，建议部分退款。"
    )
    Claim.objects.filter(pk=claim.pk).update(created_at=timezone.now() - timedelta(hours=20))
