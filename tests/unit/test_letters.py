"""Every document and variant, read back from the PDF with pypdf."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.units import mm

from klachtdesk.letters.documents import (
    ComplaintFacts,
    Findings,
    HandlerFacts,
    Setup,
    acknowledgement,
    intake_form,
    reasoned_reply,
    report,
)
from klachtdesk.letters.layout import Letterhead, Signatory, render
from klachtdesk.letters.texts import DEFAULT_TEXTS, check_text, fill
from klachtdesk.procedure import Channel, Ground, InvalidInput

SETUP = Setup(
    Letterhead("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent", "www.herent.be"),
    Signatory("Ann Peeters", "Klachtencoördinator", "+32 16 85 30 00", "klachten@herent.be"),
    "Herent",
)
FACTS = ComplaintFacts(
    reference="2026-0042",
    received_on=date(2026, 3, 2),
    channel=Channel.LETTER,
    description="De container werd niet geledigd; ik betaalde € 5 extra aan het loket.",
    name="Sébastien Dewaele-Françoise",
    street="Kerkstraat 12",
    postal_code="3000",
    city="Leuven",
    phone="+32 478 12 34 56",
    email="seb@example.be",
    department="Milieu en afval",
)
HANDLER = HandlerFacts("Inge Claes", "inge.claes@herent.be", "+32 16 85 30 10", "Milieu en afval")


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def text_of(pdf: bytes) -> str:
    return "\n".join(pages(pdf))


def flat(text: str) -> str:
    return " ".join(text.split())


def test_acknowledgement_admissible() -> None:
    pdf = render(
        acknowledgement(
            SETUP,
            FACTS,
            date(2026, 3, 5),
            admissible=True,
            answer_by=date(2026, 4, 16),
            handler="Inge Claes",
            handler_department="Milieu en afval",
        )
    )
    text = flat(text_of(pdf))
    for expected in [
        "Gemeente Herent",
        "Sébastien Dewaele-Françoise",
        "Kerkstraat 12",
        "3000 Leuven",
        "Herent, 5 maart 2026",
        "Ons kenmerk: 2026-0042",
        "Betreft: ontvangstmelding van uw klacht",
        "Op 2 maart 2026 ontvingen wij uw klacht",
        "ontvankelijk",
        "uiterlijk op 16 april 2026",
        "onderzocht door Inge Claes van de dienst Milieu en afval",
        "Ann Peeters",
        "klachten@herent.be",
        "pagina 1 van 1",
    ]:
        assert expected in text, expected
    assert "niet ontvankelijk" not in text


def test_acknowledgement_inadmissible_lists_grounds_and_where_to_go() -> None:
    pdf = render(
        acknowledgement(
            SETUP,
            FACTS,
            date(2026, 3, 5),
            admissible=False,
            answer_by=date(2026, 4, 16),
            grounds=[Ground.POLICY, Ground.OLDER_THAN_A_YEAR],
            motivation="Het gaat om feiten uit 2024.",
        )
    )
    text = flat(text_of(pdf))
    assert "Betreft: uw klacht is niet ontvankelijk" in text
    assert "niet ontvankelijk" in text
    assert "Feiten meer dan een jaar voor indiening." in text
    assert "Klacht over beleid en regelgeving." in text
    assert flat(Ground.POLICY.explanation) in text
    assert text.index("Feiten meer dan een jaar") < text.index(
        "Klacht over beleid"
    )  # procedure order
    assert "Het gaat om feiten uit 2024." in text
    assert "Vlaamse Ombudsdienst" in text


def test_hostile_description_renders_as_literal_text() -> None:
    hostile = 'Mijn <b>klacht</b> & "meer" <script>alert(1)</script> </para> \U0001fae0 ëç€'
    pdf = render(
        report(
            SETUP,
            replace(FACTS, description=hostile),
            date(2026, 3, 6),
            handler=HANDLER,
            acknowledged_on=date(2026, 3, 5),
            handler_due=date(2026, 4, 1),
        )
    )
    text = flat(text_of(pdf))
    assert 'Mijn <b>klacht</b> & "meer" <script>alert(1)</script> </para>' in text
    assert "ëç€" in text
    # A character no font has shows as U+FFFD, visibly, never as a silent '?'.
    assert "\U0001fae0" not in text and "\ufffd ëç€" in text


def test_long_description_flows_onto_more_pages_with_numbers() -> None:
    long_text = ("Dit is een erg lange klacht over de dienstverlening. " * 200)[:10_000]
    pdf = render(
        report(
            SETUP,
            replace(FACTS, description=long_text),
            date(2026, 3, 6),
            handler=HANDLER,
            acknowledged_on=date(2026, 3, 5),
            handler_due=date(2026, 4, 1),
        )
    )
    texts = pages(pdf)
    assert len(texts) >= 3
    total = len(texts)
    for number, page in enumerate(texts, start=1):
        assert f"pagina {number} van {total}" in page
    assert "(vervolg)" in texts[1] and "Ons kenmerk 2026-0042" in texts[1]
    # Nothing lost: pages break between lines, never inside a word.
    assert "".join(texts).count("dienstverlening") == long_text.count("dienstverlening")


def test_report_for_the_handler_and_completed_report() -> None:
    first = flat(
        text_of(
            render(
                report(
                    SETUP,
                    FACTS,
                    date(2026, 3, 6),
                    handler=HANDLER,
                    acknowledged_on=date(2026, 3, 5),
                    handler_due=date(2026, 4, 1),
                )
            )
        )
    )
    for expected in [
        "Betreft: rapport klacht 2026-0042",
        "+32 478 12 34 56",
        "seb@example.be",
        "Klacht ingediend op 2 maart 2026",
        "brief/fax",
        "Ontvankelijk ja",
        "Ontvangstmelding verstuurd 5 maart 2026",
        "Inge Claes",
        "inge.claes@herent.be",
        "1 april 2026",
    ]:
        assert expected in first, expected
    completed = flat(
        text_of(
            render(
                report(
                    SETUP,
                    FACTS,
                    date(2026, 4, 10),
                    handler=HANDLER,
                    acknowledged_on=date(2026, 3, 5),
                    handler_due=date(2026, 4, 1),
                    findings=Findings(
                        "Diensthoofd gebeld.",
                        "Ronde vergeten.",
                        "deels gegrond",
                        "Extra ophaalronde.",
                        "Geachte heer, ...",
                        "Rapport aangevuld.",
                    ),
                )
            )
        )
    )
    for expected in [
        "Betreft: afgewerkt rapport klacht 2026-0042",
        "Diensthoofd gebeld.",
        "Ronde vergeten.",
        "deels gegrond",
        "Extra ophaalronde.",
        "Geachte heer, ...",
        "Rapport aangevuld.",
    ]:
        assert expected in completed, expected


def test_reasoned_reply() -> None:
    text = flat(
        text_of(
            render(
                reasoned_reply(
                    SETUP,
                    FACTS,
                    date(2026, 4, 2),
                    outcome="deels gegrond",
                    solution="Extra ophaalronde.",
                    reply="Na onderzoek bleek dat de ronde vergeten werd.",
                )
            )
        )
    )
    for expected in [
        "Betreft: antwoord op uw klacht",
        "Geachte Sébastien Dewaele-Françoise,",
        "Wij beoordelen uw klacht als deels gegrond.",
        "Na onderzoek bleek dat de ronde vergeten werd.",
        "Om het probleem op te lossen, doen wij het volgende. Extra ophaalronde.",
        "Met vriendelijke groeten",
        "Ann Peeters",
    ]:
        assert expected in text, expected


def test_blank_intake_form() -> None:
    text = flat(text_of(render(intake_form(SETUP, date(2026, 3, 6)))))
    for expected in [
        "Klachtenformulier",
        "Naam",
        "Adres",
        "Telefoon",
        "E-mail",
        "Omschrijving",
        "Meteen opgelost?",
        "Ontvangen door",
        "telefoon",
        "website",
    ]:
        assert expected in text, expected


def _address_x(pdf: bytes) -> float:
    found: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if "Kerkstraat 12" in text:  # the text's origin on the page: tm, then cm
            found.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found[0]


@pytest.mark.parametrize(("window", "low", "high"), [("left", 20, 35), ("right", 110, 125)])
def test_address_sits_in_the_chosen_envelope_window(window: str, low: float, high: float) -> None:
    setup = replace(SETUP, letterhead=replace(SETUP.letterhead, window=window))
    pdf = render(
        acknowledgement(
            setup, FACTS, date(2026, 3, 5), admissible=True, answer_by=date(2026, 4, 16)
        )
    )
    assert low * mm <= _address_x(pdf) <= high * mm


def test_standard_texts_are_checked_when_saved() -> None:
    assert check_text("termijn", "Antwoord uiterlijk {antwoord_uiterlijk}.")
    with pytest.raises(InvalidInput) as err:
        check_text("termijn", "Antwoord uiterlijk {antwoord_uiterljk}.")
    assert (
        "{antwoord_uiterljk}" in err.value.message and "{antwoord_uiterlijk}" in err.value.message
    )
    with pytest.raises(InvalidInput, match="accolade"):
        check_text("termijn", "Een { losse accolade")
    with pytest.raises(InvalidInput):
        check_text("termijn", "  ")
    with pytest.raises(InvalidInput):
        check_text("naam.__class__", "x")
    assert fill(DEFAULT_TEXTS["aanhef"], {"aanspreking": "<Jan>"}) == "Geachte <Jan>,"


def test_edited_standard_text_is_used() -> None:
    texts = {**DEFAULT_TEXTS, "slot": "Hoogachtend,"}
    pdf = render(
        acknowledgement(
            replace(SETUP, texts=texts),
            FACTS,
            date(2026, 3, 5),
            admissible=True,
            answer_by=date(2026, 4, 16),
        )
    )
    assert "Hoogachtend," in text_of(pdf) and "Met vriendelijke groeten" not in text_of(pdf)


def test_logo_is_placed_on_the_letterhead() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (240, 120), (31, 59, 92)).save(buffer, format="PNG")
    setup = replace(SETUP, letterhead=replace(SETUP.letterhead, logo=buffer.getvalue()))
    pdf = render(
        acknowledgement(
            setup, FACTS, date(2026, 3, 5), admissible=True, answer_by=date(2026, 4, 16)
        )
    )
    images = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert len(images) == 1
    broken = replace(SETUP, letterhead=replace(SETUP.letterhead, logo=b"geen afbeelding"))
    pdf = render(
        acknowledgement(
            broken, FACTS, date(2026, 3, 5), admissible=True, answer_by=date(2026, 4, 16)
        )
    )
    assert "Gemeente Herent" in text_of(pdf)  # an unreadable logo does not stop the letter
