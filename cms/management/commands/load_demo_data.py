from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from accounts.models import User
from cms import demo as cms_demo
from operations import demo as operations_demo
from procurement import demo as procurement_demo
from regions import demo as regions_demo
from reports import demo as reports_demo
from settlement import demo as settlement_demo
from shop import demo as shop_demo
from shop.aftersales import demo as aftersales_demo
from shop.invoicing import demo as invoicing_demo
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
        operations_demo.load()
        aftersales_demo.load()
        settlement_demo.load()
        invoicing_demo.load()
        procurement_demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Every demo account's password is demo-pass-2020."))
