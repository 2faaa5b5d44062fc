"""Half-month reporting periods: the 1st–15th and the 16th–last day of a month, in Asia/Shanghai time."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from operations.halfmonths import half_month_bounds

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date

    @property
    def half(self):
        """1 for the 1st–15th, 2 for the 16th–last day."""
        return 1 if self.start.day == 1 else 2

    @property
    def key(self):
        """A stable identifier such as 2020-03-2 (year, month, half)."""
        return f"{self.start:%Y-%m}-{self.half}"

    @property
    def deadline(self):
        return self.end + timedelta(days=settings.REPORT_DEADLINE_DAYS)

    def next(self):
        return period_of(self.end + timedelta(days=1))

    def previous(self):
        return period_of(self.start - timedelta(days=1))

    def __str__(self):
        label = _("first half") if self.half == 1 else _("second half")
        return _("%(year)s-%(month)02d %(half)s") % {"year": self.start.year, "month": self.start.month, "half": label}


def local_date(moment):
    """The calendar date of a date or datetime in Shanghai; naive datetimes are taken as Shanghai time."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            return moment.date()
        return moment.astimezone(SHANGHAI).date()
    return moment


def period_of(moment):
    """The half-month period containing a date or datetime (Asia/Shanghai)."""
    return Period(*half_month_bounds(local_date(moment)))


def period_from_key(key):
    year, month, half = (int(part) for part in key.split("-"))
    return period_of(date(year, month, 1 if half == 1 else 16))


def periods_of_year(year):
    return [period_of(date(year, month, day)) for month in range(1, 13) for day in (1, 16)]
