"""Departments and handlers: the municipality's own reference data."""

from __future__ import annotations

from dataclasses import dataclass

from klachtdesk.models import Complaint, Department, Handler, database
from klachtdesk.procedure import InvalidInput
from klachtdesk.procedure.input_checks import field_errors, field_problem
from klachtdesk.procedure.intake import normalize_email, normalize_phone
from klachtdesk.procedure.text_limits import (
    EMAIL,
    NAME,
    PHONE,
    TextLimit,
)

from .audit import append_event
from .context import ServiceContext

#: A name whose spaces are tidied: as long as a name, whatever its line breaks.
ONE_LINE = TextLimit(NAME.max_chars, multiline=True)


@dataclass(frozen=True)
class HandlerData:
    name: str
    email: str = ""
    phone: str = ""
    department_id: int | None = None
    active: bool = True


@dataclass(frozen=True)
class DepartmentHead:
    """The head of a department (diensthoofd)."""

    name: str
    email: str
    department: str


def head_in_copy(complaint_id: int, handler_id: int | None = None) -> DepartmentHead | None:
    """The head of department who gets a copy of the report and hears of the returned one
    (steps 8 and 11): the head of the department the complaint is about (or else of the
    handler's department), when a head is known and the handler is someone else.
    ``handler_id``: the handler being chosen (step 8) instead of the one on record."""
    complaint = Complaint.get_or_none(Complaint.id == complaint_id)
    if complaint is None:
        return None
    handler_id = handler_id if handler_id is not None else complaint.handler_id
    if handler_id is None:
        return None
    return head_for(handler_id, complaint.department_id)


def head_for(handler_id: int, department_id: int | None) -> DepartmentHead | None:
    """:func:`head_in_copy` for a handler not yet recorded (the step-8 dialog, while the
    coordinator chooses): the head of ``department_id`` (or else of the handler's department)
    when one is known and is not the handler."""
    handler = Handler.get_or_none(Handler.id == handler_id)
    if handler is None:
        return None
    department_id = department_id or handler.department_id
    department = Department.get_or_none(Department.id == department_id)
    if department is None or not (department.head_name.strip() or department.head_email.strip()):
        return None
    same_email = (
        bool(handler.email) and handler.email.casefold() == department.head_email.casefold()
    )
    same_name = (
        " ".join(handler.name.split()).casefold()
        == " ".join(department.head_name.split()).casefold()
    )
    if same_email or same_name:
        return None
    return DepartmentHead(department.head_name, department.head_email, department.name)


def head_informed_text(complaint_id: int, head_informed: bool | None) -> str:
    """Whether the head of department was informed of the returned report (step 11), as the
    dossier and the completed report say it: "ja", "nee", "niet gevraagd" (no answer recorded
    while a head is known), or "" when there is no head to ask about."""
    if head_informed is not None:
        return "ja" if head_informed else "nee"
    return "niet gevraagd" if head_in_copy(complaint_id) is not None else ""


def clean_department_name(name: str) -> str:
    """The name with its spaces tidied; InvalidInput in Dutch when empty or holding characters
    no file can carry (control characters, a lone surrogate)."""
    # Line breaks and tabs read as a space here (a name pasted from a list).
    if problem := field_problem("department", name, label="Naam van de dienst", limit=ONE_LINE):
        raise InvalidInput({"name": problem})
    name = " ".join(name.split())
    if not name:
        raise InvalidInput({"name": "Geef de naam van de dienst."})
    return name


def clean_head(name: str, email: str) -> tuple[str, str]:
    """A department head's name and e-mail address tidied as a handler's are; InvalidInput in
    Dutch (fields ``head_name``, ``head_email``) when either is unfit. Both may be empty (no
    head known); an address without a name is refused, since letters and e-mails name them."""
    errors = field_errors(
        {"head_name": name, "head_email": email},
        limits={"head_name": ONE_LINE, "head_email": EMAIL},
        labels={
            "head_name": "Naam van het diensthoofd",
            "head_email": "E-mail van het diensthoofd",
        },
    )
    if errors:
        raise InvalidInput(errors)
    name, email = " ".join(name.split()), email.strip()
    if email:
        try:
            email = normalize_email(email)
        except ValueError as exc:
            errors["head_email"] = f"E-mail van het diensthoofd: {exc}"
        if not name:
            errors["head_name"] = "Geef ook de naam van het diensthoofd."
    if errors:
        raise InvalidInput(errors)
    return name, email


def add_department(
    ctx: ServiceContext, name: str, *, head_name: str = "", head_email: str = ""
) -> int:
    """Add a department, with its head when known."""
    name = clean_department_name(name)
    head_name, head_email = clean_head(head_name, head_email)
    with database.atomic():
        if Department.select().where(Department.name == name).exists():
            raise InvalidInput({"name": f"De dienst ‘{name}’ bestaat al."})
        department = Department.create(
            name=name, active=True, head_name=head_name, head_email=head_email
        )
        after: dict[str, object] = {"name": name}
        if head_name or head_email:
            after |= {"head_name": head_name, "head_email": head_email}
        append_event(ctx, "department", f"Dienst ‘{name}’ toegevoegd", after=after)
        return int(department.id)


def rename_department(
    ctx: ServiceContext,
    department_id: int,
    name: str,
    active: bool,
    *,
    head_name: str | None = None,
    head_email: str | None = None,
) -> None:
    """Change a department's name, whether it is active and (when given) its head; the head
    stays as it is when ``head_name`` and ``head_email`` are None."""
    name = clean_department_name(name)
    with database.atomic():
        department = Department.get_or_none(Department.id == department_id)
        if department is None:
            raise InvalidInput({"name": "Deze dienst bestaat niet (meer)."})
        head = clean_head(
            department.head_name if head_name is None else head_name,
            department.head_email if head_email is None else head_email,
        )
        clash = Department.select().where(Department.name == name, Department.id != department_id)
        if clash.exists():
            raise InvalidInput({"name": f"De dienst ‘{name}’ bestaat al."})
        before = {
            "name": department.name,
            "active": department.active,
            "head_name": department.head_name,
            "head_email": department.head_email,
        }
        department.name, department.active = name, active
        department.head_name, department.head_email = head
        department.save()
        after = {"name": name, "active": active, "head_name": head[0], "head_email": head[1]}
        append_event(
            ctx,
            "department",
            f"Dienst ‘{name}’ gewijzigd",
            before=before,
            after=after,
        )


def _clean_handler(data: HandlerData) -> HandlerData:
    errors = field_errors(
        {"name": data.name, "email": data.email, "phone": data.phone},
        limits={"name": ONE_LINE, "email": EMAIL, "phone": PHONE},
        labels={"name": "Naam van de behandelaar"},
    )
    if errors:
        raise InvalidInput(errors)
    name = " ".join(data.name.split())
    email, phone = data.email.strip(), data.phone.strip()
    if not name:
        errors["name"] = "Geef de naam van de klachtenbehandelaar."
    if email:
        try:
            email = normalize_email(email)
        except ValueError as exc:
            errors["email"] = str(exc)
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValueError as exc:
            errors["phone"] = str(exc)
    if data.department_id is not None and not Department.get_or_none(
        Department.id == data.department_id
    ):
        errors["department_id"] = "Deze dienst bestaat niet (meer)."
    if errors:
        raise InvalidInput(errors)
    return HandlerData(name, email, phone, data.department_id, data.active)


def save_handler(ctx: ServiceContext, data: HandlerData, handler_id: int | None = None) -> int:
    """Add a handler, or change one when ``handler_id`` is given."""
    with database.atomic():
        clean = _clean_handler(data)
        values = {
            "name": clean.name,
            "email": clean.email,
            "phone": clean.phone,
            "department": clean.department_id,
            "active": clean.active,
        }
        if handler_id is None:
            handler = Handler.create(**values)
            append_event(ctx, "handler", f"Behandelaar ‘{clean.name}’ toegevoegd", after=values)
        else:
            handler = Handler.get_by_id(handler_id)
            before = {
                k: getattr(handler, "department_id" if k == "department" else k) for k in values
            }
            Handler.update(**values).where(Handler.id == handler_id).execute()
            append_event(
                ctx, "handler", f"Behandelaar ‘{clean.name}’ gewijzigd", before=before, after=values
            )
        return int(handler.id)


def departments(*, include_inactive: bool = False) -> list[Department]:
    query = Department.select().order_by(Department.name)
    if not include_inactive:
        query = query.where(Department.active == True)  # noqa: E712 (peewee expression)
    return list(query)


def handlers(*, include_inactive: bool = False) -> list[Handler]:
    query = Handler.select().order_by(Handler.name)
    if not include_inactive:
        query = query.where(Handler.active == True)  # noqa: E712 (peewee expression)
    return list(query)
