"""The statutory ACV dates: pure functions, counted inclusively from the day of receipt."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.assets.services import (
    AcvPeriods,
    BidRequestOutOfTime,
    decision_due,
    due_between,
    eligibility_problems,
    listing_expires,
    months_end,
    moratorium_dates,
    overdue,
    review_due,
    review_request_deadline,
    week_containing,
    weeks_end,
    years_end,
)
from config import Config

# The statutory periods: the defaults in config.py.
STATUTORY_SETTINGS = {name: value for name, value in vars(Config).items() if name.startswith("ACV_")}
PERIODS = AcvPeriods.from_config(STATUTORY_SETTINGS)
FRI_10_JAN_2025 = date(2025, 1, 10)


def test_worked_example_from_the_issue():
    assert FRI_10_JAN_2025.strftime("%a") == "Fri"
    dates = moratorium_dates(FRI_10_JAN_2025, PERIODS, bid_request_on=date(2025, 2, 1))
    assert dates.interim_ends == date(2025, 2, 20) and dates.interim_ends.strftime("%a") == "Thu"
    assert dates.full_ends == date(2025, 7, 9) and dates.full_ends.strftime("%a") == "Wed"
    assert dates.protected_ends == date(2026, 7, 9) and dates.protected_ends.strftime("%a") == "Thu"
    due = decision_due(FRI_10_JAN_2025, PERIODS)
    assert due == date(2025, 3, 6) and due.strftime("%a") == "Thu"


def test_full_moratorium_only_when_a_group_asks_to_bid_in_time():
    assert moratorium_dates(FRI_10_JAN_2025, PERIODS).full_ends is None
    # The last day of the interim moratorium still counts; the day after does not.
    assert moratorium_dates(FRI_10_JAN_2025, PERIODS, bid_request_on=date(2025, 2, 20)).full_ends == date(2025, 7, 9)
    with pytest.raises(BidRequestOutOfTime, match="20 February 2025"):
        moratorium_dates(FRI_10_JAN_2025, PERIODS, bid_request_on=date(2025, 2, 21))
    with pytest.raises(BidRequestOutOfTime):
        moratorium_dates(FRI_10_JAN_2025, PERIODS, bid_request_on=date(2025, 1, 9))


def test_other_statutory_periods():
    assert review_request_deadline(FRI_10_JAN_2025, PERIODS) == date(2025, 3, 6)
    assert review_due(FRI_10_JAN_2025, PERIODS) == date(2025, 3, 6)
    assert listing_expires(FRI_10_JAN_2025, PERIODS) == date(2030, 1, 9)


@pytest.mark.parametrize(
    "start, months, end",
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # no 31 February: the last day of February
        (date(2025, 8, 30), 6, date(2026, 2, 28)),
        (date(2025, 8, 29), 6, date(2026, 2, 28)),
        (date(2025, 8, 28), 6, date(2026, 2, 27)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year: 29 February is the last day
        (date(2023, 8, 29), 6, date(2024, 2, 28)),  # 29 February 2024 exists: the day before it
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 12, 1), 1, date(2025, 12, 31)),
        (date(2025, 1, 1), 18, date(2026, 6, 30)),
        (date(2025, 7, 31), 18, date(2027, 1, 30)),
        (date(2024, 8, 31), 18, date(2026, 2, 28)),
    ],
)
def test_month_periods_at_month_ends(start, months, end):
    assert months_end(start, months) == end


def test_leap_day_listing_and_weeks_across_february():
    assert years_end(date(2024, 2, 29), 5) == date(2029, 2, 28)  # no 29 February 2029
    assert years_end(date(2024, 2, 28), 4) == date(2028, 2, 27)
    assert years_end(date(2024, 3, 1), 5) == date(2029, 2, 28)
    assert weeks_end(date(2024, 2, 1), 8) == date(2024, 3, 27)  # 29 days in February 2024
    assert weeks_end(date(2025, 2, 1), 8) == date(2025, 3, 28)


def test_periods_come_from_configuration(app):
    periods = AcvPeriods.from_config(
        {**STATUTORY_SETTINGS, "ACV_DECISION_WEEKS": "10", "ACV_FULL_MORATORIUM_MONTHS": 3}
    )
    assert periods.decision_weeks == 10 and periods.full_moratorium_months == 3
    assert periods.protected_period_months == 18  # unchanged default
    assert decision_due(FRI_10_JAN_2025, periods) == date(2025, 3, 20)
    assert AcvPeriods.from_config(app.config) == PERIODS


def test_a_period_must_be_at_least_one_unit():
    with pytest.raises(ValueError):
        weeks_end(FRI_10_JAN_2025, 0)
    with pytest.raises(ValueError):
        months_end(FRI_10_JAN_2025, 0)


days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@given(days, st.integers(min_value=1, max_value=60))
def test_weeks_include_the_first_day(start, weeks):
    end = weeks_end(start, weeks)
    assert (end - start).days + 1 == 7 * weeks
    assert end.weekday() == (start.weekday() - 1) % 7


@given(days, st.integers(min_value=1, max_value=120))
def test_months_end_just_before_the_corresponding_date(start, months):
    end = months_end(start, months)
    next_day = end + timedelta(days=1)
    target_month = (start.month - 1 + months) % 12 + 1
    if next_day.day == start.day:
        # The usual case: the period ends the day before the same date N months later.
        assert next_day.month == target_month
    else:
        # No such date in that month: the period ends on its last day.
        assert end.month == target_month and next_day.day == 1 and start.day > end.day
    # Roughly the right length: between 28N-1 and 31N days counted inclusively.
    assert 28 * months - 1 <= (end - start).days + 1 <= 31 * months


@given(days, days, st.integers(min_value=1, max_value=24))
def test_later_starts_never_end_earlier(a, b, months):
    first, second = sorted((a, b))
    assert months_end(first, months) <= months_end(second, months)


@given(days, st.integers(min_value=1, max_value=23))
def test_longer_periods_end_later(start, months):
    assert months_end(start, months) < months_end(start, months + 1)


@given(days, st.integers(min_value=1, max_value=10))
def test_years_are_twelve_months(start, years):
    assert years_end(start, years) == months_end(start, 12 * years)


@given(days)
def test_protected_period_outlasts_the_moratoriums(start):
    dates = moratorium_dates(start, PERIODS, bid_request_on=start)
    assert start < dates.interim_ends < dates.full_ends < dates.protected_ends


class FakeNotice:
    def __init__(self, received_on, bid_request_on=None):
        d = moratorium_dates(received_on, PERIODS, bid_request_on)
        self.interim_ends, self.full_ends, self.protected_ends = d.interim_ends, d.full_ends, d.protected_ends
        self.bid_request_on = bid_request_on


class FakeNomination:
    def __init__(self, status, received_on, **extra):
        self.status = status
        self.decision_due = decision_due(received_on, PERIODS)
        self.listing_expires = extra.get("listing_expires")
        self.review_request_deadline = extra.get("review_request_deadline")
        self.review_requested_on = extra.get("review_requested_on")
        self.review_due = extra.get("review_due")
        self.review_decided_on = None
        self.disposal_notices = extra.get("disposal_notices", [])


def test_what_is_due_this_week():
    monday, sunday = week_containing(date(2025, 3, 5))  # a Wednesday
    assert (monday, sunday) == (date(2025, 3, 3), date(2025, 3, 9))
    waiting = FakeNomination("valid", FRI_10_JAN_2025)  # decision due Thu 6 March
    decided = FakeNomination("not_listed", FRI_10_JAN_2025)
    later = FakeNomination("received", date(2025, 2, 1))  # due 28 March
    listed = FakeNomination(
        "listed",
        date(2024, 1, 1),
        listing_expires=date(2029, 1, 1),
        review_request_deadline=date(2025, 3, 7),
        disposal_notices=[FakeNotice(date(2025, 1, 24))],  # interim moratorium ends Thu 6 March
    )
    items = due_between([waiting, decided, later, listed], monday, sunday)
    assert [(i.due_on, i.what) for i in items] == [
        (date(2025, 3, 6), "Decision due on the nomination"),
        (date(2025, 3, 6), "Interim moratorium ends"),
        (date(2025, 3, 7), "Owner's time to ask for a review ends"),
    ]
    assert [i.nomination for i in overdue([waiting, decided, later], date(2025, 3, 10))] == [waiting]


def test_who_may_nominate():
    assert eligibility_problems("parish_council") == []
    assert eligibility_problems("neighbourhood_forum") == []
    assert eligibility_problems("unincorporated", members_on_register=21) == []
    assert "at least 21" in eligibility_problems("unincorporated", members_on_register=20)[0]
    assert eligibility_problems("charity", number="1234567") == []
    assert eligibility_problems("charity") == ["Enter the charity number"]
    assert eligibility_problems("company_limited_by_guarantee", distributes_surplus=False, number="01234567") == []
    assert (
        "does not distribute"
        in eligibility_problems("community_benefit_society", distributes_surplus=True, number="IP123")[0]
    )
    assert eligibility_problems("cic", number="01234567") == []
    assert "Councils" in eligibility_problems("council")[0]
