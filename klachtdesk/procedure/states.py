"""Every state a dossier can be in, every action, and which action is allowed where."""

from __future__ import annotations

from .vocabulary import LabeledEnum


class State(LabeledEnum):
    """Where a dossier stands in the procedure. ``step`` is the procedure step that comes next."""

    REGISTERED = "registered", "geregistreerd – ontvankelijkheid beoordelen"
    ADMISSIBLE = "admissible", "ontvankelijk – ontvangstmelding versturen"
    INADMISSIBLE = "inadmissible", "niet ontvankelijk – ontvangstmelding versturen"
    ACKNOWLEDGED = "acknowledged", "ontvangst gemeld – naar behandelaar sturen"
    WITH_HANDLER = "with_handler", "bij behandelaar – onderzoek"
    ASSESSED = "assessed", "beoordeeld – wacht op rapport en antwoord"
    REPLY_RETURNED = "reply_returned", "rapport terug – neutraliteitstoets"
    REINVESTIGATION = "reinvestigation", "heronderzoek na neutraliteitstoets"
    APPROVED = "approved", "goedgekeurd – antwoord versturen"
    REPLY_SENT = "reply_sent", "antwoord verstuurd – dossier afsluiten"
    CLOSED = "closed", "afgehandeld"
    WITHDRAWN = "withdrawn", "stopgezet door burger"

    @property
    def is_open(self) -> bool:
        return self not in (State.CLOSED, State.WITHDRAWN)

    @property
    def step(self) -> int | None:
        """The number of the procedure step the coordinator or handler takes next."""
        return _NEXT_STEP[self]


_NEXT_STEP: dict[State, int | None] = {
    State.REGISTERED: 6,
    State.ADMISSIBLE: 7,
    State.INADMISSIBLE: 7,
    State.ACKNOWLEDGED: 8,
    State.WITH_HANDLER: 9,
    State.ASSESSED: 11,
    State.REPLY_RETURNED: 12,
    State.REINVESTIGATION: 9,
    State.APPROVED: 12,
    State.REPLY_SENT: 13,
    State.CLOSED: None,
    State.WITHDRAWN: None,
}


class Action(LabeledEnum):
    """What the coordinator records on a dossier."""

    REGISTER = "register", "klacht registreren"
    DECIDE_ADMISSIBILITY = "decide_admissibility", "ontvankelijkheid beoordelen"
    ACKNOWLEDGE = "acknowledge", "ontvangstmelding versturen"
    SEND_TO_HANDLER = "send_to_handler", "naar behandelaar sturen"
    RECORD_INVESTIGATION = "record_investigation", "onderzoek noteren"
    ASSESS = "assess", "beoordeling noteren"
    RECORD_RETURNED = "record_returned", "rapport en antwoord ontvangen"
    REVIEW_NEUTRALITY = "review_neutrality", "neutraliteitstoets"
    RECORD_REPLY_SENT = "record_reply_sent", "motiverende brief versturen"
    CLOSE = "close", "dossier afsluiten"
    WITHDRAW = "withdraw", "stopzetting door burger"
    EDIT = "edit", "gegevens wijzigen"


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
