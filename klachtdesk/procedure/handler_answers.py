"""Steps 9-11 as the handler answers them: what each answer is called, defined once.

The report form the handler fills in (letters/handler_form.py), the reading of a returned form
and the side-by-side view of what it brings (services/handler_form.py) all show these labels,
built from the procedure's own words: the field labels of :mod:`.input_checks`, the outcomes
and the rules of :mod:`.assessment`.
"""

from __future__ import annotations

from .assessment import requires_norm, requires_resolution
from .input_checks import FIELD_LABELS
from .states import Action
from .vocabulary import Outcome


def _listed(words: list[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} en {words[-1]}"


def _step(action: Action) -> int:
    number = action.step.number
    assert number is not None
    return number


#: The form's sections, with the procedure's step numbers.
INVESTIGATION_HEADING = f"Onderzoek (stap {_step(Action.RECORD_INVESTIGATION)})"
ASSESSMENT_HEADING = f"Beoordeling (stap {_step(Action.ASSESS)})"
RETURN_HEADING = f"Rapport en motiverende brief (stap {_step(Action.RECORD_RETURNED)})"

SOLUTION_REQUIRED_FOR = _listed([o.label for o in Outcome if o.requires_solution])
RESOLUTION_FOR = _listed([o.label for o in Outcome if requires_resolution(o)])
NORM_REQUIRED_FOR = _listed([o.label for o in Outcome if requires_norm(o)])

#: Whether the head of department heard of the returned report (step 11).
HEAD_INFORMED_QUESTION = "Werd het diensthoofd op de hoogte gebracht?"
YES, NO = "ja", "nee"

#: The short label of each answer (a side-by-side view, a message), by answer name.
ANSWER_LABELS: dict[str, str] = {
    "contacts": FIELD_LABELS["investigation_contacts"],
    "summary": FIELD_LABELS["investigation_summary"],
    "outcome": "Beoordeling",
    "no_judgement_reason": "Reden voor ‘geen oordeel’",
    "resolution": "Mate van oplossing",
    "solution": FIELD_LABELS["solution"],
    "norms": "Ombudsnormen",
    "report_text": "Aanvulling van het rapport",
    "reply_text": "Ontwerp van de motiverende brief",
    "head_informed": "Diensthoofd op de hoogte gebracht",
}

#: The longer label the form shows above each answer, saying when it is needed.
FORM_LABELS: dict[str, str] = {
    "contacts": "Contacten met de dienst en met de klager (wie, wanneer, hoe)",
    "summary": "Samenvatting van het onderzoek",
    "outcome": "Beoordeling: kies er één",
    "no_judgement_reason": f"Reden, enkel bij ‘{Outcome.NO_JUDGEMENT.label}’",
    "resolution": f"Mate van oplossing, enkel bij {RESOLUTION_FOR}",
    "solution": f"Oplossing: verplicht bij {SOLUTION_REQUIRED_FOR}",
    "norms": (
        f"Ombudsnormen die de klacht raakt: minstens één bij {NORM_REQUIRED_FOR}; "
        "bij de andere beoordelingen mag u ze aanvinken"
    ),
    "report_text": "Aanvulling van het rapport",
    "reply_text": (
        "Ontwerp van de motiverende brief aan de klager: waarom de klacht zo beoordeeld werd"
    ),
    "head_informed": HEAD_INFORMED_QUESTION,
}
