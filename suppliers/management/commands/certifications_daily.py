from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from suppliers.services import certificate_reminders_send, certifications_daily


class Command(BaseCommand):
    help = (
        "Publish catalogue batches whose public notice has ended, expire certifications past validity and remind "
        "suppliers of certificates about to expire."
    )

    def handle(self, *args, **options):
        published, expired = certifications_daily()
        reminded = certificate_reminders_send()
        if options["verbosity"]:
            self.stdout.write(
                _(
                    "%(published)s product certifications published, %(expired)s certifications expired, "
                    "%(reminded)s expiry reminders sent."
                )
                % {"published": published, "expired": expired, "reminded": reminded}
            )
