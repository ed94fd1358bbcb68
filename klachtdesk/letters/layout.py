"""A Belgian municipal letter on A4, drawn with ReportLab: letterhead with logo, the address
placed for a window envelope, place and date, our reference, subject, body, signature, and
"pagina 1 van 2" with a continued header from page 2 on.

Everything here takes plain data and returns PDF bytes; no Qt, no database.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal
from xml.sax.saxutils import escape

import reportlab
from babel.dates import format_date
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from klachtdesk.procedure.intake import address_line, place_line

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 25 * mm
RIGHT = 20 * mm
FONT = "KlachtdeskSans"
BOLD = "KlachtdeskSans-Bold"
ITALIC = "KlachtdeskSans-Oblique"

# Window envelopes (DL/C5, NBN/ISO 269): the window's top left corner, from the page's top
# left corner, for a window on the left or on the right. The address sits inside with margin.
WINDOWS = {"left": (20 * mm, 45 * mm), "right": (110 * mm, 45 * mm)}
WINDOW_SIZE = (90 * mm, 45 * mm)
BODY_TOP_FIRST = 112 * mm  # where the body starts on page 1, from the top
BODY_TOP_LATER = 30 * mm
BOTTOM = 22 * mm
REPLACEMENT = "?"


def _register_fonts() -> None:
    # Bitstream Vera ships with ReportLab, so pip and frozen installs have it; embedded as
    # TrueType it carries é, ë, ç and € into the PDF as real text.
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    for name, filename in ((FONT, "Vera.ttf"), (BOLD, "VeraBd.ttf"), (ITALIC, "VeraIt.ttf")):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, os.path.join(folder, filename)))


_register_fonts()
_GLYPHS = set(pdfmetrics.getFont(FONT).face.charToGlyph)


def printable(text: str) -> str:
    """Characters the font has, others (emoji, symbols) as '?', so nothing renders as a box."""
    return "".join(ch if ord(ch) in _GLYPHS or ch in "\n\t" else REPLACEMENT for ch in text)


def markup(text: str) -> str:
    """Plain text (a citizen's or a standard text) as safe ReportLab paragraph markup."""
    return escape(printable(text)).replace("\n", "<br/>")


def long_date(day: date) -> str:
    """'3 maart 2026'."""
    return format_date(day, "d MMMM y", locale="nl_BE")


@dataclass(frozen=True)
class Letterhead:
    name: str
    street: str = ""
    postal_code: str = ""
    city: str = ""
    website: str = ""
    phone: str = ""
    email: str = ""
    logo: bytes | None = None
    window: Literal["left", "right"] = "left"


@dataclass(frozen=True)
class Addressee:
    name: str
    street: str = ""
    postal_code: str = ""
    city: str = ""

    def lines(self) -> list[str]:
        place = place_line(self.postal_code, self.city)
        return [line for line in (self.name, self.street, place) if line]


@dataclass(frozen=True)
class Signatory:
    name: str
    title: str = ""
    phone: str = ""
    email: str = ""


# The body is a list of blocks.
@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]


@dataclass(frozen=True)
class Facts:
    """Label/value rows, e.g. the data of a report."""

    rows: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class FormLines:
    """Labels with an empty ruled space to write on (the blank intake form)."""

    rows: Sequence[tuple[str, int]]  # label, number of lines


Block = Text | Heading | Bullets | Facts | FormLines


@dataclass(frozen=True)
class Letter:
    letterhead: Letterhead
    reference: str
    day: date
    place: str
    subject: str
    body: Sequence[Block]
    addressee: Addressee | None = None
    signatory: Signatory | None = None
    closing: str = ""
    contact_line: str = ""
    extra_refs: Sequence[tuple[str, str]] = field(default_factory=tuple)
    title: str = ""  # for the PDF's metadata


_BASE = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14.5, spaceAfter=7)
_STYLES = {
    "body": _BASE,
    "heading": ParagraphStyle("heading", parent=_BASE, fontName=BOLD, fontSize=11.5, spaceBefore=8),
    "bullet": ParagraphStyle("bullet", parent=_BASE, leftIndent=12, bulletIndent=2, spaceAfter=3),
    "small": ParagraphStyle("small", parent=_BASE, fontSize=9, leading=12, spaceAfter=0),
    "label": ParagraphStyle(
        "label", parent=_BASE, fontName=BOLD, fontSize=9.5, leading=12.5, spaceAfter=0
    ),
    "value": ParagraphStyle("value", parent=_BASE, fontSize=9.5, leading=12.5, spaceAfter=0),
}


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Knows the page count when the pages are written, for 'pagina 1 van 2'."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 8.5)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawRightString(
                PAGE_WIDTH - RIGHT, 12 * mm, f"pagina {self._pageNumber} van {total}"
            )
            super().showPage()
        super().save()


class _Template(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, buffer: io.BytesIO, letter: Letter) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=LEFT,
            rightMargin=RIGHT,
            topMargin=BODY_TOP_LATER,
            bottomMargin=BOTTOM,
            title=letter.title or letter.subject,
            author=letter.letterhead.name,
            subject=f"{letter.subject} ({letter.reference})",
            creator="klachtdesk",
        )
        self.letter = letter
        width = PAGE_WIDTH - LEFT - RIGHT
        flush = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
        first = Frame(
            LEFT, BOTTOM, width, PAGE_HEIGHT - BODY_TOP_FIRST - BOTTOM, id="first", **flush
        )
        later = Frame(
            LEFT, BOTTOM, width, PAGE_HEIGHT - BODY_TOP_LATER - BOTTOM, id="later", **flush
        )
        self.addPageTemplates(
            [
                PageTemplate("first", [first], onPage=self._first_page),
                PageTemplate("later", [later], onPage=self._later_page),
            ]
        )

    def _letterhead(self, canvas: Canvas, compact: bool) -> None:
        head = self.letter.letterhead
        top = PAGE_HEIGHT - 15 * mm
        x = LEFT
        if head.logo and not compact:
            try:
                image = ImageReader(io.BytesIO(head.logo))
                w, h = image.getSize()
                scale = min(40 * mm / w, 20 * mm / h)
                canvas.drawImage(image, LEFT, top - h * scale, w * scale, h * scale, mask="auto")
                x = LEFT + w * scale + 5 * mm
            except Exception:  # a logo that cannot be read leaves the name alone on top
                x = LEFT
        canvas.setFillColor(colors.HexColor("#1f3b5c"))
        canvas.setFont(BOLD, 14 if not compact else 10)
        canvas.drawString(x, top - 5 * mm, printable(head.name))
        if compact:
            return
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(colors.HexColor("#444444"))
        lines = [address_line(head.street, head.postal_code, head.city)]
        lines.append("  ·  ".join(p for p in (head.phone, head.email, head.website) if p))
        for n, line in enumerate(line for line in lines if line):
            canvas.drawString(x, top - 10 * mm - n * 4 * mm, printable(line))
        canvas.setStrokeColor(colors.HexColor("#1f3b5c"))
        canvas.setLineWidth(0.6)
        canvas.line(LEFT, top - 21 * mm, PAGE_WIDTH - RIGHT, top - 21 * mm)

    def _first_page(self, canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        letter = self.letter
        self._letterhead(canvas, compact=False)
        if letter.addressee is not None:
            wx, wy = WINDOWS[letter.letterhead.window]
            canvas.setFont(FONT, 10.5)
            canvas.setFillColor(colors.black)
            y = PAGE_HEIGHT - wy - 12 * mm
            for line in letter.addressee.lines():
                canvas.drawString(wx + 6 * mm, y, printable(line))
                y -= 5 * mm
        # Place, date and our reference, on the other side than the address.
        other_x = 118 * mm if letter.letterhead.window == "left" else LEFT
        y = PAGE_HEIGHT - 60 * mm
        canvas.setFont(FONT, 9.5)
        canvas.setFillColor(colors.black)
        refs = [(f"{letter.place}, {long_date(letter.day)}", "")]
        refs.append(("Ons kenmerk", letter.reference))
        refs.extend(letter.extra_refs)
        for label, value in refs:
            text = f"{label}: {value}" if value else label
            canvas.drawString(other_x, y, printable(text))
            y -= 5 * mm
        canvas.setFont(BOLD, 10.5)
        canvas.drawString(LEFT, PAGE_HEIGHT - 100 * mm, printable(f"Betreft: {letter.subject}"))
        canvas.restoreState()

    def _later_page(self, canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        self._letterhead(canvas, compact=True)
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawRightString(
            PAGE_WIDTH - RIGHT,
            PAGE_HEIGHT - 20 * mm,
            printable(
                f"Ons kenmerk {self.letter.reference} – {long_date(self.letter.day)} (vervolg)"
            ),
        )
        canvas.restoreState()


def _flowables(letter: Letter) -> list[Flowable]:
    width = PAGE_WIDTH - LEFT - RIGHT
    story: list[Flowable] = [NextPageTemplate("later")]
    for block in letter.body:
        if isinstance(block, Text):
            story.append(Paragraph(markup(block.text), _STYLES["body"]))
        elif isinstance(block, Heading):
            story.append(Paragraph(markup(block.text), _STYLES["heading"]))
        elif isinstance(block, Bullets):
            story.extend(
                Paragraph(markup(item), _STYLES["bullet"], bulletText="•") for item in block.items
            )
        elif isinstance(block, Facts):
            rows = [
                [
                    Paragraph(markup(label), _STYLES["label"]),
                    Paragraph(markup(value), _STYLES["value"]),
                ]
                for label, value in block.rows
            ]
            table = Table(rows, colWidths=[48 * mm, width - 48 * mm], hAlign="LEFT")
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
                        ("TOPPADDING", (0, 0), (-1, -1), 3),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ]
                )
            )
            story.extend([table, Spacer(1, 4 * mm)])
        elif isinstance(block, FormLines):
            for label, lines in block.rows:
                rows = [[Paragraph(markup(label), _STYLES["label"]), ""]] + [["", ""]] * (lines - 1)
                table = Table(rows, colWidths=[45 * mm, width - 45 * mm], rowHeights=8.5 * mm)
                table.setStyle(
                    TableStyle(
                        [
                            ("LINEBELOW", (1, 0), (1, -1), 0.4, colors.HexColor("#888888")),
                            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                        ]
                    )
                )
                story.append(KeepTogether([table]))
            story.append(Spacer(1, 4 * mm))
    if letter.closing or letter.signatory is not None:
        signature: list[Flowable] = [Spacer(1, 4 * mm)]
        if letter.closing:
            signature.append(Paragraph(markup(letter.closing), _STYLES["body"]))
        if letter.signatory is not None:
            s = letter.signatory
            signature.append(Spacer(1, 12 * mm))
            signature.append(Paragraph(markup(s.name), _STYLES["label"]))
            for line in (s.title, s.phone, s.email):
                if line:
                    signature.append(Paragraph(markup(line), _STYLES["small"]))
        story.append(KeepTogether(signature))
    if letter.contact_line:
        story.extend([Spacer(1, 6 * mm), Paragraph(markup(letter.contact_line), _STYLES["small"])])
    return story


def render(letter: Letter) -> bytes:
    """The letter as PDF bytes."""
    buffer = io.BytesIO()
    document = _Template(buffer, letter)
    document.build(_flowables(letter), canvasmaker=_NumberedCanvas)
    return buffer.getvalue()
