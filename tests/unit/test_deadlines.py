"""The four time limits, their status on a given day, and edge dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from klachtdesk.procedure import (
    Channel,
    LimitKind,
    LimitStatus,
    Outcome,
    State,
    TimeLimits,
    answer_expected_by,
    deadlines,
    next_deadline,
    next_due_on,
)
from klachtdesk.procedure import dossier as moves

from .walk import TODAY, day, new, walk_to

LIMITS = TimeLimits()


def by_kind(d: moves.Dossier, today: date, limits: TimeLimits = LIMITS) -> dict[LimitKind, object]:
    return {x.kind: x for x in deadlines(d, today, limits)}


@pytest.mark.parametrize(
    ("received", "ack_due", "closing_due"),
    [
        (date(2026, 1, 31), date(2026, 2, 10), date(2026, 3, 17)),  # month end
        (date(2026, 2, 25), date(2026, 3, 7), date(2026, 4, 11)),  # short February
        (date(2028, 2, 20), date(2028, 3, 1), date(2028, 4, 5)),  # leap year: 29 Feb counts
        (date(2028, 2, 29), date(2028, 3, 10), date(2028, 4, 14)),  # received on the leap day
        (date(2026, 12, 25), date(2027, 1, 4), date(2027, 2, 8)),  # year end
        (date(2026, 11, 20), date(2026, 11, 30), date(2027, 1, 4)),  # closing in the next year
    ],
)
def test_acknowledgement_and_closing_count_calendar_days_from_receipt(
    received: date, ack_due: date, closing_due: date
) -> None:
    d = moves.start(Channel.LETTER, received, received, solved_immediately=False, today=received)
    limits = by_kind(d, received)
    assert limits[LimitKind.ACKNOWLEDGEMENT].due_on == ack_due
    assert limits[LimitKind.CLOSING].due_on == closing_due
    assert answer_expected_by(received, LIMITS) == closing_due


def test_handler_limit_counts_from_the_coordinators_receipt() -> None:
    # Received by an employee on 28 Jan, reached the coordinator on 3 Feb.
    d = moves.start(
        Channel.IN_PERSON,
        date(2026, 1, 28),
        date(2026, 2, 3),
        solved_immediately=False,
        today=date(2026, 2, 3),
    )
    limits = by_kind(d, date(2026, 2, 3))
    assert limits[LimitKind.HANDLER_REPORT].due_on == date(2026, 3, 5)
    assert limits[LimitKind.ACKNOWLEDGEMENT].due_on == date(2026, 2, 7)
    assert limits[LimitKind.CLOSING].due_on == date(2026, 3, 14)


def test_leap_year_handler_limit() -> None:
    d = moves.start(
        Channel.PHONE,
        date(2028, 1, 31),
        date(2028, 1, 31),
        solved_immediately=False,
        today=date(2028, 1, 31),
    )
    assert by_kind(d, date(2028, 1, 31))[LimitKind.HANDLER_REPORT].due_on == date(2028, 3, 1)


@pytest.mark.parametrize(
    ("today_offset", "status", "days_left"),
    [
        (0, LimitStatus.OPEN, 10),
        (7, LimitStatus.OPEN, 3),
        (8, LimitStatus.DUE_SOON, 2),
        (10, LimitStatus.DUE_SOON, 0),  # the due day itself is still in time
        (11, LimitStatus.OVERDUE, -1),
        (40, LimitStatus.OVERDUE, -30),
    ],
)
def test_status_of_a_running_limit(today_offset: int, status: LimitStatus, days_left: int) -> None:
    ack = by_kind(new(), day(today_offset))[LimitKind.ACKNOWLEDGEMENT]
    assert (ack.status, ack.days_left) == (status, days_left)


def test_met_and_met_late() -> None:
    d = moves.decide_admissibility(new(), set(), motivation="", on=day(1), today=TODAY)
    on_time = by_kind(moves.acknowledge(d, on=day(10), today=TODAY), TODAY)[
        LimitKind.ACKNOWLEDGEMENT
    ]
    assert (on_time.status, on_time.met_on, on_time.days_left) == (LimitStatus.MET, day(10), 0)
    late = by_kind(moves.acknowledge(d, on=day(12), today=TODAY), TODAY)[LimitKind.ACKNOWLEDGEMENT]
    assert (late.status, late.days_left) == (LimitStatus.MET_LATE, -2)


def test_due_soon_window_is_configurable() -> None:
    wide = TimeLimits(due_soon_days=5)
    assert by_kind(new(), day(5), wide)[LimitKind.ACKNOWLEDGEMENT].status is LimitStatus.DUE_SOON
    assert by_kind(new(), day(5))[LimitKind.ACKNOWLEDGEMENT].status is LimitStatus.OPEN


def test_limits_are_configurable() -> None:
    council = TimeLimits(
        acknowledgement_days=14, handler_days=21, reinvestigation_days=10, closing_days=60
    )
    d = moves.apply_limits(walk_to(State.REINVESTIGATION), council)
    limits = by_kind(d, TODAY, council)
    assert limits[LimitKind.ACKNOWLEDGEMENT].due_on == day(14)
    assert limits[LimitKind.HANDLER_REPORT].due_on == day(21)
    assert limits[LimitKind.REINVESTIGATION].due_on == day(31)
    assert limits[LimitKind.CLOSING].due_on == day(60)
    with pytest.raises(ValueError):
        TimeLimits(closing_days=0)


def test_reinvestigation_gets_seven_days_and_is_met_by_the_new_return() -> None:
    d = walk_to(State.REINVESTIGATION)  # review failed on day 21
    rein = by_kind(d, day(21))[LimitKind.REINVESTIGATION]
    assert (rein.due_on, rein.status) == (day(28), LimitStatus.OPEN)
    assert by_kind(d, day(29))[LimitKind.REINVESTIGATION].status is LimitStatus.OVERDUE
    back = moves.record_returned(d, on=day(27), today=TODAY)
    assert by_kind(back, TODAY)[LimitKind.REINVESTIGATION].status is LimitStatus.MET
    # The handler's 30-day limit was met by the first return (day 20) and stays met.
    assert by_kind(back, TODAY)[LimitKind.HANDLER_REPORT].met_on == day(20)


def test_a_second_failed_review_restarts_the_week() -> None:
    d = moves.record_returned(walk_to(State.REINVESTIGATION), on=day(25), today=TODAY)
    d = moves.review_neutrality(d, False, reason="Opnieuw niet neutraal.", on=day(26), today=TODAY)
    rein = by_kind(d, day(26))[LimitKind.REINVESTIGATION]
    assert (rein.due_on, rein.met_on, rein.status) == (day(33), None, LimitStatus.OPEN)


def test_inadmissible_has_no_handler_limit_and_closes_with_its_acknowledgement() -> None:
    d = moves.acknowledge(walk_to(State.INADMISSIBLE), on=day(3), today=TODAY)
    limits = by_kind(d, TODAY)
    assert LimitKind.HANDLER_REPORT not in limits
    assert limits[LimitKind.ACKNOWLEDGEMENT].status is LimitStatus.MET
    assert limits[LimitKind.CLOSING].status is LimitStatus.MET
    assert next_deadline(d, TODAY, LIMITS) is None and next_due_on(d) is None


def test_closed_at_intake_has_no_limits() -> None:
    d = moves.close(new(solved=True), on=day(0), today=TODAY)
    assert deadlines(d, TODAY, LIMITS) == []


def test_withdrawal_drops_running_limits_and_keeps_met_ones() -> None:
    d = moves.withdraw(walk_to(State.WITH_HANDLER), on=day(5), today=TODAY)
    limits = by_kind(d, TODAY)
    # The handler's limit was still running: it lapsed (kept with its due date, no longer
    # running). The dossier was closed (handled) on the day of the withdrawal, in time.
    assert set(limits) == {LimitKind.ACKNOWLEDGEMENT, LimitKind.HANDLER_REPORT, LimitKind.CLOSING}
    assert limits[LimitKind.ACKNOWLEDGEMENT].status is LimitStatus.MET
    handler = limits[LimitKind.HANDLER_REPORT]
    assert (handler.status, handler.due_on, handler.met_on) == (LimitStatus.LAPSED, day(30), None)
    assert not handler.status.is_pending
    assert limits[LimitKind.CLOSING].met_on == day(5)
    assert limits[LimitKind.CLOSING].status is LimitStatus.MET
    assert next_due_on(d) is None


def test_next_deadline_is_the_most_urgent_running_limit() -> None:
    d = walk_to(State.WITH_HANDLER)  # acknowledged on day 2
    nxt = next_deadline(d, day(5), LIMITS)
    assert nxt is not None and nxt.kind is LimitKind.HANDLER_REPORT and nxt.due_on == day(30)
    assert next_due_on(d) == day(30)
    nxt = next_deadline(new(), day(12), LIMITS)
    assert nxt is not None and nxt.kind is LimitKind.ACKNOWLEDGEMENT
    assert nxt.status is LimitStatus.OVERDUE


def test_closing_limit_met_late() -> None:
    d = walk_to(State.REPLY_SENT)
    d = replace(d, reply_sent_on=day(50))
    d = moves.close(d, on=day(50), today=TODAY)
    assert by_kind(d, TODAY)[LimitKind.CLOSING].status is LimitStatus.MET_LATE
    assert d.outcome is Outcome.PARTLY_WELL_FOUNDED
