"""Inhabitants per year (Settings, issue 12): validated, one transaction and event per change."""

from __future__ import annotations

import pytest

from klachtdesk.models import AuditEvent, Population, Register
from klachtdesk.procedure import InvalidInput
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.population import (
    inhabitants_in,
    parse_population,
    populations,
    remove_population,
    save_population,
)


def events() -> list[str]:
    query = AuditEvent.select().where(AuditEvent.action == "population").order_by(AuditEvent.id)
    return [e.summary for e in query]


@pytest.mark.parametrize(
    ("year", "inhabitants", "expected"),
    [
        ("2026", "21543", (2026, 21543)),
        (" 2026 ", "21.543", (2026, 21543)),
        ("2026", "21 543", (2026, 21543)),
        ("2026", "1.234.567", (2026, 1234567)),
    ],
)
def test_typed_numbers_as_a_flemish_reader_writes_them(
    year: str, inhabitants: str, expected: tuple[int, int]
) -> None:
    parsed = parse_population(year, inhabitants)
    assert (parsed.year, parsed.inhabitants) == expected


@pytest.mark.parametrize(
    ("year", "inhabitants", "messages"),
    [
        ("", "", {"year": "Vul het jaar in.", "inhabitants": "Vul het aantal inwoners in."}),
        ("26,5", "12", {"year": "Het jaar moet een positief geheel getal zijn."}),
        (
            "2026",
            "21,5",
            {"inhabitants": "Het aantal inwoners moet een positief geheel getal zijn."},
        ),
        ("2026", "-3", {"inhabitants": "Het aantal inwoners moet een positief geheel getal zijn."}),
        ("2026", "0", {"inhabitants": "Het aantal inwoners moet tussen 1 en 10.000.000 liggen."}),
        ("1850", "100", {"year": "Het jaar moet tussen 1900 en 2200 liggen."}),
        (
            "2026",
            "12.34",
            {"inhabitants": "Het aantal inwoners moet een positief geheel getal zijn."},
        ),
    ],
)
def test_wrong_input_is_refused_in_dutch(
    year: str, inhabitants: str, messages: dict[str, str]
) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_population(year, inhabitants)
    assert refused.value.errors == messages


def test_add_change_remove_each_one_event(register: Register, ctx: ServiceContext) -> None:
    assert save_population(ctx, 2025, 21543)
    assert save_population(ctx, 2026, 21987)
    assert not save_population(ctx, 2026, 21987)  # the same again: nothing to record
    assert save_population(ctx, 2025, 21600)
    assert [(p.year, p.inhabitants) for p in populations()] == [(2026, 21987), (2025, 21600)]
    assert remove_population(ctx, 2026)
    assert not remove_population(ctx, 2026)
    assert inhabitants_in(2026) is None and inhabitants_in(2025) == 21600
    assert events() == [
        "Inwoners 2025: 21.543",
        "Inwoners 2026: 21.987",
        "Inwoners 2025 gewijzigd: 21.543 → 21.600",
        "Inwoners 2026 verwijderd",
    ]
    event = AuditEvent.select().where(AuditEvent.action == "population").order_by(AuditEvent.id)[2]
    assert '"inhabitants": 21543' in event.before and '"inhabitants": 21600' in event.after


def test_out_of_range_numbers_are_refused_by_the_service_too(
    register: Register, ctx: ServiceContext
) -> None:
    with pytest.raises(InvalidInput):
        save_population(ctx, 2026, 0)
    with pytest.raises(InvalidInput):
        save_population(ctx, 99, 1000)
    assert Population.select().count() == 0 and events() == []


def test_a_number_of_thousands_of_digits_is_refused_not_a_traceback() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_population("2025", "9" * 5000)
    assert refused.value.errors == {"inhabitants": "Het aantal inwoners is veel te groot."}
    with pytest.raises(InvalidInput) as refused:
        parse_population("9" * 5000, "12")
    assert refused.value.errors == {"year": "Het jaar is veel te groot."}


def test_huge_or_wrongly_typed_values_given_to_the_service_are_refused_in_dutch(
    register: Register, ctx: ServiceContext
) -> None:
    assert inhabitants_in(10**30) is None  # sqlite cannot hold it; no year that far is stored
    with pytest.raises(InvalidInput) as refused:
        remove_population(ctx, 10**30)
    assert refused.value.errors == {"year": "Het jaar moet tussen 1900 en 2200 liggen."}
    with pytest.raises(InvalidInput) as refused:
        save_population(ctx, 2025, "abc")  # type: ignore[arg-type]
    assert refused.value.errors == {
        "inhabitants": "Het aantal inwoners moet een positief geheel getal zijn."
    }
    with pytest.raises(InvalidInput):
        save_population(ctx, 10**30, 10**30)
    with pytest.raises(InvalidInput):
        save_population(ctx, True, 12)  # type: ignore[arg-type]
    assert Population.select().count() == 0 and events() == []
