"""The procedure as a state machine: every branch, every forbidden move."""

from __future__ import annotations

from datetime import timedelta

import pytest

from klachtdesk.procedure import (
    Action,
    Channel,
    DeliveryMethod,
    ForbiddenMove,
    Ground,
    InvalidInput,
    NoJudgementReason,
    Outcome,
    State,
    available_actions,
)
from klachtdesk.procedure import dossier as moves
from klachtdesk.procedure.states import ALLOWED

from .walk import RECEIVED, TODAY, day, new, walk_to


def test_admissible_complaint_walks_all_steps_to_closed() -> None:
    d = new(Channel.EMAIL)
    assert d.state is State.REGISTERED and d.state.step == 6
    d = moves.decide_admissibility(d, set(), motivation="", on=day(1), today=TODAY)
    assert (d.state, d.admissible, d.decided_on) == (State.ADMISSIBLE, True, day(1))
    d = moves.acknowledge(d, on=day(2), today=TODAY)
    assert d.state is State.ACKNOWLEDGED and d.acknowledged_on == day(2)
    assert d.delivery is DeliveryMethod.EMAIL
    d = moves.send_to_handler(d, 4, on=day(3), today=TODAY)
    assert (d.state, d.handler_id) == (State.WITH_HANDLER, 4)
    assert moves.record_investigation(d) == d
    d = moves.assess(
        d,
        Outcome.WELL_FOUNDED,
        solution="Herstel",
        no_judgement_reason=None,
        on=day(9),
        today=TODAY,
    )
    assert (d.state, d.outcome) == (State.ASSESSED, Outcome.WELL_FOUNDED)
    d = moves.record_returned(d, on=day(20), today=TODAY)
    assert d.state is State.REPLY_RETURNED and d.first_returned_on == day(20)
    d = moves.review_neutrality(d, True, reason="", on=day(21), today=TODAY)
    assert d.state is State.APPROVED
    d = moves.record_reply_sent(d, on=day(22), today=TODAY)
    assert d.state is State.REPLY_SENT
    d = moves.close(d, on=day(23), today=TODAY)
    assert d.state is State.CLOSED and not d.state.is_open and d.closed_on == day(23)
    assert available_actions(d) == [Action.EDIT]


def test_immediate_solution_is_registered_and_can_be_closed_at_once() -> None:
    d = new(solved=True)
    assert d.state is State.REGISTERED
    assert Action.CLOSE in available_actions(d)
    closed = moves.close(d, on=RECEIVED, today=TODAY)
    assert closed.state is State.CLOSED and closed.acknowledged_on is None


def test_immediate_solution_may_still_follow_the_full_procedure() -> None:
    d = moves.decide_admissibility(new(solved=True), set(), motivation="", on=day(1), today=TODAY)
    assert d.state is State.ADMISSIBLE


def test_close_at_registration_needs_an_immediate_solution() -> None:
    d = new(solved=False)
    assert Action.CLOSE not in available_actions(d)
    with pytest.raises(ForbiddenMove):
        moves.close(d, on=day(1), today=TODAY)


def test_inadmissible_complaint_ends_after_its_acknowledgement() -> None:
    d = moves.decide_admissibility(
        new(Channel.LETTER),
        {Ground.ANONYMOUS, Ground.POLICY},
        motivation="Geen naam en gaat over het reglement.",
        on=day(1),
        today=TODAY,
    )
    assert d.state is State.INADMISSIBLE and d.admissible is False
    assert d.grounds == {Ground.ANONYMOUS, Ground.POLICY}
    assert Action.SEND_TO_HANDLER not in available_actions(d)
    d = moves.acknowledge(d, on=day(4), today=TODAY)
    assert d.state is State.CLOSED and d.closed_on == day(4)
    assert d.delivery is DeliveryMethod.LETTER


def test_inadmissible_needs_a_motivation() -> None:
    with pytest.raises(InvalidInput) as err:
        moves.decide_admissibility(
            new(), {Ground.NO_INTEREST}, motivation=" ", on=day(1), today=TODAY
        )
    assert "motivation" in err.value.errors


def test_admissibility_can_be_revised_until_the_acknowledgement() -> None:
    d = walk_to(State.INADMISSIBLE)
    d = moves.decide_admissibility(d, set(), motivation="", on=day(2), today=TODAY)
    assert d.state is State.ADMISSIBLE and d.grounds == frozenset()
    d = moves.acknowledge(d, on=day(2), today=TODAY)
    with pytest.raises(ForbiddenMove):
        moves.decide_admissibility(d, set(), motivation="", on=day(3), today=TODAY)


def test_failed_neutrality_review_sends_it_back_then_it_can_be_approved() -> None:
    d = walk_to(State.REPLY_RETURNED)
    with pytest.raises(InvalidInput):
        moves.review_neutrality(d, False, reason="", on=day(21), today=TODAY)
    d = moves.review_neutrality(
        d, False, reason="Enkel de dienst gehoord.", on=day(21), today=TODAY
    )
    assert d.state is State.REINVESTIGATION and d.failed_reviews == 1
    assert d.review_failed_on == day(21)
    d = moves.assess(
        d, Outcome.UNFOUNDED, solution="", no_judgement_reason=None, on=day(24), today=TODAY
    )
    assert d.state is State.REINVESTIGATION and d.outcome is Outcome.UNFOUNDED
    d = moves.record_returned(d, on=day(26), today=TODAY)
    assert d.state is State.REPLY_RETURNED
    assert d.first_returned_on == day(20) and d.last_returned_on == day(26)
    d = moves.review_neutrality(d, True, reason="", on=day(27), today=TODAY)
    assert d.state is State.APPROVED


@pytest.mark.parametrize("state", [s for s in State if s.is_open])
def test_withdrawal_is_possible_at_every_open_step(state: State) -> None:
    d = walk_to(state)
    on = max(d.last_milestone_on, day(1))
    w = moves.withdraw(d, on=on, today=TODAY)
    # Closed and counted as handled, with the outcome of step 10 for a stop by the citizen.
    assert w.state is State.CLOSED and not w.state.is_open
    assert w.withdrawn_on == on and w.closed_on == on
    assert w.outcome is Outcome.STOPPED_BY_CITIZEN and w.no_judgement_reason is None
    assert available_actions(w) == [Action.EDIT]


def test_no_withdrawal_after_the_end() -> None:
    withdrawn = moves.withdraw(new(), on=day(1), today=TODAY)
    for ended in (walk_to(State.CLOSED), withdrawn):
        with pytest.raises(ForbiddenMove):
            moves.withdraw(ended, on=TODAY, today=TODAY)


def test_withdrawal_before_the_acknowledgement_is_not_a_closing_at_intake() -> None:
    d = moves.withdraw(new(), on=day(3), today=TODAY)
    assert d.state is State.CLOSED and not d.closed_at_intake
    # Correcting the intake later must not demand an immediate solution.
    amended = moves.amend_intake(
        d, Channel.PHONE, RECEIVED, RECEIVED, solved_immediately=False, today=TODAY
    )
    assert amended.state is State.CLOSED


def test_assessment_stopped_by_citizen_continues_to_report_and_closing() -> None:
    d = moves.assess(
        walk_to(State.WITH_HANDLER),
        Outcome.STOPPED_BY_CITIZEN,
        solution="",
        no_judgement_reason=None,
        on=day(5),
        today=TODAY,
    )
    # Step 10 outcome like any other: the report is still completed (11) and closed (13).
    assert d.state is State.ASSESSED and d.outcome is Outcome.STOPPED_BY_CITIZEN
    d = moves.record_returned(d, on=day(6), today=TODAY)
    d = moves.review_neutrality(d, True, reason="", on=day(7), today=TODAY)
    d = moves.record_reply_sent(d, on=day(8), today=TODAY)
    d = moves.close(d, on=day(9), today=TODAY)
    assert d.state is State.CLOSED and d.outcome is Outcome.STOPPED_BY_CITIZEN


@pytest.mark.parametrize("outcome", [Outcome.WELL_FOUNDED, Outcome.PARTLY_WELL_FOUNDED])
def test_well_founded_outcomes_need_a_solution(outcome: Outcome) -> None:
    with pytest.raises(InvalidInput) as err:
        moves.assess(
            walk_to(State.WITH_HANDLER),
            outcome,
            solution="  ",
            no_judgement_reason=None,
            on=day(5),
            today=TODAY,
        )
    assert "solution" in err.value.errors


@pytest.mark.parametrize("outcome", [Outcome.CORRECTED, Outcome.UNFOUNDED, Outcome.NO_JUDGEMENT])
def test_other_outcomes_need_no_solution(outcome: Outcome) -> None:
    reason = NoJudgementReason.DOUBT if outcome is Outcome.NO_JUDGEMENT else None
    d = moves.assess(
        walk_to(State.WITH_HANDLER),
        outcome,
        solution="",
        no_judgement_reason=reason,
        on=day(5),
        today=TODAY,
    )
    assert d.outcome is outcome and d.no_judgement_reason is reason


def test_no_judgement_needs_one_of_its_three_reasons() -> None:
    with pytest.raises(InvalidInput):
        moves.assess(
            walk_to(State.WITH_HANDLER),
            Outcome.NO_JUDGEMENT,
            solution="",
            no_judgement_reason=None,
            on=day(5),
            today=TODAY,
        )
    with pytest.raises(InvalidInput):
        moves.assess(
            walk_to(State.WITH_HANDLER),
            Outcome.UNFOUNDED,
            solution="",
            no_judgement_reason=NoJudgementReason.UNCLEAR,
            on=day(5),
            today=TODAY,
        )
    assert len(NoJudgementReason) == 3


def test_returned_without_assessment_is_refused() -> None:
    # REINVESTIGATION always follows an assessment, so build the odd case by hand.
    from dataclasses import replace

    d = replace(walk_to(State.REINVESTIGATION), outcome=None)
    with pytest.raises(InvalidInput):
        moves.record_returned(d, on=day(30), today=TODAY)


def _attempt(action: Action, d: moves.Dossier) -> None:
    on = d.last_milestone_on
    calls = {
        Action.DECIDE_ADMISSIBILITY: lambda: moves.decide_admissibility(
            d, set(), motivation="", on=on, today=TODAY
        ),
        Action.ACKNOWLEDGE: lambda: moves.acknowledge(d, on=on, today=TODAY),
        Action.SEND_TO_HANDLER: lambda: moves.send_to_handler(d, 1, on=on, today=TODAY),
        Action.RECORD_INVESTIGATION: lambda: moves.record_investigation(d),
        Action.ASSESS: lambda: moves.assess(
            d, Outcome.UNFOUNDED, solution="", no_judgement_reason=None, on=on, today=TODAY
        ),
        Action.RECORD_RETURNED: lambda: moves.record_returned(d, on=on, today=TODAY),
        Action.REVIEW_NEUTRALITY: lambda: moves.review_neutrality(
            d, True, reason="", on=on, today=TODAY
        ),
        Action.RECORD_REPLY_SENT: lambda: moves.record_reply_sent(d, on=on, today=TODAY),
        Action.CLOSE: lambda: moves.close(d, on=on, today=TODAY),
        Action.WITHDRAW: lambda: moves.withdraw(d, on=on, today=TODAY),
    }
    calls[action]()


FORBIDDEN = [
    (action, state)
    for action in Action
    if action not in (Action.REGISTER, Action.EDIT)
    for state in State
    if state not in ALLOWED[action]
]


@pytest.mark.parametrize(("action", "state"), FORBIDDEN, ids=lambda v: str(v))
def test_every_forbidden_move_raises_a_typed_error(action: Action, state: State) -> None:
    d = walk_to(state)
    with pytest.raises(ForbiddenMove) as err:
        _attempt(action, d)
    assert state.label in err.value.message
    assert action not in available_actions(d)


ALLOWED_PAIRS = [
    (action, state)
    for action in Action
    if action not in (Action.REGISTER, Action.EDIT)
    for state in ALLOWED[action]
    if not (action is Action.CLOSE and state is State.REGISTERED)
]


@pytest.mark.parametrize(("action", "state"), ALLOWED_PAIRS, ids=lambda v: str(v))
def test_every_allowed_move_is_offered_and_accepted(action: Action, state: State) -> None:
    d = walk_to(state)
    assert action in available_actions(d)
    _attempt(action, d)


def test_forbidden_moves_cover_most_of_the_table() -> None:
    # 10 actions x 11 states; a change to ALLOWED that opens many doors should be noticed.
    assert len(FORBIDDEN) + len(ALLOWED_PAIRS) + 1 == 10 * 11
    assert len(FORBIDDEN) > 75


def test_dates_in_the_future_or_before_an_earlier_step_are_refused() -> None:
    d = walk_to(State.ADMISSIBLE)
    with pytest.raises(InvalidInput, match="toekomst"):
        moves.acknowledge(d, on=TODAY + timedelta(days=1), today=TODAY)
    with pytest.raises(InvalidInput, match="eerdere stap"):
        moves.acknowledge(d, on=RECEIVED, today=TODAY)


def test_registration_dates_are_checked() -> None:
    with pytest.raises(InvalidInput) as err:
        moves.start(
            Channel.PHONE, TODAY + timedelta(days=1), TODAY, solved_immediately=False, today=TODAY
        )
    assert "received_on" in err.value.errors
    with pytest.raises(InvalidInput) as err:
        moves.start(Channel.PHONE, day(5), day(4), solved_immediately=False, today=TODAY)
    assert "coordinator_received_on" in err.value.errors


def test_vocabulary_counts_match_the_procedure() -> None:
    assert len(Ground) == 10 and Ground.ANONYMOUS.number == 8
    assert len(Outcome) == 6
    assert [o for o in Outcome if o.requires_solution] == [
        Outcome.WELL_FOUNDED,
        Outcome.PARTLY_WELL_FOUNDED,
    ]
    assert all(g.label and g.explanation for g in Ground)
    assert {c.label for c in Channel} >= {"telefoon", "e-mail", "website"}


def test_amending_the_intake_keeps_the_dossier_consistent() -> None:
    d = walk_to(State.ACKNOWLEDGED, Channel.EMAIL)  # decided day 1, acknowledged day 2
    amended = moves.amend_intake(
        d,
        Channel.EMAIL,
        RECEIVED - timedelta(days=2),
        RECEIVED,
        solved_immediately=False,
        today=TODAY,
    )
    assert amended.received_on == RECEIVED - timedelta(days=2) and amended.state is d.state
    with pytest.raises(InvalidInput) as err:
        moves.amend_intake(
            d, Channel.EMAIL, RECEIVED, day(3), solved_immediately=False, today=TODAY
        )
    assert "coordinator_received_on" in err.value.errors
    with pytest.raises(InvalidInput) as err:
        moves.amend_intake(
            d, Channel.LETTER, RECEIVED, RECEIVED, solved_immediately=False, today=TODAY
        )
    assert "per e-mail" in err.value.errors["channel"]
    closed = moves.close(new(solved=True), on=RECEIVED, today=TODAY)
    with pytest.raises(InvalidInput) as err:
        moves.amend_intake(
            closed, Channel.PHONE, RECEIVED, RECEIVED, solved_immediately=False, today=TODAY
        )
    assert "solved_immediately" in err.value.errors
