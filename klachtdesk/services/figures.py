"""The figures of a period, as the yearly report and the Cijfers view need them.

Counts only, no personal data. A period's complaints are those *received* in it. Everything
is counted in SQL from what anonymising keeps (dates, channel, route, department, subject,
nature, kind, grounds, outcome, resolution, norms, limits), so a past year's figures stay
exactly the same after its dossiers are anonymised. Deleted (mistaken) dossiers are no longer
in the register and no longer count.

Every count of a set of dossiers is the count of a :class:`Selection`: the period plus
criteria from :data:`CRITERIA`. The counts are computed from the very SQL conditions that
:func:`selection_ids` filters on, so the number a user clicks and the list that opens always
agree.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, cast

from peewee import JOIN, SQL, Case, fn

from klachtdesk.models import (
    Complaint,
    ComplaintGround,
    ComplaintNorm,
    Department,
    ImprovementAction,
    Population,
)
from klachtdesk.models.sql_dates import day_number, days_between, julian, year_of
from klachtdesk.procedure import (
    ActKind,
    Channel,
    Ground,
    LimitKind,
    LimitStatus,
    Nature,
    NoJudgementReason,
    Outcome,
    Subject,
)
from klachtdesk.procedure.periods import FIRST_YEAR, Period, Selection
from klachtdesk.procedure.vocabulary import ActionStatus, Norm, Resolution, Route

Criteria = tuple[tuple[str, str | None], ...]

#: The criteria a :class:`Selection` may hold, defined once: name -> what its value means.
#: Every criterion narrows the dossiers *received in the selection's period*.
CRITERIA: dict[str, str] = {
    "admissibility": (
        "'admissible', 'inadmissible', 'undecided' (no decision recorded), and the three "
        "kinds of undecided: 'solved_at_intake' (solved at once and closed at registration), "
        "'withdrawn_undecided' (stopped by the citizen before the decision), 'pending' (any "
        "other: waiting for the decision)"
    ),
    "ground": "a Ground code: inadmissible on (at least) that ground",
    "outcome": "an Outcome code; None: no outcome (yet)",
    "outcome_group": (
        "'well_founded' (gegrond, deels gegrond or gegrond maar gecorrigeerd), 'solution' "
        "(gegrond or deels gegrond: a mate van oplossing is asked), 'assessed' (any outcome), "
        "'judged' (an outcome other than a stop by the citizen), 'unassessed' (admissible, no outcome yet)"
    ),
    "no_judgement_reason": "a NoJudgementReason code",
    "resolution": "a Resolution code; None: not recorded",
    "limit": (
        "'<LimitKind code>:<statuses>' with statuses comma-separated LimitStatus codes (met, "
        "met_late, overdue, open, lapsed; 'open' includes due_soon) judged on the as_of day "
        "by the procedure's own rules and each dossier's own limits, or 'withdrawn' (the "
        "closing limit of a dossier stopped by the citizen: no reply was due) or 'unknown' "
        "(an imported dossier whose earlier register did not record the date), or "
        "'<LimitKind code>:applies' for every dossier the limit applies to"
    ),
    "open_on": "an ISO date: not closed on that day (closed later, or still open)",
    "channel": "a Channel code",
    "route": "a Route code; None: not recorded",
    "department": "a department id (as text); None: no department",
    "subject": "a Subject code; None: not recorded",
    "nature": "a Nature code; None: not recorded",
    "act_kind": "an ActKind code; None: not recorded",
    "norm": "a Norm code: the complaint touched that ombudsnorm; 'any': at least one",
    "extended": "'yes': the closing limit was extended (once; issue 15)",
}

#: The limits the report judges (the re-investigation limit is an internal one).
REPORTED_LIMITS = (LimitKind.ACKNOWLEDGEMENT, LimitKind.HANDLER_REPORT, LimitKind.CLOSING)
#: The statuses a limit is counted in (due soon counts as open).
LIMIT_STATUSES = (
    LimitStatus.MET,
    LimitStatus.MET_LATE,
    LimitStatus.OVERDUE,
    LimitStatus.OPEN,
    LimitStatus.LAPSED,
)
#: The closing limit of a dossier the citizen stopped: closed, but no reply was due.
WITHDRAWN = "withdrawn"
#: A limit of an imported dossier whose earlier register did not record the date it was
#: met (the import does not invent dates): neither met, late, lapsed nor overdue.
UNKNOWN = "unknown"
#: The rows a limit is counted in: every dossier the limit applies to is in exactly one.
LimitRow = LimitStatus | str
LIMIT_ROWS: tuple[LimitRow, ...] = (*LIMIT_STATUSES, WITHDRAWN, UNKNOWN)

WELL_FOUNDED = (Outcome.WELL_FOUNDED, Outcome.PARTLY_WELL_FOUNDED, Outcome.CORRECTED)
SOLUTION_ASKED = tuple(outcome for outcome in Outcome if outcome.requires_solution)

TREND_YEARS = 5

_C = Complaint


def _in_period(period: Period) -> Any:
    return _C.received_on.between(period.start, period.end)


def _closed_at_intake() -> Any:
    # An imported dossier without an acknowledgement was not closed at intake: its earlier
    # register just did not record the acknowledgement.
    return (
        _C.closed_on.is_null(False)
        & _C.acknowledged_on.is_null()
        & _C.withdrawn_on.is_null()
        & _C.import_key.is_null()
    )


def _limit_parts(kind: LimitKind) -> tuple[Any, Any, Any, Any]:
    """(applies, the date the limit runs from, its days, the date it was met) of a limit, as
    SQL, following :func:`klachtdesk.procedure.deadlines.due_dates`."""
    not_at_intake = ~_closed_at_intake()
    if kind is LimitKind.ACKNOWLEDGEMENT:
        return not_at_intake, _C.received_on, _C.acknowledgement_days, _C.acknowledged_on
    if kind is LimitKind.HANDLER_REPORT:
        return (
            not_at_intake & (_C.admissible.is_null() | (_C.admissible == True)),  # noqa: E712
            _C.coordinator_received_on,
            _C.handler_days,
            _C.first_returned_on,
        )
    if kind is LimitKind.CLOSING:
        # An extended closing limit (issue 15) runs its days plus the extension.
        return not_at_intake, _C.received_on, _C.closing_days + _C.extension_days, _C.closed_on
    raise ValueError(f"limit {kind} is not counted")


def _limit_condition(value: str, as_of: date) -> Any:
    """As :func:`klachtdesk.procedure.deadlines.deadlines` judges it on ``as_of`` (with the
    rows :data:`WITHDRAWN` and :data:`UNKNOWN` of its own)."""
    code, _, statuses = value.partition(":")
    kind = LimitKind.from_code(code)
    applies = _limit_parts(kind)[0]
    if statuses == "applies":
        return applies
    codes = []
    for status in statuses.split(","):
        if status in (WITHDRAWN, UNKNOWN):
            codes.append(status)
            continue
        match LimitStatus.from_code(status):
            case LimitStatus.OPEN | LimitStatus.DUE_SOON:
                codes.append(LimitStatus.OPEN.value)
            case other:
                codes.append(other.value)
    return _limit_status(kind, as_of).in_(codes)


def _limit_status(kind: LimitKind, as_of: date) -> Any:
    """The limit's row code on ``as_of`` ('' when it does not apply), as one SQL CASE;
    :func:`_limit_condition` filters on this very CASE, so counts and lists agree."""
    applies, start, days, met_on = _limit_parts(kind)
    imported = _C.import_key.is_null(False)
    if kind is LimitKind.CLOSING:
        # The closing date of an import is always known (the import closes it or not).
        unknown = imported & start.is_null()
    else:
        unknown = imported & (met_on.is_null() | start.is_null())
    branches: list[tuple[Any, Any]] = [(~applies, ""), (unknown, UNKNOWN)]
    if kind is LimitKind.CLOSING:
        branches.append((_C.withdrawn_on.is_null(False), WITHDRAWN))
    in_time = day_number(met_on) - day_number(start) <= days
    branches += [
        (met_on.is_null(False) & in_time, "met"),
        (met_on.is_null(False), "met_late"),
        (_C.closed_on.is_null(False), "lapsed"),
        (day_number(start) + days < julian(as_of), "overdue"),
    ]
    return Case(None, branches, "open")


def _optional(column: Any, value: object) -> Any:
    return column.is_null() if value is None else column == value


def _condition(name: str, value: str | None, as_of: date) -> Any:
    """The SQL condition of one criterion (see :data:`CRITERIA`)."""
    if name == "admissibility":
        undecided = _C.admissible.is_null()
        conditions = {
            "admissible": _C.admissible == True,  # noqa: E712
            "inadmissible": _C.admissible == False,  # noqa: E712
            "undecided": undecided,
            "solved_at_intake": undecided & _closed_at_intake(),
            "withdrawn_undecided": undecided & _C.withdrawn_on.is_null(False),
            "pending": undecided & _C.withdrawn_on.is_null() & ~_closed_at_intake(),
        }
        return conditions[str(value)]
    if name == "ground":
        grounds = ComplaintGround.select(ComplaintGround.complaint).where(
            ComplaintGround.ground == Ground.from_code(str(value))
        )
        return _C.id.in_(grounds)
    if name == "norm":
        norms = ComplaintNorm.select(ComplaintNorm.complaint)
        if value != "any":
            norms = norms.where(ComplaintNorm.norm == Norm.from_code(str(value)))
        return _C.id.in_(norms)
    if name == "outcome":
        return _optional(_C.outcome, None if value is None else Outcome.from_code(value))
    if name == "outcome_group":
        groups = {
            "well_founded": _C.outcome.in_(list(WELL_FOUNDED)),
            "solution": _C.outcome.in_(list(SOLUTION_ASKED)),
            "assessed": _C.outcome.is_null(False),
            "judged": _C.outcome.is_null(False) & (_C.outcome != Outcome.STOPPED_BY_CITIZEN),
            "unassessed": (_C.admissible == True) & _C.outcome.is_null(),  # noqa: E712
        }
        return groups[str(value)]
    if name == "no_judgement_reason":
        return _C.no_judgement_reason == NoJudgementReason.from_code(str(value))
    if name == "limit":
        return _limit_condition(str(value), as_of)
    if name == "extended":
        return _C.extension_days > 0
    if name == "open_on":
        day = date.fromisoformat(str(value))
        return _C.closed_on.is_null() | (_C.closed_on > day)
    if name == "department":
        return _optional(_C.department, None if value is None else int(value))
    coded: dict[str, tuple[Any, Any]] = {
        "channel": (_C.channel, Channel),
        "route": (_C.route, Route),
        "resolution": (_C.resolution, Resolution),
        "subject": (_C.subject, Subject),
        "nature": (_C.nature, Nature),
        "act_kind": (_C.act_kind, ActKind),
    }
    if name in coded:
        column, enum = coded[name]
        return _optional(column, None if value is None else enum.from_code(value))
    raise ValueError(f"unknown criterion {name!r}")


def selection_ids(selection: Selection, as_of: date) -> list[int]:
    """Exactly the ids of the dossiers a figure with this selection counted, in id order.

    ``as_of`` must be the day the figures were made for (limits still running are judged on
    it)."""
    # The criteria sit inside a CASE so that SQLite walks the period's dossiers through the
    # index on the date received, as the figures do: with them as plain terms it would rather
    # use the index on the channel or department (or read every dossier with a ground or a
    # norm), all years long: 250 ms instead of 3 ms for one year's channel of 100,000.
    matching = Case(None, [(_where_criteria(selection.criteria, as_of), 1)], 0) == 1
    query = _C.select(_C.id).where(_in_period(selection.period) & matching).tuples()
    return sorted(row[0] for row in cast(Iterable[tuple[int]], query))


def _where_criteria(criteria: Criteria, as_of: date) -> Any:
    condition: Any = None
    for name, value in criteria:
        part = _condition(name, value, as_of)
        condition = part if condition is None else condition & part
    return condition if condition is not None else _C.id.is_null(False)


# --- The figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """A number of dossiers and the criteria that select them (within the period)."""

    criteria: Criteria
    count: int


@dataclass(frozen=True)
class ActionLine:
    """One improvement action as the report lists it (no personal data: the description is
    the organisation's own)."""

    description: str
    department: str
    status: ActionStatus
    created_on: date
    due_on: date | None
    done_on: date | None


@dataclass(frozen=True)
class TrendYear:
    year: int
    received: int
    admissible: int
    decided: int  # admissible or inadmissible
    well_founded: int
    judged: int  # with an outcome other than a stop by the citizen
    closed_in_time: int
    closing_due: int  # closing limit met, met late or overdue
    inhabitants: int | None
    #: Registrations that were no complaint (inadmissible on ground 1).
    not_a_complaint: int = 0

    @property
    def share_admissible(self) -> float | None:
        return _share(self.admissible, self.decided)

    @property
    def share_well_founded(self) -> float | None:
        return _share(self.well_founded, self.judged)

    @property
    def share_in_time(self) -> float | None:
        return _share(self.closed_in_time, self.closing_due)

    @property
    def complaints(self) -> int:
        """The registrations that were complaints (not inadmissible on ground 1)."""
        return self.received - self.not_a_complaint

    @property
    def per_thousand(self) -> float | None:
        return per_thousand(self.complaints, self.inhabitants)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def per_thousand(count: int, inhabitants: int | None) -> float | None:
    """Complaints per 1,000 inhabitants (of a year: the inhabitants are a year's); None when
    the inhabitants are not known. The count is of complaints: registrations that were no
    complaint (ground 1) are left out by the callers."""
    return count * 1000 / inhabitants if inhabitants else None


@dataclass(frozen=True)
class Figures:
    """Everything §3 of issue 12 counts for one period, each count with its criteria.

    Dictionaries hold every member of their vocabulary (zero included), in the
    vocabulary's order; ``None`` keys count 'not recorded'.
    """

    period: Period
    as_of: date
    received: Count
    admissibility: dict[str, Count]
    grounds: dict[Ground, Count]
    outcomes: dict[Outcome, Count]
    #: With an outcome (a stop by the citizen included).
    assessed: Count
    #: Admissible, no outcome yet.
    unassessed: Count
    well_founded: Count
    judged: Count
    no_judgement_reasons: dict[NoJudgementReason, Count]
    solution_asked: Count
    resolutions: dict[Resolution | None, Count]
    limits: dict[LimitKind, dict[LimitRow, Count]]
    #: The smallest and largest number of days of each limit among the period's dossiers.
    limit_days: dict[LimitKind, tuple[int, int] | None]
    closed: Count
    #: Days from receipt to the reply (closing limit met or met late; a stop by the citizen
    #: is no reply and is left out).
    average_days_to_close: float | None
    median_days_to_close: float | None
    open_on: date
    still_open: Count
    #: Dossiers whose closing limit was extended (issue 15).
    extended: Count
    channels: dict[Channel, Count]
    routes: dict[Route | None, Count]
    departments: dict[int | None, tuple[str, Count]]
    subjects: dict[Subject | None, Count]
    natures: dict[Nature | None, Count]
    act_kinds: dict[ActKind | None, Count]
    norms: dict[Norm, Count]
    with_norms: Count
    #: Per norm, per outcome (None: no outcome yet): complaints touching it.
    norms_by_outcome: dict[Norm, dict[Outcome | None, int]]
    actions: tuple[ActionLine, ...]
    action_statuses: dict[ActionStatus, int]
    inhabitants: int | None
    trend: tuple[TrendYear, ...]

    @property
    def admissible(self) -> int:
        return self.admissibility["admissible"].count

    @property
    def inadmissible(self) -> int:
        return self.admissibility["inadmissible"].count

    @property
    def undecided(self) -> int:
        return self.admissibility["undecided"].count

    @property
    def complaints(self) -> int:
        """The registrations that were complaints (not inadmissible on ground 1)."""
        return self.received.count - self.grounds[Ground.NOT_A_COMPLAINT].count

    @property
    def per_thousand(self) -> float | None:
        """Complaints (ground 1 left out) per 1,000 inhabitants, for a whole year only: the
        inhabitants are counted per year; None for a shorter period or unknown inhabitants."""
        if not self.period.is_year:
            return None
        return per_thousand(self.complaints, self.inhabitants)


class _Tally:
    """Collects criteria, then counts them all in one query."""

    def __init__(self) -> None:
        self.criteria: list[Criteria] = []
        self.counts: list[int] = []

    def add(self, *criteria: tuple[str, str | None]) -> int:
        self.criteria.append(tuple(criteria))
        return len(self.criteria) - 1

    def run(self, period: Period, as_of: date, *aggregates: Any) -> tuple[Any, ...]:
        """Count every criterion, and compute ``aggregates``, in one pass; returns the
        aggregates' values."""
        sums = [fn.SUM(_where_criteria(c, as_of)) for c in self.criteria]
        query = _C.select(*sums, *aggregates).where(_in_period(period)).tuples()
        row = cast(tuple[Any, ...], query.get())
        self.counts = [int(n or 0) for n in row[: len(sums)]]
        return row[len(sums) :]

    def get(self, index: int) -> Count:
        return Count(self.criteria[index], self.counts[index])

    def count_of(self, *criteria: tuple[str, str | None]) -> int:
        """The count of criteria added before :meth:`run`."""
        return self.counts[self.criteria.index(tuple(criteria))]


def _code(member: Any) -> str | None:
    return None if member is None else str(member)


def figures(period: Period, as_of: date) -> Figures:
    """The figures of the complaints received in ``period``; ``as_of`` is the day limits
    still running are judged on, and the latest day 'still open' can be known on.

    Most counts come from one pass over the period's dossiers (a SUM of each criterion's
    own condition); the limits, grounds and norms from a GROUP BY each, which are cheaper
    than one condition per status, ground or norm (measured: 45 ms against 10 ms for the
    limits of 10,000 dossiers).
    """
    tally = _Tally()
    received = tally.add()
    admissibility_keys = (
        "admissible",
        "inadmissible",
        "undecided",
        "solved_at_intake",
        "withdrawn_undecided",
        "pending",
    )
    admissibility = {key: tally.add(("admissibility", key)) for key in admissibility_keys}
    outcomes = {o: tally.add(("outcome", o.value)) for o in Outcome}
    assessed = tally.add(("outcome_group", "assessed"))
    unassessed = tally.add(("outcome_group", "unassessed"))
    well_founded = tally.add(("outcome_group", "well_founded"))
    judged = tally.add(("outcome_group", "judged"))
    reasons = {
        r: tally.add(("outcome", Outcome.NO_JUDGEMENT.value), ("no_judgement_reason", r.value))
        for r in NoJudgementReason
    }
    solution_asked = tally.add(("outcome_group", "solution"))
    resolutions = {
        r: tally.add(("outcome_group", "solution"), ("resolution", _code(r)))
        for r in (*Resolution, None)
    }
    open_on = min(period.end, as_of)
    still_open = tally.add(("open_on", open_on.isoformat()))
    extended = tally.add(("extended", "yes"))
    channels = {c: tally.add(("channel", c.value)) for c in Channel}
    routes = {r: tally.add(("route", _code(r))) for r in (*Route, None)}
    department_names = {
        int(d.id): str(d.name) for d in Department.select(Department.id, Department.name)
    }
    ordered = sorted(department_names, key=lambda i: department_names[i].lower())
    departments = {
        d: tally.add(("department", None if d is None else str(d))) for d in (*ordered, None)
    }
    subjects = {s: tally.add(("subject", _code(s))) for s in (*Subject, None)}
    natures = {n: tally.add(("nature", _code(n))) for n in (*Nature, None)}
    act_kinds = {k: tally.add(("act_kind", _code(k))) for k in (*ActKind, None)}
    limit_days = _limit_days(tally.run(period, as_of, *_LIMIT_DAYS))

    limits, days = _limit_counts(period, as_of)
    closing = limits[LimitKind.CLOSING]
    closed_criteria: Criteria = (("limit", f"{LimitKind.CLOSING.value}:met,met_late,{WITHDRAWN}"),)
    norms_by_outcome = _norms_by_outcome(period)
    grounds = _ground_counts(period)
    return Figures(
        period=period,
        as_of=as_of,
        received=tally.get(received),
        admissibility={k: tally.get(i) for k, i in admissibility.items()},
        grounds=grounds,
        outcomes={k: tally.get(i) for k, i in outcomes.items()},
        assessed=tally.get(assessed),
        unassessed=tally.get(unassessed),
        well_founded=tally.get(well_founded),
        judged=tally.get(judged),
        no_judgement_reasons={k: tally.get(i) for k, i in reasons.items()},
        solution_asked=tally.get(solution_asked),
        resolutions={k: tally.get(i) for k, i in resolutions.items()},
        limits=limits,
        limit_days=limit_days,
        closed=Count(
            closed_criteria,
            sum(closing[row].count for row in (LimitStatus.MET, LimitStatus.MET_LATE, WITHDRAWN)),
        ),
        average_days_to_close=statistics.fmean(days) if days else None,
        median_days_to_close=float(statistics.median(days)) if days else None,
        open_on=open_on,
        still_open=tally.get(still_open),
        extended=tally.get(extended),
        channels={k: tally.get(i) for k, i in channels.items()},
        routes={k: tally.get(i) for k, i in routes.items()},
        departments={
            k: ("" if k is None else department_names[k], tally.get(i))
            for k, i in departments.items()
        },
        subjects={k: tally.get(i) for k, i in subjects.items()},
        natures={k: tally.get(i) for k, i in natures.items()},
        act_kinds={k: tally.get(i) for k, i in act_kinds.items()},
        norms={
            norm: Count((("norm", norm.value),), sum(by_outcome.values()))
            for norm, by_outcome in norms_by_outcome.items()
        },
        with_norms=Count((("norm", "any"),), _with_norms(period)),
        norms_by_outcome=norms_by_outcome,
        actions=_actions(period),
        action_statuses=_action_statuses(period),
        inhabitants=inhabitants(period.start.year),
        trend=trend(
            period.end.year,
            as_of,
            _trend_year(period, tally, limits, grounds[Ground.NOT_A_COMPLAINT].count),
        )
        if period.is_year
        else (),
    )


def _trend_year(
    period: Period,
    tally: _Tally,
    limits: dict[LimitKind, dict[LimitRow, Count]],
    not_a_complaint: int,
) -> TrendYear:
    """The period's (a year's) own row of the trend, from the figures already counted."""
    closing = limits[LimitKind.CLOSING]
    admissible = tally.count_of(("admissibility", "admissible"))
    inadmissible = tally.count_of(("admissibility", "inadmissible"))
    return TrendYear(
        year=period.start.year,
        received=tally.count_of(),
        admissible=admissible,
        decided=admissible + inadmissible,
        well_founded=tally.count_of(("outcome_group", "well_founded")),
        judged=tally.count_of(("outcome_group", "judged")),
        closed_in_time=closing[LimitStatus.MET].count,
        closing_due=sum(
            closing[s].count for s in (LimitStatus.MET, LimitStatus.MET_LATE, LimitStatus.OVERDUE)
        ),
        inhabitants=None,
        not_a_complaint=not_a_complaint,
    )


def _limit_counts(
    period: Period, as_of: date
) -> tuple[dict[LimitKind, dict[LimitRow, Count]], list[int]]:
    """Each limit's dossiers per row, and the days from receipt to closing of every
    dossier whose closing limit was met (in time or late: a reply was sent; a stop by the
    citizen is no reply and is left out): one GROUP BY over the period."""
    statuses = [_limit_status(kind, as_of) for kind in REPORTED_LIMITS]
    days = Case(None, [(_C.closed_on.is_null(False), days_between(_C.received_on, _C.closed_on))])
    query = (
        _C.select(*statuses, days, fn.COUNT(_C.id))
        .where(_in_period(period))
        .group_by(*(SQL(str(i)) for i in range(1, len(statuses) + 2)))
        .tuples()
    )
    counts: dict[LimitKind, dict[str, int]] = {kind: {} for kind in REPORTED_LIMITS}
    closed_days: list[int] = []
    settled = (LimitStatus.MET.value, LimitStatus.MET_LATE.value)
    for row in cast(Iterable[tuple[Any, ...]], query):
        *codes, closed_after, number = row
        for kind, status in zip(REPORTED_LIMITS, codes, strict=True):
            counts[kind][status] = counts[kind].get(status, 0) + int(number)
        if codes[-1] in settled:  # the closing limit is the last one
            closed_days.extend([int(closed_after)] * int(number))
    limits: dict[LimitKind, dict[LimitRow, Count]] = {
        kind: {
            status: Count((("limit", f"{kind.value}:{status}"),), counts[kind].get(str(status), 0))
            for status in LIMIT_ROWS
        }
        for kind in REPORTED_LIMITS
    }
    return limits, closed_days


def _ground_counts(period: Period) -> dict[Ground, Count]:
    query = (
        ComplaintGround.select(ComplaintGround.ground, fn.COUNT(ComplaintGround.complaint))
        .join(_C)
        .where(_in_period(period))
        .group_by(ComplaintGround.ground)
        .tuples()
    )
    counts = {str(g): int(n) for g, n in cast(Iterable[tuple[Ground, int]], query)}
    return {g: Count((("ground", g.value),), counts.get(g.value, 0)) for g in Ground}


def _with_norms(period: Period) -> int:
    query = (
        ComplaintNorm.select(fn.COUNT(fn.DISTINCT(ComplaintNorm.complaint)))
        .join(_C)
        .where(_in_period(period))
    )
    return int(query.scalar() or 0)


#: The smallest and largest number of days of each reported limit (MIN, MAX per limit).
_LIMIT_DAYS = tuple(
    f(getattr(_C, kind.field)) for kind in REPORTED_LIMITS for f in (fn.MIN, fn.MAX)
)


def _limit_days(row: Sequence[Any]) -> dict[LimitKind, tuple[int, int] | None]:
    result: dict[LimitKind, tuple[int, int] | None] = {}
    for index, kind in enumerate(REPORTED_LIMITS):
        low, high = row[2 * index], row[2 * index + 1]
        result[kind] = None if low is None else (int(low), int(high))
    return result


def _norms_by_outcome(period: Period) -> dict[Norm, dict[Outcome | None, int]]:
    query = (
        ComplaintNorm.select(ComplaintNorm.norm, _C.outcome, fn.COUNT(_C.id))
        .join(_C)
        .where(_in_period(period))
        .group_by(ComplaintNorm.norm, _C.outcome)
        .tuples()
    )
    result: dict[Norm, dict[Outcome | None, int]] = {
        norm: dict.fromkeys((*Outcome, None), 0) for norm in Norm
    }
    for norm, outcome, count in cast(Iterable[tuple[Norm, Outcome | None, int]], query):
        result[norm][outcome] = count
    return result


def _actions_in(period: Period) -> Any:
    return ImprovementAction.created_on.between(period.start, period.end)


def _actions(period: Period) -> tuple[ActionLine, ...]:
    """The improvement actions started in ``period``, oldest first."""
    query = (
        ImprovementAction.select(
            ImprovementAction.description,
            ImprovementAction.status,
            ImprovementAction.created_on,
            ImprovementAction.due_on,
            ImprovementAction.done_on,
            Department.name,
        )
        .join(Department, JOIN.LEFT_OUTER, on=(ImprovementAction.department == Department.id))
        .where(_actions_in(period))
        .order_by(ImprovementAction.created_on, ImprovementAction.id)
        .tuples()
    )
    return tuple(
        ActionLine(description, name or "", status, created_on, due_on, done_on)
        for description, status, created_on, due_on, done_on, name in cast(
            Iterable[tuple[str, ActionStatus, date, date | None, date | None, str | None]], query
        )
    )


def _action_statuses(period: Period) -> dict[ActionStatus, int]:
    query = (
        ImprovementAction.select(ImprovementAction.status, fn.COUNT(ImprovementAction.id))
        .where(_actions_in(period))
        .group_by(ImprovementAction.status)
        .tuples()
    )
    counts = dict(cast(Iterable[tuple[ActionStatus, int]], query))
    return {status: counts.get(status, 0) for status in ActionStatus}


def inhabitants(year: int) -> int | None:
    """The inhabitants recorded for ``year``, if any."""
    row = Population.get_or_none(Population.year == year)
    return None if row is None else int(row.inhabitants)


def trend(last_year: int, as_of: date, current: TrendYear | None = None) -> tuple[TrendYear, ...]:
    """The :data:`TREND_YEARS` years up to ``last_year`` (none before
    :data:`~klachtdesk.procedure.periods.FIRST_YEAR`): counts, shares, timeliness.

    ``current``: ``last_year``'s own row when the caller has counted it already, so that
    its dossiers are not read (and decrypted) again.
    """
    first_year = max(last_year - TREND_YEARS + 1, FIRST_YEAR)
    counted_to = last_year - 1 if current is not None else last_year
    parts: list[Criteria] = [
        (("admissibility", "admissible"),),
        (("admissibility", "inadmissible"),),
        (("outcome_group", "well_founded"),),
        (("outcome_group", "judged"),),
        (("limit", f"{LimitKind.CLOSING.value}:met"),),
        (("limit", f"{LimitKind.CLOSING.value}:met,met_late,overdue"),),
        (("ground", Ground.NOT_A_COMPLAINT.value),),
    ]
    year = year_of(_C.received_on)
    sums = [fn.SUM(_where_criteria(c, as_of)) for c in parts]
    rows: dict[int, list[int]] = {}
    if counted_to >= first_year:
        span = Period(date(first_year, 1, 1), date(counted_to, 12, 31))
        query = (
            _C.select(year, fn.COUNT(_C.id), *sums).where(_in_period(span)).group_by(year).tuples()
        )
        rows = {
            int(row[0]): [int(n or 0) for n in row[1:]]
            for row in cast(Iterable[tuple[Any, ...]], query)
        }
    population = {
        p.year: p.inhabitants
        for p in Population.select().where(Population.year.between(first_year, last_year))
    }
    result = []
    for y in range(first_year, last_year + 1):
        if y == last_year and current is not None:
            result.append(replace(current, inhabitants=population.get(y)))
            continue
        received, admissible, inadmissible, well, judged, in_time, due, not_a_complaint = rows.get(
            y, [0] * 8
        )
        result.append(
            TrendYear(
                year=y,
                received=received,
                admissible=admissible,
                decided=admissible + inadmissible,
                well_founded=well,
                judged=judged,
                closed_in_time=in_time,
                closing_due=due,
                inhabitants=population.get(y),
                not_a_complaint=not_a_complaint,
            )
        )
    return tuple(result)
