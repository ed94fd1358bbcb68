"""Reminders to the handler about the handler's limit (issue 15): which are due on a day.

Pure: the dossier, ``today``, the configured reminders and the kinds already sent come in;
the reminders to send go out. A reminder goes *before* the limit (from a configured number of
days before the due date until the due date itself) and on the first day the limit is
exceeded (or later, when klachtdesk was not running that day), while the limit is not met and
the dossier is with the handler. At most one of each kind per dossier; a reminder *before*
that was never sent once the limit passed is skipped (the one about the exceeded limit says
more).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .deadlines import LimitKind, due_dates
from .dossier import Dossier
from .states import State
from .vocabulary import LabeledEnum

__all__ = [
    "DEFAULT_DAYS_BEFORE",
    "MAX_DAYS_BEFORE",
    "WITH_HANDLER_STATES",
    "ReminderKind",
    "ReminderSettings",
    "due_reminders",
    "handler_due_on",
]

#: Five days before: a working week for a handler to finish the report in time.
DEFAULT_DAYS_BEFORE = 5
MAX_DAYS_BEFORE = 29

#: The handler has the dossier: sent to them, or assessed with the report not yet back.
#: In re-investigation the handler's own limit was met (the report came back once); the
#: re-investigation limit has no reminders.
WITH_HANDLER_STATES = frozenset({State.WITH_HANDLER, State.ASSESSED})


class ReminderKind(LabeledEnum):
    """The two reminders a handler can get about their limit."""

    BEFORE = "before", "herinnering vóór de termijn"
    OVERDUE = "overdue", "termijn overschreden"


@dataclass(frozen=True)
class ReminderSettings:
    """What the coordinator configured (Settings → Termijnen)."""

    enabled: bool = False
    days_before: int = DEFAULT_DAYS_BEFORE
    #: Also on the day the limit is exceeded.
    on_overdue: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.days_before <= MAX_DAYS_BEFORE:
            raise ValueError(f"days_before must be between 0 and {MAX_DAYS_BEFORE}")


def handler_due_on(dossier: Dossier) -> date | None:
    """The due date of the handler's limit (from the dossier's own limits) while it is not
    met; None when it is met or does not apply."""
    for kind, due_on, met_on in due_dates(dossier):
        if kind is LimitKind.HANDLER_REPORT:
            return due_on if met_on is None else None
    return None


def due_reminders(
    dossier: Dossier,
    today: date,
    settings: ReminderSettings,
    sent: Iterable[ReminderKind | str] = (),
) -> list[ReminderKind]:
    """The reminders to send for ``dossier`` on ``today`` (none, one, never both).

    ``sent``: the kinds already sent for this dossier (by mail or as a draft). Nothing on the
    day the report went to the handler (the report itself went out that day).
    """
    if not settings.enabled or dossier.closed_on is not None:
        return []
    if dossier.state not in WITH_HANDLER_STATES or dossier.handler_id is None:
        return []
    due_on = handler_due_on(dossier)
    if due_on is None:
        return []
    # The handler had the report for at least a day: a report sent late (on or after the
    # limit) is not followed within minutes by "termijn overschreden".
    if dossier.sent_to_handler_on is not None and today <= dossier.sent_to_handler_on:
        return []
    done = {ReminderKind.from_code(kind) for kind in sent}
    if today > due_on:
        if settings.on_overdue and ReminderKind.OVERDUE not in done:
            return [ReminderKind.OVERDUE]
        return []
    if today >= due_on - timedelta(days=settings.days_before) and ReminderKind.BEFORE not in done:
        return [ReminderKind.BEFORE]
    return []
