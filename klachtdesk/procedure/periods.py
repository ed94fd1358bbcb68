"""Periods the figures and reports are counted over, and which dossiers a figure counts.

A period is a range of days on which complaints were *received* (both ends included). A
:class:`Selection` names the dossiers behind one number of the figures, so that the window
can open the list on exactly those (issue 12, "clicking a number opens the list").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date

from .errors import InvalidInput

QUARTER_NAMES = ("1e kwartaal", "2e kwartaal", "3e kwartaal", "4e kwartaal")

#: The years a period may lie in: the plausible range of a complaints register (defined
#: here once; the CLI, the windows and the trend keep to it).
FIRST_YEAR = 1950
LAST_YEAR = 2100
YEAR_RANGE_TEXT = f"Kies een jaar van {FIRST_YEAR} tot en met {LAST_YEAR}."


def check_year(year: int) -> int:
    """``year`` when it lies in the plausible range; :class:`InvalidInput` in Dutch if not."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput({"year": f"Het jaar {year} kan niet. {YEAR_RANGE_TEXT}"})
    return year


@dataclass(frozen=True)
class Period:
    """Complaints received from ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        check_year(self.start.year)
        check_year(self.end.year)
        if self.end < self.start:
            raise InvalidInput({"end": "De einddatum van de periode ligt vóór de begindatum."})

    @classmethod
    def year(cls, year: int) -> Period:
        check_year(year)
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise InvalidInput({"quarter": "Een kwartaal is 1, 2, 3 of 4."})
        check_year(year)
        start = date(year, 3 * quarter - 2, 1)
        return cls(start, _month_end(year, 3 * quarter))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise InvalidInput({"month": "Een maand is 1 tot en met 12."})
        check_year(year)
        return cls(date(year, month, 1), _month_end(year, month))

    @property
    def is_year(self) -> bool:
        return self == Period.year(self.start.year)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """Dutch: '2026', '2e kwartaal 2026', 'maart 2026' or '3 februari 2026 – 5 mei 2026'."""
        year = self.start.year
        if self.is_year:
            return str(year)
        if self.start.day == 1 and self.end.year == year:
            if self == Period.month(year, self.start.month):
                return format_date(self.start, "LLLL y", locale="nl_BE")
            if self.start.month % 3 == 1 and self == Period.quarter(
                year, self.start.month // 3 + 1
            ):
                return f"{QUARTER_NAMES[self.start.month // 3]} {year}"
        return f"{_long(self.start)} – {_long(self.end)}"


def _month_end(year: int, month: int) -> date:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def _long(day: date) -> str:
    return format_date(day, "d MMMM y", locale="nl_BE")


@dataclass(frozen=True)
class Selection:
    """The dossiers behind one figure: received in ``period`` and matching every criterion.

    A criterion is a (name, value) pair the figures service defines and the complaint list
    understands (e.g. ``("outcome", "unfounded")``, ``("ground", "anonymous")``,
    ``("department", None)`` for 'no department'). ``label`` is the Dutch description the
    list shows while it is filtered on this selection, e.g. 'Uitkomst: ongegrond (2026)'.
    """

    period: Period
    criteria: tuple[tuple[str, str | None], ...] = ()
    label: str = ""
