from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from accounts.models import User
from cms import demo as cms_demo
from regions import demo as regions_demo
from reports import demo as reports_demo
from shop import demo as shop_demo
from suppliers import demo as suppliers_demo


class Command(BaseCommand):
    help = "Load the demo regions, suppliers, products, accounts and pages. Running it again changes nothing."

    @transaction.atomic
    def handle(self, *args, **options):
        regions_demo.load()
        regions_demo.load_code_list()
        accounts_demo.load()
        partners = suppliers_demo.load()
        partners[0].users.add(User.objects.get(email="supplier@demo.cn"))
        reports_demo.load()
        cms_demo.load()
        shop_demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Every demo account's password is demo-pass-2020."))
