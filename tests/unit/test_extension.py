"""The one extension of the closing limit (issue 15, section 4): the move and its due dates."""

from __future__ import annotations

from datetime import date

import pytest

from klachtdesk.procedure import (
    Channel,
    ForbiddenMove,
    InvalidInput,
    LimitKind,
    LimitStatus,
    State,
    TimeLimits,
    deadlines,
    next_deadline,
    next_due_on,
)
from klachtdesk.procedure import dossier as moves
from klachtdesk.procedure.deadlines import closing_due
from klachtdesk.procedure.dossier import (
    EXTENDABLE_STATES,
    extend_closing_limit,
    extension_refusal,
    original_closing_due,
)
from klachtdesk.procedure.watch import alerts, describe

from .walk import RECEIVED, day, walk_to

LIMITS = TimeLimits()


def extend(
    d: moves.Dossier, on: date, days: int = 45, motivation: str = "Advies nodig."
) -> moves.Dossier:
    return extend_closing_limit(d, days, motivation=motivation, on=on, today=on)


def closing(d: moves.Dossier, today: date) -> object:
    return next(x for x in deadlines(d, today, LIMITS) if x.kind is LimitKind.CLOSING)


def test_extension_moves_the_closing_limit_from_45_to_90_days() -> None:
    d = walk_to(State.WITH_HANDLER)
    assert original_closing_due(d) == day(45)
    extended = extend(d, day(30))
    assert extended.extension_days == 45 and extended.extended_on == day(30)
    assert extended.state is State.WITH_HANDLER  # the state does not change
    assert closing_due(extended) == day(90)
    limit = closing(extended, day(30))
    assert limit.due_on == day(90)  # type: ignore[attr-defined]
    assert limit.extended  # type: ignore[attr-defined]
    assert limit.label == "antwoord versturen en dossier afsluiten (verlengd)"  # type: ignore[attr-defined]
    assert limit.short_label == "afsluiten (verlengd)"  # type: ignore[attr-defined]
    # The other limits are not touched and are not marked.
    handler = next(
        x for x in deadlines(extended, day(30), LIMITS) if x.kind is LimitKind.HANDLER_REPORT
    )
    assert (
        handler.due_on == day(30)
        and not handler.extended
        and handler.label == LimitKind.HANDLER_REPORT.label
    )
    # The original limits are kept as they were (the figures count days from them).
    assert extended.limits == d.limits


def test_next_due_on_and_status_use_the_extended_date() -> None:
    d = moves.record_returned(
        moves.assess(
            walk_to(State.WITH_HANDLER),
            moves.Outcome.UNFOUNDED,
            solution="",
            no_judgement_reason=None,
            on=day(10),
            today=day(10),
        ),
        on=day(20),
        today=day(20),
    )
    assert next_due_on(d) == day(45)
    extended = extend(d, day(44))
    assert next_due_on(extended) == day(90)
    # Day 46: the original limit would be overdue, the extended one is running.
    assert closing(d, day(46)).status is LimitStatus.OVERDUE  # type: ignore[attr-defined]
    assert closing(extended, day(46)).status is LimitStatus.OPEN  # type: ignore[attr-defined]
    assert closing(extended, day(89)).status is LimitStatus.DUE_SOON  # type: ignore[attr-defined]
    assert closing(extended, day(91)).status is LimitStatus.OVERDUE  # type: ignore[attr-defined]
    nxt = next_deadline(extended, day(88), LIMITS)
    assert nxt is not None and nxt.due_on == day(90) and nxt.extended


def test_closed_on_day_60_of_an_extended_limit_is_met() -> None:
    d = extend(walk_to(State.APPROVED), day(40))
    d = moves.record_reply_sent(d, on=day(59), today=day(59))
    d = moves.close(d, on=day(60), today=day(60))
    limit = closing(d, day(100))
    assert limit.status is LimitStatus.MET and limit.days_left == 30  # type: ignore[attr-defined]
    # Without the extension the same dossier was late.
    plain = moves.close(
        moves.record_reply_sent(walk_to(State.APPROVED), on=day(59), today=day(59)),
        on=day(60),
        today=day(60),
    )
    assert closing(plain, day(100)).status is LimitStatus.MET_LATE  # type: ignore[attr-defined]


def test_extension_on_the_last_day_of_the_original_limit_and_not_after() -> None:
    d = walk_to(State.WITH_HANDLER)
    assert extend(d, day(45)).extension_days == 45  # the last day still counts
    assert extension_refusal(d, day(45)) is None
    with pytest.raises(InvalidInput) as refused:
        extend(d, day(46))
    assert "liep af op" in refused.value.errors["on"]
    assert "liep af op" in (extension_refusal(d, day(46)) or "")


def test_extension_only_once() -> None:
    d = extend(walk_to(State.WITH_HANDLER), day(20))
    with pytest.raises(ForbiddenMove):
        extend(d, day(21))
    assert "maar één keer" in (extension_refusal(d, day(21)) or "")


@pytest.mark.parametrize("state", [s for s in State if s not in EXTENDABLE_STATES])
def test_only_an_open_admissible_dossier_before_the_reply(state: State) -> None:
    d = walk_to(state)
    with pytest.raises(ForbiddenMove):
        extend(d, day(30))
    assert extension_refusal(d, day(30))


def test_inadmissible_dossier_cannot_be_extended() -> None:
    d = walk_to(State.INADMISSIBLE)
    assert extension_refusal(d, day(5)) is not None
    with pytest.raises(ForbiddenMove):
        extend(d, day(5))


@pytest.mark.parametrize("state", sorted(EXTENDABLE_STATES, key=lambda s: s.value))
def test_every_extendable_state_can_be_extended(state: State) -> None:
    d = walk_to(state)
    assert extension_refusal(d, day(30)) is None
    assert extend(d, day(30)).extension_days == 45


def test_motivation_days_and_date_are_checked() -> None:
    d = walk_to(State.WITH_HANDLER)
    with pytest.raises(InvalidInput) as refused:
        extend_closing_limit(d, 0, motivation="  ", on=day(30), today=day(30))
    assert set(refused.value.errors) == {"days", "motivation"}
    assert "klager" in refused.value.errors["motivation"]
    with pytest.raises(InvalidInput) as future:
        extend_closing_limit(d, 45, motivation="x", on=day(31), today=day(30))
    assert "toekomst" in future.value.errors["on"]
    with pytest.raises(InvalidInput) as early:
        extend_closing_limit(d, 45, motivation="x", on=day(2), today=day(30))
    assert "eerdere stap" in early.value.errors["on"]


def test_later_steps_cannot_be_dated_before_the_extension() -> None:
    d = extend(walk_to(State.WITH_HANDLER), day(30))
    with pytest.raises(InvalidInput):
        moves.assess(
            d,
            moves.Outcome.UNFOUNDED,
            solution="",
            no_judgement_reason=None,
            on=day(29),
            today=day(40),
        )


def test_new_limits_keep_the_extension() -> None:
    d = extend(walk_to(State.WITH_HANDLER), day(30))
    changed = moves.apply_limits(d, TimeLimits(closing_days=60).for_dossier())
    assert closing_due(changed) == day(105)


def test_watch_alerts_on_the_extended_date_and_says_so() -> None:
    d = extend(walk_to(State.WITH_HANDLER, Channel.EMAIL), day(30))
    # On day 44 the original limit would be due soon; the extended one is not.
    found = [
        a for a in alerts([(1, "2026-0001", d)], day(44), LIMITS) if a.kind is LimitKind.CLOSING
    ]
    assert found == []
    found = [
        a for a in alerts([(1, "2026-0001", d)], day(89), LIMITS) if a.kind is LimitKind.CLOSING
    ]
    assert [a.due_on for a in found] == [day(90)]
    assert found[0].extended
    assert (
        describe(found[0])
        == "Antwoord versturen en dossier afsluiten (verlengd): morgen (2026-0001)"
    )


def test_received_date_is_the_start() -> None:
    assert original_closing_due(walk_to(State.ADMISSIBLE)) == date.fromordinal(
        RECEIVED.toordinal() + 45
    )
