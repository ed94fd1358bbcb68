"""Settings kept inside the encrypted register, each declared once with its default."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from klachtdesk.models import Setting, database
from klachtdesk.procedure import InvalidInput, TimeLimits

from .audit import append_event
from .context import ServiceContext
from .dossiers import recompute_next_due

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
    """Adopt other limits; every open dossier's next due date follows in the same transaction."""
    with database.atomic():
        _store(ctx, TIME_LIMITS_KEY, asdict(limits), "Termijnen gewijzigd")
        recompute_next_due(limits)


def idle_lock_minutes() -> int:
    """Minutes without keyboard or mouse before klachtdesk locks itself."""
    return int(get_setting(IDLE_LOCK_KEY, DEFAULT_IDLE_LOCK_MINUTES))


def set_idle_lock_minutes(ctx: ServiceContext, minutes: int) -> None:
    if not 1 <= minutes <= 240:
        raise InvalidInput({"idle": "Kies tussen 1 en 240 minuten."})
    set_setting(ctx, IDLE_LOCK_KEY, minutes, f"Vergrendelen na {minutes} minuten")
