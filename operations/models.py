from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailDelivery(models.Model):
    """One e-mail message on its way: queued by the request that caused it, sent (and retried) by a worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        RETRYING = "retrying", _("Waiting to retry")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    subject = models.CharField(_("Subject"), max_length=255)
    recipients = models.TextField(_("Recipients"))
    message = models.JSONField(_("Message"))
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("Attempts"), default=0)
    last_error = models.TextField(_("Last error"), blank=True)
    created_at = models.DateTimeField(_("Queued at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("Next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("Sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("E-mail delivery")
        verbose_name_plural = _("E-mail deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return self.subject


class TaskRetry(models.Model):
    """An operator ran a failed background task again: the failed run is then off the list, the new run counts one
    more attempt. Task runs are django-tasks-db's rows, referred to by id (they are pruned on their own schedule)."""

    failed_result_id = models.UUIDField(_("Failed run"), unique=True)
    retry_result_id = models.UUIDField(_("New run"), unique=True)
    attempt = models.PositiveSmallIntegerField(_("Attempt"))
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Retried by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    retried_at = models.DateTimeField(_("Retried at"), auto_now_add=True)

    class Meta:
        ordering = ["-retried_at"]
        verbose_name = _("Background task retry")
        verbose_name_plural = _("Background task retries")
        permissions = [("retry_tasks", "See failed background tasks and run them again")]

    def __str__(self):
        return str(self.retry_result_id)


class TaskWorker(models.Model):
    """A running task worker's sign of life (manage.py run_worker writes it every TASK_WORKER_BEAT_SECONDS). A run
    claimed by a worker not seen for TASK_WORKER_LOST_SECONDS is marked failed by the sweep: the worker was killed."""

    worker_id = models.CharField(_("Worker"), max_length=64, unique=True)
    hostname = models.CharField(_("Host"), max_length=255)
    pid = models.PositiveIntegerField(_("Process"))
    queues = models.CharField(_("Queues"), max_length=255)
    started_at = models.DateTimeField(_("Started at"), default=timezone.now)
    seen_at = models.DateTimeField(_("Last seen at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["hostname", "pid"]
        verbose_name = _("Task worker")
        verbose_name_plural = _("Task workers")

    def __str__(self):
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
