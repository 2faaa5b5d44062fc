from django.core.management.base import BaseCommand, CommandError

from settlement.selectors import ledger_check


class Command(BaseCommand):
    help = (
        "Check that the settlement ledger's entries add up to the paid (or, for cash on delivery, delivered) order "
        "lines and shipping less confirmed refunds. Exits non-zero when they do not."
    )

    def handle(self, *args, **options):
        ledger, expected, agree = ledger_check()
        if not agree:
            raise CommandError(
                f"Ledger total ¥{ledger} differs from paid lines and shipping less refunds ¥{expected} "
                f"(difference ¥{ledger - expected})."
            )
        self.stdout.write(f"Ledger agrees: ¥{ledger}.")
