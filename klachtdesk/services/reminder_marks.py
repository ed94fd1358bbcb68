"""When a dossier's handler was last reminded, for the rows of the complaint list's page.

Apart from :mod:`klachtdesk.services.reminders` so that the list does not import what
composing a reminder needs (issue 14: the window opens fast).
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from peewee import fn

from klachtdesk.models import Reminder
from klachtdesk.models.id_sets import id_set


def last_reminded(ids: list[int]) -> dict[int, date]:
    """The day the handler was last reminded, for those of ``ids`` that were: one statement
    for the whole page, through the reminders' (complaint, kind) index."""
    if not ids:
        return {}
    rows = cast(
        list[tuple[Any, Any]],
        Reminder.select(Reminder.complaint, fn.MAX(Reminder.sent_on))
        .where(Reminder.complaint.in_(id_set(ids)))
        .group_by(Reminder.complaint)
        .tuples(),
    )
    return {int(complaint_id): date.fromisoformat(str(day)[:10]) for complaint_id, day in rows}
