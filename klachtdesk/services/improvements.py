"""Verbeteracties (improvement actions): added from a dossier, followed up in their own list.

Each change is one transaction with one audit event, filed under the dossier the action came
from (so it shows in that dossier's timeline). The rules are in
:mod:`klachtdesk.procedure.improvements`. An action holds no personal data: it outlives the
anonymisation of its dossier, and the deletion of a mistaken dossier leaves it without one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from peewee import JOIN

from klachtdesk.models import Complaint, Department, ImprovementAction, database
from klachtdesk.procedure import ActionStatus, InvalidInput, UserError
from klachtdesk.procedure.dates import short_date
from klachtdesk.procedure.improvements import Improvement, validate_improvement
from klachtdesk.procedure.input_checks import field_problem

from .audit import append_event
from .context import ServiceContext
from .dossiers import load_complaint

ADDED = "improvement_add"
UPDATED = "improvement_update"


@dataclass(frozen=True)
class ImprovementEntry:
    """An improvement action as a list or a dialog shows it."""

    id: int
    complaint_id: int | None
    reference: str  # the dossier's reference; '' when the dossier was deleted
    description: str
    department_id: int | None
    department: str
    status: ActionStatus
    created_on: date
    due_on: date | None
    done_on: date | None

    @property
    def improvement(self) -> Improvement:
        """The editable part, to fill a dialog with."""
        return Improvement(
            self.description, self.department_id, self.status, self.due_on, self.done_on
        )


def _check_department(department_id: int | None) -> None:
    if department_id is not None and not Department.get_or_none(Department.id == department_id):
        raise InvalidInput({"department_id": "Deze dienst bestaat niet (meer)."})


def _checked(action: Improvement, *, created_on: date, today: date) -> Improvement:
    """The procedure's rules, and no character the report's files cannot hold."""
    if problem := field_problem("improvement", action.description):
        raise InvalidInput({"description": problem})
    return validate_improvement(action, created_on=created_on, today=today)


def _values(action: Improvement) -> dict[str, Any]:
    """The action as JSON-ready audit data."""
    return {
        "description": action.description,
        "department_id": action.department_id,
        "status": str(action.status),
        "due_on": action.due_on.isoformat() if action.due_on else None,
        "done_on": action.done_on.isoformat() if action.done_on else None,
    }


def add_improvement(ctx: ServiceContext, complaint_id: int, action: Improvement) -> int:
    """A new improvement action from a dossier (in any state); returns its id."""
    today = ctx.today()
    action = _checked(action, created_on=today, today=today)
    with database.atomic():
        row = load_complaint(complaint_id)
        _check_department(action.department_id)
        created = ImprovementAction.create(
            complaint=complaint_id,
            description=action.description,
            department=action.department_id,
            status=action.status,
            created_on=today,
            due_on=action.due_on,
            done_on=action.done_on,
            updated_at=ctx.now(),
        )
        append_event(
            ctx,
            ADDED,
            f"Verbeteractie toegevoegd ({action.status.label}): {action.description}",
            complaint_id=row.id,
            after={"action": created.id, **_values(action)},
        )
        return int(created.id)


def update_improvement(ctx: ServiceContext, action_id: int, action: Improvement) -> None:
    """Change an action: its text, department, status or dates (gepland → lopend →
    uitgevoerd; 'uitgevoerd' without a date was done today)."""
    with database.atomic():
        row = ImprovementAction.get_or_none(ImprovementAction.id == action_id)
        if row is None:
            raise UserError("Deze verbeteractie bestaat niet (meer).")
        action = _checked(action, created_on=row.created_on, today=ctx.today())
        _check_department(action.department_id)
        old = Improvement(row.description, row.department_id, row.status, row.due_on, row.done_on)
        before, after = _values(old), _values(action)
        changed = [key for key in after if before[key] != after[key]]
        if not changed:
            return
        ImprovementAction.update(
            description=action.description,
            department=action.department_id,
            status=action.status,
            due_on=action.due_on,
            done_on=action.done_on,
            updated_at=ctx.now(),
        ).where(ImprovementAction.id == action_id).execute()
        if action.status is not old.status:
            what = f"{old.status.label} → {action.status.label}"
            if action.done_on is not None:
                what += f" op {short_date(action.done_on)}"
        else:
            what = "gewijzigd"
        append_event(
            ctx,
            UPDATED,
            f"Verbeteractie {what}: {action.description}",
            complaint_id=row.complaint_id,
            before={"action": action_id, **{k: before[k] for k in changed}},
            after={"action": action_id, **{k: after[k] for k in changed}},
        )


def improvement_actions(
    *,
    status: ActionStatus | None = None,
    complaint_id: int | None = None,
    department_id: int | None = None,
) -> list[ImprovementEntry]:
    """The improvement actions, newest first, optionally only those with ``status``, of one
    dossier or of one department."""
    query = _query()
    if status is not None:
        query = query.where(ImprovementAction.status == ActionStatus.from_code(str(status)))
    if complaint_id is not None:
        query = query.where(ImprovementAction.complaint == complaint_id)
    if department_id is not None:
        query = query.where(ImprovementAction.department == department_id)
    return _entries(query)


def improvement_action(action_id: int) -> ImprovementEntry:
    """One action, for its dialog."""
    found = _entries(_query().where(ImprovementAction.id == action_id))
    if not found:
        raise UserError("Deze verbeteractie bestaat niet (meer).")
    return found[0]


def _query() -> Any:
    return (
        ImprovementAction.select(
            ImprovementAction.id,
            ImprovementAction.complaint,
            Complaint.reference,
            ImprovementAction.description,
            ImprovementAction.department,
            Department.name,
            ImprovementAction.status,
            ImprovementAction.created_on,
            ImprovementAction.due_on,
            ImprovementAction.done_on,
        )
        .join(Complaint, JOIN.LEFT_OUTER, on=ImprovementAction.complaint == Complaint.id)
        .switch(ImprovementAction)
        .join(Department, JOIN.LEFT_OUTER, on=ImprovementAction.department == Department.id)
        .order_by(ImprovementAction.created_on.desc(), ImprovementAction.id.desc())
    )


def _entries(query: Any) -> list[ImprovementEntry]:
    rows = cast(Iterable[tuple[Any, ...]], query.tuples())
    return [
        ImprovementEntry(
            id=int(action_id),
            complaint_id=complaint,
            reference=reference or "",
            description=description,
            department_id=department,
            department=department_name or "",
            status=ActionStatus.from_code(code),
            created_on=_day(created_on),
            due_on=_day(due_on) if due_on else None,
            done_on=_day(done_on) if done_on else None,
        )
        for (
            action_id,
            complaint,
            reference,
            description,
            department,
            department_name,
            code,
            created_on,
            due_on,
            done_on,
        ) in rows
    ]


def _day(value: date | str) -> date:
    """A date from a tuple query (peewee converts only when the column is selected alone)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def dossier_department(complaint_id: int) -> int | None:
    """The department a new action of this dossier is proposed for: the dossier's own (None
    when it has none or it is no longer active)."""
    row = (
        Complaint.select(Complaint.department)
        .join(Department, JOIN.LEFT_OUTER)
        .where(Complaint.id == complaint_id, Department.active == True)  # noqa: E712
        .first()
    )
    return None if row is None else row.department_id
