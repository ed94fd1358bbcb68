"""Every action and every state a dossier can be in, each step described once.

:data:`STEPS` is the one description of each step: its number in the procedure, its Dutch
name (from :class:`Action`), the text of its button, the title of its dialog and how the audit
trail says it was done. Screens, dialogs and services read it from here; a state's label is
built from the action that comes next.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from .vocabulary import LabeledEnum


class Action(LabeledEnum):
    """What the coordinator records on a dossier; the label is the step's Dutch name."""

    REGISTER = "register", "klacht registreren"
    DECIDE_ADMISSIBILITY = "decide_admissibility", "ontvankelijkheid beoordelen"
    ACKNOWLEDGE = "acknowledge", "ontvangstmelding versturen"
    SEND_TO_HANDLER = "send_to_handler", "rapport naar behandelaar sturen"
    RECORD_INVESTIGATION = "record_investigation", "onderzoek noteren"
    ASSESS = "assess", "beoordeling noteren"
    RECORD_RETURNED = "record_returned", "rapport en motiverende brief ontvangen"
    REVIEW_NEUTRALITY = "review_neutrality", "neutraliteitstoets uitvoeren"
    RECORD_REPLY_SENT = "record_reply_sent", "motiverende brief versturen"
    CLOSE = "close", "dossier afsluiten"
    WITHDRAW = "withdraw", "stopzetting door burger noteren"
    EDIT = "edit", "gegevens wijzigen"

    @property
    def step(self) -> Step:
        """This action's description: number, name, button, dialog title, audit summary."""
        return STEPS[self]


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Step:
    """One step of the procedure as every layer shows it."""

    action: Action
    number: int | None
    """The step's number in the procedure (1-13); None for what may happen at any step."""
    done: str
    """How the audit trail starts when the step was taken, e.g. 'Ontvangstmelding verstuurd'."""

    @property
    def name(self) -> str:
        """The Dutch name, e.g. 'Ontvangstmelding versturen'."""
        return _capitalized(self.action.label)

    @property
    def title(self) -> str:
        """The title of the step's dialog."""
        return self.name

    @property
    def button(self) -> str:
        """The text of the button that opens the step's dialog."""
        return f"{self.name}…"

    @property
    def heading(self) -> str:
        """The name with the step's number, e.g. 'Stap 7: ontvangstmelding versturen'."""
        return f"Stap {self.number}: {self.action.label}" if self.number else self.name

    def summary(self, detail: str = "") -> str:
        """The audit summary of this step: :attr:`done`, then ``detail`` as given, e.g.
        ``summary(" per brief op 04/03/2026")`` or ``summary(": gegrond")``."""
        return f"{self.done}{detail}"


STEPS: dict[Action, Step] = {
    step.action: step
    for step in (
        Step(Action.REGISTER, 5, "Klacht geregistreerd"),
        Step(Action.DECIDE_ADMISSIBILITY, 6, "Ontvankelijkheid beoordeeld"),
        Step(Action.ACKNOWLEDGE, 7, "Ontvangstmelding verstuurd"),
        Step(Action.SEND_TO_HANDLER, 8, "Rapport naar behandelaar gestuurd"),
        Step(Action.RECORD_INVESTIGATION, 9, "Onderzoek genoteerd"),
        Step(Action.ASSESS, 10, "Beoordeling genoteerd"),
        Step(Action.RECORD_RETURNED, 11, "Rapport en motiverende brief ontvangen"),
        Step(Action.REVIEW_NEUTRALITY, 12, "Neutraliteitstoets uitgevoerd"),
        Step(Action.RECORD_REPLY_SENT, 12, "Motiverende brief verstuurd"),
        Step(Action.CLOSE, 13, "Dossier afgesloten"),
        Step(Action.WITHDRAW, None, "Stopzetting door burger genoteerd"),
        Step(Action.EDIT, None, "Gegevens gewijzigd"),
    )
}


class State(LabeledEnum):
    """Where a dossier stands: a status and, while open, the action that comes next."""

    next_action: Action | None

    def __new__(cls, value: str, status: str, next_action: Action | None = None) -> Self:
        label = f"{status} – {next_action.label}" if next_action else status
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.next_action = next_action
        return member

    REGISTERED = "registered", "geregistreerd", Action.DECIDE_ADMISSIBILITY
    ADMISSIBLE = "admissible", "ontvankelijk", Action.ACKNOWLEDGE
    INADMISSIBLE = "inadmissible", "niet ontvankelijk", Action.ACKNOWLEDGE
    ACKNOWLEDGED = "acknowledged", "ontvangst gemeld", Action.SEND_TO_HANDLER
    WITH_HANDLER = "with_handler", "bij behandelaar", Action.RECORD_INVESTIGATION
    ASSESSED = "assessed", "beoordeeld", Action.RECORD_RETURNED
    REPLY_RETURNED = "reply_returned", "rapport terug", Action.REVIEW_NEUTRALITY
    REINVESTIGATION = (
        "reinvestigation",
        "heronderzoek na neutraliteitstoets",
        Action.RECORD_INVESTIGATION,
    )
    APPROVED = "approved", "goedgekeurd", Action.RECORD_REPLY_SENT
    REPLY_SENT = "reply_sent", "motiverende brief verstuurd", Action.CLOSE
    # Also where a withdrawal ends: closed with the outcome 'stopzetting', counted as handled.
    CLOSED = "closed", "afgehandeld"

    @property
    def is_open(self) -> bool:
        return self is not State.CLOSED

    @property
    def step(self) -> int | None:
        """The number of the procedure step the coordinator or handler takes next."""
        return self.next_action.step.number if self.next_action else None


_OPEN = frozenset(s for s in State if s.is_open)

#: For every action, the states in which it is allowed. The resulting state depends on the
#: action's input and is decided in :mod:`klachtdesk.procedure.dossier`.
ALLOWED: dict[Action, frozenset[State]] = {
    Action.REGISTER: frozenset(),
    # The decision may be revised until the acknowledgement has gone out.
    Action.DECIDE_ADMISSIBILITY: frozenset(
        {State.REGISTERED, State.ADMISSIBLE, State.INADMISSIBLE}
    ),
    Action.ACKNOWLEDGE: frozenset({State.ADMISSIBLE, State.INADMISSIBLE}),
    # Sending again from WITH_HANDLER hands the dossier to another handler.
    Action.SEND_TO_HANDLER: frozenset({State.ACKNOWLEDGED, State.WITH_HANDLER}),
    Action.RECORD_INVESTIGATION: frozenset(
        {State.WITH_HANDLER, State.ASSESSED, State.REINVESTIGATION}
    ),
    Action.ASSESS: frozenset({State.WITH_HANDLER, State.ASSESSED, State.REINVESTIGATION}),
    Action.RECORD_RETURNED: frozenset({State.ASSESSED, State.REINVESTIGATION}),
    Action.REVIEW_NEUTRALITY: frozenset({State.REPLY_RETURNED}),
    Action.RECORD_REPLY_SENT: frozenset({State.APPROVED}),
    # REGISTERED only for a complaint solved at once at intake (checked in dossier.py).
    Action.CLOSE: frozenset({State.REPLY_SENT, State.REGISTERED}),
    Action.WITHDRAW: _OPEN,
    Action.EDIT: frozenset(State),
}


def allowed_actions(state: State) -> list[Action]:
    """The actions the procedure allows in ``state``, in procedure order."""
    return [action for action in Action if state in ALLOWED[action]]
