"""The retention term: which closed dossiers are past it, and the yearly reminder.

The default term is 5 years after closing, the term the Dutch *Selectielijst* gives for
complaint files; the municipality's archivist may set another in the settings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from peewee import JOIN

from klachtdesk.models import Complaint, Department, Erasure, Setting, database
from klachtdesk.procedure import InvalidInput, Outcome, State
from klachtdesk.procedure.intake import add_years
from klachtdesk.procedure.watch import retention_reminder_due

from .context import ServiceContext
from .settings import get_setting, set_setting

RETENTION_YEARS_KEY = "retention_years"
DEFAULT_RETENTION_YEARS = 5
MAX_RETENTION_YEARS = 100
REMINDED_KEY = "retention_reminded_on"


def retention_years() -> int:
    """Years a closed dossier is kept with its personal data."""
    return int(get_setting(RETENTION_YEARS_KEY, DEFAULT_RETENTION_YEARS))


def set_retention_years(ctx: ServiceContext, years: int) -> None:
    if not 1 <= years <= MAX_RETENTION_YEARS:
        raise InvalidInput(
            {"retention": f"Kies een bewaartermijn tussen 1 en {MAX_RETENTION_YEARS} jaar."}
        )
    set_setting(ctx, RETENTION_YEARS_KEY, years, f"Bewaartermijn: {years} jaar na afsluiten")


@dataclass(frozen=True)
class ExpiredDossier:
    """A closed dossier past its retention term (no personal data: safe to list)."""

    complaint_id: int
    reference: str
    closed_on: date
    department: str
    outcome: Outcome | None
    admissible: bool | None = None
    solved_immediately: bool = False

    @property
    def result(self) -> str:
        """How the dossier ended, in words: its assessment, or why it had none."""
        if self.outcome is not None:
            return self.outcome.label
        if self.admissible is False:
            return "niet ontvankelijk"
        if self.solved_immediately:
            return "meteen opgelost"
        return ""


def _past_retention_where(today: date) -> list[Any]:
    """Closed, not yet anonymised, and their term ran out on or before ``today``."""
    cutoff = add_years(today, -retention_years())
    erased = Erasure.select(Erasure.complaint_id)
    return [
        Complaint.state == str(State.CLOSED),
        Complaint.closed_on <= cutoff,
        Complaint.id.not_in(erased),
    ]


def past_retention(today: date) -> list[ExpiredDossier]:
    """Closed, not yet anonymised dossiers whose term ran out on or before ``today``."""
    query = (
        Complaint.select(
            Complaint.id,
            Complaint.reference,
            Complaint.closed_on,
            Department.name,
            Complaint.outcome,
            Complaint.admissible,
            Complaint.solved_immediately,
        )
        .join(Department, JOIN.LEFT_OUTER)
        .where(*_past_retention_where(today))
        .order_by(Complaint.closed_on, Complaint.id)
        .tuples()
    )
    rows = cast(
        Iterable[tuple[int, str, date, str | None, Outcome | None, bool | None, bool]], query
    )
    return [
        ExpiredDossier(cid, ref, closed, name or "", outcome, admissible, bool(immediately))
        for cid, ref, closed, name, outcome, admissible, immediately in rows
    ]


def retention_reminder(today: date) -> str | None:
    """Once a year, when dossiers are past their term: the reminder's text (no names)."""
    row = Setting.get_or_none(Setting.key == REMINDED_KEY)
    last = date.fromisoformat(json.loads(row.value)) if row else None
    # Within a year of the last reminder none is due, whatever the count: the deadline watch
    # asks every few minutes, and counting reads every closed dossier (issue 14).
    if not retention_reminder_due(last, today, expired=1):
        return None
    count = int(Complaint.select().where(*_past_retention_where(today)).count())
    if not retention_reminder_due(last, today, count):
        return None
    one = count == 1
    return (
        f"{count} afgesloten {'dossier is' if one else 'dossiers zijn'} de bewaartermijn "
        "voorbij en {} geanonimiseerd worden (Register → Bewaartermijn verstreken…).".format(
            "kan" if one else "kunnen"
        )
    )


def mark_retention_reminded(today: date) -> None:
    """The reminder was shown; the next one comes a year later. Not audited: nothing changed."""
    with database.atomic():
        Setting.replace(key=REMINDED_KEY, value=json.dumps(today.isoformat())).execute()
