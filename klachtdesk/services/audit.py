"""The audit trail: append-only and hash-chained.

Each event's hash covers its content and the previous event's hash, so changing or deleting
an event (even with the passphrase and the database triggers dropped) breaks the chain at
that point, and :func:`verify_audit_chain` says where.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from klachtdesk.models import AuditEvent

from .context import ServiceContext

GENESIS = "0" * 64


def event_hash(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    complaint_id: int | None,
    summary: str,
    before: str,
    after: str,
) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(), actor, action, complaint_id, summary, before, after],
        ensure_ascii=False,
        separators=(",", ":"),
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
    prev = last_hash()
    return AuditEvent.create(
        at=at,
        actor=ctx.actor,
        action=action,
        complaint_id=complaint_id,
        summary=summary,
        before=before_json,
        after=after_json,
        prev_hash=prev,
        hash=event_hash(
            prev, at, ctx.actor, action, complaint_id, summary, before_json, after_json
        ),
    )


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_at: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_audit_chain() -> ChainReport:
    """Walk every event in order and recompute its hash."""
    prev = GENESIS
    count = 0
    columns = (
        AuditEvent.id,
        AuditEvent.at,
        AuditEvent.actor,
        AuditEvent.action,
        AuditEvent.complaint_id,
        AuditEvent.summary,
        AuditEvent.before,
        AuditEvent.after,
        AuditEvent.prev_hash,
        AuditEvent.hash,
    )
    query = AuditEvent.select(*columns).order_by(AuditEvent.id).tuples().iterator()
    for (
        event_id,
        at,
        actor,
        action,
        complaint_id,
        summary,
        before,
        after,
        prev_hash,
        hash_,
    ) in query:
        count += 1
        if prev_hash != prev:
            return ChainReport(
                count,
                event_id,
                f"Gebeurtenis {event_id} in het logboek sluit niet aan op de vorige: er werd een "
                "gebeurtenis verwijderd of ingevoegd.",
            )
        when = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
        expected = event_hash(prev, when, actor, action, complaint_id, summary, before, after)
        if expected != hash_:
            return ChainReport(
                count,
                event_id,
                f"Gebeurtenis {event_id} in het logboek werd achteraf gewijzigd.",
            )
        prev = hash_
    return ChainReport(count, None, "")
