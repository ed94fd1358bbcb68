"""Which reminders to the handler are due on a day (procedure/reminders.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from klachtdesk.procedure import Channel, Dossier, Outcome
from klachtdesk.procedure import dossier as moves
from klachtdesk.procedure.reminders import (
    ReminderKind,
    ReminderSettings,
    due_reminders,
    handler_due_on,
)

RECEIVED = date(2026, 3, 2)
SENT_TO_HANDLER = date(2026, 3, 5)
DUE = RECEIVED + timedelta(days=30)  # 1 April 2026
ON = ReminderSettings(enabled=True, days_before=5, on_overdue=True)


def with_handler(handler_days: int = 30) -> Dossier:
    d = moves.start(Channel.PHONE, RECEIVED, RECEIVED, solved_immediately=False, today=RECEIVED)
    d = moves._evolve(d, handler_days=handler_days)
    d = moves.decide_admissibility(d, set(), motivation="", on=RECEIVED, today=RECEIVED)
    d = moves.acknowledge(d, on=date(2026, 3, 3), today=date(2026, 3, 3))
    return moves.send_to_handler(d, 7, on=SENT_TO_HANDLER, today=SENT_TO_HANDLER)


def assessed() -> Dossier:
    return moves.assess(
        with_handler(),
        Outcome.UNFOUNDED,
        solution="",
        no_judgement_reason=None,
        on=date(2026, 3, 20),
        today=date(2026, 3, 20),
    )


def test_the_due_date_is_the_dossiers_own_handler_limit() -> None:
    assert handler_due_on(with_handler()) == DUE
    assert handler_due_on(with_handler(handler_days=20)) == RECEIVED + timedelta(days=20)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (DUE - timedelta(days=6), []),
        (DUE - timedelta(days=5), [ReminderKind.BEFORE]),
        (DUE - timedelta(days=1), [ReminderKind.BEFORE]),
        (DUE, [ReminderKind.BEFORE]),
        (DUE + timedelta(days=1), [ReminderKind.OVERDUE]),
        (DUE + timedelta(days=9), [ReminderKind.OVERDUE]),  # klachtdesk was not running
    ],
)
def test_before_from_days_before_until_the_due_date_then_overdue(
    today: date, expected: list[ReminderKind]
) -> None:
    assert due_reminders(with_handler(), today, ON) == expected


def test_each_kind_at_most_once() -> None:
    d = with_handler()
    assert due_reminders(d, DUE - timedelta(days=3), ON, [ReminderKind.BEFORE]) == []
    assert due_reminders(d, DUE, ON, ["before"]) == []  # as the register stores it
    assert due_reminders(d, DUE + timedelta(days=1), ON, ["before"]) == [ReminderKind.OVERDUE]
    assert due_reminders(d, DUE + timedelta(days=2), ON, ["before", "overdue"]) == []


def test_a_before_reminder_never_sent_is_skipped_once_the_limit_passed() -> None:
    late = due_reminders(with_handler(), DUE + timedelta(days=1), ON, [])
    assert late == [ReminderKind.OVERDUE]
    only_before = ReminderSettings(enabled=True, days_before=5, on_overdue=False)
    assert due_reminders(with_handler(), DUE + timedelta(days=1), only_before, []) == []


def test_days_before_zero_reminds_on_the_due_date_only() -> None:
    zero = ReminderSettings(enabled=True, days_before=0)
    d = with_handler()
    assert due_reminders(d, DUE - timedelta(days=1), zero) == []
    assert due_reminders(d, DUE, zero) == [ReminderKind.BEFORE]
    assert due_reminders(d, DUE + timedelta(days=1), zero) == [ReminderKind.OVERDUE]


def test_nothing_when_switched_off() -> None:
    off = ReminderSettings(enabled=False)
    assert due_reminders(with_handler(), DUE, off) == []
    assert due_reminders(with_handler(), DUE + timedelta(days=1), off) == []


def test_an_assessed_dossier_whose_report_is_not_back_is_still_with_the_handler() -> None:
    assert due_reminders(assessed(), DUE + timedelta(days=1), ON) == [ReminderKind.OVERDUE]


def test_nothing_once_the_limit_is_met() -> None:
    back = moves.record_returned(
        assessed(), on=DUE + timedelta(days=2), today=DUE + timedelta(days=2)
    )
    assert due_reminders(back, DUE + timedelta(days=3), ON) == []
    assert due_reminders(back, DUE - timedelta(days=2), ON) == []


def test_nothing_for_a_closed_dossier() -> None:
    stopped = moves.withdraw(with_handler(), on=date(2026, 3, 20), today=date(2026, 3, 20))
    assert due_reminders(stopped, DUE, ON) == []
    assert due_reminders(stopped, DUE + timedelta(days=1), ON) == []


def test_nothing_in_reinvestigation_the_handlers_limit_was_met() -> None:
    back = moves.record_returned(assessed(), on=date(2026, 3, 25), today=date(2026, 3, 25))
    again = moves.review_neutrality(
        back, False, reason="Niet neutraal.", on=date(2026, 3, 26), today=date(2026, 3, 26)
    )
    assert due_reminders(again, DUE, ON) == []
    assert due_reminders(again, DUE + timedelta(days=5), ON) == []


def test_nothing_before_the_dossier_went_to_a_handler() -> None:
    d = moves.start(Channel.PHONE, RECEIVED, RECEIVED, solved_immediately=False, today=RECEIVED)
    d = moves.decide_admissibility(d, set(), motivation="", on=RECEIVED, today=RECEIVED)
    d = moves.acknowledge(d, on=RECEIVED, today=RECEIVED)
    assert due_reminders(d, DUE + timedelta(days=1), ON) == []


def test_days_before_is_bounded() -> None:
    with pytest.raises(ValueError):
        ReminderSettings(days_before=-1)
    with pytest.raises(ValueError):
        ReminderSettings(days_before=30)


def test_a_report_sent_late_is_not_followed_the_same_day_by_a_reminder() -> None:
    """Step 8 done after the handler's limit: the handler gets the report, not at once also
    'termijn overschreden'; from the next day the reminder follows as for any dossier."""
    d = moves.start(Channel.PHONE, RECEIVED, RECEIVED, solved_immediately=False, today=RECEIVED)
    d = moves.decide_admissibility(d, set(), motivation="", on=RECEIVED, today=RECEIVED)
    d = moves.acknowledge(d, on=date(2026, 3, 3), today=date(2026, 3, 3))
    late = DUE + timedelta(days=10)
    d = moves.send_to_handler(d, 7, on=late, today=late)
    assert due_reminders(d, late, ON) == []
    assert due_reminders(d, late + timedelta(days=1), ON) == [ReminderKind.OVERDUE]
    # Sent on the day a 'before' reminder would be due: none that day either.
    d2 = moves.start(Channel.PHONE, RECEIVED, RECEIVED, solved_immediately=False, today=RECEIVED)
    d2 = moves.decide_admissibility(d2, set(), motivation="", on=RECEIVED, today=RECEIVED)
    d2 = moves.acknowledge(d2, on=date(2026, 3, 3), today=date(2026, 3, 3))
    d2 = moves.send_to_handler(d2, 7, on=DUE - timedelta(days=2), today=DUE - timedelta(days=2))
    assert due_reminders(d2, DUE - timedelta(days=2), ON) == []
    assert due_reminders(d2, DUE - timedelta(days=1), ON) == [ReminderKind.BEFORE]
