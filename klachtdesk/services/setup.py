"""The municipality and coordinator details, and the first-run setup in one transaction."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

from klachtdesk.models import database
from klachtdesk.procedure import InvalidInput, TimeLimits, UserError
from klachtdesk.procedure.input_checks import (
    COORDINATOR_LIMITS,
    MUNICIPALITY_LIMITS,
    check_fields,
)
from klachtdesk.procedure.intake import normalize_email, normalize_phone

from .audit import append_event
from .context import ServiceContext
from .mail import SmtpSettings, save_smtp_settings, smtp_settings
from .organisation import HandlerData, add_department, save_handler
from .settings import (
    apply_time_limits_to_open,
    get_setting,
    idle_lock_minutes,
    set_idle_lock_minutes,
    set_setting,
    set_time_limits,
    time_limits,
)

MUNICIPALITY_KEY = "municipality"
WINDOW_KEY = "envelope_window"
COORDINATOR_KEY = "coordinator"


@dataclass(frozen=True)
class Municipality:
    name: str
    street: str = ""
    postal_code: str = ""
    city: str = ""
    website: str = ""
    logo_path: str = ""


@dataclass(frozen=True)
class Coordinator:
    name: str
    title: str = "Klachtencoördinator"
    phone: str = ""
    email: str = ""


def _clean(value: Any) -> Any:
    cleaned = {f.name: " ".join(str(getattr(value, f.name)).split()) for f in fields(value)}
    return type(value)(**cleaned)


def _check_texts(value: Any, limits: dict[str, Any], labels: dict[str, str]) -> None:
    """Every field of ``value`` within its limit, without characters no file can hold."""
    check_fields({name: str(getattr(value, name)) for name in limits}, limits=limits, labels=labels)


def validate_municipality(municipality: Municipality) -> Municipality:
    _check_texts(
        municipality,
        MUNICIPALITY_LIMITS,
        {"name": "Naam van het bestuur", "street": "Straat", "website": "Website"},
    )
    municipality = _clean(municipality)
    if not municipality.name:
        raise InvalidInput({"name": "Geef de naam van het bestuur, zoals op de briefhoofding."})
    return municipality


def validate_coordinator(coordinator: Coordinator) -> Coordinator:
    _check_texts(
        coordinator,
        COORDINATOR_LIMITS,
        {"name": "Naam van de klachtencoördinator", "title": "Functie"},
    )
    coordinator = _clean(coordinator)
    errors: dict[str, str] = {}
    if not coordinator.name:
        errors["name"] = "Geef de naam van de klachtencoördinator."
    phone, email = coordinator.phone, coordinator.email
    try:
        phone = normalize_phone(phone) if phone else ""
    except ValueError as exc:
        errors["phone"] = str(exc)
    try:
        email = normalize_email(email) if email else ""
    except ValueError as exc:
        errors["email"] = str(exc)
    if errors:
        raise InvalidInput(errors)
    return Coordinator(coordinator.name, coordinator.title, phone, email)


def municipality() -> Municipality | None:
    stored = get_setting(MUNICIPALITY_KEY)
    return Municipality(**stored) if stored else None


def coordinator() -> Coordinator | None:
    stored = get_setting(COORDINATOR_KEY)
    return Coordinator(**stored) if stored else None


def save_municipality(ctx: ServiceContext, value: Municipality) -> None:
    set_setting(ctx, MUNICIPALITY_KEY, asdict(validate_municipality(value)), "Bestuur gewijzigd")


def save_coordinator(ctx: ServiceContext, value: Coordinator) -> None:
    set_setting(
        ctx, COORDINATOR_KEY, asdict(validate_coordinator(value)), "Klachtencoördinator gewijzigd"
    )


def initial_setup(
    ctx: ServiceContext,
    municipality_data: Municipality,
    coordinator_data: Coordinator,
    departments: list[str],
    handlers: list[tuple[str, str, str]],
) -> None:
    """First run: municipality, coordinator, departments and (name, e-mail, department) handlers."""
    with database.atomic():
        save_municipality(ctx, municipality_data)
        save_coordinator(ctx, coordinator_data)
        ids: dict[str, int] = {}
        for name in departments:
            if name.strip() and name.strip() not in ids:
                ids[name.strip()] = add_department(ctx, name)
        for name, email, department in handlers:
            if not name.strip():
                continue
            if department.strip() and department.strip() not in ids:
                raise UserError(
                    f"De dienst ‘{department.strip()}’ van {name.strip()} staat niet bij de "
                    "diensten: voeg ze daar toe, of verbeter de naam."
                )
            save_handler(ctx, HandlerData(name, email, "", ids.get(department.strip())))
        append_event(ctx, "setup", "Klachtdesk ingericht")


def envelope_window() -> Literal["left", "right"]:
    """Where the address goes: for envelopes with the window on the left or on the right."""
    return "right" if get_setting(WINDOW_KEY, "left") == "right" else "left"


def save_settings(
    ctx: ServiceContext,
    municipality_data: Municipality,
    coordinator_data: Coordinator,
    limits: TimeLimits,
    idle_minutes: int,
    *,
    window: Literal["left", "right"] = "left",
    smtp: SmtpSettings | None = None,
    apply_limits_to_open: bool = False,
) -> None:
    """The settings dialog's general part, saved together or not at all.

    New limits hold for dossiers registered from now on; with ``apply_limits_to_open`` the
    open dossiers get them too.
    """
    with database.atomic():
        if window != envelope_window():
            set_setting(ctx, WINDOW_KEY, window, f"Venster van de envelop: {window}")
        if smtp is not None and smtp != smtp_settings():
            save_smtp_settings(ctx, smtp)
        save_municipality(ctx, municipality_data)
        save_coordinator(ctx, coordinator_data)
        if limits != time_limits():
            set_time_limits(ctx, limits)
        if apply_limits_to_open:
            apply_time_limits_to_open(ctx, limits)
        if idle_minutes != idle_lock_minutes():
            set_idle_lock_minutes(ctx, idle_minutes)
