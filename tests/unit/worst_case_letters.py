"""Every letter kind, filled with the longest input the register accepts (for the worst-case
letter test and benchmarks/letters_worst_case.py).

Each field holds as many characters as :data:`klachtdesk.procedure.text_limits.FIELD_LIMITS`
allows, in three shapes: words, one unbroken word (no space to wrap at), and lines (a line
break every few characters). The ordinary variant is the floor a benchmark compares with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from klachtdesk.letters.access import AccessDossier, access_report
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
from klachtdesk.letters.layout import Letter, Letterhead, Signatory
from klachtdesk.procedure import Channel, FormOfAddress, Ground, NoJudgementReason
from klachtdesk.procedure.text_limits import FIELD_LIMITS, FREE_TEXT, NAME, SHORT_TEXT

DAY = date(2026, 3, 5)
SHAPES = ("gewoon", "woorden", "zonder spaties", "regels")
#: Put at the end of every filled field, to find it back in the PDF.
END = "EINDE"


def filled(length: int, shape: str) -> str:
    """``length`` characters in ``shape``, ending in :data:`END`."""
    if shape == "woorden":
        body = ("Kerkstraat " * (length // 11 + 1))[: length - len(END) - 1] + " "
    elif shape == "zonder spaties":
        body = "W" * (length - len(END))
    elif shape == "regels":
        # As many lines as a free text may hold, each as long as the characters allow.
        lines = FREE_TEXT.max_lines or length
        width = max(1, length // lines - 1)
        body = (("x" * width + "\n") * lines)[: length - len(END)]
    else:
        raise ValueError(shape)
    return body + END


def _field(name: str, shape: str, ordinary: str) -> str:
    if shape == "gewoon":
        return ordinary
    limit = FIELD_LIMITS[name]
    # A one-line field holds no line break: its worst case is one unbroken word.
    return filled(
        limit.max_chars, shape if limit.multiline or shape != "regels" else "zonder spaties"
    )


def setup(shape: str) -> Setup:
    def f(length: int, ordinary: str) -> str:
        if shape == "gewoon":
            return ordinary
        return filled(length, "zonder spaties" if shape == "regels" else shape)

    return Setup(
        Letterhead(
            f(NAME.max_chars, "Gemeente Herent"),
            f(NAME.max_chars, "Wilselsesteenweg 28"),
            f(FIELD_LIMITS["postal_code"].max_chars, "3020"),
            f(FIELD_LIMITS["city"].max_chars, "Herent"),
            f(SHORT_TEXT.max_chars, "www.herent.be"),
            f(FIELD_LIMITS["phone"].max_chars, "+32 16 85 30 00"),
            f(FIELD_LIMITS["email"].max_chars, "klachten@herent.be"),
        ),
        Signatory(
            f(NAME.max_chars, "Ann Peeters"),
            f(NAME.max_chars, "Klachtencoördinator"),
            f(FIELD_LIMITS["phone"].max_chars, "+32 16 85 30 00"),
            f(FIELD_LIMITS["email"].max_chars, "klachten@herent.be"),
        ),
        f(FIELD_LIMITS["city"].max_chars, "Herent"),
    )


def facts(shape: str) -> ComplaintFacts:
    return ComplaintFacts(
        reference="2026-0042",
        received_on=date(2026, 3, 2),
        channel=Channel.LETTER,
        description=_field("description", shape, "De container werd niet geledigd."),
        name=_field("name", shape, "Sébastien Dewaele"),
        street=_field("street", shape, "Kerkstraat 12"),
        postal_code=_field("postal_code", shape, "3000"),
        city=_field("city", shape, "Leuven"),
        phone=_field("phone", shape, "+32 478 12 34 56"),
        email=_field("email", shape, "s.dewaele@example.be"),
        department=_field("name", shape, "Milieu"),
        form_of_address=FormOfAddress.SIR,
    )


def handler(shape: str) -> HandlerFacts:
    return HandlerFacts(
        _field("name", shape, "Inge Claes"),
        _field("email", shape, "inge.claes@herent.be"),
        _field("phone", shape, "+32 16 85 30 10"),
        _field("name", shape, "Milieu"),
    )


def text(shape: str) -> str:
    return _field("description", shape, "Een korte tekst.")


def _access(s: Setup, f: ComplaintFacts, shape: str) -> Letter:
    t = text(shape)
    dossier = AccessDossier(
        f.reference,
        [("Naam", f.name), ("Adres", f.street), ("Omschrijving", f.description), ("Oplossing", t)],
        [("05/03/2026 10:00", t)],
        [filled(SHORT_TEXT.max_chars, "zonder spaties") if shape != "gewoon" else "brief.pdf"],
    )
    return access_report(s, DAY, f.name, "naam en adres", [dossier])


Make = Callable[[str], Letter]
LETTERS: dict[str, Make] = {
    "ontvangstmelding ontvankelijk": lambda shape: acknowledgement(
        setup(shape), facts(shape), DAY, admissible=True, answer_by=date(2026, 4, 16),
        handler=handler(shape).name, handler_department=handler(shape).department,
    ),
    "ontvangstmelding niet ontvankelijk": lambda shape: acknowledgement(
        setup(shape), facts(shape), DAY, admissible=False, answer_by=date(2026, 4, 16),
        grounds=list(Ground), motivation=text(shape),
    ),
    "rapport behandelaar": lambda shape: report(
        setup(shape), facts(shape), DAY, handler=handler(shape), acknowledged_on=None,
        handler_due=date(2026, 4, 1),
    ),
    "afgewerkt rapport": lambda shape: report(
        setup(shape), facts(shape), DAY, handler=handler(shape), acknowledged_on=DAY,
        handler_due=date(2026, 4, 1),
        findings=Findings(
            contacts=text(shape), summary=text(shape), outcome="gegrond", solution=text(shape),
            reply=text(shape), report=text(shape), stop_reason=text(shape),
        ),
    ),
    "motiverende brief": lambda shape: reasoned_reply(
        setup(shape), facts(shape), DAY, outcome="gegrond", solution=text(shape),
        reply=text(shape),
    ),
    "motiverende brief geen oordeel": lambda shape: reasoned_reply(
        setup(shape), facts(shape), DAY, outcome="geen oordeel", solution=text(shape),
        reply=text(shape), no_judgement=NoJudgementReason.UNCLEAR,
    ),
    "klachtenformulier": lambda shape: intake_form(setup(shape), DAY),
    "inzage": lambda shape: _access(setup(shape), facts(shape), shape),
}  # fmt: skip

__all__ = ["END", "FREE_TEXT", "LETTERS", "SHAPES", "filled", "replace"]
