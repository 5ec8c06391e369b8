"""Live KPI sources: a KPI can take its result from the portal's own data.

A source is a function ``(period_start: date, period_end: date) -> number`` registered under a name; a KPI
names its source in ``Kpi.live_source``. A name may carry an argument after a colon, such as
``directory_category_count:Hate Crime Reporting Centre``: the part before the colon finds the source and
the text after it is passed as the keyword argument ``argument``.

When the data a source needs is not there (the module is not installed yet, or its tables have not been
created), the source raises ``SourceUnavailable`` with a sentence for the officer; the report then keeps
the figure that was entered by hand and shows the note instead of failing.

How a module adds a source: in its ``contributions.py`` (imported at start-up through app/modules.py)::

    from app.reporting.live import SourceUnavailable, register_source, tables_exist

    @register_source("ctn_meetings_held", "CTN open meetings held in the period")
    def ctn_meetings_held(period_start, period_end):
        if not tables_exist("ctn_meeting"):
            raise SourceUnavailable("CTN meetings are not recorded in the portal yet")
        return meetings_held(period_start, period_end)

Registering a name again replaces the earlier source. The sources the 2019/20 delivery plan wants:

- ``ctn_meetings_held``: "Number of CTN meetings held per year" (004:37): open meetings held in the period,
  from the CTN module (app/ctn/contributions.py).
- ``directory_category_count:<category>``: "Hate Crime Reporting Centres in Barnet" (000:848) as the number
  of published organisations with a service in that directory category (app/directory/contributions.py).
- ``directory_organisations``: published organisations in the directory at the end of the period
  (app/directory/contributions.py).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import inspect

from ..extensions import db


class SourceUnavailable(LookupError):
    """The source cannot give a figure now; the message says why, for the officer."""


@dataclass(frozen=True)
class LiveSource:
    name: str
    description: str
    function: object
    takes_argument: bool = False


SOURCES: dict[str, LiveSource] = {}


def register_source(name, description, takes_argument=False):
    """Decorator: register ``function(period_start, period_end, argument=None) -> number`` as ``name``."""

    def decorator(function):
        SOURCES[name] = LiveSource(name, description, function, takes_argument)
        return function

    return decorator


def split_name(full_name):
    name, _, argument = (full_name or "").partition(":")
    return name.strip(), (argument.strip() or None)


def describe(full_name):
    name, argument = split_name(full_name)
    source = SOURCES.get(name)
    if source is None:
        return f"Unknown source '{full_name}'"
    return f"{source.description}: {argument}" if argument else source.description


def validate_name(full_name):
    """An error message for a source name that cannot be used, or None."""
    name, argument = split_name(full_name)
    source = SOURCES.get(name)
    if source is None:
        return f"There is no live source called '{name}'. Choose one of: {', '.join(sorted(SOURCES))}"
    if source.takes_argument and not argument:
        return f"The source '{name}' needs a value after a colon, like {name}:Hate Crime Reporting Centre"
    return None


def fetch(full_name, period_start, period_end):
    """The figure from a live source. Raises SourceUnavailable (never a database error)."""
    problem = validate_name(full_name)
    if problem:
        raise SourceUnavailable(problem)
    name, argument = split_name(full_name)
    source = SOURCES[name]
    try:
        if source.takes_argument:
            return source.function(period_start, period_end, argument=argument)
        return source.function(period_start, period_end)
    except SourceUnavailable:
        raise
    except Exception as exc:  # a missing table, a changed column: report it, never crash the report
        db.session.rollback()
        raise SourceUnavailable(f"The source '{full_name}' is not available ({exc.__class__.__name__})") from exc


def tables_exist(*names):
    """Whether the tables a source reads exist (a module's tables may not be created yet)."""
    return _tables_exist(*names)


def _tables_exist(*names):  # separate, so tests can imitate a module whose tables are missing
    existing = set(inspect(db.engine).get_table_names())
    return all(name in existing for name in names)


def end_of(day):
    """The first moment after `day` (stored times are naive UTC; a day's end is near enough)."""
    return datetime.combine(day + timedelta(days=1), time.min)


def quarter_dates(year_start, quarter):
    """First and last day of a financial-year quarter: Q1 = April to June ... Q4 = January to March."""
    first_month = 4 + 3 * (quarter - 1)
    year = year_start + (first_month - 1) // 12
    month = (first_month - 1) % 12 + 1
    start = date(year, month, 1)
    end_month = month + 2
    end = date(year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
    next_month = date(end.year + (end.month == 12), end.month % 12 + 1, 1)
    return start, next_month - timedelta(days=1)


def year_dates(year_start):
    """The financial year: 1 April to 31 March."""
    return date(year_start, 4, 1), date(year_start + 1, 3, 31)
