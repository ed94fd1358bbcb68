"""Settings kept inside the encrypted register, each declared once with its default."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from klachtdesk.models import Complaint, Setting, database
from klachtdesk.procedure import (
    DossierLimits,
    InvalidInput,
    LimitKind,
    State,
    TimeLimits,
    day_count,
    next_due_on,
)
from klachtdesk.procedure import dossier as moves
from klachtdesk.procedure.limits import LIMIT_NAMES

from .audit import append_event
from .context import ServiceContext
from .dossiers import DOSSIER_COLUMNS, limits_dossier

TIME_LIMITS_KEY = "time_limits"
IDLE_LOCK_KEY = "idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 15


def get_setting(key: str, default: Any = None) -> Any:
    row = Setting.get_or_none(Setting.key == key)
    return default if row is None else json.loads(row.value)


def set_setting(
    ctx: ServiceContext, key: str, value: Any, summary: str, *, secret: tuple[str, ...] = ()
) -> None:
    """Store one setting in its own transaction, with an audit event.

    Fields named in ``secret`` (a password) are stored but never written to the audit trail,
    which is append-only: a secret there could never be removed again.
    """
    with database.atomic():
        _store(ctx, key, value, summary, secret)


def _redacted(value: Any, secret: tuple[str, ...]) -> Any:
    if not secret or not isinstance(value, dict):
        return value
    return {k: ("(verborgen)" if k in secret and v else v) for k, v in value.items()}


def _store(
    ctx: ServiceContext, key: str, value: Any, summary: str, secret: tuple[str, ...] = ()
) -> None:
    before = get_setting(key)
    Setting.replace(key=key, value=json.dumps(value, ensure_ascii=False)).execute()
    append_event(
        ctx,
        "setting",
        summary,
        before={key: _redacted(before, secret)},
        after={key: _redacted(value, secret)},
    )


def time_limits() -> TimeLimits:
    """The configured time limits; the procedure's own where nothing was configured."""
    stored = get_setting(TIME_LIMITS_KEY, {})
    known = {f.name for f in fields(TimeLimits)}
    return TimeLimits(**{k: int(v) for k, v in stored.items() if k in known})


def set_time_limits(ctx: ServiceContext, limits: TimeLimits) -> None:
    """Adopt other limits for dossiers registered from now on.

    Dossiers already in the register keep their own limits (a closed dossier is never
    re-graded); :func:`apply_time_limits_to_open` gives them to the open ones on request.
    """
    with database.atomic():
        _store(ctx, TIME_LIMITS_KEY, asdict(limits), "Termijnen gewijzigd")


def limits_change(before: DossierLimits, after: DossierLimits) -> str:
    """The limits that differ, in words: 'ontvangstmelding versturen 10 → 8 dagen'."""
    return ", ".join(
        f"{kind.label} {kind.days(before)} → {day_count(kind.days(after))}"
        for kind in LimitKind
        if kind.days(before) != kind.days(after)
    )


def apply_time_limits_to_open(ctx: ServiceContext, limits: DossierLimits) -> int:
    """Give every open dossier these limits (the coordinator asked for it); returns how many
    changed. One transaction; each changed dossier gets an event in its timeline."""
    new = limits.for_dossier()
    columns = [getattr(Complaint, name) for name in DOSSIER_COLUMNS]
    changed = 0
    with database.atomic():
        rows = Complaint.select(
            Complaint.id, Complaint.handler, Complaint.next_due_on, *columns
        ).where(Complaint.state != str(State.CLOSED))
        for row in list(rows):
            dossier = limits_dossier(row)
            if dossier.limits == new:
                continue
            updated = moves.apply_limits(dossier, new)
            due = next_due_on(updated)
            Complaint.update(
                next_due_on=due, **{name: getattr(new, name) for name in LIMIT_NAMES}
            ).where(Complaint.id == row.id).execute()
            before = {name: getattr(dossier, name) for name in LIMIT_NAMES}
            after = {name: getattr(new, name) for name in LIMIT_NAMES}
            before["next_due_on"] = row.next_due_on
            after["next_due_on"] = due
            append_event(
                ctx,
                "limits",
                "Termijnen van de instellingen toegepast: " + limits_change(dossier.limits, new),
                complaint_id=row.id,
                before=before,
                after=after,
            )
            changed += 1
        append_event(
            ctx,
            "limits",
            f"Termijnen toegepast op lopende dossiers ({changed} gewijzigd)",
            after=asdict(new),
        )
    return changed


def idle_lock_minutes() -> int:
    """Minutes without keyboard or mouse before klachtdesk locks itself."""
    return int(get_setting(IDLE_LOCK_KEY, DEFAULT_IDLE_LOCK_MINUTES))


def set_idle_lock_minutes(ctx: ServiceContext, minutes: int) -> None:
    if not 1 <= minutes <= 240:
        raise InvalidInput({"idle": "Kies tussen 1 en 240 minuten."})
    set_setting(ctx, IDLE_LOCK_KEY, minutes, f"Vergrendelen na {minutes} minuten")
