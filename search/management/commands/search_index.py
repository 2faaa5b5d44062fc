from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from search.backends import get_backend


class Command(BaseCommand):
    help = "Rebuild the product search index of the active backend (the database, or Elasticsearch when configured)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        backend = get_backend()
        searchable = backend.rebuild(batch_size=batch_size)
        if options["verbosity"]:
            self.stdout.write(
                _("%(backend)s: %(count)s products searchable.")
                % {"backend": type(backend).__name__, "count": searchable}
            )
