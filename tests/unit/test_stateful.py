"""Any sequence of actions leaves every dossier valid, with consistent deadlines."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from klachtdesk.procedure import (
    Action,
    Channel,
    ForbiddenMove,
    Ground,
    InvalidInput,
    NoJudgementReason,
    Outcome,
    TimeLimits,
    available_actions,
)
from klachtdesk.procedure import dossier as moves
from klachtdesk.procedure.dossier import Dossier

from .invariants import check_dossier

LIMITS = TimeLimits()
grounds = st.frozensets(st.sampled_from(list(Ground)), max_size=3)
outcomes = st.sampled_from(list(Outcome))
reasons = st.none() | st.sampled_from(list(NoJudgementReason))
texts = st.sampled_from(["", "  ", "Uitleg bij de beslissing."])


class ProcedureMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        self.today = date(2026, 1, 5)
        self.dossiers: list[Dossier] = []

    def _apply(self, index: int, action: Action, call) -> None:  # type: ignore[no-untyped-def]
        d = self.dossiers[index % len(self.dossiers)]
        offered = action in available_actions(d)
        try:
            result = call(d)
        except ForbiddenMove:
            assert not offered, f"{action} is offered in {d.state} but refused"
            return
        except InvalidInput:
            return
        assert offered, f"{action} is not offered in {d.state} but was accepted"
        event(f"reached {result.state}")
        self.dossiers[index % len(self.dossiers)] = result

    def _on(self, d: Dossier, back: int) -> date:
        return max(d.last_milestone_on, self.today - timedelta(days=back))

    @rule(days=st.integers(0, 20))
    def time_passes(self, days: int) -> None:
        self.today += timedelta(days=days)

    @precondition(lambda self: len(self.dossiers) < 3)
    @rule(
        channel=st.sampled_from(list(Channel)),
        ago=st.integers(0, 15),
        late=st.integers(0, 10),
        solved=st.booleans(),
    )
    def register(self, channel: Channel, ago: int, late: int, solved: bool) -> None:
        received = self.today - timedelta(days=ago)
        coordinator = min(received + timedelta(days=late), self.today)
        self.dossiers.append(
            moves.start(channel, received, coordinator, solved_immediately=solved, today=self.today)
        )

    @precondition(lambda self: self.dossiers)
    @rule(i=st.integers(0, 5), chosen=grounds, motivation=texts, back=st.integers(0, 3))
    def decide(self, i: int, chosen: frozenset[Ground], motivation: str, back: int) -> None:
        self._apply(
            i,
            Action.DECIDE_ADMISSIBILITY,
            lambda d: moves.decide_admissibility(
                d, chosen, motivation=motivation, on=self._on(d, back), today=self.today
            ),
        )

    @precondition(lambda self: self.dossiers)
    @rule(i=st.integers(0, 5), back=st.integers(0, 3))
    def acknowledge(self, i: int, back: int) -> None:
        self._apply(
            i,
            Action.ACKNOWLEDGE,
            lambda d: moves.acknowledge(d, on=self._on(d, back), today=self.today),
        )

    @precondition(lambda self: self.dossiers)
    @rule(i=st.integers(0, 5), handler=st.integers(1, 3))
    def send(self, i: int, handler: int) -> None:
        self._apply(
            i,
            Action.SEND_TO_HANDLER,
            lambda d: moves.send_to_handler(d, handler, on=self._on(d, 0), today=self.today),
        )

    @precondition(lambda self: self.dossiers)
    @rule(i=st.integers(0, 5))
    def investigate(self, i: int) -> None:
        self._apply(i, Action.RECORD_INVESTIGATION, moves.record_investigation)

    @precondition(lambda self: self.dossiers)
    @rule(i=st.integers(0, 5), outcome=outcomes, solution=texts, reason=reasons)
    def assess(
        self, i: int, outcome: Outcome, solution: str, reason: NoJudgementReason | None
    ) -> None:
        self._apply(
            i,
            Action.ASSESS,
            lambda d: moves.assess(
                d,
                outcome,
                solution=solution,
                no_judgement_reason=reason,
                on=self._on(d, 0),
                today=self.today,
            ),
        )

    @precondition(lambda self: self.dossiers)
    @rule(i=st.integers(0, 5))
    def returned(self, i: int) -> None:
        self._apply(
            i,
            Action.RECORD_RETURNED,
            lambda d: moves.record_returned(d, on=self._on(d, 0), today=self.today),
        )

    @precondition(lambda self: self.dossiers)
    @rule(i=st.integers(0, 5), neutral=st.booleans(), reason=texts)
    def review(self, i: int, neutral: bool, reason: str) -> None:
        self._apply(
            i,
            Action.REVIEW_NEUTRALITY,
            lambda d: moves.review_neutrality(
                d, neutral, reason=reason, on=self._on(d, 0), today=self.today
            ),
        )

    @precondition(lambda self: self.dossiers)
    @rule(i=st.integers(0, 5))
    def reply_sent(self, i: int) -> None:
        self._apply(
            i,
            Action.RECORD_REPLY_SENT,
            lambda d: moves.record_reply_sent(d, on=self._on(d, 0), today=self.today),
        )

    @precondition(lambda self: self.dossiers)
    @rule(i=st.integers(0, 5))
    def close(self, i: int) -> None:
        self._apply(i, Action.CLOSE, lambda d: moves.close(d, on=self._on(d, 0), today=self.today))

    @precondition(lambda self: self.dossiers)
    @rule(i=st.integers(0, 5))
    def withdraw(self, i: int) -> None:
        self._apply(
            i, Action.WITHDRAW, lambda d: moves.withdraw(d, on=self._on(d, 0), today=self.today)
        )

    @precondition(lambda self: self.dossiers)
    @rule(i=st.integers(0, 5), choice=st.integers(0, 3), outcome=outcomes)
    def progress(self, i: int, choice: int, outcome: Outcome) -> None:
        """Take an offered forward step with valid input, so deep states are reached too."""
        d = self.dossiers[i % len(self.dossiers)]
        offered = [a for a in available_actions(d) if a not in (Action.WITHDRAW, Action.EDIT)]
        if not offered:
            return
        # Mostly the furthest step forward; sometimes a side step (reassign, revise).
        action = offered[-1] if choice < 3 else offered[0]
        on = self._on(d, 0)
        reason = NoJudgementReason.UNCLEAR if outcome is Outcome.NO_JUDGEMENT else None
        forward = {
            Action.DECIDE_ADMISSIBILITY: lambda d: moves.decide_admissibility(
                d,
                {Ground.POLICY} if choice == 3 else frozenset(),
                motivation="Reden.",
                on=on,
                today=self.today,
            ),
            Action.ACKNOWLEDGE: lambda d: moves.acknowledge(d, on=on, today=self.today),
            Action.SEND_TO_HANDLER: lambda d: moves.send_to_handler(d, 1, on=on, today=self.today),
            Action.RECORD_INVESTIGATION: moves.record_investigation,
            Action.ASSESS: lambda d: moves.assess(
                d,
                outcome,
                solution="Oplossing.",
                no_judgement_reason=reason,
                on=on,
                today=self.today,
            ),
            Action.RECORD_RETURNED: lambda d: moves.record_returned(d, on=on, today=self.today),
            Action.REVIEW_NEUTRALITY: lambda d: moves.review_neutrality(
                d, choice != 1, reason="Niet neutraal.", on=on, today=self.today
            ),
            Action.RECORD_REPLY_SENT: lambda d: moves.record_reply_sent(d, on=on, today=self.today),
            Action.CLOSE: lambda d: moves.close(d, on=on, today=self.today),
        }
        self._apply(i, action, forward[action])

    # Forward steps are drawn three times as often as any other rule.
    progress_more = progress
    progress_most = progress

    @invariant()
    def every_dossier_is_valid(self) -> None:
        for d in self.dossiers:
            check_dossier(d, self.today, LIMITS)


ProcedureMachine.TestCase.settings = settings(
    max_examples=300, stateful_step_count=100, deadline=None
)
TestProcedureMachine = ProcedureMachine.TestCase
