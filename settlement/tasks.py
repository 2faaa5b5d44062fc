from django.conf import settings
from django.utils import translation
from django_tasks import task


@task()
def statements_generate_run():
    """Draw the statements of the half months that ended (idempotent: run daily, it catches a missed day)."""
    from settlement.services import statements_generate

    with translation.override(settings.LANGUAGE_CODE):
        return len(statements_generate())
