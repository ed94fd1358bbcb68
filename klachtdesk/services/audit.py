"""The audit trail: append-only and hash-chained.

Each event's hash covers its content and the previous event's hash, so changing, inserting or
deleting an event (even with the passphrase and the database triggers dropped) breaks the
chain at that point, and :func:`verify_audit_chain` says where. Removing the newest events is
the one change a chain alone cannot show; the append-only triggers refuse it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from klachtdesk.models import AuditEvent, database

from .context import ServiceContext

GENESIS = "0" * 64
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def event_hash(
    prev_hash: str,
    at_iso: str,
    actor: str,
    action: str,
    complaint_id: int | None,
    summary: str,
    before: str,
    after: str,
) -> str:
    payload = _CANONICAL.encode(
        [prev_hash, at_iso, actor, action, complaint_id, summary, before, after]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def to_json(values: dict[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)


def last_hash() -> str:
    last = AuditEvent.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).first()
    return str(last.hash) if last else GENESIS


def append_event(
    ctx: ServiceContext,
    action: str,
    summary: str,
    *,
    complaint_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event; call inside the action's transaction."""
    at = ctx.now()
    before_json = to_json(before or {})
    after_json = to_json(after or {})
    digest = event_hash(
        last_hash(),
        at.isoformat(),
        ctx.actor,
        action,
        complaint_id,
        summary,
        before_json,
        after_json,
    )
    return AuditEvent.create(
        at=at,
        actor=ctx.actor,
        action=action,
        complaint_id=complaint_id,
        summary=summary,
        before=before_json,
        after=after_json,
        hash=digest,
    )


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_at: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.broken_at is None


_Row = tuple[int, str, str, str, int | None, str, str, str, str]

_CHAIN_SQL = (
    'SELECT "id", "at", "actor", "action", "complaint_id", "summary", "before", "after", '
    '"hash" FROM "audit_event" ORDER BY "id"'
)


def verify_audit_chain(connection: Any | None = None) -> ChainReport:
    """Walk every event in order and recompute its hash.

    ``connection`` is a bare DB-API connection to another register file (a backup being
    verified); without it the open register is read.
    """
    cursor = (
        database.execute_sql(_CHAIN_SQL) if connection is None else connection.execute(_CHAIN_SQL)
    )
    prev = GENESIS
    count = 0
    for event_id, at, actor, action, complaint_id, summary, before, after, stored in cast(
        Iterable[_Row], cursor
    ):
        count += 1
        expected = event_hash(prev, _iso(at), actor, action, complaint_id, summary, before, after)
        if expected != stored:
            return ChainReport(
                count,
                event_id,
                f"Het logboek werd gewijzigd bij gebeurtenis {event_id}: die gebeurtenis, of "
                "een gebeurtenis vlak ervoor, werd achteraf veranderd of verwijderd.",
            )
        prev = stored
    return ChainReport(count, None, "")


def _iso(stored: str) -> str:
    """The timestamp as the hash saw it: peewee stores 'YYYY-MM-DD HH:MM:SS', the hash was made
    over datetime.isoformat()."""
    return datetime.fromisoformat(stored).isoformat()
