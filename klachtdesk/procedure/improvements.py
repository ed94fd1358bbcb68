"""Verbeteracties: what the organisation changes because of a complaint, and its rules.

An action belongs to a department, runs gepland → lopend → uitgevoerd, and is dated: created
(the day it was added), due (optional) and done (when it was carried out). It is not personal
data — it is about the organisation — and it stays when its dossier is anonymised.

A status may also go back (a step recorded by mistake, an action reopened); the date of
execution belongs to 'uitgevoerd' only and is dropped when the action is no longer done.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from .dates import short_date
from .errors import InvalidInput
from .input_checks import date_errors
from .vocabulary import ActionStatus
from .words import number

DESCRIPTION_MAX = 2_000


@dataclass(frozen=True)
class Improvement:
    """An improvement action as the coordinator fills it in."""

    description: str
    department_id: int | None
    status: ActionStatus = ActionStatus.PLANNED
    due_on: date | None = None
    done_on: date | None = None


def validate_improvement(action: Improvement, *, created_on: date, today: date) -> Improvement:
    """The action checked and normalised; raise InvalidInput with a Dutch message per field.

    An action marked 'uitgevoerd' without a date of execution was done ``today``.
    """
    errors: dict[str, str] = {}
    cleaned = replace(action, description=action.description.strip())
    try:  # a screen may hand the code back as a plain str (QVariant)
        cleaned = replace(cleaned, status=ActionStatus.from_code(str(action.status)))
    except ValueError:
        errors["status"] = "Kies een status: " + ", ".join(s.label for s in ActionStatus) + "."
    if not cleaned.description:
        errors["description"] = "Beschrijf wat er verbeterd wordt."
    elif len(cleaned.description) > DESCRIPTION_MAX:
        errors["description"] = (
            f"De omschrijving is te lang (meer dan {number(DESCRIPTION_MAX)} tekens)."
        )
    # A date in a year no register holds is said instead of what it is compared with.
    date_problems = date_errors(
        {"due_on": (cleaned.due_on, "Streefdatum"), "done_on": (cleaned.done_on, "Uitgevoerd op")}
    )
    if cleaned.department_id is None:
        errors["department_id"] = "Kies de dienst die de verbeteractie uitvoert."
    if cleaned.due_on is not None and cleaned.due_on < created_on:
        errors["due_on"] = (
            f"De streefdatum kan niet vóór de dag liggen waarop de actie werd aangemaakt "
            f"({short_date(created_on)})."
        )
    if cleaned.status is ActionStatus.DONE:
        done_on = cleaned.done_on or today
        cleaned = replace(cleaned, done_on=done_on)
        if done_on > today:
            errors["done_on"] = "Een actie kan niet in de toekomst uitgevoerd zijn."
        elif done_on < created_on:
            errors["done_on"] = (
                f"De actie kan niet uitgevoerd zijn vóór ze werd aangemaakt "
                f"({short_date(created_on)})."
            )
    else:
        cleaned = replace(cleaned, done_on=None)
    errors = {**errors, **date_problems}
    if errors:
        raise InvalidInput(errors)
    return cleaned
