from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from regions.services import RegionImportError, regions_import_csv


class Command(BaseCommand):
    help = "Load administrative regions from a CSV of code, name, parent code (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            with open(path, "rb") as stream:
                created, updated = regions_import_csv(stream=stream)
        except RegionImportError as exc:
            raise CommandError("\n".join(exc.errors)) from exc
        self.stdout.write(
            _("%(created)s regions created, %(updated)s updated.") % {"created": created, "updated": updated}
        )
