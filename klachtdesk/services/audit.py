"""The audit trail: append-only and hash-chained, with erasable content.

Each event has a non-personal header (time, actor, action, dossier id) and a content (summary,
before/after values) stored apart. The event's hash covers its header, the hash of its content
and the previous event's hash, so changing, inserting or deleting an event (even with the
passphrase and the database triggers dropped) breaks the chain at that point, and
:func:`verify_audit_chain` says where. Removing the newest events is the one change a chain
alone cannot show; the append-only triggers refuse it.

The content of a dossier's events may be erased, and only when the dossier was anonymised or
deleted (a row in ``erasure``, written by the erasure's own event; see services/erasure.py).
The chain stays verifiable: the header keeps the content's hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from klachtdesk.models import AuditContent, AuditEvent, database

from .context import ServiceContext

GENESIS = "0" * 64
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

#: The event written by migration 7 when it converted the old trail (models/migrations.py).
CONVERSION_ACTION = "audit_converted"
#: The events that erase a dossier's personal data (services/erasure.py).
ERASURE_ACTIONS = ("anonymise", "delete")


def _sha(values: list[Any]) -> str:
    return hashlib.sha256(_CANONICAL.encode(values).encode("utf-8")).hexdigest()


def content_hash(summary: str, before: str, after: str) -> str:
    return _sha([summary, before, after])


def event_hash(
    prev_hash: str,
    at_iso: str,
    actor: str,
    action: str,
    complaint_id: int | None,
    content_digest: str,
) -> str:
    return _sha([prev_hash, at_iso, actor, action, complaint_id, content_digest])


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
    digest = content_hash(summary, before_json, after_json)
    event = AuditEvent.create(
        at=at,
        actor=ctx.actor,
        action=action,
        complaint_id=complaint_id,
        content_hash=digest,
        hash=event_hash(last_hash(), at.isoformat(), ctx.actor, action, complaint_id, digest),
    )
    AuditContent.insert(
        event=event.id, summary=summary, before=before_json, after=after_json
    ).execute()
    return event


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_at: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.broken_at is None


_Row = tuple[int, str, str, str, int | None, str, str, int, str, str, str, int | None]

_CHAIN_SQL = (
    'SELECT e."id", e."at", e."actor", e."action", e."complaint_id", e."content_hash", '
    'e."hash", c."event_id" IS NOT NULL, c."summary", c."before", c."after", x."event_id" '
    'FROM "audit_event" e LEFT JOIN "audit_content" c ON c."event_id" = e."id" '
    'LEFT JOIN "erasure" x ON x."complaint_id" = e."complaint_id" ORDER BY e."id"'
)
_ERASURE_SQL = (
    'SELECT x."complaint_id", x."event_id", e."action", e."complaint_id" FROM "erasure" x '
    'LEFT JOIN "audit_event" e ON e."id" = x."event_id"'
)


def _changed(event_id: int) -> str:
    return (
        f"Het logboek werd gewijzigd bij gebeurtenis {event_id}: die gebeurtenis, of "
        "een gebeurtenis vlak ervoor, werd achteraf veranderd of verwijderd."
    )


def verify_audit_chain(connection: Any | None = None) -> ChainReport:
    """Walk every event in order and recompute its hashes.

    An event's content may be missing only when its dossier was erased by a later, genuine
    erasure event. A break the old chain already had when it was converted (migration 7) is
    reported too.

    ``connection`` is a bare DB-API connection to another register file (a backup being
    verified); without it the open register is read.
    """

    def run(sql: str) -> Any:
        return database.execute_sql(sql) if connection is None else connection.execute(sql)

    for complaint_id, event_id, action, event_complaint in run(_ERASURE_SQL).fetchall():
        if action not in ERASURE_ACTIONS or event_complaint != complaint_id:
            return ChainReport(
                0,
                event_id,
                f"Het logboek werd gewijzigd: dossier {complaint_id} staat als gewist "
                "geregistreerd zonder dat het werd geanonimiseerd of verwijderd.",
            )
    prev = GENESIS
    count = 0
    earlier_break: ChainReport | None = None
    for row in cast(Iterable[_Row], run(_CHAIN_SQL)):
        (event_id, at, actor, action, complaint_id, digest, stored) = row[:7]
        has_content, summary, before, after, erased_by = row[7:]
        count += 1
        expected = event_hash(prev, _iso(at), actor, action, complaint_id, digest)
        if expected != stored:
            return ChainReport(count, event_id, _changed(event_id))
        if has_content:
            if content_hash(summary, before, after) != digest:
                return ChainReport(count, event_id, _changed(event_id))
            if action == CONVERSION_ACTION and earlier_break is None:
                broken = json.loads(after).get("old_chain_broken_at")
                if broken is not None:
                    earlier_break = ChainReport(
                        0,
                        int(broken),
                        f"Het logboek was al gewijzigd bij gebeurtenis {broken} vóór het op "
                        f"{_iso(at)[:10]} werd omgezet: die gebeurtenis, of een gebeurtenis "
                        "vlak ervoor, werd achteraf veranderd of verwijderd.",
                    )
        elif erased_by is None or event_id >= erased_by:
            return ChainReport(
                count,
                event_id,
                f"Het logboek werd gewijzigd bij gebeurtenis {event_id}: de inhoud ervan werd "
                "gewist, maar het dossier werd niet geanonimiseerd of verwijderd.",
            )
        prev = stored
    if earlier_break is not None:
        return ChainReport(count, earlier_break.broken_at, earlier_break.problem)
    return ChainReport(count, None, "")


def _iso(stored: str) -> str:
    """The timestamp as the hash saw it: peewee stores 'YYYY-MM-DD HH:MM:SS', the hash was made
    over datetime.isoformat()."""
    return datetime.fromisoformat(str(stored)).isoformat()
