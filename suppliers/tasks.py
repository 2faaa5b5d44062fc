from django_tasks import task

from suppliers.services import certifications_daily


@task()
def certifications_daily_run():
    published, expired = certifications_daily()
    return {"published": published, "expired": expired}
