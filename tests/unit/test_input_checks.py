"""Every text of an intake within its limit, refused in Dutch naming the field; dates in the
years a register can hold; no date arithmetic fails at the calendar's ends."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from klachtdesk.procedure import EarlierComplaint, Ground, InvalidInput, validate_intake
from klachtdesk.procedure.input_checks import FIELD_LABELS, date_problem, field_problem
from klachtdesk.procedure.intake import INTAKE_TEXTS, add_years, suggest_grounds
from klachtdesk.procedure.periods import FIRST_YEAR, LAST_YEAR
from klachtdesk.procedure.text_limits import FIELD_LIMITS, FREE_TEXT

from .test_intake import TODAY, intake


@pytest.mark.parametrize("field", INTAKE_TEXTS)
def test_each_intake_text_one_over_its_limit_is_refused_naming_the_field(field: str) -> None:
    limit = FIELD_LIMITS[field].max_chars
    with pytest.raises(InvalidInput) as refused:
        validate_intake(intake(**{field: "a" * (limit + 1)}), TODAY)
    assert list(refused.value.errors) == [field]
    message = refused.value.errors[field]
    assert message.startswith(f"{FIELD_LABELS[field]}: deze tekst is te lang")
    assert f"hoogstens {limit:,}".replace(",", ".") in message


@pytest.mark.parametrize("field", ["name", "street", "city", "description", "received_by"])
def test_each_intake_text_at_its_limit_is_accepted(field: str) -> None:
    limit = FIELD_LIMITS[field].max_chars
    accepted = validate_intake(intake(**{field: "a" * limit}), TODAY)
    assert len(getattr(accepted, field)) == limit


@pytest.mark.parametrize("bad", ["\x00", "\ud800", "\udfff", "\x1b[31m", "\x07"])
@pytest.mark.parametrize("field", INTAKE_TEXTS)
def test_nul_control_characters_and_lone_surrogates_are_refused_in_dutch(
    field: str, bad: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_intake(intake(**{field: f"P{bad}"}), TODAY)
    message = refused.value.errors[field]
    assert message.startswith(f"{FIELD_LABELS[field]}: deze tekst bevat")
    message.encode("utf-8")  # the refusal itself can be shown and stored


def test_a_line_break_in_a_name_reads_as_a_space_but_a_free_text_keeps_its_lines() -> None:
    accepted = validate_intake(
        intake(name="Marie\nPeeters", description="Regel een\nRegel twee"), TODAY
    )
    assert accepted.name == "Marie Peeters"
    assert accepted.description == "Regel een\nRegel twee"


def test_a_free_text_with_too_many_lines_is_refused() -> None:
    lines = FREE_TEXT.max_lines or 0
    assert validate_intake(intake(description="x\n" * (lines - 1) + "x"), TODAY)
    with pytest.raises(InvalidInput) as refused:
        validate_intake(intake(description="x\n" * lines + "x"), TODAY)
    assert "te veel regels: 501, hoogstens 500" in refused.value.errors["description"]


@pytest.mark.parametrize("year", [1, FIRST_YEAR - 1, LAST_YEAR + 1, 9999])
def test_a_facts_date_in_an_impossible_year_is_refused_not_a_crash(year: int) -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_intake(intake(facts_on=date(year, 1, 1)), TODAY)
    assert refused.value.errors == {
        "facts_on": f"Datum van de feiten: het jaar {year} kan niet; kies een jaar van "
        f"{FIRST_YEAR} tot en met {LAST_YEAR}."
    }


def test_a_complaint_received_in_year_one_is_refused_in_dutch() -> None:
    # Once: 'year 0 is out of range' from the suggestions of a complaint of year 1.
    with pytest.raises(InvalidInput) as refused:
        validate_intake(intake(received_on=date(1, 1, 1), facts_on=date(1, 1, 1)), date(1, 1, 2))
    assert set(refused.value.errors) == {"received_on", "facts_on"}
    assert "het jaar 1 kan niet" in refused.value.errors["received_on"]


def test_date_arithmetic_at_the_calendars_ends_never_fails() -> None:
    assert add_years(date.min, -1) == date.min
    assert add_years(date(1, 2, 28), -1) == date.min
    assert add_years(date.max, 1) == date.max
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    # The suggestions of a dossier at the edge (from before this check) still come.
    old = replace(intake(), received_on=date(1, 1, 1), facts_on=date(1, 1, 1))
    assert [s.ground for s in suggest_grounds(old, [])] == []
    edge = replace(intake(), received_on=date.max, facts_on=date.min)
    earlier = [EarlierComplaint(1, "2026-0001", date.max, frozenset({"email:x"}))]
    grounds = [s.ground for s in suggest_grounds(edge, earlier)]
    assert grounds == [Ground.FILED_BEFORE, Ground.OLDER_THAN_A_YEAR]


def test_a_date_problem_names_the_field_and_the_range() -> None:
    assert date_problem(date(FIRST_YEAR, 1, 1), "Datum") == ""
    assert date_problem(date(LAST_YEAR, 12, 31), "Datum") == ""
    assert date_problem(None, "Datum") == ""
    assert date_problem(date(2101, 1, 1), "Streefdatum").startswith("Streefdatum: het jaar 2101")


def test_a_field_without_a_limit_has_no_problem_and_one_with_names_itself() -> None:
    assert field_problem("geen veld", "x" * 10**6) == ""
    assert field_problem("department", "x" * 201).startswith("Dienst: deze tekst is te lang")


def test_an_improvement_due_in_an_impossible_year_is_refused_in_dutch() -> None:
    from klachtdesk.procedure.improvements import Improvement, validate_improvement

    with pytest.raises(InvalidInput) as refused:
        validate_improvement(
            Improvement("Nieuwe kalender.", 1, due_on=date(9999, 12, 31)),
            created_on=TODAY,
            today=TODAY,
        )
    assert refused.value.errors == {
        "due_on": f"Streefdatum: het jaar 9999 kan niet; kies een jaar van {FIRST_YEAR} tot en "
        f"met {LAST_YEAR}."
    }
