import pytest
from django.core.management import call_command

from accounts.models import User
from settlement.models import Statement, StatementStatus
from settlement.selectors import ledger_check
from shop.payment.selectors import refunds_owed

pytestmark = pytest.mark.django_db


def test_the_demo_supplier_has_statements_that_agree_with_the_ledger():
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    partner = User.objects.get(email="supplier@demo.cn").partners.get()
    statements = Statement.objects.filter(partner=partner)
    assert statements.count() >= 2
    assert statements.filter(status=StatementStatus.PAID).count() == 1
    assert statements.filter(refunds_amount__gt=0).exists()
    assert ledger_check()[2]
    # An order cancelled after its transfer was received waits for its refund on 收款与退款.
    operator = User.objects.get(email="operator@demo.cn")
    owed = list(refunds_owed(user=operator))
    assert len(owed) == 1 and owed[0].user.email == "buyer@demo.cn" and owed[0].payment_method == "transfer"
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    assert Statement.objects.filter(partner=partner).count() == statements.count()
    assert refunds_owed(user=operator).count() == 1


def test_the_demo_unit_has_orders_to_accept_to_pay_and_overdue():
    from shop.invoicing.models import UnitOrder
    from shop.invoicing.selectors import overdue_unit_orders

    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    unit = User.objects.get(email="unit@demo.cn").units.first()
    statuses = sorted(UnitOrder.objects.filter(unit=unit).values_list("status", flat=True))
    assert statuses == ["accepted", "awaiting_acceptance", "invoiced"]
    assert overdue_unit_orders(units=[unit]).count() == 1
    assert ledger_check()[2]
    # buyer@demo.cn asked for a company invoice (需要发票) at checkout, on an order awaiting its transfer.
    from shop.invoicing.models import InvoiceRequest

    asked = InvoiceRequest.objects.get(order__user__email="buyer@demo.cn", title_kind="company")
    assert asked.order.status == "pending" and asked.invoices.count() == 1
