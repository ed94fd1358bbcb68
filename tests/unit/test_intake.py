"""Intake validation (step 2) and admissibility suggestions (step 6)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from klachtdesk.procedure import (
    Channel,
    EarlierComplaint,
    Ground,
    Intake,
    InvalidInput,
    person_keys,
    suggest_grounds,
    validate_intake,
)
from klachtdesk.procedure.intake import add_years, normalize_phone

TODAY = date(2026, 3, 10)


def intake(**changes: object) -> Intake:
    base = Intake(
        channel=Channel.PHONE,
        received_on=date(2026, 3, 9),
        description="De container werd niet geledigd.",
        received_by="Klachtencoördinator",
        name="Marie Peeters",
        street="Kerkstraat 12",
        postal_code="3000",
        city="Leuven",
    )
    return replace(base, **changes)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0478 12 34 56", "+32 478 12 34 56"),
        ("+32478123456", "+32 478 12 34 56"),
        ("0032 478/12.34.56", "+32 478 12 34 56"),
        ("016 21 12 11", "+32 16 21 12 11"),
        ("02 279 22 11", "+32 2 279 22 11"),
        ("+31 20 123 4567", "+31 20 123 4567"),
        ("+33 1 42 68 53 00", "+33 1 42 68 53 00"),
    ],
)
def test_belgian_and_international_numbers_are_accepted_and_formatted(
    typed: str, stored: str
) -> None:
    assert validate_intake(intake(phone=typed), TODAY).phone == stored


@pytest.mark.parametrize("typed", ["12345", "hallo", "0478 12", "+32 999 99 99 99 99"])
def test_impossible_phone_numbers_are_refused_in_dutch(typed: str) -> None:
    with pytest.raises(InvalidInput) as err:
        validate_intake(intake(phone=typed), TODAY)
    assert "telefoonnummer" in err.value.errors["phone"]


def test_email_syntax_is_checked_without_network() -> None:
    assert (
        validate_intake(intake(email=" Marie.Peeters@Example.be "), TODAY).email
        == "Marie.Peeters@example.be"
    )
    for bad in ["marie@", "marie peeters@example.be", "marie@@example.be", "@example.be"]:
        with pytest.raises(InvalidInput) as err:
            validate_intake(intake(email=bad), TODAY)
        assert "e-mailadres" in err.value.errors["email"]


def test_required_fields_are_reported_together() -> None:
    with pytest.raises(InvalidInput) as err:
        validate_intake(intake(description="  ", received_by=""), TODAY)
    assert set(err.value.errors) == {"description", "received_by"}


def test_email_complaint_needs_an_address_for_the_answer() -> None:
    with pytest.raises(InvalidInput) as err:
        validate_intake(intake(channel=Channel.EMAIL, email=""), TODAY)
    assert "email" in err.value.errors


def test_dates_may_not_be_in_the_future() -> None:
    with pytest.raises(InvalidInput) as err:
        validate_intake(intake(received_on=date(2026, 3, 11)), TODAY)
    assert "received_on" in err.value.errors
    with pytest.raises(InvalidInput) as err:
        validate_intake(intake(facts_on=date(2026, 3, 10)), TODAY)
    assert "facts_on" in err.value.errors


def test_facts_date_is_optional_and_coordinator_receipt_defaults_to_receipt() -> None:
    clean = validate_intake(intake(facts_on=None), TODAY)
    assert clean.coordinator_received_on == clean.received_on


def test_immediate_solution_must_be_described() -> None:
    with pytest.raises(InvalidInput) as err:
        validate_intake(intake(solved_immediately=True, immediate_solution=""), TODAY)
    assert "immediate_solution" in err.value.errors


def test_overlong_description_is_refused() -> None:
    with pytest.raises(InvalidInput):
        validate_intake(intake(description="x" * 20_001), TODAY)


def test_no_name_suggests_anonymous() -> None:
    suggestions = suggest_grounds(validate_intake(intake(name=""), TODAY), [])
    assert [s.ground for s in suggestions] == [Ground.ANONYMOUS]


@pytest.mark.parametrize(
    ("facts_on", "received_on", "suggested"),
    [
        (date(2025, 3, 9), date(2026, 3, 9), False),  # exactly one year: not more
        (date(2025, 3, 8), date(2026, 3, 9), True),
        (date(2027, 2, 28), date(2028, 2, 29), False),  # a year before the leap day
        (date(2027, 2, 27), date(2028, 2, 29), True),
    ],
)
def test_facts_older_than_a_year_suggest_ground_3(
    facts_on: date, received_on: date, suggested: bool
) -> None:
    clean = validate_intake(intake(facts_on=facts_on, received_on=received_on), date(2028, 3, 1))
    grounds = [s.ground for s in suggest_grounds(clean, [])]
    assert (Ground.OLDER_THAN_A_YEAR in grounds) is suggested


def test_earlier_complaint_by_the_same_person_is_suggested_with_references() -> None:
    earlier = EarlierComplaint(3, "2026-0003", date(2026, 1, 5), frozenset({"email:m@x.be"}))
    suggestions = suggest_grounds(validate_intake(intake(), TODAY), [earlier])
    assert suggestions[0].ground is Ground.FILED_BEFORE
    assert "2026-0003" in suggestions[0].reason and "e-mailadres" in suggestions[0].reason
    assert suggestions[0].earlier == (earlier,)


def test_person_keys_match_name_and_address_email_or_phone() -> None:
    a = validate_intake(intake(email="m@x.be", phone="0478 12 34 56"), TODAY)
    b = validate_intake(
        intake(name="MARIE  PÉETERS", street="kerkstraat 12", email="", phone="+32478123456"), TODAY
    )
    assert person_keys(a) & person_keys(b) == {
        "phone:32478123456",
        "person:marie peeters|kerkstraat 12|3000",
    }
    assert (
        person_keys(validate_intake(intake(name="", street="", phone="", email=""), TODAY)) == set()
    )


def test_add_years_handles_the_leap_day() -> None:
    assert add_years(date(2028, 2, 29), -1) == date(2027, 2, 28)
    assert add_years(date(2026, 3, 1), 1) == date(2027, 3, 1)


def test_normalize_phone_message_names_the_input() -> None:
    with pytest.raises(ValueError, match="abc"):
        normalize_phone("abc")
