from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from suppliers.services import certifications_daily


class Command(BaseCommand):
    help = "Publish catalogue batches whose public notice has ended and expire certifications past validity."

    def handle(self, *args, **options):
        published, expired = certifications_daily()
        if options["verbosity"]:
            self.stdout.write(
                _("%(published)s product certifications published, %(expired)s certifications expired.")
                % {"published": published, "expired": expired}
            )
