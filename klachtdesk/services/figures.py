"""The figures of one year, as a yearly report needs them: counts only, no personal data.

Counted in SQL from what anonymising keeps (dates, channel, department, subject, nature,
kind, grounds, outcome, limits), so a past year's figures stay exactly the same after its
dossiers are anonymised. Deleted (mistaken) dossiers are no longer in the register and no
longer count. A year's complaints are those received in it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from peewee import JOIN, fn

from klachtdesk.models import Complaint, ComplaintGround, Department
from klachtdesk.procedure import LimitStatus, deadlines

from .dossiers import DOSSIER_COLUMNS, limits_dossier
from .settings import time_limits


@dataclass(frozen=True)
class YearFigures:
    """Counts per stored code (enum values; department names); None counts 'not filled in'."""

    year: int
    received: int
    admissible: int
    inadmissible: int
    undecided: int
    grounds: dict[str, int]
    outcomes: dict[str | None, int]
    channels: dict[str | None, int]
    departments: dict[str | None, int]
    subjects: dict[str | None, int]
    natures: dict[str | None, int]
    kinds: dict[str | None, int]
    #: Per limit kind, per status (met, met late, lapsed, running, overdue on ``as_of``).
    limits: dict[str, dict[str, int]]


def _in_year(year: int) -> Any:
    return Complaint.received_on.between(date(year, 1, 1), date(year, 12, 31))


def _count_by(column: Any, year: int) -> dict[Any, int]:
    query = (
        Complaint.select(column, fn.COUNT(Complaint.id))
        .where(_in_year(year))
        .group_by(column)
        .tuples()
    )
    rows = cast(Iterable[tuple[Any, int]], query)
    return {(None if value is None else str(value)): count for value, count in rows}


def year_figures(year: int, as_of: date) -> YearFigures:
    """The counts of the complaints received in ``year``; ``as_of`` is the day limits still
    running are judged on (only matters for dossiers still open)."""
    admissible = _count_by(Complaint.admissible, year)
    grounds = (
        ComplaintGround.select(ComplaintGround.ground, fn.COUNT(ComplaintGround.complaint))
        .join(Complaint)
        .where(_in_year(year))
        .group_by(ComplaintGround.ground)
        .tuples()
    )
    departments = (
        Complaint.select(Department.name, fn.COUNT(Complaint.id))
        .join(Department, JOIN.LEFT_OUTER)
        .where(_in_year(year))
        .group_by(Department.name)
        .tuples()
    )
    return YearFigures(
        year=year,
        received=sum(admissible.values()),
        admissible=admissible.get("1", 0) + admissible.get("True", 0),
        inadmissible=admissible.get("0", 0) + admissible.get("False", 0),
        undecided=admissible.get(None, 0),
        grounds={str(g): n for g, n in cast(Iterable[tuple[str, int]], grounds)},
        outcomes=_count_by(Complaint.outcome, year),
        channels=_count_by(Complaint.channel, year),
        departments=dict(cast(Iterable[tuple[str | None, int]], departments)),
        subjects=_count_by(Complaint.subject, year),
        natures=_count_by(Complaint.nature, year),
        kinds=_count_by(Complaint.act_kind, year),
        limits=_limit_counts(year, as_of),
    )


def _limit_counts(year: int, as_of: date) -> dict[str, dict[str, int]]:
    """Limits met or not; judged by the procedure's own rules from each dossier's dates."""
    columns = [getattr(Complaint, name) for name in DOSSIER_COLUMNS]
    rows = Complaint.select(Complaint.id, Complaint.handler, *columns).where(_in_year(year))
    counts: dict[str, Counter[str]] = {}
    settings = time_limits()
    for row in rows.iterator():
        for deadline in deadlines(limits_dossier(row), as_of, settings):
            status = deadline.status
            if status is LimitStatus.DUE_SOON:
                status = LimitStatus.OPEN
            counts.setdefault(deadline.kind.value, Counter())[status.value] += 1
    return {kind: dict(counter) for kind, counter in sorted(counts.items())}
