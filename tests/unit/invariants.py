"""What must hold for every dossier, whatever happened to it."""

from __future__ import annotations

from datetime import date, timedelta

from klachtdesk.procedure import (
    LimitKind,
    LimitStatus,
    Outcome,
    State,
    TimeLimits,
    deadlines,
    next_due_on,
)
from klachtdesk.procedure.dossier import Dossier

_AFTER_ACK = {
    State.ACKNOWLEDGED,
    State.WITH_HANDLER,
    State.ASSESSED,
    State.REPLY_RETURNED,
    State.REINVESTIGATION,
    State.APPROVED,
    State.REPLY_SENT,
}
_WITH_HANDLER_OR_LATER = _AFTER_ACK - {State.ACKNOWLEDGED}


def check_dossier(d: Dossier, today: date, settings: TimeLimits) -> None:
    dates = [
        d.received_on,
        d.coordinator_received_on,
        d.decided_on,
        d.acknowledged_on,
        d.sent_to_handler_on,
        d.assessed_on,
        d.first_returned_on,
        d.last_returned_on,
        d.review_failed_on,
        d.approved_on,
        d.reply_sent_on,
        d.closed_on,
        d.withdrawn_on,
    ]
    assert all(x <= today for x in dates if x is not None)
    assert d.received_on <= d.coordinator_received_on

    if d.state is State.REGISTERED:
        assert d.admissible is None and d.decided_on is None
    if d.state in (State.ADMISSIBLE, State.INADMISSIBLE):
        assert d.admissible is (d.state is State.ADMISSIBLE) and d.acknowledged_on is None
        assert bool(d.grounds) is (d.state is State.INADMISSIBLE)
    if d.state in _AFTER_ACK:
        assert d.admissible is True and d.acknowledged_on is not None
        assert d.decided_on is not None and d.decided_on <= d.acknowledged_on
    if d.state in _WITH_HANDLER_OR_LATER:
        assert d.handler_id is not None and d.sent_to_handler_on is not None
        assert d.acknowledged_on is not None and d.acknowledged_on <= d.sent_to_handler_on
    if d.state in (State.ASSESSED, State.REPLY_RETURNED, State.APPROVED, State.REPLY_SENT):
        assert d.outcome is not None and d.assessed_on is not None
        assert d.outcome.requires_solution is not None
    if d.state in (State.REPLY_RETURNED, State.APPROVED, State.REPLY_SENT):
        assert d.first_returned_on is not None and d.last_returned_on is not None
        assert d.first_returned_on <= d.last_returned_on
    if d.state is State.REINVESTIGATION:
        assert d.review_failed_on is not None and d.failed_reviews >= 1
    if d.state in (State.APPROVED, State.REPLY_SENT):
        assert d.approved_on is not None
    if d.state is State.CLOSED:
        assert d.closed_on is not None
        if d.withdrawn_on is not None:
            # Stopped by the citizen: closed that same day with the outcome 'stopzetting'.
            assert d.closed_on == d.withdrawn_on
            assert d.outcome is Outcome.STOPPED_BY_CITIZEN
        else:
            assert d.acknowledged_on is not None or d.solved_immediately
            if d.admissible:
                assert d.reply_sent_on is not None and d.reply_sent_on <= d.closed_on
    else:
        assert d.closed_on is None and d.withdrawn_on is None
    assert (d.failed_reviews > 0) is (d.review_failed_on is not None)

    # Deadlines: due dates follow from the dossier's own limits, statuses from the day.
    limits = d.limits
    base = {
        LimitKind.ACKNOWLEDGEMENT: (d.received_on, limits.acknowledgement_days),
        LimitKind.HANDLER_REPORT: (d.coordinator_received_on, limits.handler_days),
        LimitKind.CLOSING: (d.received_on, limits.closing_days),
    }
    items = deadlines(d, today, settings)
    assert len({x.kind for x in items}) == len(items)
    for x in items:
        if x.kind in base:
            start, days = base[x.kind]
            assert x.due_on == start + timedelta(days=days)
        else:
            assert d.review_failed_on is not None
            assert x.due_on == d.review_failed_on + timedelta(days=limits.reinvestigation_days)
        if x.met_on is not None:
            assert x.status is (LimitStatus.MET if x.met_on <= x.due_on else LimitStatus.MET_LATE)
        elif not d.state.is_open:
            assert x.status is LimitStatus.LAPSED and d.withdrawn_on is not None
        else:
            assert x.status.is_pending
            assert x.days_left == (x.due_on - today).days
            assert (x.status is LimitStatus.OVERDUE) is (x.days_left < 0)
    pending = [x for x in items if x.status.is_pending]
    if d.state.is_open:
        assert any(x.kind is LimitKind.CLOSING for x in pending)
    else:
        assert pending == []
    assert next_due_on(d) == min((x.due_on for x in pending), default=None)
