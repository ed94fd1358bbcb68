"""Each step described once; each dossier with the limits it was registered under."""

from __future__ import annotations

import pytest

from klachtdesk.procedure import (
    STEPS,
    Action,
    Channel,
    DossierLimits,
    ForbiddenMove,
    LimitKind,
    LimitStatus,
    State,
    TimeLimits,
    day_count,
    deadlines,
    next_due_on,
)
from klachtdesk.procedure import dossier as moves
from klachtdesk.procedure.states import allowed_actions

from .walk import RECEIVED, TODAY, day, walk_to


def test_every_action_has_one_description() -> None:
    assert set(STEPS) == set(Action)
    names = [step.name for step in STEPS.values()]
    assert len(names) == len(set(names))
    for action, step in STEPS.items():
        assert action.step is step and step.action is action
        assert step.name.lower() == action.label
        assert step.button == f"{step.name}…" and step.title == step.name
        assert step.summary(" op 04/03/2026") == f"{step.done} op 04/03/2026"


def test_step_numbers_follow_the_procedure() -> None:
    numbers = {action: step.number for action, step in STEPS.items()}
    assert numbers == {
        Action.REGISTER: 5,
        Action.DECIDE_ADMISSIBILITY: 6,
        Action.ACKNOWLEDGE: 7,
        Action.SEND_TO_HANDLER: 8,
        Action.RECORD_INVESTIGATION: 9,
        Action.ASSESS: 10,
        Action.RECORD_RETURNED: 11,
        Action.REVIEW_NEUTRALITY: 12,
        Action.RECORD_REPLY_SENT: 12,
        Action.CLOSE: 13,
        Action.WITHDRAW: None,  # at any step
        Action.EDIT: None,
    }
    assert STEPS[Action.ACKNOWLEDGE].heading == "Stap 7: ontvangstmelding versturen"


@pytest.mark.parametrize("state", list(State))
def test_state_labels_name_the_next_step_as_its_button_does(state: State) -> None:
    if state.next_action is None:
        assert state is State.CLOSED and state.step is None
        return
    assert state.label.endswith(f" – {state.next_action.label}")
    assert state.step == state.next_action.step.number
    # The step named in the label is one the coordinator can take there.
    assert state.next_action in allowed_actions(state)


def test_a_dossier_keeps_the_limits_it_was_registered_under() -> None:
    council = DossierLimits(
        acknowledgement_days=14, handler_days=21, reinvestigation_days=3, closing_days=35
    )
    d = moves.start(
        Channel.PHONE, RECEIVED, RECEIVED, solved_immediately=False, today=RECEIVED, limits=council
    )
    assert d.limits == council
    d = moves.decide_admissibility(d, set(), motivation="", on=day(1), today=TODAY)
    assert d.limits == council  # every move keeps them
    # Whatever the settings say now, the due dates are the dossier's own.
    for settings in (TimeLimits(), TimeLimits(acknowledgement_days=2, closing_days=90)):
        due = {x.kind: x.due_on for x in deadlines(d, day(1), settings)}
        assert due[LimitKind.ACKNOWLEDGEMENT] == day(14)
        assert due[LimitKind.CLOSING] == day(35)
    assert next_due_on(d) == day(14)


def test_settings_only_give_the_warning_window() -> None:
    d = walk_to(State.REGISTERED)  # acknowledgement due on day 10
    status = {
        window: deadlines(d, day(6), TimeLimits(due_soon_days=window))[0].status
        for window in (2, 4)
    }
    assert status == {2: LimitStatus.OPEN, 4: LimitStatus.DUE_SOON}


def test_closed_on_day_40_stays_on_time_whatever_limits_come_later() -> None:
    d = moves.close(walk_to(State.REPLY_SENT), on=day(40), today=TODAY)
    shorter = TimeLimits(closing_days=35)
    (closing,) = [x for x in deadlines(d, TODAY, shorter) if x.kind is LimitKind.CLOSING]
    assert (closing.due_on, closing.status) == (day(45), LimitStatus.MET)
    with pytest.raises(ForbiddenMove):
        moves.apply_limits(d, shorter)


def test_open_dossier_takes_other_limits_on_request() -> None:
    d = moves.apply_limits(walk_to(State.WITH_HANDLER), TimeLimits(handler_days=20))
    assert d.limits == DossierLimits(handler_days=20)
    assert next_due_on(d) == day(20)


def test_limits_in_words() -> None:
    assert [day_count(n) for n in (1, 7, 45)] == ["1 dag", "7 dagen", "45 dagen"]
    assert [kind.days(DossierLimits()) for kind in LimitKind] == [10, 30, 7, 45]
