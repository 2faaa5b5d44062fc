from datetime import UTC, date, datetime

import pytest

from reports.periods import period_from_key, period_of, periods_of_year


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2020, 3, 1), date(2020, 3, 1), date(2020, 3, 15)),
        (date(2020, 3, 15), date(2020, 3, 1), date(2020, 3, 15)),
        (date(2020, 3, 16), date(2020, 3, 16), date(2020, 3, 31)),
        (date(2020, 4, 30), date(2020, 4, 16), date(2020, 4, 30)),
        (date(2020, 12, 31), date(2020, 12, 16), date(2020, 12, 31)),
    ],
)
def test_a_day_falls_in_the_first_or_second_half_of_its_month(day, start, end):
    period = period_of(day)
    assert (period.start, period.end) == (start, end)


def test_february_ends_on_the_29th_in_a_leap_year_and_the_28th_otherwise():
    assert period_of(date(2020, 2, 20)).end == date(2020, 2, 29)
    assert period_of(date(2021, 2, 20)).end == date(2021, 2, 28)
    assert period_of(date(2000, 2, 29)).end == date(2000, 2, 29)
    assert period_of(date(1900, 2, 16)).end == date(1900, 2, 28)


def test_a_utc_evening_on_the_15th_is_already_the_16th_in_shanghai():
    assert period_of(datetime(2020, 3, 15, 16, 30, tzinfo=UTC)).start == date(2020, 3, 16)
    assert period_of(datetime(2020, 3, 15, 15, 59, tzinfo=UTC)).start == date(2020, 3, 1)


def test_new_years_eve_in_utc_belongs_to_january_in_shanghai():
    period = period_of(datetime(2020, 12, 31, 16, 0, tzinfo=UTC))
    assert (period.start, period.end) == (date(2021, 1, 1), date(2021, 1, 15))


def test_the_deadline_is_the_configured_number_of_days_after_the_period(settings):
    settings.REPORT_DEADLINE_DAYS = 5
    assert period_of(date(2020, 2, 20)).deadline == date(2020, 3, 5)


def test_a_year_has_24_consecutive_periods_that_round_trip_through_their_key():
    periods = periods_of_year(2020)
    assert len(periods) == 24
    for earlier, later in zip(periods, periods[1:], strict=False):
        assert earlier.next() == later and later.previous() == earlier
    assert all(period_from_key(p.key) == p for p in periods)
