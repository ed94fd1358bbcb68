"""Linked dossiers: a complaint linked to earlier ones of the same person or the same facts
(issue 15, "al eerder klacht ingediend").

A link always points from the later dossier to the earlier one. "Earlier" means received
earlier (``received_on``, the date the complaint reached the municipality); of two dossiers
received on the same day, the one registered first (the lower id) is the earlier. Linking and
unlinking are one event each on the timeline of *both* dossiers, in one transaction: whoever
opens either dossier reads when it was linked and to which reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from klachtdesk.models import Complaint, ComplaintLink, database
from klachtdesk.procedure import Ground, State, UserError
from klachtdesk.procedure.dates import short_date

from .audit import append_event
from .complaints import decide_admissibility
from .context import ServiceContext
from .erasure import is_erased

#: The audit action of a link made or removed.
LINKED = "link"
UNLINKED = "unlink"


class LinkRefused(UserError):
    """A link that cannot be made or removed; the message says why, in Dutch."""


@dataclass(frozen=True)
class LinkedDossier:
    """One dossier at the other end of a link, as the dossier view lists it."""

    id: int
    reference: str
    received_on: date
    state: State


@dataclass(frozen=True)
class Links:
    #: The earlier dossiers this one is linked to ("Gekoppeld aan").
    earlier: list[LinkedDossier]
    #: The later dossiers linked to this one ("Later gekoppeld").
    later: list[LinkedDossier]


def is_earlier(received_on: date, complaint_id: int, than_on: date, than_id: int) -> bool:
    """Whether the dossier (``received_on``, ``complaint_id``) is earlier than the other."""
    return (received_on, complaint_id) < (than_on, than_id)


def _dossier(complaint_id: int, what: str) -> Complaint:
    row = Complaint.get_or_none(Complaint.id == complaint_id)
    if row is None:
        raise LinkRefused(f"{what} bestaat niet (meer): het werd verwijderd.")
    return row


def _pair(complaint_id: int, earlier_id: int) -> tuple[Complaint, Complaint]:
    if complaint_id == earlier_id:
        raise LinkRefused("Een dossier kan niet aan zichzelf gekoppeld worden.")
    later = _dossier(complaint_id, "Dit dossier")
    earlier = _dossier(earlier_id, "Het andere dossier")
    return later, earlier


def link(ctx: ServiceContext, complaint_id: int, earlier_id: int) -> None:
    """Link dossier ``complaint_id`` to the earlier dossier ``earlier_id``."""
    with database.atomic():
        later, earlier = _pair(complaint_id, earlier_id)
        if is_erased(complaint_id):
            raise LinkRefused(
                f"Dossier {later.reference} is geanonimiseerd: het krijgt geen koppelingen meer."
            )
        if not is_earlier(earlier.received_on, earlier.id, later.received_on, later.id):
            raise LinkRefused(
                f"Dossier {earlier.reference} (ontvangen op {short_date(earlier.received_on)}) "
                f"is niet ouder dan {later.reference} (ontvangen op "
                f"{short_date(later.received_on)}). Koppel het latere dossier aan het eerdere: "
                f"open {earlier.reference} en koppel het daar aan {later.reference}."
            )
        exists = ComplaintLink.select().where(
            ComplaintLink.complaint == complaint_id, ComplaintLink.earlier == earlier_id
        )
        if exists.exists():
            raise LinkRefused(f"Dossier {later.reference} is al gekoppeld aan {earlier.reference}.")
        ComplaintLink.insert(complaint=complaint_id, earlier=earlier_id).execute()
        values = {"complaint": later.reference, "earlier": earlier.reference}
        append_event(
            ctx,
            LINKED,
            f"Gekoppeld aan het eerdere dossier {earlier.reference}",
            complaint_id=complaint_id,
            after=values,
        )
        append_event(
            ctx,
            LINKED,
            f"Het latere dossier {later.reference} werd hieraan gekoppeld",
            complaint_id=earlier_id,
            after=values,
        )


def unlink(ctx: ServiceContext, complaint_id: int, earlier_id: int) -> None:
    """Remove the link from dossier ``complaint_id`` to the earlier ``earlier_id``."""
    with database.atomic():
        later, earlier = _pair(complaint_id, earlier_id)
        removed = (
            ComplaintLink.delete()
            .where(ComplaintLink.complaint == complaint_id, ComplaintLink.earlier == earlier_id)
            .execute()
        )
        if not removed:
            raise LinkRefused(
                f"Dossier {later.reference} is niet gekoppeld aan {earlier.reference}."
            )
        values = {"complaint": later.reference, "earlier": earlier.reference}
        append_event(
            ctx,
            UNLINKED,
            f"Koppeling met het eerdere dossier {earlier.reference} verwijderd",
            complaint_id=complaint_id,
            before=values,
        )
        append_event(
            ctx,
            UNLINKED,
            f"Koppeling met het latere dossier {later.reference} verwijderd",
            complaint_id=earlier_id,
            before=values,
        )


def link_by_reference(ctx: ServiceContext, complaint_id: int, reference: str) -> int:
    """Link to the earlier dossier with reference number ``reference`` (as the coordinator
    types it, e.g. ``2026-0012``); returns its id."""
    wanted = " ".join(reference.split())
    if not wanted:
        raise LinkRefused("Geef het referentienummer van het eerdere dossier, bv. 2026-0012.")
    row = Complaint.get_or_none(Complaint.reference == wanted)
    if row is None:
        raise LinkRefused(f"Er is geen dossier met referentienummer ‘{wanted}’.")
    link(ctx, complaint_id, int(row.id))
    return int(row.id)


def links_of(complaint_id: int) -> Links:
    """The earlier dossiers ``complaint_id`` is linked to and the later ones linked to it,
    each oldest first."""

    def listed(rows: object) -> list[LinkedDossier]:
        found = [
            LinkedDossier(int(r.id), r.reference, r.received_on, r.state)
            for r in rows  # type: ignore[attr-defined]
        ]
        return sorted(found, key=lambda d: (d.received_on, d.id))

    columns = (Complaint.id, Complaint.reference, Complaint.received_on, Complaint.state)
    earlier = (
        Complaint.select(*columns)
        .join(ComplaintLink, on=ComplaintLink.earlier == Complaint.id)
        .where(ComplaintLink.complaint == complaint_id)
    )
    later = (
        Complaint.select(*columns)
        .join(ComplaintLink, on=ComplaintLink.complaint == Complaint.id)
        .where(ComplaintLink.earlier == complaint_id)
    )
    return Links(listed(earlier), listed(later))


def decide_admissibility_and_link(
    ctx: ServiceContext,
    complaint_id: int,
    grounds: Sequence[Ground],
    motivation: str,
    link_to: Sequence[int] = (),
    *,
    on: date | None = None,
) -> None:
    """Step 6 as the admissibility dialog records it: the decision and the links to the
    earlier dossiers the coordinator ticked, all or nothing (one transaction)."""
    with database.atomic():
        decide_admissibility(ctx, complaint_id, list(grounds), motivation, on=on)
        for earlier_id in link_to:
            link(ctx, complaint_id, earlier_id)
