"""One status-machine pattern for the platform's workflows (certifications, half-month reports).

As with Oscar's order status pipeline: the model declares which statuses each status may move to, and `set_status` is
the only way to change it. An illegal move is refused with the model's named exception; a legal one is saved together
with a row saying who moved it, when, from what, to what and why. It lives in the lowest domain layer so that
suppliers and reports share it, and every move is made by an account (or by the system, `by=None`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import Refusal


class IllegalStatusChange(Refusal):
    """A move that the workflow's transitions table does not allow."""


class StatusMachine:
    """Mixin for a model with a `status` field.

    A model sets `TRANSITIONS` ({status: statuses it may become}), may name its own `IllegalStatusChange` subclass
    and message, and writes its status-change row in `record_status_change`.
    """

    TRANSITIONS = {}
    illegal_status_change = IllegalStatusChange
    illegal_status_change_message = _("“%(old)s” cannot become “%(new)s”.")

    def available_statuses(self):
        return tuple(self.TRANSITIONS.get(self.status, ()))

    def set_status(self, *, to, by, reason=""):
        if to not in self.available_statuses():
            raise self.illegal_status_change(
                self.illegal_status_change_message
                % {"old": self.status_label(self.status), "new": self.status_label(to)}
            )
        old = self.status
        self.status = to
        self.save()
        self.record_status_change(old=old, new=to, by=by, reason=reason)

    def status_label(self, status):
        return dict(self._meta.get_field("status").flatchoices).get(status, status)

    def record_status_change(self, *, old, new, by, reason):
        raise NotImplementedError("A status machine writes its own status-change row.")


class StatusChangeRecord(models.Model):
    """The row a status machine writes for each move: who, when and why. A workflow's own row adds the object it
    belongs to and its `old_status` and `new_status` with the workflow's choices."""

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Changed by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    changed_at = models.DateTimeField(_("Changed at"), default=timezone.now)
    reason = models.TextField(_("Reason"), blank=True)

    class Meta:
        abstract = True
        ordering = ["changed_at", "pk"]
