"""The pure rules of the import: dates, headers, values (no database)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from klachtdesk.procedure import InvalidInput
from klachtdesk.procedure.import_rules import (
    ImportField,
    department_spelling_key,
    find_header_row,
    guess_columns,
    identity_key,
    parse_date,
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
