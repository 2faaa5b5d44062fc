"""The half-month rule every domain shares: the 1st–15th and the 16th–last day of a month (Asia/Shanghai dates)."""

import calendar


def half_month_bounds(day):
    """(first day, last day) of the half month containing the calendar date `day`."""
    if day.day <= 15:
        return day.replace(day=1), day.replace(day=15)
    return day.replace(day=16), day.replace(day=calendar.monthrange(day.year, day.month)[1])
