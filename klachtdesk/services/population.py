"""The municipality's inhabitants per year (Settings), for complaints per 1,000 inhabitants."""

from __future__ import annotations

import re
from dataclasses import dataclass

from klachtdesk.models import Population, database
from klachtdesk.procedure import InvalidInput
from klachtdesk.procedure.words import number

from .audit import append_event
from .context import ServiceContext

FIRST_YEAR = 1900
LAST_YEAR = 2200
#: More than any Belgian municipality (Antwerp has about 560,000).
MAX_INHABITANTS = 10_000_000

#: Thousands separators a Flemish reader types: '12.345', '12 345'.
#: More digits than any year or number of inhabitants has.
_MAX_DIGITS = 18
_SEPARATORS = re.compile(r"(?<=\d)[.\s\u00a0\u202f](?=\d{3}(?:\D|$))")


@dataclass(frozen=True)
class YearPopulation:
    year: int
    inhabitants: int


def populations() -> list[YearPopulation]:
    """Every year with its inhabitants, newest first."""
    return [
        YearPopulation(row.year, row.inhabitants)
        for row in Population.select().order_by(Population.year.desc())
    ]


def inhabitants_in(year: int) -> int | None:
    """The inhabitants recorded for ``year``; None when nobody entered them (nor could have:
    a year outside 1900–2200 or not a whole number)."""
    if not _is_whole(year) or not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    row = Population.get_or_none(Population.year == year)
    return None if row is None else int(row.inhabitants)


def parse_whole_number(text: str, field: str, what: str) -> int:
    """A positive whole number typed by a person ('12.345' and '12 345' too)."""
    cleaned = _SEPARATORS.sub("", text.strip())
    if not cleaned:
        raise InvalidInput({field: f"Vul {what} in."})
    if not (cleaned.isascii() and cleaned.isdecimal()):
        raise InvalidInput({field: f"{what.capitalize()} moet een positief geheel getal zijn."})
    if len(cleaned) > _MAX_DIGITS:  # far beyond any limit; int() refuses 4,300 digits
        raise InvalidInput({field: f"{what.capitalize()} is veel te groot."})
    return int(cleaned)


def parse_population(year_text: str, inhabitants_text: str) -> YearPopulation:
    """The year and inhabitants as typed in Settings, checked; InvalidInput in Dutch."""
    errors: dict[str, str] = {}
    year = inhabitants = 0
    try:
        year = parse_whole_number(year_text, "year", "het jaar")
    except InvalidInput as exc:
        errors.update(exc.errors)
    try:
        inhabitants = parse_whole_number(inhabitants_text, "inhabitants", "het aantal inwoners")
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    return _checked(year, inhabitants)


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _checked(year: int, inhabitants: int) -> YearPopulation:
    errors = {}
    if not _is_whole(year) or not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = f"Het jaar moet tussen {FIRST_YEAR} en {LAST_YEAR} liggen."
    if not _is_whole(inhabitants):
        errors["inhabitants"] = "Het aantal inwoners moet een positief geheel getal zijn."
    elif not 1 <= inhabitants <= MAX_INHABITANTS:
        errors["inhabitants"] = (
            f"Het aantal inwoners moet tussen 1 en {number(MAX_INHABITANTS)} liggen."
        )
    if errors:
        raise InvalidInput(errors)
    return YearPopulation(year, inhabitants)


def save_population(ctx: ServiceContext, year: int, inhabitants: int) -> bool:
    """Record or change the inhabitants of ``year``; True when something changed.

    One transaction with an audit event."""
    checked = _checked(year, inhabitants)
    with database.atomic():
        before = inhabitants_in(checked.year)
        if before == checked.inhabitants:
            return False
        Population.replace(year=checked.year, inhabitants=checked.inhabitants).execute()
        shown = f"{number(checked.inhabitants)}"
        summary = (
            f"Inwoners {checked.year}: {shown}"
            if before is None
            else f"Inwoners {checked.year} gewijzigd: {number(before)} → {shown}"
        )
        append_event(
            ctx,
            "population",
            summary,
            before={"year": checked.year, "inhabitants": before},
            after={"year": checked.year, "inhabitants": checked.inhabitants},
        )
    return True


def remove_population(ctx: ServiceContext, year: int) -> bool:
    """Forget the inhabitants of ``year``; True when there were any. One transaction."""
    if not _is_whole(year) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput({"year": f"Het jaar moet tussen {FIRST_YEAR} en {LAST_YEAR} liggen."})
    with database.atomic():
        before = inhabitants_in(year)
        if before is None:
            return False
        Population.delete().where(Population.year == year).execute()
        append_event(
            ctx,
            "population",
            f"Inwoners {year} verwijderd",
            before={"year": year, "inhabitants": before},
            after={"year": year, "inhabitants": None},
        )
    return True
