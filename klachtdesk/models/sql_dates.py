"""Date arithmetic inside SQL queries, for figures counted in the database.

Dates are stored as ISO text ('2026-03-04'). Comparisons that add a dossier's own number of
days to one of its dates go through Julian day numbers: for a date they are exact (n + 0.5),
and ``julianday()`` is the cheapest of SQLite's date functions (about half the time of
``date(x, '+n days')`` over a year's dossiers). What needs SQLite's date functions lives here,
so that the services stay free of the SQL dialect.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from peewee import Cast, fn

# julianday('0001-01-01') - date(1, 1, 1).toordinal()
_JULIAN_OFFSET = 1721424.5


def julian(day: date) -> float:
    """The Julian day number SQLite's ``julianday()`` gives for ``day``."""
    return day.toordinal() + _JULIAN_OFFSET


def day_number(column: Any) -> Any:
    """A stored date as its Julian day number (NULL stays NULL)."""
    return fn.julianday(column)


def days_between(first: Any, last: Any) -> Any:
    """Whole days from ``first`` to ``last`` (an integer)."""
    return Cast(fn.julianday(last) - fn.julianday(first), "INTEGER")


def year_of(day: Any) -> Any:
    """The year of a stored date, as an integer."""
    return Cast(fn.substr(day, 1, 4), "INTEGER")
