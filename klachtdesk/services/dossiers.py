"""Between a complaint row and the procedure's pure :class:`Dossier`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import date
from typing import Any

from peewee import fn

from klachtdesk.models import Complaint, ComplaintGround, ComplaintNorm, Erasure
from klachtdesk.procedure import Dossier, Ground, UserError, next_due_on

# Dossier fields stored in a column of the same name (grounds have their own table), the
# dossier's own time limits included.
DOSSIER_COLUMNS = [f.name for f in fields(Dossier) if f.name not in ("grounds", "handler_id")]


# The texts each step adds to a dossier (motivation, notes, report, reply, reasons).
TEXT_COLUMNS = (
    "admissibility_motivation",
    "investigation_contacts",
    "investigation_summary",
    "solution",
    "report_text",
    "reply_text",
    "review_failed_reason",
    "withdrawal_reason",
    "extension_motivation",
)


def next_complaint_id() -> int:
    """The id for a new dossier: never one a deleted dossier had, whose audit events and
    erasure stay in the register (SQLite would otherwise hand out the highest id again)."""
    highest = max(
        Complaint.select(fn.MAX(Complaint.id)).scalar() or 0,
        Erasure.select(fn.MAX(Erasure.complaint_id)).scalar() or 0,
    )
    return int(highest) + 1


def load_complaint(complaint_id: int) -> Complaint:
    row = Complaint.get_or_none(Complaint.id == complaint_id)
    if row is None:
        raise UserError(f"Dossier {complaint_id} bestaat niet (meer).")
    return row


def dossier_of(row: Complaint, grounds: Iterable[Ground] | None = None) -> Dossier:
    """The row's procedure facts; pass ``grounds`` when they were loaded in bulk already."""
    values: dict[str, Any] = {name: getattr(row, name) for name in DOSSIER_COLUMNS}
    values["handler_id"] = row.handler_id
    if grounds is None:
        grounds = [
            g.ground for g in ComplaintGround.select().where(ComplaintGround.complaint == row.id)
        ]
    values["grounds"] = frozenset(grounds)
    return Dossier(**values)


def limits_dossier(row: Complaint) -> Dossier:
    """The dossier of a row selected with DOSSIER_COLUMNS, for its time limits only.

    The row's own limit columns are among DOSSIER_COLUMNS, so its due dates are its own.

    Grounds play no part in any limit, so they are not loaded (one query less per row).
    """
    values: dict[str, Any] = {name: getattr(row, name) for name in DOSSIER_COLUMNS}
    return Dossier(**values, handler_id=row.handler_id, grounds=frozenset())


def write_dossier(row: Complaint, dossier: Dossier) -> None:
    """Copy the dossier's facts onto the row (not saved), including the next due date."""
    for name in DOSSIER_COLUMNS:
        setattr(row, name, getattr(dossier, name))
    row.handler_id = dossier.handler_id
    row.next_due_on = next_due_on(dossier)
    if row.id is not None:
        current = {
            g.ground for g in ComplaintGround.select().where(ComplaintGround.complaint == row.id)
        }
        if current != set(dossier.grounds):
            ComplaintGround.delete().where(ComplaintGround.complaint == row.id).execute()
            if dossier.grounds:
                ComplaintGround.insert_many(
                    [{"complaint": row.id, "ground": g} for g in sorted(dossier.grounds)]
                ).execute()


def snapshot(row: Complaint) -> dict[str, Any]:
    """The row's values as JSON-ready data for the audit trail."""
    data: dict[str, Any] = {}
    for name, value in row.__data__.items():
        if name == "updated_at":
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif value is not None and not isinstance(value, (int, str, float, bool)):
            value = str(value)
        data[name] = value
    data["grounds"] = sorted(
        str(g.ground) for g in ComplaintGround.select().where(ComplaintGround.complaint == row.id)
    )
    data["norms"] = sorted(
        str(n.norm) for n in ComplaintNorm.select().where(ComplaintNorm.complaint == row.id)
    )
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the values that changed, before and after."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
