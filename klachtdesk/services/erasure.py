"""Erasing a dossier's personal data: anonymising a closed dossier, deleting a mistaken one.

Both go through the same mechanism (issue 11): one transaction writes the erasure's own audit
event, lists the dossier in ``erasure`` (which is what lets the triggers delete the content of
its earlier audit events), removes the personal data, and afterwards the search index is
merged and the WAL checkpointed so that nothing of it is left in the file.

Anonymising keeps what the yearly figures need (dates, channel, route, department, subject,
nature, kind, grounds, outcome, mate van oplossing, ombudsnormen, limits and state) and the
dossier's verbeteracties (none of it is personal data); deleting removes the dossier from
every count, its norms with it, and leaves its verbeteracties without a dossier. In
both cases the reference number is never handed out again.
"""

from __future__ import annotations

import json

from klachtdesk.models import (
    AuditContent,
    AuditEvent,
    Complaint,
    Document,
    Erasure,
    PersonKey,
    Setting,
    database,
)
from klachtdesk.models.search import forget_erased_text
from klachtdesk.procedure import FormOfAddress, InvalidInput, State, UserError

from .audit import append_event
from .context import ServiceContext
from .dossiers import TEXT_COLUMNS, load_complaint, snapshot
from .drafts import DRAFT_KEY

ANONYMISED = "anonymise"
DELETED = "delete"

#: Columns of a complaint that say who complained, what they wrote or who dealt with them.
PERSONAL_COLUMNS = (
    "name",
    "street",
    "postal_code",
    "city",
    "phone",
    "email",
    "description",
    "received_by",
    "forwarded_by",
    "person_concerned",
    "immediate_solution",
    *TEXT_COLUMNS,
)
#: Every stored field that is personal data: the text columns above and the form of address
#: ('mevrouw'/'de heer' says something about the person). Anonymising empties all of them; an
#: export adds them only with personal data.
PERSONAL_FIELDS = ("form_of_address", *PERSONAL_COLUMNS)


class AlreadyErased(UserError):
    def __init__(self, reference: str) -> None:
        super().__init__(f"Dossier {reference} werd al geanonimiseerd.")


class NotClosed(UserError):
    def __init__(self, reference: str) -> None:
        super().__init__(
            f"Dossier {reference} is nog niet afgesloten; alleen afgesloten dossiers kunnen "
            "geanonimiseerd worden."
        )


def is_erased(complaint_id: int) -> bool:
    return Erasure.get_or_none(Erasure.complaint_id == complaint_id) is not None


def anonymise_complaint(ctx: ServiceContext, complaint_id: int) -> None:
    """Remove every personal datum of one closed dossier (see the module docstring)."""
    anonymise_complaints(ctx, [complaint_id])


def anonymise_complaints(ctx: ServiceContext, complaint_ids: list[int]) -> int:
    """Anonymise closed dossiers in one transaction; returns how many."""
    with database.atomic():
        for complaint_id in complaint_ids:
            row = load_complaint(complaint_id)
            if is_erased(complaint_id):
                raise AlreadyErased(row.reference)
            if row.state != State.CLOSED:
                raise NotClosed(row.reference)
            documents = Document.select().where(Document.complaint == complaint_id).count()
            event = append_event(
                ctx,
                ANONYMISED,
                f"Dossier {row.reference} geanonimiseerd: persoonsgegevens, teksten en "
                f"documenten gewist",
                complaint_id=complaint_id,
                # What stays of the dossier (no personal data), so that check can still
                # compare the row with the trail once the earlier events are erased.
                after={
                    **{k: v for k, v in snapshot(row).items() if k not in PERSONAL_FIELDS},
                    "reference": row.reference,
                    "documents": documents,
                },
            )
            _erase(row, event)
            Complaint.update(
                **{name: "" for name in PERSONAL_COLUMNS},
                form_of_address=FormOfAddress.NONE,
                updated_at=ctx.now(),
            ).where(Complaint.id == complaint_id).execute()
    forget_erased_text(database)
    return len(complaint_ids)


def delete_complaint(ctx: ServiceContext, complaint_id: int, reason: str) -> None:
    """Delete a dossier registered by mistake (a duplicate); ``reason`` is required.

    The dossier disappears from the list and every figure; its audit events keep their
    headers, the deletion is an event with the reason, and its reference number stays used.
    """
    reason = reason.strip()
    if not reason:
        raise InvalidInput({"reason": "Geef een reden waarom dit dossier verwijderd wordt."})
    with database.atomic():
        row = load_complaint(complaint_id)
        if is_erased(complaint_id):
            raise AlreadyErased(row.reference)
        event = append_event(
            ctx,
            DELETED,
            f"Dossier {row.reference} verwijderd (verkeerdelijk geregistreerd): {reason}",
            complaint_id=complaint_id,
            after={"reference": row.reference, "reason": reason},
        )
        _erase(row, event)
        Complaint.delete().where(Complaint.id == complaint_id).execute()
    forget_erased_text(database)


def _erase(row: Complaint, event: AuditEvent) -> None:
    """What anonymising and deleting share; inside the transaction, after the event."""
    complaint_id = int(row.id)
    Erasure.insert(complaint_id=complaint_id, event=event.id, kind=str(event.action)).execute()
    earlier = AuditEvent.select(AuditEvent.id).where(
        AuditEvent.complaint_id == complaint_id, AuditEvent.id < event.id
    )
    AuditContent.delete().where(AuditContent.event.in_(earlier)).execute()
    Document.delete().where(Document.complaint == complaint_id).execute()
    PersonKey.delete().where(PersonKey.complaint == complaint_id).execute()
    _discard_draft_about(row)


def _discard_draft_about(row: Complaint) -> None:
    """An intake draft that mentions this person goes too (it holds their data)."""
    draft = Setting.get_or_none(Setting.key == DRAFT_KEY)
    if draft is None:
        return
    values = json.loads(draft.value)
    text = " ".join(str(v) for v in values.values()) if isinstance(values, dict) else ""
    personal = [str(getattr(row, name)) for name in ("name", "email", "phone", "street")]
    if any(value and value in text for value in personal):
        Setting.delete().where(Setting.key == DRAFT_KEY).execute()
