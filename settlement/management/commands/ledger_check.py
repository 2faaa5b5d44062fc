from django.core.management.base import BaseCommand, CommandError

from settlement.selectors import ledger_check
from settlement.services import money
from shop.payment.selectors import refunds_owed_total


class Command(BaseCommand):
    help = (
        "Check that the settlement ledger's entries add up to the paid (or, for cash on delivery, delivered) order "
        "lines and shipping less confirmed refunds. An order cancelled after payment counts until its refund is "
        "made; what is still owed to buyers is reported. Exits non-zero when the totals differ."
    )

    def handle(self, *args, **options):
        ledger, expected, agree = ledger_check()
        ledger, expected = money(ledger), money(expected)
        if not agree:
            raise CommandError(
                f"Ledger total ¥{ledger} differs from paid lines and shipping less refunds ¥{expected} "
                f"(difference ¥{ledger - expected})."
            )
        self.stdout.write(f"Ledger agrees: ¥{ledger}.")
        count, owed = refunds_owed_total()
        if count:
            self.stdout.write(
                f"Owed to buyers: ¥{money(owed)} for {count} order(s) cancelled after payment, not yet refunded "
                "(收款与退款 lists them); the suppliers keep the credit until each refund is made."
            )
