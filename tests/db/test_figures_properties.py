"""Properties of the figures on any register: they add up, every row's selection opens exactly
its count, and the limits counted in SQL are those the procedure's own rules give.

Dossiers are random walks through the pure procedure (klachtdesk.procedure.dossier), written
with the models: hundreds of registers through the services would take minutes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtdesk.models import (
    Complaint,
    ComplaintGround,
    ComplaintNorm,
    Department,
    Register,
)
from klachtdesk.procedure import (
    Action,
    ActKind,
    Channel,
    DossierLimits,
    Ground,
    LimitKind,
    LimitStatus,
    Nature,
    NoJudgementReason,
    Outcome,
    Subject,
    TimeLimits,
    available_actions,
    deadlines,
)
from klachtdesk.procedure import dossier as moves
from klachtdesk.procedure.deadlines import due_dates
from klachtdesk.procedure.dossier import Dossier
from klachtdesk.procedure.periods import Period
from klachtdesk.procedure.vocabulary import Norm, Resolution, Route
from klachtdesk.services.dossiers import DOSSIER_COLUMNS
from klachtdesk.services.figures import REPORTED_LIMITS, WITHDRAWN, figures, trend
from klachtdesk.services.report import period_report, selection_ids

TODAY = date(2027, 1, 31)
SKIPPED = {Action.EDIT, Action.RECORD_INVESTIGATION, Action.REGISTER}


@dataclass(frozen=True)
class Generated:
    dossier: Dossier
    channel: Channel
    route: Route | None
    resolution: Resolution | None
    department: int | None
    subject: Subject | None
    nature: Nature | None
    act_kind: ActKind | None
    norms: frozenset[Norm]


@st.composite
def walked(draw: st.DrawFn) -> Dossier:
    received = draw(
        st.one_of(
            st.dates(date(2026, 1, 1), date(2026, 12, 31)), st.dates(date(2025, 10, 1), TODAY)
        )
    )
    coordinator = min(received + timedelta(days=draw(st.integers(0, 3))), TODAY)
    limits = DossierLimits(
        acknowledgement_days=draw(st.integers(1, 15)),
        handler_days=draw(st.integers(5, 40)),
        closing_days=draw(st.integers(20, 60)),
    )
    d = moves.start(
        draw(st.sampled_from(Channel)),
        received,
        coordinator,
        solved_immediately=draw(st.booleans()),
        today=TODAY,
        limits=limits,
    )
    day = coordinator
    for _ in range(draw(st.integers(0, 9))):
        actions = [a for a in available_actions(d) if a not in SKIPPED]
        if not actions:
            break
        action = draw(st.sampled_from(actions))
        day += timedelta(days=draw(st.integers(0, 25)))
        if day > TODAY:
            break
        d = _apply(draw, d, action, day)
    return d


def _apply(draw: st.DrawFn, d: Dossier, action: Action, day: date) -> Dossier:
    on = {"on": day, "today": TODAY}
    if action is Action.DECIDE_ADMISSIBILITY:
        grounds = draw(st.sets(st.sampled_from(Ground), max_size=3))
        return moves.decide_admissibility(d, grounds, motivation="m", **on)
    if action is Action.ACKNOWLEDGE:
        return moves.acknowledge(d, **on)
    if action is Action.SEND_TO_HANDLER:
        return moves.send_to_handler(d, 1, **on)
    if action is Action.ASSESS:
        outcome = draw(st.sampled_from(Outcome))
        reason = (
            draw(st.sampled_from(NoJudgementReason)) if outcome is Outcome.NO_JUDGEMENT else None
        )
        return moves.assess(d, outcome, solution="s", no_judgement_reason=reason, **on)
    if action is Action.RECORD_RETURNED:
        return moves.record_returned(d, **on)
    if action is Action.REVIEW_NEUTRALITY:
        return moves.review_neutrality(d, draw(st.booleans()), reason="r", **on)
    if action is Action.RECORD_REPLY_SENT:
        return moves.record_reply_sent(d, **on)
    if action is Action.CLOSE:
        return moves.close(d, **on)
    assert action is Action.WITHDRAW
    return moves.withdraw(d, **on)


def optional(values: object) -> st.SearchStrategy[object]:
    return st.one_of(st.none(), st.sampled_from(values))  # type: ignore[arg-type]


generated = st.builds(
    Generated,
    dossier=walked(),
    channel=st.sampled_from(Channel),
    route=optional(Route),
    resolution=optional(Resolution),
    department=optional([1, 2]),
    subject=optional(Subject),
    nature=optional(Nature),
    act_kind=optional(ActKind),
    norms=st.frozensets(st.sampled_from(Norm), max_size=3),
)

periods = st.one_of(
    st.just(Period.year(2026)),
    st.builds(Period.year, st.sampled_from([2025, 2026])),
    st.builds(Period.quarter, st.just(2026), st.integers(1, 4)),
    st.builds(Period.month, st.just(2026), st.integers(1, 12)),
)


def _store(rows: list[Generated]) -> None:
    ComplaintNorm.delete().execute()
    ComplaintGround.delete().execute()
    Complaint.delete().execute()
    Department.delete().execute()
    Department.insert_many([{"id": 1, "name": "Dienst A"}, {"id": 2, "name": "Dienst B"}]).execute()
    now = datetime(2027, 1, 31, 12, 0)
    for number, g in enumerate(rows, start=1):
        row = Complaint(
            id=number,
            reference=f"2026-{number:04d}",
            registered_at=now,
            updated_at=now,
            received_by="x",
            description="x",
            channel=g.channel,
            route=g.route,
            resolution=g.resolution,
            department=g.department,
            subject=g.subject,
            nature=g.nature,
            act_kind=g.act_kind,
        )
        for name in DOSSIER_COLUMNS:
            setattr(row, name, getattr(g.dossier, name))
        row.save(force_insert=True)
        for ground in g.dossier.grounds:
            ComplaintGround.create(complaint=number, ground=ground)
        for norm in g.norms:
            ComplaintNorm.create(complaint=number, norm=norm)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(generated, max_size=20), period=periods, data=st.data())
def test_figures_add_up_and_follow_the_procedure(
    register: Register, rows: list[Generated], period: Period, data: st.DataObject
) -> None:
    # Judged on any day, or on the day before, of or after a dossier's due date.
    as_of = data.draw(st.dates(date(2026, 1, 1), TODAY))
    due = [day for g in rows for _, day, _ in due_dates(g.dossier)]
    if due and data.draw(st.booleans()):
        as_of = data.draw(st.sampled_from(due)) + timedelta(days=data.draw(st.integers(-1, 1)))
    _store(rows)
    f = figures(period, as_of)
    inside = [g for g in rows if period.start <= g.dossier.received_on <= period.end]
    assert f.received.count == len(inside)
    assert f.admissible + f.inadmissible + f.undecided == f.received.count
    a = f.admissibility
    assert (
        a["solved_at_intake"].count + a["withdrawn_undecided"].count + a["pending"].count
        == f.undecided
    )
    assert sum(c.count for c in f.outcomes.values()) == f.assessed.count
    assert f.judged.count == f.assessed.count - f.outcomes[Outcome.STOPPED_BY_CITIZEN].count
    assert sum(c.count for c in f.no_judgement_reasons.values()) == (
        f.outcomes[Outcome.NO_JUDGEMENT].count
    )
    assert sum(c.count for c in f.resolutions.values()) == f.solution_asked.count
    # Every inadmissible complaint has at least one ground, none more than three.
    grounds = sum(c.count for c in f.grounds.values())
    assert f.inadmissible <= grounds <= 3 * f.inadmissible
    assert all(c.count <= f.inadmissible for c in f.grounds.values())
    for dimension in (f.channels, f.routes, f.subjects, f.natures, f.act_kinds):
        assert sum(c.count for c in dimension.values()) == f.received.count
    assert sum(c.count for _, c in f.departments.values()) == f.received.count
    for norm, count in f.norms.items():
        assert count.count == sum(f.norms_by_outcome[norm].values()) <= f.with_norms.count
    # The limits, as the procedure's own deadlines() judges them on as_of.
    expected: dict[str, Counter[str]] = {kind.value: Counter() for kind in REPORTED_LIMITS}
    for g in inside:
        for deadline in deadlines(g.dossier, as_of, TimeLimits()):
            status = deadline.status
            if status is LimitStatus.DUE_SOON:
                status = LimitStatus.OPEN
            row = str(status)
            # A stop by the citizen closes the dossier but is no reply: a row of its own.
            if deadline.kind is LimitKind.CLOSING and g.dossier.withdrawn_on is not None:
                row = WITHDRAWN
            if deadline.kind in REPORTED_LIMITS:
                expected[deadline.kind.value][row] += 1
    counted = {
        kind.value: Counter({str(s): c.count for s, c in statuses.items() if c.count})
        for kind, statuses in f.limits.items()
    }
    assert counted == expected
    assert f.still_open.count == sum(
        1 for g in inside if g.dossier.closed_on is None or g.dossier.closed_on > f.open_on
    )
    # A year's own row of the trend, taken from its figures, is what the trend query counts.
    if period.is_year:
        assert f.trend == trend(period.end.year, as_of)
        assert f.trend[-1].received == f.received.count
    # Every row of the report opens exactly the dossiers it counts.
    report = period_report(period, as_of)
    for table in report.tables:
        for row, selection in zip(table.rows, table.selections, strict=False):
            if selection is not None:
                assert len(selection_ids(selection, as_of)) == row[1], (table.key, row)
