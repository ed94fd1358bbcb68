"""Read-only questions to the register (no audit event: nothing changes)."""

from __future__ import annotations

from klachtdesk.models import Complaint, list_queries
from klachtdesk.models.list_queries import ListQuery
from klachtdesk.models.search import fts_match


def search_complaints(text: str, *, limit: int = 200) -> list[Complaint]:
    """Complaints whose reference, name, description, address or e-mail match ``text``,
    newest first (through the list's narrow index, then only ``limit`` whole rows)."""
    match = fts_match(text)
    if match is None:
        return []
    ids = list_queries.ordered_ids(ListQuery(match=match))[:limit]
    found = {row.id: row for row in Complaint.select().where(Complaint.id.in_(ids))}
    return [found[i] for i in ids if i in found]
