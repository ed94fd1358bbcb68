"""Registering complaints and walking them through the services, for the database tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from klachtdesk.models import Complaint
from klachtdesk.procedure import Channel, Intake, Norm, Outcome, Resolution
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.organisation import HandlerData, add_department, save_handler

INTAKE = Intake(
    channel=Channel.PHONE,
    received_on=date(2026, 3, 2),
    description="De container in de Kerkstraat werd drie weken niet geledigd.",
    received_by="Klachtencoördinator",
    name="Marie Peeters",
    street="Kerkstraat 12",
    postal_code="3000",
    city="Leuven",
    phone="0478 12 34 56",
)


def intake(**changes: object) -> Intake:
    return replace(INTAKE, **changes)


def handler(ctx: ServiceContext) -> int:
    department = add_department(ctx, "Milieu en afval")
    return save_handler(
        ctx, HandlerData("Inge Claes", "inge.claes@gemeente.example", "016 21 12 11", department)
    )


def row(complaint_id: int) -> Complaint:
    return Complaint.get_by_id(complaint_id)


def walk_to_returned(ctx: ServiceContext, complaint_id: int, handler_id: int) -> None:
    svc.decide_admissibility(ctx, complaint_id, [])
    svc.record_acknowledgement(ctx, complaint_id)
    svc.send_to_handler(ctx, complaint_id, handler_id)
    svc.record_assessment(
        ctx,
        complaint_id,
        Outcome.WELL_FOUNDED,
        solution="Extra ophaalronde.",
        resolution=Resolution.RESOLVED,
        norms=[Norm.ACCURACY],
    )
    svc.record_returned(
        ctx, complaint_id, report_text="Rapport.", reply_text="Geachte mevrouw Peeters, ..."
    )
