"""The one table of text limits and forbidden characters (procedure/text_limits.py)."""

from __future__ import annotations

import pytest

from klachtdesk.procedure import InvalidInput
from klachtdesk.procedure.text_limits import (
    FREE_TEXT,
    MAX_FILE_BYTES,
    NAME,
    check_texts,
    file_size_problem,
    one_line,
    text_errors,
    text_problem,
    without_forbidden_characters,
)


def test_a_name_at_its_limit_is_accepted_and_one_more_is_refused_with_both_numbers() -> None:
    assert text_problem("a" * NAME.max_chars, NAME) == ""
    problem = text_problem("a" * (NAME.max_chars + 1), NAME)
    assert "201 tekens" in problem and "hoogstens 200" in problem


def test_long_free_text_counts_in_flemish_thousands() -> None:
    assert "20.001 tekens" in text_problem("x" * 20_001, FREE_TEXT)


@pytest.mark.parametrize("bad", ["Jan\x00", "Jan\x1b[31m", "Jan\ud800", "\udfffx", "x\x7f"])
def test_nul_control_characters_and_lone_surrogates_are_refused(bad: str) -> None:
    assert text_problem(bad, FREE_TEXT)


def test_line_breaks_belong_in_free_texts_only() -> None:
    assert text_problem("regel 1\nregel 2\r\n\tsom", FREE_TEXT) == ""
    assert "één regel" in text_problem("Jan\nPeeters", NAME)
    assert "één regel" in text_problem("Jan\u2028Peeters", NAME)


def test_errors_are_named_per_field_and_unknown_fields_are_ignored() -> None:
    errors = text_errors({"name": "x" * 201, "city": "Leuven", "whatever": "\x00"})
    assert set(errors) == {"name"}
    with pytest.raises(InvalidInput) as raised:
        check_texts({"description": "\ud83d", "street": "Kerkstraat\n1"})
    assert set(raised.value.errors) == {"description", "street"}


def test_one_file_cap() -> None:
    assert file_size_problem(MAX_FILE_BYTES) == ""
    problem = file_size_problem(MAX_FILE_BYTES + 1, "‘scan.pdf’")
    assert problem.startswith("‘scan.pdf’ is te groot (51\u00a0MB)") and "tot 50\u00a0MB" in problem


def test_text_that_can_no_longer_be_refused_is_made_safe_the_same_way_everywhere() -> None:
    """What the e-mail intake, the mail headers and the exported cells do with a text."""
    hostile = "Jan\x00 \x1b[31mPeeters\r\n\tKerk\u2028straat \ud800 1\x7f"
    assert one_line(hostile) == "Jan [31mPeeters Kerk straat \ufffd 1"
    assert without_forbidden_characters(hostile) == (
        "Jan [31mPeeters\r\n\tKerk\u2028straat \ufffd 1"
    )
    assert text_problem(one_line(hostile), NAME) == ""


@pytest.mark.parametrize("override", ["\u202e", "\u202a", "\u202d", "\u2066", "\u2067", "\u2069"])
def test_bidi_overrides_and_isolates_are_refused_and_removed_where_they_cannot_be(
    override: str,
) -> None:
    """Invisible, they make a text show reversed: 'Tweede\u202e omgekeerd' reads
    'Tweededreekegmo'. Hebrew, Arabic and their marks (U+200E, U+200F) stay allowed."""
    text = f"Tweede{override} omgekeerd"
    assert "stuurtekens" in text_problem(text, FREE_TEXT)
    assert without_forbidden_characters(text) == "Tweede omgekeerd"
    for allowed in ("שלום", "مرحبا", "Jan \u200fPeeters\u200e"):
        assert text_problem(allowed, NAME) == ""
