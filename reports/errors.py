"""Domain errors of purchase records and reports, each with a message the user can read."""

from django.core.exceptions import ValidationError

from accounts.errors import BadRequest, Refusal
from accounts.workflow import IllegalStatusChange


class ReportsError(Refusal, ValidationError):
    pass


class RecordLocked(ReportsError):
    """The record is in an approved report (or reported) and may only be corrected by amendment."""


class IllegalTransition(ReportsError, IllegalStatusChange):
    """The report cannot move from its status to the one asked for."""


class NotAllowed(ReportsError):
    """The person may not do this to this record or report."""


class DuplicateImport(ReportsError, BadRequest):
    """The same file was imported before."""


class ImportRejected(ReportsError, BadRequest):
    """One or more rows are invalid; nothing was imported."""

    def __init__(self, row_errors):
        self.row_errors = row_errors
        super().__init__([e for e in row_errors])


class PeriodClosed(RecordLocked):
    """A report that counts this record's period is submitted or approved; `reports` are those reports."""

    def __init__(self, message, *, reports=()):
        self.reports = list(reports)
        super().__init__(message)
