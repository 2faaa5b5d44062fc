"""On PostgreSQL the database refuses to change or delete a ledger entry, and two transactions posting the same
refund at once leave one debit."""

import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, connections, transaction
from oscar.core.loading import get_model

from settlement.models import LedgerEntry
from settlement.services import ledger_debit_refund
from tests.factories import UserFactory, certified_product
from tests.integration.settlement.support import transfer_order

Refund = get_model("payment", "Refund")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL triggers and real connections"),
]


def test_the_database_refuses_to_update_or_delete_an_entry():
    transfer_order(UserFactory(), (certified_product(price="60.00"), 1))
    entry = LedgerEntry.objects.first()
    for statement in (
        "UPDATE settlement_ledgerentry SET amount = 1 WHERE id = %s",
        "DELETE FROM settlement_ledgerentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("60.00")


def test_the_same_refund_posted_twice_at_once_debits_once():
    Refund = get_model("payment", "Refund")
    order = transfer_order(UserFactory(), (certified_product(price="60.00"), 1))
    line = order.lines.get()
    # Confirmed behind the receivers' back, so that only the two racing postings below debit it.
    refund = Refund.objects.create(order=order, line=line, amount=Decimal("60.00"))
    Refund.objects.filter(pk=refund.pk).update(status=Refund.SUCCEEDED)
    refund.refresh_from_db()
    barrier = threading.Barrier(2)

    def post():
        try:
            barrier.wait()
            with transaction.atomic():
                ledger_debit_refund(refund=refund)
        finally:
            connections.close_all()

    # Threads here stand for the same payment signal posted by two workers at once: each has its own database connection, so the
    # row locks are really contended (the application itself runs no threads).
    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert LedgerEntry.objects.filter(refund=refund).count() == 1
