from django_tasks import task

from suppliers.services import certificate_reminders_send, certifications_daily


@task()
def certifications_daily_run():
    published, expired = certifications_daily()
    reminded = certificate_reminders_send()
    return {"published": published, "expired": expired, "reminded": reminded}
