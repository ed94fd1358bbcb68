"""Read-only questions to the register (no audit event: nothing changes)."""

from __future__ import annotations

from klachtdesk.models import Complaint
from klachtdesk.models.search import matching_ids


def search_complaints(text: str, *, limit: int = 200) -> list[Complaint]:
    """Complaints whose reference, name, description, address or e-mail match ``text``."""
    ids = matching_ids(text)
    if ids is None:
        return []
    query = (
        Complaint.select()
        .where(Complaint.id.in_(ids))
        .order_by(Complaint.received_on.desc(), Complaint.id.desc())
        .limit(limit)
    )
    return list(query)
