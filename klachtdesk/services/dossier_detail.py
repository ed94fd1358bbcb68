"""Everything the dossier view shows about one complaint, as plain data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import cast

from peewee import JOIN

from klachtdesk.models import AuditContent, AuditEvent, Department, Document, Erasure, Handler
from klachtdesk.procedure import (
    Action,
    Deadline,
    Dossier,
    Intake,
    Norm,
    Resolution,
    Suggestion,
    available_actions,
    deadlines,
)

from .complaints import admissibility_suggestions, intake_of, norms_of
from .dossiers import TEXT_COLUMNS, dossier_of, load_complaint
from .extension import extension_offered
from .improvements import ImprovementEntry, improvement_actions
from .organisation import head_informed_text
from .settings import time_limits

#: What the timeline shows for an event whose content was erased with the personal data.
ERASED = "(inhoud gewist bij anonimisering)"


def erased_summary(action: str) -> str:
    """An erased event still says which step it was (the header keeps the action)."""
    step = next((a for a in Action if a.value == action), None)
    if step is None:
        return ERASED
    return f"{step.label[:1].upper()}{step.label[1:]} {ERASED}"


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    summary: str


@dataclass(frozen=True)
class DocumentEntry:
    id: int
    title: str
    filename: str
    created_at: datetime
    mime_type: str


@dataclass(frozen=True)
class HandlerContact:
    id: int
    name: str
    email: str
    phone: str
    department: str


@dataclass(frozen=True)
class ComplaintDetail:
    id: int
    reference: str
    intake: Intake
    dossier: Dossier
    department: str
    handler: HandlerContact | None
    texts: dict[str, str]
    deadlines: list[Deadline]
    actions: list[Action]
    timeline: list[TimelineEntry]
    documents: list[DocumentEntry]
    suggestions: list[Suggestion]
    #: The personal data were erased (anonymised after the retention term).
    erased: bool = False
    #: Step 10: how far a (partly) well-founded complaint was resolved, and the norms touched.
    resolution: Resolution | None = None
    norms: list[Norm] = field(default_factory=list)
    #: The verbeteracties started from this dossier, newest first.
    improvements: list[ImprovementEntry] = field(default_factory=list)
    #: Came from an earlier register (File → Importeren).
    imported: bool = False
    #: Step 11: whether the head of department was informed ("ja", "nee", "niet gevraagd"),
    #: empty before step 11 or when there is no head (organisation.head_informed_text).
    head_informed: str = ""
    #: The closing limit may be extended today (the setting allows it, the dossier can be).
    extension_offered: bool = False


def handler_contact(handler_id: int) -> HandlerContact | None:
    handler = Handler.get_or_none(Handler.id == handler_id)
    if handler is None:
        return None
    department = Department.get_or_none(Department.id == handler.department_id)
    name = department.name if department else ""
    return HandlerContact(handler.id, handler.name, handler.email, handler.phone, name)


def complaint_detail(complaint_id: int, today: date) -> ComplaintDetail:
    row = load_complaint(complaint_id)
    dossier = dossier_of(row)
    department = Department.get_or_none(Department.id == row.department_id)
    events = cast(
        Iterable[tuple[datetime, str, str, str | None]],
        AuditEvent.select(AuditEvent.at, AuditEvent.actor, AuditEvent.action, AuditContent.summary)
        .join(AuditContent, JOIN.LEFT_OUTER, on=AuditContent.event == AuditEvent.id)
        .where(AuditEvent.complaint_id == complaint_id)
        .order_by(AuditEvent.id)
        .tuples(),
    )
    documents = (
        Document.select(
            Document.id, Document.title, Document.filename, Document.created_at, Document.mime_type
        )
        .where(Document.complaint == complaint_id)
        .order_by(Document.id)
    )
    erased = Erasure.get_or_none(Erasure.complaint_id == complaint_id) is not None
    # An anonymised dossier's data are gone: nothing left to correct or to add to.
    actions = [] if erased else available_actions(dossier)
    return ComplaintDetail(
        id=row.id,
        reference=row.reference,
        intake=intake_of(row),
        dossier=dossier,
        department=department.name if department else "",
        handler=handler_contact(row.handler_id) if row.handler_id else None,
        texts={name: getattr(row, name) for name in TEXT_COLUMNS},
        deadlines=deadlines(dossier, today, time_limits()),
        actions=actions,
        timeline=[
            TimelineEntry(at, actor, summary or erased_summary(action))
            for at, actor, action, summary in events
        ],
        documents=[
            DocumentEntry(d.id, d.title, d.filename, d.created_at, d.mime_type) for d in documents
        ],
        erased=erased,
        resolution=row.resolution,
        norms=norms_of(complaint_id),
        improvements=improvement_actions(complaint_id=complaint_id),
        imported=row.import_key is not None,
        head_informed=head_informed_text(row.id, row.head_informed)
        if dossier.first_returned_on
        else "",
        extension_offered=extension_offered(dossier, today, erased=erased),
        suggestions=admissibility_suggestions(complaint_id)
        if Action.DECIDE_ADMISSIBILITY in actions
        else [],
    )
