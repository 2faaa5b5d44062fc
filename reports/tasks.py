from django.conf import settings
from django.utils import translation
from django_tasks import task

from reports import importing
from reports.models import ImportJob


@task(queue_name="imports")
def import_run(job_id):
    """Run an uploaded import in the worker; a failure the rows did not cause is written on the job, in Chinese."""
    with translation.override(settings.LANGUAGE_CODE):
        job = importing.import_claim(job_id=job_id)
        if job is None:
            return None
        try:
            job = importing.run_import(job=job)
        except Exception as error:
            ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING, attempts=job.attempts).update(
                status=ImportJob.Status.FAILED,
                errors=[str(translation.gettext("The import could not be completed: %(error)s") % {"error": error})],
            )
            raise
        return job.status


@task()
def import_sweep_stale():
    retried, failed = importing.import_sweep_stale()
    return {"retried": retried, "failed": failed}


@task()
def report_reminders_send():
    from reports.reminders import report_reminders_send

    return report_reminders_send()


@task()
def report_email_send(report_id):
    from reports.models import HalfMonthReport
    from reports.outputs import send_report_email

    with translation.override(settings.LANGUAGE_CODE):
        message = send_report_email(report=HalfMonthReport.objects.get(pk=report_id))
    return message.to if message else None
