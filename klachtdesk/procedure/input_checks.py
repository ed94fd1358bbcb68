"""Typed and imported texts and dates checked against the register's limits, each refusal
saying, in Dutch, which field it is about.

The limits themselves are in :mod:`klachtdesk.procedure.text_limits` (one table for forms,
services and e-mail intake); this module names the fields a person sees, adds the limits of
texts that are not a dossier's column (a department, a letterhead, a document's title), and
keeps typed dates within the years a register can hold (:data:`periods.FIRST_YEAR` to
:data:`periods.LAST_YEAR`): a date in year 1 or 9999 once crashed the date arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from .errors import InvalidInput
from .periods import FIRST_YEAR, LAST_YEAR
from .text_limits import (
    CITY,
    EMAIL,
    FIELD_LIMITS,
    FREE_TEXT,
    NAME,
    PHONE,
    POSTAL_CODE,
    SHORT_TEXT,
    STREET,
    TextLimit,
    text_errors,
    text_problem,
)

#: The Dutch name of each limited field, as its form labels it.
FIELD_LABELS: dict[str, str] = {
    "name": "Naam",
    "street": "Straat",
    "postal_code": "Postcode",
    "city": "Gemeente",
    "phone": "Telefoon",
    "email": "E-mail",
    "received_by": "Ontvangen door",
    "forwarded_by": "Doorgestuurd door",
    "person_concerned": "Betrokken persoon",
    "description": "Omschrijving",
    "immediate_solution": "Oplossing",
    "admissibility_motivation": "Motivering",
    "investigation_contacts": "Contacten",
    "investigation_summary": "Samenvatting",
    "solution": "Oplossing",
    "report_text": "Rapport",
    "reply_text": "Motiverende brief",
    "review_failed_reason": "Reden",
    "withdrawal_reason": "Reden",
    "extension_motivation": "Motivering verlenging",
    # Not a dossier's column:
    "department": "Dienst",
    "handler": "Behandelaar",
    "title": "Titel",
    "website": "Website",
    "logo_path": "Logo",
    "letter_text": "Standaardtekst",
    "filename": "Bestandsnaam",
    "improvement": "Omschrijving",
}

#: An improvement action's description (procedure.improvements.DESCRIPTION_MAX).
IMPROVEMENT_TEXT = TextLimit(2_000, multiline=True, max_lines=FREE_TEXT.max_lines)

#: The limits of the texts that are not a dossier's column, by the names above.
OTHER_LIMITS: dict[str, TextLimit] = {
    "department": NAME,
    "handler": NAME,
    "title": SHORT_TEXT,
    "website": SHORT_TEXT,
    "logo_path": TextLimit(4_096),
    "letter_text": FREE_TEXT,
    "filename": SHORT_TEXT,
    "improvement": IMPROVEMENT_TEXT,
}

#: Every limit by field name: a dossier's columns and the others.
LIMITS: dict[str, TextLimit] = {**FIELD_LIMITS, **OTHER_LIMITS}

#: The municipality and coordinator settings: their fields' limits.
MUNICIPALITY_LIMITS: dict[str, TextLimit] = {
    "name": NAME,
    "street": STREET,
    "postal_code": POSTAL_CODE,
    "city": CITY,
    "website": SHORT_TEXT,
    "logo_path": OTHER_LIMITS["logo_path"],
}
COORDINATOR_LIMITS: dict[str, TextLimit] = {
    "name": NAME,
    "title": NAME,
    "phone": PHONE,
    "email": EMAIL,
}

YEAR_RANGE = f"een jaar van {FIRST_YEAR} tot en met {LAST_YEAR}"


def labelled(label: str, problem: str) -> str:
    """'Naam: deze tekst is te lang: …' — the problem with the field it is about."""
    return f"{label}: {problem[:1].lower()}{problem[1:]}" if problem else ""


def field_problem(
    name: str, text: str, *, label: str | None = None, limit: TextLimit | None = None
) -> str:
    """Why ``text`` cannot go in the field ``name``, in Dutch with the field's label; empty
    when it can (or when the field has no limit)."""
    limit = limit or LIMITS.get(name)
    if limit is None:
        return ""
    return labelled(label or FIELD_LABELS.get(name, name), text_problem(text, limit))


def field_errors(
    values: Mapping[str, str],
    *,
    limits: Mapping[str, TextLimit] | None = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The problem of each field of ``values`` (name -> text), by name, labelled: the
    problems of :func:`text_limits.text_errors`, each with its field's label."""
    problems = text_errors(dict(values), dict(LIMITS if limits is None else limits))
    return {
        name: labelled((labels or {}).get(name) or FIELD_LABELS.get(name, name), problem)
        for name, problem in problems.items()
    }


def check_fields(
    values: Mapping[str, str],
    *,
    limits: Mapping[str, TextLimit] | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """Raise :class:`InvalidInput` naming every field of ``values`` that cannot be accepted."""
    errors = field_errors(values, limits=limits, labels=labels)
    if errors:
        raise InvalidInput(errors)


def date_problem(day: date | None, label: str) -> str:
    """Why a typed or imported date cannot be accepted (a year the register cannot hold), in
    Dutch; empty when it can or when there is no date."""
    if day is None or FIRST_YEAR <= day.year <= LAST_YEAR:
        return ""
    return f"{label}: het jaar {day.year} kan niet; kies {YEAR_RANGE}."


def date_errors(values: Mapping[str, tuple[date | None, str]]) -> dict[str, str]:
    """The problem of each date of ``values`` (name -> (date, label)), by name."""
    return {
        name: problem
        for name, (day, label) in values.items()
        if (problem := date_problem(day, label))
    }
