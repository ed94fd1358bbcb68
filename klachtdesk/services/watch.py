"""The deadline watch on the register: today's alerts, and which were already announced."""

from __future__ import annotations

import json
from datetime import date, timedelta

from klachtdesk.models import Complaint, Setting, database
from klachtdesk.procedure import Dossier, State
from klachtdesk.procedure.watch import Alert, alerts

from .dossiers import DOSSIER_COLUMNS, limits_dossier
from .settings import time_limits

ANNOUNCED_KEY = "announced_alerts"


def current_alerts(today: date) -> list[Alert]:
    """Limits due soon or overdue on ``today``, most urgent first."""
    return alerts(watched_dossiers(today), today, time_limits())


def watched_dossiers(today: date, days_ahead: int = 7) -> list[tuple[int, str, Dossier]]:
    """The open dossiers with a limit due within the warning window (or ``days_ahead``).

    The stored next due date finds them with an index, whatever the register's size. The
    result holds no names, so the watch may keep it while klachtdesk is locked.
    """
    limits = time_limits()
    horizon = today + timedelta(days=max(limits.due_soon_days, days_ahead))
    columns = [getattr(Complaint, name) for name in DOSSIER_COLUMNS]
    rows = Complaint.select(Complaint.id, Complaint.reference, Complaint.handler, *columns).where(
        Complaint.next_due_on <= horizon,
        Complaint.state != str(State.CLOSED),
    )
    return [(row.id, row.reference, limits_dossier(row)) for row in rows]


def announced(today: date) -> set[str]:
    """Alert keys already shown today (kept in the register, so a restart does not repeat)."""
    row = Setting.get_or_none(Setting.key == ANNOUNCED_KEY)
    if row is None:
        return set()
    stored = json.loads(row.value)
    return set(stored["keys"]) if stored.get("day") == today.isoformat() else set()


def mark_announced(keys: list[str], today: date) -> None:
    """Remember shown alerts for today; yesterday's are forgotten. Not audited: no dossier changes."""
    keep = sorted(announced(today) | set(keys))
    with database.atomic():
        Setting.replace(
            key=ANNOUNCED_KEY, value=json.dumps({"day": today.isoformat(), "keys": keep})
        ).execute()
