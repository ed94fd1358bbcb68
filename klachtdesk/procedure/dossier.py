"""A dossier's progress through the procedure, and the moves that change it.

A :class:`Dossier` is an immutable snapshot of everything the rules need: state, the dates of
every milestone and the decisions taken. Each move is a pure function that checks the move is
allowed, validates its input and returns the next snapshot; it never touches a database or a
clock (``today`` is passed in).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .dates import short_date
from .errors import ForbiddenMove, InvalidInput
from .limits import LIMIT_NAMES, DossierLimits
from .states import ALLOWED, Action, State
from .vocabulary import (
    Channel,
    DeliveryMethod,
    Ground,
    NoJudgementReason,
    Outcome,
    delivery_for,
)


@dataclass(frozen=True)
class Dossier:
    """The procedure-relevant facts of one complaint."""

    channel: Channel
    received_on: date
    coordinator_received_on: date
    state: State = State.REGISTERED
    solved_immediately: bool = False
    admissible: bool | None = None
    grounds: frozenset[Ground] = field(default_factory=frozenset)
    decided_on: date | None = None
    acknowledged_on: date | None = None
    sent_to_handler_on: date | None = None
    handler_id: int | None = None
    assessed_on: date | None = None
    outcome: Outcome | None = None
    no_judgement_reason: NoJudgementReason | None = None
    first_returned_on: date | None = None
    last_returned_on: date | None = None
    review_failed_on: date | None = None
    failed_reviews: int = 0
    approved_on: date | None = None
    reply_sent_on: date | None = None
    closed_on: date | None = None
    withdrawn_on: date | None = None
    # The limits in force when the dossier was registered (see limits.py), one field each so
    # that each maps onto a column of its own.
    acknowledgement_days: int = DossierLimits.acknowledgement_days
    handler_days: int = DossierLimits.handler_days
    reinvestigation_days: int = DossierLimits.reinvestigation_days
    closing_days: int = DossierLimits.closing_days
    # The one extension of the closing limit (issue 15): its days (0: not extended) and the
    # day it was decided. The closing limit runs ``closing_days + extension_days``.
    extension_days: int = 0
    extended_on: date | None = None

    @property
    def extended(self) -> bool:
        """The closing limit was extended (see :func:`extend_closing_limit`)."""
        return self.extension_days > 0

    @property
    def limits(self) -> DossierLimits:
        """The time limits that hold for this dossier."""
        return DossierLimits(**{name: getattr(self, name) for name in LIMIT_NAMES})

    @property
    def closed_at_intake(self) -> bool:
        """Solved at once and closed at registration: no letters, no limits."""
        return (
            self.closed_on is not None
            and self.acknowledged_on is None
            and self.withdrawn_on is None
        )

    @property
    def delivery(self) -> DeliveryMethod:
        """How letters reach this complainant (step 7)."""
        return delivery_for(self.channel)

    @property
    def last_milestone_on(self) -> date:
        """The latest date recorded on the dossier: no later move may be dated before it."""
        dates = [
            self.received_on,
            self.coordinator_received_on,
            self.decided_on,
            self.acknowledged_on,
            self.sent_to_handler_on,
            self.assessed_on,
            self.last_returned_on,
            self.review_failed_on,
            self.approved_on,
            self.reply_sent_on,
            self.closed_on,
            self.withdrawn_on,
            self.extended_on,
        ]
        return max(d for d in dates if d is not None)


def _evolve(dossier: Dossier, **changes: object) -> Dossier:
    """A copy of the frozen dossier with ``changes``.

    Same result as ``dataclasses.replace`` (Dossier has no ``__post_init__``), which re-runs
    ``__init__`` over all 24 fields and dominated the demo generator's time.
    """
    unknown = changes.keys() - _FIELD_NAMES
    if unknown:
        raise TypeError(f"Dossier has no field(s) {sorted(unknown)}")
    changed = object.__new__(Dossier)
    changed.__dict__.update(dossier.__dict__)
    changed.__dict__.update(changes)
    return changed


def receipt_date_errors(
    received_on: date, coordinator_received_on: date, today: date
) -> dict[str, str]:
    """Problems with the two receipt dates (by anyone, and by the coordinator)."""
    errors: dict[str, str] = {}
    if received_on > today:
        errors["received_on"] = "De datum van ontvangst ligt in de toekomst."
    if coordinator_received_on > today:
        errors["coordinator_received_on"] = (
            "De datum waarop de klachtencoördinator de klacht ontving, ligt in de toekomst."
        )
    elif coordinator_received_on < received_on:
        errors["coordinator_received_on"] = (
            "De klachtencoördinator kan de klacht niet ontvangen vóór ze binnenkwam."
        )
    return errors


_FIELD_NAMES = frozenset(Dossier.__dataclass_fields__)


def start(
    channel: Channel,
    received_on: date,
    coordinator_received_on: date,
    *,
    solved_immediately: bool,
    today: date,
    limits: DossierLimits | None = None,
) -> Dossier:
    """Step 5: a newly registered dossier, keeping the ``limits`` in force today."""
    errors = receipt_date_errors(received_on, coordinator_received_on, today)
    if errors:
        raise InvalidInput(errors)
    limits = limits or DossierLimits()
    return Dossier(
        channel=channel,
        received_on=received_on,
        coordinator_received_on=coordinator_received_on,
        solved_immediately=solved_immediately,
        acknowledgement_days=limits.acknowledgement_days,
        handler_days=limits.handler_days,
        reinvestigation_days=limits.reinvestigation_days,
        closing_days=limits.closing_days,
    )


def _limit_values(limits: DossierLimits) -> dict[str, int]:
    return {name: getattr(limits, name) for name in LIMIT_NAMES}


def apply_limits(dossier: Dossier, limits: DossierLimits) -> Dossier:
    """Other limits for a dossier still running (the coordinator asks for it explicitly).

    A closed dossier keeps the limits it was handled under.
    """
    if not dossier.state.is_open:
        raise ForbiddenMove("termijnen aanpassen", dossier.state.label)
    return _evolve(dossier, **_limit_values(limits))


def amend_intake(
    dossier: Dossier,
    channel: Channel,
    received_on: date,
    coordinator_received_on: date,
    *,
    solved_immediately: bool,
    today: date,
) -> Dossier:
    """Correct the intake facts the procedure depends on, keeping the dossier consistent."""
    errors = receipt_date_errors(received_on, coordinator_received_on, today)
    later = [
        d
        for d in (
            dossier.decided_on,
            dossier.acknowledged_on,
            dossier.closed_on,
            dossier.withdrawn_on,
        )
        if d is not None
    ]
    if later and coordinator_received_on > min(later):
        errors["coordinator_received_on"] = (
            f"De ontvangst kan niet na een latere stap in het dossier liggen ({short_date(min(later))})."
        )
    if channel is not dossier.channel and dossier.acknowledged_on is not None:
        errors["channel"] = (
            "Het kanaal kan niet meer veranderen: de ontvangstmelding werd al "
            f"{dossier.delivery.label} verstuurd."
        )
    if dossier.closed_at_intake and not solved_immediately:
        errors["solved_immediately"] = (
            "Dit dossier werd afgesloten omdat de klacht meteen opgelost werd."
        )
    if errors:
        raise InvalidInput(errors)
    return _evolve(
        dossier,
        channel=channel,
        received_on=received_on,
        coordinator_received_on=coordinator_received_on,
        solved_immediately=solved_immediately,
    )


def available_actions(dossier: Dossier) -> list[Action]:
    """The moves the procedure offers for this dossier now, in procedure order."""
    return [action for action in Action if _allows(dossier, action)]


def _allows(dossier: Dossier, action: Action) -> bool:
    if dossier.state not in ALLOWED[action]:
        return False
    if action is Action.CLOSE and dossier.state is State.REGISTERED:
        return dossier.solved_immediately
    return True


def _check(dossier: Dossier, action: Action, on: date, today: date) -> None:
    if not _allows(dossier, action):
        raise ForbiddenMove(action.label, dossier.state.label)
    if on > today:
        raise InvalidInput({"on": "Deze datum ligt in de toekomst."})
    if on < dossier.last_milestone_on:
        raise InvalidInput(
            {
                "on": "Deze datum ligt vóór een eerdere stap in het dossier "
                f"({short_date(dossier.last_milestone_on)})."
            }
        )


def decide_admissibility(
    dossier: Dossier,
    grounds: frozenset[Ground] | set[Ground],
    *,
    motivation: str,
    on: date,
    today: date,
) -> Dossier:
    """Step 6: admissible when no ground applies, inadmissible otherwise (with reasons)."""
    _check(dossier, Action.DECIDE_ADMISSIBILITY, on, today)
    grounds = frozenset(grounds)
    if grounds and not motivation.strip():
        raise InvalidInput(
            {"motivation": "Motiveer waarom de klacht niet ontvankelijk is; de klager leest dit."}
        )
    admissible = not grounds
    return _evolve(
        dossier,
        state=State.ADMISSIBLE if admissible else State.INADMISSIBLE,
        admissible=admissible,
        grounds=grounds,
        decided_on=on,
    )


def acknowledge(dossier: Dossier, *, on: date, today: date) -> Dossier:
    """Step 7: the acknowledgement went out. An inadmissible dossier ends here."""
    _check(dossier, Action.ACKNOWLEDGE, on, today)
    if dossier.state is State.INADMISSIBLE:
        return _evolve(dossier, state=State.CLOSED, acknowledged_on=on, closed_on=on)
    return _evolve(dossier, state=State.ACKNOWLEDGED, acknowledged_on=on)


def send_to_handler(dossier: Dossier, handler_id: int, *, on: date, today: date) -> Dossier:
    """Step 8: the report goes to the handler (admissible dossiers only)."""
    _check(dossier, Action.SEND_TO_HANDLER, on, today)
    return _evolve(dossier, state=State.WITH_HANDLER, handler_id=handler_id, sent_to_handler_on=on)


def record_investigation(dossier: Dossier) -> Dossier:
    """Step 9: investigation notes change no state; they are only allowed while investigating."""
    if not _allows(dossier, Action.RECORD_INVESTIGATION):
        raise ForbiddenMove(Action.RECORD_INVESTIGATION.label, dossier.state.label)
    return dossier


def assessment_errors(
    outcome: Outcome, solution: str, no_judgement_reason: NoJudgementReason | None
) -> dict[str, str]:
    """Step 10's rules on the outcome itself, by field: a (partly) well-founded complaint
    needs a solution, 'geen oordeel' one of its reasons and no other outcome such a reason."""
    errors: dict[str, str] = {}
    if outcome.requires_solution and not solution.strip():
        errors["solution"] = f"De klacht is {outcome.label}: formuleer de oplossing."
    if outcome is Outcome.NO_JUDGEMENT and no_judgement_reason is None:
        errors["no_judgement_reason"] = "Kies waarom er geen oordeel gegeven kan worden."
    if outcome is not Outcome.NO_JUDGEMENT and no_judgement_reason is not None:
        errors["no_judgement_reason"] = (
            "Een reden voor ‘geen oordeel’ hoort enkel bij die uitkomst."
        )
    return errors


def assess(
    dossier: Dossier,
    outcome: Outcome,
    *,
    solution: str,
    no_judgement_reason: NoJudgementReason | None,
    on: date,
    today: date,
) -> Dossier:
    """Step 10: the handler's assessment.

    Every outcome, 'stopzetting procedure door burger' included, is followed by the completed
    report and the reasoned reply (step 11-13). A stop outside the assessment is
    :func:`withdraw`.
    """
    _check(dossier, Action.ASSESS, on, today)
    if errors := assessment_errors(outcome, solution, no_judgement_reason):
        raise InvalidInput(errors)
    next_state = State.REINVESTIGATION if dossier.state is State.REINVESTIGATION else State.ASSESSED
    return _evolve(
        dossier,
        state=next_state,
        outcome=outcome,
        no_judgement_reason=no_judgement_reason,
        assessed_on=on,
    )


def record_returned(dossier: Dossier, *, on: date, today: date) -> Dossier:
    """Step 11: the handler's completed report and draft reasoned reply are back."""
    _check(dossier, Action.RECORD_RETURNED, on, today)
    if dossier.outcome is None:
        raise InvalidInput({"outcome": "Noteer eerst de beoordeling van de klacht."})
    return _evolve(
        dossier,
        state=State.REPLY_RETURNED,
        first_returned_on=dossier.first_returned_on or on,
        last_returned_on=on,
    )


def review_neutrality(
    dossier: Dossier, neutral: bool, *, reason: str, on: date, today: date
) -> Dossier:
    """Step 12: approve the reply, or send the dossier back to the handler (its re-investigation limit)."""
    _check(dossier, Action.REVIEW_NEUTRALITY, on, today)
    if not neutral and not reason.strip():
        raise InvalidInput(
            {"reason": "Leg uit waarom de behandeling niet neutraal was; de behandelaar leest dit."}
        )
    if neutral:
        return _evolve(dossier, state=State.APPROVED, approved_on=on)
    return _evolve(
        dossier,
        state=State.REINVESTIGATION,
        review_failed_on=on,
        failed_reviews=dossier.failed_reviews + 1,
    )


def record_reply_sent(dossier: Dossier, *, on: date, today: date) -> Dossier:
    """Step 12: the reasoned reply went out to the complainant."""
    _check(dossier, Action.RECORD_REPLY_SENT, on, today)
    return _evolve(dossier, state=State.REPLY_SENT, reply_sent_on=on)


def close(dossier: Dossier, *, on: date, today: date) -> Dossier:
    """Step 13: the report is in the register and the complaint counts as handled."""
    _check(dossier, Action.CLOSE, on, today)
    return _evolve(dossier, state=State.CLOSED, closed_on=on)


def withdraw(dossier: Dossier, *, on: date, today: date) -> Dossier:
    """The citizen stops the procedure, at any open step.

    The dossier is closed at once with the outcome 'stopzetting procedure door burger' and
    counts as handled (step 10 names the stop as an outcome, step 13 closes); limits still
    running lapse (see :func:`klachtdesk.procedure.deadlines.deadlines`).
    """
    _check(dossier, Action.WITHDRAW, on, today)
    return _evolve(
        dossier,
        state=State.CLOSED,
        outcome=Outcome.STOPPED_BY_CITIZEN,
        no_judgement_reason=None,
        withdrawn_on=on,
        closed_on=on,
    )


#: The states in which the closing limit may still be extended: admissible, the reasoned
#: reply not yet sent (once it went out, the complainant has the answer).
EXTENDABLE_STATES = frozenset(
    {
        State.ADMISSIBLE,
        State.ACKNOWLEDGED,
        State.WITH_HANDLER,
        State.ASSESSED,
        State.REPLY_RETURNED,
        State.REINVESTIGATION,
        State.APPROVED,
    }
)
EXTEND_LABEL = "termijn verlengen"


def original_closing_due(dossier: Dossier) -> date:
    """The closing limit's due date without any extension."""
    return dossier.received_on + timedelta(days=dossier.closing_days)


def extension_refusal(dossier: Dossier, today: date) -> str | None:
    """Why the closing limit of this dossier cannot be extended on ``today`` (Dutch), or None.

    Only an open, admissible dossier whose reasoned reply has not gone out, only once, and
    only while the original limit runs: the notice must reach the complainant before it ends.
    """
    if dossier.extended:
        return (
            f"De termijn van dit dossier werd al verlengd op {short_date(dossier.extended_on)}; "
            "dat kan maar één keer."
        )
    if dossier.state not in EXTENDABLE_STATES or dossier.admissible is not True:
        return ForbiddenMove(EXTEND_LABEL, dossier.state.label).message
    due = original_closing_due(dossier)
    if today > due:
        return (
            f"De oorspronkelijke termijn liep af op {short_date(due)}: verlengen kan alleen "
            "zolang die termijn loopt."
        )
    return None


def extend_closing_limit(
    dossier: Dossier, days: int, *, motivation: str, on: date, today: date
) -> Dossier:
    """Extend the closing limit once by ``days`` (the complainant is told, with reasons).

    ``on`` is the day of the decision; it must fall within the original closing limit (the
    notice has to reach the complainant before that limit ends). The state does not change.
    """
    if dossier.extended:
        raise ForbiddenMove(EXTEND_LABEL, "termijn al verlengd")
    if dossier.state not in EXTENDABLE_STATES or dossier.admissible is not True:
        raise ForbiddenMove(EXTEND_LABEL, dossier.state.label)
    errors: dict[str, str] = {}
    if days < 1:
        errors["days"] = "Een verlenging duurt minstens één dag."
    if not motivation.strip():
        errors["motivation"] = "Motiveer waarom de termijn verlengd wordt; de klager leest dit."
    due = original_closing_due(dossier)
    if on > today:
        errors["on"] = "Deze datum ligt in de toekomst."
    elif on < dossier.last_milestone_on:
        errors["on"] = (
            "Deze datum ligt vóór een eerdere stap in het dossier "
            f"({short_date(dossier.last_milestone_on)})."
        )
    elif on > due:
        errors["on"] = (
            f"De oorspronkelijke termijn liep af op {short_date(due)}: verlengen kan alleen "
            "zolang die termijn loopt."
        )
    if errors:
        raise InvalidInput(errors)
    return _evolve(dossier, extension_days=days, extended_on=on)
