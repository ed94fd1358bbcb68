"""The deadline watch: which limits need the coordinator's attention on a given day.

Pure: the dossiers and ``today`` come in, alerts and the words for them go out. Which alerts
were already shown is passed in too, so a limit is announced once per day and status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .deadlines import (
    LimitKind,
    LimitStatus,
    TimeLimits,
    day_count,
    days_left_words,
    deadlines,
    extended_label,
)
from .dossier import Dossier, available_actions
from .intake import add_years
from .states import Action
from .words import counted


@dataclass(frozen=True)
class Alert:
    """A running limit that is due soon or overdue on ``day``."""

    complaint_id: int
    reference: str
    kind: LimitKind
    status: LimitStatus
    due_on: date
    days_left: int
    next_action: Action | None
    day: date
    #: The closing limit was extended (its due date includes the extension).
    extended: bool = False

    @property
    def label(self) -> str:
        """The limit's name, marked '(verlengd)' when extended."""
        return extended_label(self.kind.label, self.extended)

    @property
    def key(self) -> str:
        """Identifies 'this limit, in this status, on this day' for announcing it once."""
        return f"{self.complaint_id}:{self.kind.value}:{self.status.value}:{self.day.isoformat()}"


_NEXT = [
    Action.DECIDE_ADMISSIBILITY,
    Action.ACKNOWLEDGE,
    Action.SEND_TO_HANDLER,
    Action.ASSESS,
    Action.RECORD_RETURNED,
    Action.REVIEW_NEUTRALITY,
    Action.RECORD_REPLY_SENT,
    Action.CLOSE,
]


def next_action(dossier: Dossier) -> Action | None:
    """The step that moves the dossier forward now (for the 'Vandaag' list)."""
    offered = available_actions(dossier)
    return next((a for a in _NEXT if a in offered), None)


def alerts(
    dossiers: Iterable[tuple[int, str, Dossier]], today: date, settings: TimeLimits
) -> list[Alert]:
    """Every limit due soon or overdue, most urgent first (fewest days left).

    Each dossier's due dates come from its own limits; ``settings`` gives the warning window.
    """
    found = []
    for complaint_id, reference, dossier in dossiers:
        for deadline in deadlines(dossier, today, settings):
            if deadline.status in (LimitStatus.DUE_SOON, LimitStatus.OVERDUE):
                found.append(
                    Alert(
                        complaint_id,
                        reference,
                        deadline.kind,
                        deadline.status,
                        deadline.due_on,
                        deadline.days_left,
                        next_action(dossier),
                        today,
                        deadline.extended,
                    )
                )
    found.sort(key=lambda a: (a.days_left, a.reference))
    return found


def to_announce(current: list[Alert], announced: set[str]) -> list[Alert]:
    """The alerts not shown yet today (in this status)."""
    return [a for a in current if a.key not in announced]


def summary(current: list[Alert], limits: TimeLimits) -> str:
    """E.g. '2 termijnen verstreken, 3 binnen 2 dagen' — counts only, no names."""
    overdue = sum(1 for a in current if a.status is LimitStatus.OVERDUE)
    soon = sum(1 for a in current if a.status is LimitStatus.DUE_SOON)
    if not overdue and not soon:
        return "Geen termijnen die aandacht vragen"
    parts = []
    if overdue:
        parts.append(f"{counted(overdue, 'termijn')} verstreken")
    if soon:
        window = (
            "vandaag" if limits.due_soon_days == 0 else f"binnen {day_count(limits.due_soon_days)}"
        )
        parts.append(f"{soon} {window}" if overdue else f"{counted(soon, 'termijn')} {window}")
    return ", ".join(parts)


def describe(alert: Alert) -> str:
    """One alert in words, e.g. 'Ontvangstmelding versturen: 2 dagen te laat (2026-0042)'."""
    when = days_left_words(alert.days_left)
    if alert.days_left > 1:
        when = f"over {when}"
    label = alert.label
    return f"{label[0].upper()}{label[1:]}: {when} ({alert.reference})"


def retention_reminder_due(last_reminded: date | None, today: date, expired: int) -> bool:
    """The yearly retention reminder: when dossiers are past their term and the last
    reminder is a year old (or there was none)."""
    if expired == 0:
        return False
    if last_reminded is None:
        return True
    return today >= add_years(last_reminded, 1)
