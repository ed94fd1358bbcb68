"""Phone numbers: possible numbers of a known zone that the numbering data lack are kept."""

from __future__ import annotations

import phonenumbers
import pytest

from klachtdesk.procedure.intake import normalize_phone, phone_hint


@pytest.mark.parametrize(
    ("typed", "stored", "zone"),
    [
        ("03 123 45 67", "+32 3 123 45 67", "Antwerpen"),
        ("02 123 45 67", "+32 2 123 45 67", "Brussel"),
    ],
)
def test_possible_but_unallocated_numbers_are_kept_with_a_hint(
    typed: str, stored: str, zone: str
) -> None:
    number = phonenumbers.parse(typed, "BE")
    # The reason for the rule: phonenumbers calls these possible, but not valid (allocated).
    assert phonenumbers.is_possible_number(number) and not phonenumbers.is_valid_number(number)
    assert normalize_phone(typed) == stored
    assert f"zone {zone}" in phone_hint(typed) and "nog eens na" in phone_hint(typed)


@pytest.mark.parametrize("typed", ["0478 12 34 56", "016 21 12 11", "+31 20 123 4567", ""])
def test_ordinary_numbers_get_no_hint(typed: str) -> None:
    assert phone_hint(typed) == ""


@pytest.mark.parametrize("typed", ["0470 12 34 5", "0478 12", "hallo"])
def test_a_digit_missing_or_no_number_is_still_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="telefoonnummer"):
        normalize_phone(typed)
    assert phone_hint(typed) == ""
