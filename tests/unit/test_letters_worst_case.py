"""Every letter kind with the longest input the register accepts (every field at its limit, as
words, as one unbroken word and as many lines) is made, and its text read back whole.

How long that takes is measured by benchmarks/letters_worst_case.py, not asserted here.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from klachtdesk.letters.layout import PIECE_CHARS, pieces, render
from klachtdesk.procedure.text_limits import FIELD_LIMITS, FREE_TEXT, text_problem

from .worst_case_letters import END, LETTERS, SHAPES, facts, filled, text


def read_back(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("shape", [s for s in SHAPES if s != "gewoon"])
def test_the_worst_case_input_is_accepted_input(shape: str) -> None:
    # Otherwise the letters below would be tested on what the register refuses anyway.
    f = facts(shape)
    for name in ("name", "street", "postal_code", "city", "phone", "email", "description"):
        value = getattr(f, name)
        assert len(value) == FIELD_LIMITS[name].max_chars
        assert text_problem(value, FIELD_LIMITS[name]) == ""
    assert text_problem(text(shape), FREE_TEXT) == ""


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kind", LETTERS)
def test_every_letter_kind_prints_the_longest_input_whole(kind: str, shape: str) -> None:
    pdf = render(LETTERS[kind](shape))
    printed = read_back(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert f"pagina {pages} van {pages}" in printed
    if shape == "gewoon" or kind == "klachtenformulier":
        return
    # Every long text is printed to its very end, once for each place it appears.
    ends = len(re.findall(END, printed))
    assert ends >= 1
    joined = re.sub(r"\s+", "", printed)
    if shape == "zonder spaties":
        # An unbroken 20,000-character word is wrapped over lines, not lost (the admissible
        # acknowledgement holds no free text: its 200-character name is in the salutation).
        # Page headers come between its lines in the text read back: its letters are counted.
        if kind == "ontvangstmelding ontvankelijk":
            assert "W" * 195 + END in joined
        else:
            assert joined.count("W") >= 19_995
    if shape == "regels" and kind in ("afgewerkt rapport", "motiverende brief"):
        lines = [line for line in printed.splitlines() if re.fullmatch(r"x+", line.strip())]
        assert len(lines) >= FREE_TEXT.max_lines - 1  # type: ignore[operator]


def test_a_long_text_is_cut_between_lines_and_comes_back_whole() -> None:
    for shape in ("woorden", "zonder spaties", "regels"):
        long = filled(FREE_TEXT.max_chars, shape)
        parts = pieces(long)
        assert len(parts) > 1
        assert all(len(p) <= PIECE_CHARS for p in parts)
        joiner = "\n" if shape == "regels" else ""
        assert joiner.join(parts) == long


def test_only_a_word_longer_than_any_real_one_is_broken_over_lines_before_wrapping() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from klachtdesk.letters.layout import FONT, LONG_WORD, LONG_WORD_WIDTH, _break_long_words

    address = "https://www.herent.be/" + "a" * 200
    assert _break_long_words(f"Zie {address} aub") == f"Zie {address} aub"
    word = "W" * (LONG_WORD * 10)
    lines = _break_long_words(f"Begin {word} einde").split("\n")
    assert "".join(lines) == f"Begin {word} einde"
    assert all(stringWidth(line, FONT, 10.5) <= LONG_WORD_WIDTH for line in lines[1:-1])
