"""The content of a yearly (or shorter) report as plain data: sections of tables.

The figures service builds a :class:`Report`; ``letters/report.py`` renders it to PDF, DOCX
and XLSX, and the window's "Cijfers" view shows the same tables. Nothing in a report may
identify a person: only counts, shares, codes' labels, department names and improvement
actions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from klachtdesk.procedure import words
from klachtdesk.procedure.periods import Period, Selection

from .cell_text import clean_text

#: What a cell may hold: a label, a count, a share or average (float), or nothing.
Cell = str | int | float | None
#: Shown in a cell that holds nothing (e.g. an average over no dossiers).
NOTHING = "–"


def format_cell(value: Cell, percent: bool = False) -> str:
    """A cell as the report shows it: '1.234', '12,5 %', '23,4', a label, or '–'."""
    if value is None:
        return NOTHING
    if isinstance(value, bool):  # a bool is an int in Python; never meant as a count
        return "ja" if value else "nee"
    if percent and isinstance(value, int | float):
        return words.percent(value)
    if isinstance(value, int):
        return words.number(value)
    if isinstance(value, float):
        return words.number(value, 1)
    return clean_text(str(value))


class ChartKind(StrEnum):
    """How a table is drawn beside its numbers (first column labels, second column values;
    a LINE chart draws every numeric column over the rows, e.g. a trend over years)."""

    BAR = "bar"
    PIE = "pie"
    LINE = "line"


@dataclass(frozen=True)
class ReportTable:
    """One table: a header row, body rows and an optional totals row.

    ``key`` is a stable ASCII identifier (also the XLSX sheet's origin). ``selections`` is
    either empty or has one entry per body row: the dossiers the row's counts are about
    (None for a row that is not a set of dossiers, e.g. an average). ``percent_columns``
    are the indexes of columns holding shares from 0 to 1, shown as percentages.
    """

    key: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None
    chart: ChartKind | None = None
    note: str = ""
    selections: tuple[Selection | None, ...] = ()
    percent_columns: tuple[int, ...] = ()


@dataclass(frozen=True)
class ReportSection:
    """A numbered chapter: a short text, its tables, and room left to write in (the algemeen
    directeur's own assessment is a section with ``blank_lines`` and no tables)."""

    title: str
    text: str = ""
    tables: tuple[ReportTable, ...] = ()
    blank_lines: int = 0
    #: A last line under the room to write: the audit trail's anchor in the last section.
    #: Not part of the figures, so two reports of the same figures compare equal.
    closing: str = field(default="", compare=False)


@dataclass(frozen=True)
class Report:
    """E.g. 'Jaarverslag klachtenbehandeling 2026' of 'Gemeente Zottegem', made on a day."""

    title: str
    organisation: str
    period: Period
    made_on: date
    sections: tuple[ReportSection, ...]

    @property
    def tables(self) -> tuple[ReportTable, ...]:
        return tuple(table for section in self.sections for table in section.tables)
