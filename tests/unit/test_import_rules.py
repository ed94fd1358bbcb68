"""The pure rules of the import: dates, headers, values (no database)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from klachtdesk.procedure import InvalidInput
from klachtdesk.procedure.import_rules import (
    ImportField,
    cell_text,
    department_spelling_key,
    find_header_row,
    guess_columns,
    identity_key,
    parse_date,
    parse_date_in_range,
    split_address,
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("3/2/2024", date(2024, 2, 3)),  # day first, as in Belgium
        ("03-02-2024", date(2024, 2, 3)),
        ("3.2.24", date(2024, 2, 3)),
        ("3 februari 2024", date(2024, 2, 3)),
        ("zaterdag 3 Februari 2024", date(2024, 2, 3)),
        ("3 feb. 2024", date(2024, 2, 3)),
        ("2024-02-03", date(2024, 2, 3)),
        ("  3/2/2024 ", date(2024, 2, 3)),
        (45325, date(2024, 2, 3)),  # an Excel serial number
        (45325.0, date(2024, 2, 3)),
        ("45325", date(2024, 2, 3)),
        (datetime(2024, 2, 3, 0, 0), date(2024, 2, 3)),
        (date(2024, 2, 3), date(2024, 2, 3)),
        (None, None),
        ("   ", None),
    ],
)
def test_dates_in_every_form(cell: object, expected: date | None) -> None:
    assert parse_date(cell) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("31/02/2024", "‘31/02/2024’ is geen bestaande datum."),
        ("30 februari 2024", "‘30 februari 2024’ is geen bestaande datum."),
        ("gisteren", "‘gisteren’ is geen datum."),
        (12, "‘12’ is geen datum."),
    ],
)
def test_impossible_dates_are_refused_in_dutch(cell: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(cell)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_headers_are_guessed_whatever_their_case_accents_and_spaces() -> None:
    headers = [
        " Datum ",
        "NAAM KLAGER",
        "E-mailadres",
        "Straat + nr",
        "Postcode",
        "Gemeente",
        "Afdeling",
        "Omschrijving van de klacht",
        "Ontvankelijk?",
        "Behandelaar",
        "Uitkomst",
        "Datum antwoord",
        "Opmerkingen",
    ]
    assert guess_columns(headers) == {
        ImportField.RECEIVED_ON: 0,
        ImportField.NAME: 1,
        ImportField.EMAIL: 2,
        ImportField.STREET: 3,
        ImportField.POSTAL_CODE: 4,
        ImportField.CITY: 5,
        ImportField.DEPARTMENT: 6,
        ImportField.DESCRIPTION: 7,
        ImportField.ADMISSIBLE: 8,
        ImportField.HANDLER: 9,
        ImportField.OUTCOME: 10,
        ImportField.REPLY_SENT_ON: 11,
    }


def test_the_header_row_is_found_below_title_rows() -> None:
    rows = [["Klachten 2024 gemeente X"], [None], ["Datum", "Naam", "Omschrijving"], ["1/1/2024"]]
    assert find_header_row(rows) == 2
    with pytest.raises(InvalidInput, match="Geen rij met kolomtitels"):
        find_header_row([["a", "b"], [1, 2]])


def test_three_spellings_of_a_department_are_one() -> None:
    keys = {
        department_spelling_key(s)
        for s in ("Milieu & Afval", "milieu en afval ", "MILIEU-EN-AFVAL", "Dienst milieu en afval")
    }
    assert keys == {"milieu en afval"}


def test_addresses_are_split() -> None:
    assert split_address("Kerkstraat 12, 3000 Leuven") == ("Kerkstraat 12", "3000", "Leuven")
    assert split_address("Markt 1 3000 Leuven") == ("Markt 1", "3000", "Leuven")
    assert split_address("Kerkstraat 12") == ("Kerkstraat 12", "", "")


def test_the_identity_key_ignores_case_accents_spacing_and_punctuation() -> None:
    day = date(2024, 2, 3)
    key = identity_key(day, "José Peeters", "Container niet geledigd.")
    assert identity_key(day, "  JOSE   PEETERS ", "container NIET geledigd") == key
    assert identity_key(day, "José Peeters", "Container niet geledigd!") == key
    assert identity_key(date(2024, 2, 4), "José Peeters", "Container niet geledigd.") != key
    assert identity_key(day, "Jos Peeters", "Container niet geledigd.") != key
    assert identity_key(day, "José Peeters", "Container wel geledigd.") != key


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("Jo\x00sé\x1b[31m Pee\x07ters\ud800 ", "José[31m Peeters"),
        ("Lijn een\nlijn\ttwee\r\n", "Lijn een lijn twee"),
        ("\x85\x9f\ufffe", ""),
        (True, "WAAR"),
        (False, "ONWAAR"),
        (1e300, "1E+300"),
        (0.1 + 0.2, "0.3"),
        (45325.0, "45325"),
        (timedelta(days=45000), "1080000:00:00"),
        (time(9, 30), "09:30"),
        (datetime(2024, 2, 3, 14, 5), "03/02/2024 14:05"),
        (date(2024, 2, 3), "03/02/2024"),
    ],
)
def test_cells_read_as_the_coordinator_sees_them_without_control_characters(
    cell: object, text: str
) -> None:
    assert cell_text(cell) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("1/1/0001", "‘1/1/0001’ ligt buiten 1950–2027: kijk het jaartal na."),
        ("3/2/2204", "‘3/2/2204’ ligt buiten 1950–2027: kijk het jaartal na."),
        (datetime(1900, 1, 1), "‘01/01/1900’ ligt buiten 1950–2027: kijk het jaartal na."),
        (True, "‘WAAR’ is geen datum."),
        (timedelta(days=45000), "‘1080000:00:00’ is geen datum."),
        (1e300, "‘1E+300’ is geen datum."),
        (45000.5e10, "‘450005000000000’ is geen datum."),
    ],
)
def test_dates_outside_the_years_or_not_dates_are_refused_as_typed(
    cell: object, message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date_in_range(cell, date(2026, 3, 2))  # type: ignore[arg-type]
    assert str(caught.value) == message
