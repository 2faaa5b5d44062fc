from django.conf import settings
from django.core.management.base import BaseCommand

from shop.order.services import orders_release_unpaid


class Command(BaseCommand):
    help = "Cancel bank-transfer orders still unpaid after CHECKOUT_TRANSFER_DAYS days and release their stock."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Override CHECKOUT_TRANSFER_DAYS.")

    def handle(self, *args, days=None, **options):
        days = settings.CHECKOUT_TRANSFER_DAYS if days is None else days
        released = orders_release_unpaid(days=days)
        self.stdout.write(f"{released} unpaid transfer order(s) older than {days} days cancelled; stock released.")
