"""What a citizen or coordinator notices in the letters: every document is made whatever was
typed (nothing, or 20,000 characters), names in any script print as themselves, the texts
say what the procedure requires, and the blocks sit where a window envelope needs them."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from klachtdesk.letters.documents import (
    ComplaintFacts,
    Findings,
    HandlerFacts,
    acknowledgement,
    intake_form,
    reasoned_reply,
    report,
)
from klachtdesk.letters.layout import GLYPHS, LEFT, REPLACEMENT, Letter, printable, render
from klachtdesk.letters.texts import DEFAULT_TEXTS, NO_JUDGEMENT_KEYS
from klachtdesk.procedure import FormOfAddress, Ground, NoJudgementReason, salutation

from .test_letters import FACTS, HANDLER, SETUP, flat, pages, text_of

DAY = date(2026, 3, 5)
# 20,000 characters of words, with a marker at the very end to prove nothing is lost.
LONG = ("Een zeer lange tekst over de klacht. " * 600)[: 20_000 - 5] + "EINDE"

Make = Callable[[ComplaintFacts, HandlerFacts, str], Letter]
DOCUMENTS: dict[str, Make] = {
    "ontvangstmelding ontvankelijk": lambda f, h, t: acknowledgement(
        SETUP, f, DAY, admissible=True, answer_by=date(2026, 4, 16), handler=h.name,
        handler_department=h.department,
    ),
    "ontvangstmelding niet ontvankelijk": lambda f, h, t: acknowledgement(
        SETUP, f, DAY, admissible=False, answer_by=date(2026, 4, 16), grounds=list(Ground),
        motivation=t,
    ),
    "rapport behandelaar": lambda f, h, t: report(
        SETUP, f, DAY, handler=h, acknowledged_on=None, handler_due=date(2026, 4, 1)
    ),
    "afgewerkt rapport": lambda f, h, t: report(
        SETUP, f, DAY, handler=h, acknowledged_on=DAY, handler_due=date(2026, 4, 1),
        findings=Findings(t, t, t, t, t, t),
    ),
    "motiverende brief": lambda f, h, t: reasoned_reply(
        SETUP, f, DAY, outcome=t, solution=t, reply=t
    ),
    "motiverende brief geen oordeel": lambda f, h, t: reasoned_reply(
        SETUP, f, DAY, outcome="geen oordeel", solution=t, reply=t,
        no_judgement=NoJudgementReason.UNCLEAR,
    ),
}  # fmt: skip


def every_field(text: str) -> tuple[ComplaintFacts, HandlerFacts]:
    facts = replace(
        FACTS,
        name=text,
        street=text,
        postal_code=text,
        city=text,
        description=text,
        phone=text,
        email=text,
        department=text,
    )
    return facts, HandlerFacts(text, text, text, text)


@pytest.mark.parametrize("kind", DOCUMENTS)
@pytest.mark.parametrize("size", ["leeg", "20.000 tekens"])
def test_every_document_is_made_for_empty_and_very_long_fields(kind: str, size: str) -> None:
    text = LONG if size != "leeg" else ""
    facts, handler = every_field(text)
    texts = pages(render(DOCUMENTS[kind](facts, handler, text)))
    assert f"pagina {len(texts)} van {len(texts)}" in texts[-1]
    if text:
        assert len(texts) >= 5  # the long texts flow over pages instead of failing
        assert "EINDE" in "".join(texts)  # ... and the end of them is printed


def test_completed_report_without_investigation_notes_says_so() -> None:
    # Closing a dossier with nothing recorded in steps 9-11 used to fail on an empty table.
    text = flat(
        text_of(
            render(
                report(
                    SETUP,
                    FACTS,
                    DAY,
                    handler=HANDLER,
                    acknowledged_on=DAY,
                    handler_due=date(2026, 4, 1),
                    findings=Findings(),
                )
            )
        )
    )
    assert "Onderzoek (stap 9) Contacten niet ingevuld Samenvatting niet ingevuld" in text
    assert "Beoordeling niet ingevuld Oplossing niet ingevuld" in text


def test_a_long_unbroken_word_is_split_not_lost() -> None:
    word = "x" * 5_000
    texts = pages(
        render(
            report(
                SETUP,
                FACTS,
                DAY,
                handler=HANDLER,
                acknowledged_on=DAY,
                handler_due=date(2026, 4, 1),
                findings=Findings(summary=word),
            )
        )
    )
    assert "".join(texts).count("x") >= len(word)


NAMES = {
    "Grieks": "Γιώργος Παπαδόπουλος",
    "Cyrillisch": "Ольга Иванова",
    "Hebreeuws": "שרה כהן",
    "Arabisch": "محمد بن علي",
}


@pytest.mark.parametrize("script", NAMES)
def test_names_in_other_scripts_print_as_themselves(script: str) -> None:
    name = NAMES[script]
    pdf = render(
        acknowledgement(
            SETUP, replace(FACTS, name=name), DAY, admissible=True, answer_by=date(2026, 4, 16)
        )
    )
    # The font has every glyph (Arabic as joined letter forms); nothing became a replacement.
    assert all(ord(ch) in GLYPHS for ch in printable(name))
    assert REPLACEMENT not in printable(name) and "?" not in text_of(pdf)
    # Read back (pypdf puts right-to-left text back in reading order), the name is there.
    lines = [unicodedata.normalize("NFKC", line) for line in pages(pdf)[0].splitlines()]
    assert name in lines  # the address block
    if script in ("Hebreeuws", "Arabisch"):
        drawn = printable(name)
        # Drawn right to left: the name's last letter comes first on the line.
        assert unicodedata.normalize("NFKC", drawn[0]) == name[-1]


def test_hebrew_in_a_dutch_sentence_keeps_the_sentence_order() -> None:
    assert printable("Klacht van שרה כהן over afval") == "Klacht van ןהכ הרש over afval"


def test_a_character_no_font_has_is_a_visible_replacement() -> None:
    assert printable("a\U0001fae0b") == f"a{REPLACEMENT}b"
    assert REPLACEMENT == "\ufffd" and ord(REPLACEMENT) in GLYPHS


def test_carriage_returns_are_line_breaks() -> None:
    description = "Eerste regel\r\nTweede regel\rDerde regel"
    lines = pages(
        render(
            report(
                SETUP,
                replace(FACTS, description=description),
                DAY,
                handler=HANDLER,
                acknowledged_on=DAY,
                handler_due=date(2026, 4, 1),
            )
        )
    )[0].splitlines()
    assert {"Eerste regel", "Tweede regel", "Derde regel"} <= set(lines)
    assert "?" not in "".join(lines)


@pytest.mark.parametrize(
    ("form", "name", "expected"),
    [
        (FormOfAddress.MADAM, "Marleen De Smet", "mevrouw De Smet"),
        (FormOfAddress.SIR, "Marleen De Smet", "heer De Smet"),
        (FormOfAddress.NONE, "Marleen De Smet", "Marleen De Smet"),
        (FormOfAddress.SIR, "Jan Van den Broeck", "heer Van den Broeck"),
        (FormOfAddress.MADAM, "Anne-Marie Peeters", "mevrouw Peeters"),
        (FormOfAddress.NONE, "", "mevrouw, meneer"),
        (FormOfAddress.MADAM, "", "mevrouw"),
        ("sir", "Jef Peeters", "heer Peeters"),  # a screen's plain code works too
    ],
)
def test_salutation(form: FormOfAddress, name: str, expected: str) -> None:
    assert salutation(form, name) == expected


@pytest.mark.parametrize(
    ("form", "name", "expected"),
    [
        (FormOfAddress.MADAM, "Marleen De Smet", "Geachte mevrouw De Smet,"),
        (FormOfAddress.SIR, "Marleen De Smet", "Geachte heer De Smet,"),
        (FormOfAddress.NONE, "Marleen De Smet", "Geachte Marleen De Smet,"),
        (FormOfAddress.NONE, "", "Geachte mevrouw, meneer,"),
    ],
)
def test_letters_greet_with_the_form_of_address(
    form: FormOfAddress, name: str, expected: str
) -> None:
    facts = replace(FACTS, name=name, form_of_address=form)
    for letter in (
        acknowledgement(SETUP, facts, DAY, admissible=True, answer_by=date(2026, 4, 16)),
        reasoned_reply(SETUP, facts, DAY, outcome="gegrond", solution="", reply=""),
    ):
        assert expected in text_of(render(letter)).splitlines()


def test_admissible_acknowledgement_names_who_investigates_and_the_ombudsdienst() -> None:
    def text(**kwargs: str) -> str:
        letter = acknowledgement(
            SETUP,
            replace(FACTS, department=kwargs.pop("department", "")),
            DAY,
            admissible=True,
            answer_by=date(2026, 4, 16),
            **kwargs,
        )
        return flat(text_of(render(letter)))

    both = text(handler="Inge Claes", handler_department="Milieu en afval")
    assert "onderzocht door Inge Claes van de dienst Milieu en afval." in both
    assert "Vlaamse Ombudsdienst" in both and "1700" in both
    assert "onderzocht en ze is ontvankelijk" not in both  # only admissibility was checked
    assert "onderzocht" not in both.split("ontvankelijk")[0]
    assert "onderzocht door een klachtenbehandelaar van de dienst Wegen." in text(
        department="Wegen"
    )
    assert "onderzocht door een klachtenbehandelaar." in text()


def test_reasoned_reply_mentions_the_ombudsdienst() -> None:
    letter = reasoned_reply(SETUP, FACTS, DAY, outcome="ongegrond", solution="", reply="")
    assert "Vlaamse Ombudsdienst (www.vlaamseombudsdienst.be" in flat(text_of(render(letter)))


def test_one_source_for_the_ombudsdienst_text() -> None:
    ombudsdienst = [key for key, text in DEFAULT_TEXTS.items() if "Ombudsdienst (www" in text]
    assert ombudsdienst == ["elders_terecht"]


@pytest.mark.parametrize("reason", list(NoJudgementReason))
def test_no_judgement_reply_says_which_reason(reason: NoJudgementReason) -> None:
    letter = reasoned_reply(
        SETUP, FACTS, DAY, outcome="geen oordeel", solution="", reply="", no_judgement=reason
    )
    text = flat(text_of(render(letter)))
    assert flat(DEFAULT_TEXTS[NO_JUDGEMENT_KEYS[reason]]) in text
    others = [r for r in NoJudgementReason if r is not reason]
    assert not any(flat(DEFAULT_TEXTS[NO_JUDGEMENT_KEYS[r]]) in text for r in others)


def _all_documents_text() -> str:
    facts = replace(FACTS, name="Marleen De Smet")
    letters = [make(facts, HANDLER, "tekst") for make in DOCUMENTS.values()]
    letters.append(
        acknowledgement(
            SETUP, facts, DAY, admissible=False, answer_by=DAY, grounds=[Ground.ANONYMOUS]
        )
    )
    letters.append(intake_form(SETUP, DAY))
    return "\n".join(text_of(render(letter)) for letter in letters)


def test_dutch_style_no_capital_after_a_colon_and_no_bracketed_plurals() -> None:
    for key, text in DEFAULT_TEXTS.items():
        assert not re.search(r":\s*[A-Z]", text), key
    printed = _all_documents_text()
    assert "Betreft: " in printed and not re.search(r"Betreft: [A-Z]", printed)
    assert "(en)" not in printed and "('s)" not in printed and "(s)" not in printed
    one = flat(
        text_of(
            render(
                acknowledgement(
                    SETUP, FACTS, DAY, admissible=False, answer_by=DAY, grounds=[Ground.POLICY]
                )
            )
        )
    )
    assert "om de volgende reden:" in one
    two = flat(
        text_of(
            render(
                acknowledgement(
                    SETUP,
                    FACTS,
                    DAY,
                    admissible=False,
                    answer_by=DAY,
                    grounds=[Ground.POLICY, Ground.ANONYMOUS],
                )
            )
        )
    )
    assert "om de volgende redenen:" in two


def _placed(pdf: bytes) -> dict[str, tuple[float, float, float]]:
    """The first page's text lines: text -> (x, y of the baseline, font size), in points."""
    found: dict[str, tuple[float, float, float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.setdefault(text.strip(), (x, y, size * tm[0] * cm[0]))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("window", ["left", "right"])
def test_address_and_date_block_start_on_one_line(window: str) -> None:
    setup = replace(SETUP, letterhead=replace(SETUP.letterhead, window=window))
    letter = acknowledgement(setup, FACTS, DAY, admissible=True, answer_by=date(2026, 4, 16))
    placed = _placed(render(letter))
    name_x, name_y, name_size = placed["Sébastien Dewaele-Françoise"]
    date_x, date_y, date_size = placed["Herent, 5 maart 2026"]
    body_x, _, body_size = placed["Met vriendelijke groeten,"]
    # Tops of the first lines level (the blocks differ by one point of font size).
    assert abs((name_y + 0.75 * name_size) - (date_y + 0.75 * date_size)) < 0.5 * mm
    assert name_size == body_size
    if window == "left":
        assert name_x == pytest.approx(body_x) == pytest.approx(LEFT)
        assert date_x > 100 * mm
    else:
        assert date_x == pytest.approx(LEFT) and name_x > 100 * mm


def test_blank_form_has_no_date_no_subject_line_and_no_address_window() -> None:
    pdf = render(intake_form(SETUP, DAY))
    text = text_of(pdf)
    assert "Klachtenformulier" in text
    assert "Betreft" not in text and "2026" not in text and "Ons kenmerk" not in text
    title_y = _placed(pdf)["Klachtenformulier"][1]
    assert title_y > 841.89 - 60 * mm  # the form starts under the letterhead, not below a window


def test_completed_report_has_no_address_window() -> None:
    letter = report(
        SETUP,
        FACTS,
        DAY,
        handler=HANDLER,
        acknowledged_on=DAY,
        handler_due=date(2026, 4, 1),
        findings=Findings(summary="Samenvatting."),
    )
    assert letter.addressee is None
    placed = _placed(render(letter))
    assert placed["Herent, 5 maart 2026"][0] == pytest.approx(LEFT)
    # The body follows the date block instead of leaving the window's space empty.
    assert placed["De klager"][1] > 841.89 - 80 * mm
