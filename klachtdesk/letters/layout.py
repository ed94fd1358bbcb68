"""A Belgian municipal letter on A4, drawn with ReportLab: letterhead with logo, the address
placed for a window envelope, place and date, our reference, subject, body, signature, and
"pagina 1 van 2" with a continued header from page 2 on.

Everything here takes plain data and returns PDF bytes; no Qt, no database.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal
from xml.sax.saxutils import escape

import arabic_reshaper
from arabic_reshaper.ligatures import LIGATURES
from babel.dates import format_date
from bidi import get_display
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
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
from klachtdesk.resources import resource_path

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 25 * mm
RIGHT = 20 * mm
FONT = "KlachtdeskSans"
BOLD = "KlachtdeskSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

# Window envelopes (DL/C5, NBN/ISO 269): the window's top left corner, from the page's top
# left corner, for a window on the left or on the right. The address sits inside with margin.
WINDOWS = {"left": (20 * mm, 45 * mm), "right": (110 * mm, 45 * mm)}
WINDOW_SIZE = (90 * mm, 45 * mm)
BLOCK_TOP = 50 * mm  # top of the address and of the date/reference block, from the page top
BLOCK_HEIGHT = 36 * mm  # what the window shows below that; a longer address is cut off
RIGHT_COLUMN = 118 * mm  # the date/reference block beside a left window, or the address
BODY_TOP_FIRST = 97 * mm  # where "Betreft" and the body start on page 1 of a letter
BODY_TOP_LATER = 30 * mm
BOTTOM = 22 * mm
LINE = 5 * mm
#: Shown for a character no shipped font has: visible, never a silent "?".
REPLACEMENT = "\ufffd"


def _register_fonts() -> None:
    # DejaVu Sans (Bitstream Vera licence, see resources/fonts) ships inside the package, so
    # pip and frozen installs have it; it covers Latin, Greek, Cyrillic, Hebrew and Arabic,
    # and embedded as TrueType it carries every name into the PDF as real text.
    for name, filename in FONT_FILES.items():
        if name in pdfmetrics.getRegisteredFontNames():
            continue
        path = str(resource_path("fonts", filename))
        try:
            # Arabic is shaped and ordered below (arabic-reshaper, python-bidi); ReportLab's
            # own shaping (when uharfbuzz happens to be installed) would reverse it again.
            font = TTFont(name, path, shapable=False)
        except TypeError:  # ReportLab before 4.1 has no shaping at all
            font = TTFont(name, path)
        pdfmetrics.registerFont(font)
    registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


_register_fonts()
#: Characters every font of the letters can draw.
GLYPHS = frozenset(pdfmetrics.getFont(FONT).face.charToGlyph) & frozenset(
    pdfmetrics.getFont(BOLD).face.charToGlyph
)


def _arabic_reshaper() -> arabic_reshaper.ArabicReshaper:
    # Ligatures whose glyph the font lacks (e.g. the word "Allah" as one sign) stay letters.
    missing = {
        name: False
        for name, (_, forms) in LIGATURES
        if any(ord(ch) not in GLYPHS for form in forms for ch in form)
    }
    return arabic_reshaper.ArabicReshaper(configuration=missing)


_RESHAPER = _arabic_reshaper()


def _right_to_left(line: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in line)


def _visual(line: str) -> str:
    """One line in the order it is drawn: Arabic joined, right-to-left runs reversed.

    ReportLab draws left to right, so Hebrew and Arabic are put in visual order here (Unicode
    bidi algorithm, Dutch text as base direction). The order is decided per line of the input,
    before a paragraph wraps: a right-to-left run longer than one printed line would show its
    printed lines in the wrong order. Names and addresses are far shorter than that.
    """
    if not _right_to_left(line):
        return line
    return str(get_display(_RESHAPER.reshape(line), base_dir="L"))


def printable(text: str) -> str:
    """The text as the letter can draw it.

    Every line break (\\n, \\r\\n, \\r, ...) becomes \\n; Hebrew and Arabic come out in
    reading order; a character the fonts lack shows as U+FFFD, visibly, instead of vanishing.
    """
    lines = []
    for line in text.splitlines():
        shown = _visual(line)
        lines.append(
            "".join(ch if ch == "\t" or ord(ch) in GLYPHS else REPLACEMENT for ch in shown)
        )
    return "\n".join(lines)


def markup(text: str) -> str:
    """Plain text (a citizen's or a standard text) as safe ReportLab paragraph markup."""
    return markup_printable(printable(text))


#: The most characters and lines one paragraph of the PDF holds. ReportLab wraps a paragraph
#: again each time it continues on a new page, and measures an unbroken word character by
#: character each time: a 20,000-character text in one paragraph took seconds, one with
#: thousands of lines minutes. A longer text is cut into paragraphs of whole lines (a very
#: long line at its last space, or anywhere in a word without one), set without space
#: between them, so that it reads as one.
PIECE_CHARS = 1_500
PIECE_LINES = 40


#: A word longer than this is broken over lines here, at widths any column of a letter holds
#: (:data:`LONG_WORD_WIDTH`): ReportLab measures such a word letter by letter each time it
#: wraps it. A real word or web address is far shorter.
LONG_WORD = 300
LONG_WORD_WIDTH = 300.0  # points at 10.5 pt: the narrowest column (a facts value) holds more


def _break_long_words(line: str) -> str:
    """``line`` with each word longer than :data:`LONG_WORD` cut into lines that fit."""
    if len(line) <= LONG_WORD or not any(len(w) > LONG_WORD for w in line.split()):
        return line
    widths = pdfmetrics.getFont(FONT).face.charWidths
    default = pdfmetrics.getFont(FONT).face.defaultWidth
    scale = _BASE.fontSize / 1000

    def cut(word: str) -> str:
        if len(word) <= LONG_WORD:
            return word
        parts: list[str] = []
        start, width = 0, 0.0
        for index, ch in enumerate(word):
            advance = widths.get(ord(ch), default) * scale
            if width + advance > LONG_WORD_WIDTH and index > start:
                parts.append(word[start:index])
                start, width = index, 0.0
            width += advance
        parts.append(word[start:])
        return "\n".join(parts)

    return " ".join(cut(word) for word in line.split(" "))


def pieces(text: str) -> list[str]:
    """``text`` (its lines as :func:`printable` gives them) in pieces of at most
    :data:`PIECE_CHARS` characters and :data:`PIECE_LINES` lines, cut between lines where it
    can; the pieces joined with line breaks give the text back."""
    if len(text) <= PIECE_CHARS and text.count("\n") < PIECE_LINES:
        return [text]
    result: list[str] = []
    lines: list[str] = []
    size = 0

    def flush() -> None:
        nonlocal size
        if lines:
            result.append("\n".join(lines))
            lines.clear()
            size = 0

    for line in text.split("\n"):
        while len(line) > PIECE_CHARS:
            flush()
            cut = line.rfind(" ", PIECE_CHARS // 2, PIECE_CHARS)
            cut = cut + 1 if cut > 0 else PIECE_CHARS
            result.append(line[:cut])
            line = line[cut:]
        if size + len(line) > PIECE_CHARS or len(lines) >= PIECE_LINES:
            flush()
        lines.append(line)
        size += len(line) + 1
    flush()
    return result


_CONTINUED: dict[str, ParagraphStyle] = {}


def _continued(style: ParagraphStyle) -> ParagraphStyle:
    """``style`` without space after: for a piece that the next piece of its text follows."""
    if style.name not in _CONTINUED:
        _CONTINUED[style.name] = ParagraphStyle(
            f"{style.name}-continued", parent=style, spaceAfter=0, keepWithNext=0
        )
    return _CONTINUED[style.name]


def paragraphs(text: str, style: str, bullet: str | None = None) -> list[Flowable]:
    """``text`` as one or more paragraphs in ``style`` (see :data:`PIECE_CHARS`); an empty
    line at the edge of a piece is kept as a non-breaking space, which has a height."""
    shown = "\n".join(_break_long_words(line) for line in printable(text).split("\n"))
    parts = pieces(shown)
    if len(parts) == 1:
        return [Paragraph(markup_printable(shown), _STYLES[style], bulletText=bullet)]
    result: list[Flowable] = []
    for index, part in enumerate(parts):
        lines = part.split("\n")
        lines = [
            line or "\u00a0" if n in (0, len(lines) - 1) else line for n, line in enumerate(lines)
        ]
        last = index == len(parts) - 1
        result.append(
            Paragraph(
                markup_printable("\n".join(lines)),
                _STYLES[style] if last else _continued(_STYLES[style]),
                bulletText=bullet if index == 0 else None,
            )
        )
    return result


def markup_printable(shown: str) -> str:
    """Text that :func:`printable` gave, as paragraph markup."""
    return escape(shown).replace("\n", "<br/>")


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


@dataclass(frozen=True)
class Flowables:
    """Flowables set as they are, e.g. labels with the :class:`FormField` s of a fillable form."""

    items: Sequence[Flowable]


Block = Text | Heading | Bullets | Facts | FormLines | Flowables

#: Draws one fillable field with ReportLab's AcroForm API at (x, y, width, height) on the page.
DrawField = Callable[[Any, float, float, float, float], None]


class FormField(Flowable):  # type: ignore[misc]
    """A fillable PDF field (text box, radio button, check box) of a fixed size, drawn where
    the flowable lands.

    ``draw(form, x, y, width, height)`` makes the field with ``canvas.acroForm``; it is called
    when the page is written (see :class:`_NumberedCanvas`), so that the field knows its page.
    Pass ``forceBorder=True`` there: the border is then drawn into the page as well, and a
    blank form shows its boxes also where a renderer leaves form fields out.
    """

    def __init__(self, width: float | None, height: float, draw: DrawField) -> None:
        super().__init__()
        self._fixed_width = width
        self.height = height
        self._draw = draw

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        self.width = min(self._fixed_width or available_width, available_width)
        return self.width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        width, height = self.width, self.height
        self.canv.add_form_field(lambda form: self._draw(form, x, y, width, height))


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
    #: A blank form: no date, no reference, no "Betreft" and no address; the title on top.
    form: bool = False

    def refs(self) -> list[str]:
        """The lines of the date/reference block (none on a blank form)."""
        if self.form:
            return []
        lines = [f"{self.place}, {long_date(self.day)}", f"Ons kenmerk: {self.reference}"]
        lines.extend(f"{label}: {value}" if value else label for label, value in self.extra_refs)
        return lines

    def body_top(self) -> float:
        """Where the body starts on page 1, from the page's top.

        A letter keeps the envelope window free; a document without an addressee starts right
        under its date/reference block.
        """
        if self.addressee is not None:
            return float(BODY_TOP_FIRST)
        return float(BLOCK_TOP + len(self.refs()) * LINE + (4 * mm if self.refs() else 0))


_BASE = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14.5, spaceAfter=7)
_STYLES = {
    "body": _BASE,
    # keepWithNext: a heading never stands alone at the foot of a page.
    "heading": ParagraphStyle(
        "heading", parent=_BASE, fontName=BOLD, fontSize=11.5, spaceBefore=8, keepWithNext=1
    ),
    "bullet": ParagraphStyle("bullet", parent=_BASE, leftIndent=12, bulletIndent=2, spaceAfter=3),
    "small": ParagraphStyle("small", parent=_BASE, fontSize=9, leading=12, spaceAfter=0),
    "label": ParagraphStyle(
        "label", parent=_BASE, fontName=BOLD, fontSize=9.5, leading=12.5, spaceAfter=0
    ),
    "value": ParagraphStyle("value", parent=_BASE, fontSize=9.5, leading=12.5, spaceAfter=0),
    "subject": ParagraphStyle("subject", parent=_BASE, fontName=BOLD, spaceAfter=10),
    "title": ParagraphStyle(
        "title", parent=_BASE, fontName=BOLD, fontSize=14, leading=18, spaceAfter=8
    ),
    # The address uses the body's font size; lines one window line apart.
    "address": ParagraphStyle("address", parent=_BASE, leading=LINE, spaceAfter=0),
    "refs": ParagraphStyle("refs", parent=_BASE, fontSize=9.5, leading=LINE, spaceAfter=0),
}


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Knows the page count when the pages are written, for 'pagina 1 van 2'."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._form_fields: list[Callable[[Any], None]] = []

    def add_form_field(self, draw: Callable[[Any], None]) -> None:
        """Make a fillable field on this page when it is written: only then does ReportLab
        know which page the field is on (its /P), as the pages are held back until the count
        is known."""
        self._form_fields.append(draw)

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._form_fields = []
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        annotations = 0  # fields made here are numbered on from the last page's
        for state in self._pages:
            self.__dict__.update(state)
            self._annotationCount: int = max(self._annotationCount, annotations)
            self.setFont(FONT, 8.5)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawRightString(
                PAGE_WIDTH - RIGHT, 12 * mm, f"pagina {self._pageNumber} van {total}"
            )
            for draw in self._form_fields:
                draw(self.acroForm)
            annotations = self._annotationCount
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
            LEFT, BOTTOM, width, PAGE_HEIGHT - letter.body_top() - BOTTOM, id="first", **flush
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

    def _block(self, canvas: Canvas, x: float, width: float, lines: list[str], style: str) -> None:
        """Lines from BLOCK_TOP down, wrapped to ``width``; what does not fit is left off."""
        frame = Frame(
            x, PAGE_HEIGHT - BLOCK_TOP - BLOCK_HEIGHT, width, BLOCK_HEIGHT,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
        )  # fmt: skip
        frame.addFromList([Paragraph(markup(line), _STYLES[style]) for line in lines], canvas)

    def _first_page(self, canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        letter = self.letter
        self._letterhead(canvas, compact=False)
        canvas.setFillColor(colors.black)
        # The address and the date/reference block start on one line: the address at the
        # body's left margin in a left window, the other block beside it (or swapped).
        left_window = letter.letterhead.window == "left"
        refs_x = RIGHT_COLUMN if left_window and letter.addressee is not None else LEFT
        refs_width = PAGE_WIDTH - RIGHT - refs_x
        if letter.addressee is not None:
            window_x, _ = WINDOWS[letter.letterhead.window]
            address_x = LEFT if left_window else RIGHT_COLUMN
            address_width = window_x + WINDOW_SIZE[0] - 4 * mm - address_x
            self._block(canvas, address_x, address_width, letter.addressee.lines(), "address")
            if not left_window:
                refs_width = WINDOWS["right"][0] - 5 * mm - LEFT
        self._block(canvas, refs_x, refs_width, letter.refs(), "refs")
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
                f"{self.letter.subject} (vervolg)"
                if self.letter.form
                else f"Ons kenmerk {self.letter.reference} – {long_date(self.letter.day)} (vervolg)"
            ),
        )
        canvas.restoreState()


def _facts_tables(block: Facts, width: float) -> list[Flowable]:
    """Label/value rows, each row a table of its own: ReportLab wraps every row of a table
    again at each page break, and a few long values made that take seconds. A long value
    takes several rows (see :data:`PIECE_CHARS`), ruled below its last one only."""
    tables: list[Flowable] = []
    for label, value in block.rows:
        values = paragraphs(value, "value")
        for index, piece in enumerate(values):
            first, last = index == 0, index == len(values) - 1
            cells: list[Flowable | str] = [
                Paragraph(markup(label), _STYLES["label"]) if first else "",
                piece,
            ]
            style: list[tuple[Any, ...]] = [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),  # labels on the body's margin
                ("TOPPADDING", (0, 0), (-1, -1), 3 if first else 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 if last else 0),
            ]
            if last:
                style.append(("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")))
            # splitInRow: a long value continues on the next page instead of not fitting.
            table = Table(
                [cells], colWidths=[48 * mm, width - 48 * mm], hAlign="LEFT", splitInRow=1
            )
            table.setStyle(TableStyle(style))
            tables.append(table)
    return tables


def _flowables(letter: Letter) -> list[Flowable]:
    width = PAGE_WIDTH - LEFT - RIGHT
    story: list[Flowable] = [NextPageTemplate("later")]
    if letter.form:
        story.append(Paragraph(markup(letter.subject), _STYLES["title"]))
    else:
        story.append(Paragraph(markup(f"Betreft: {letter.subject}"), _STYLES["subject"]))
    for block in letter.body:
        if isinstance(block, Text):
            story.extend(paragraphs(block.text, "body"))
        elif isinstance(block, Heading):
            story.extend(paragraphs(block.text, "heading"))
        elif isinstance(block, Bullets):
            for item in block.items:
                story.extend(paragraphs(item, "bullet", bullet="•"))
            story.append(Spacer(1, 4))  # the list stands apart from the next paragraph
        elif isinstance(block, Facts):
            if not block.rows:
                continue  # a table needs a row; the heading above says what is missing
            story.extend([*_facts_tables(block, width), Spacer(1, 4 * mm)])
        elif isinstance(block, FormLines):
            for label, lines in block.rows:
                rows = [[Paragraph(markup(label), _STYLES["label"]), ""]] + [["", ""]] * (lines - 1)
                table = Table(rows, colWidths=[45 * mm, width - 45 * mm], rowHeights=8.5 * mm)
                table.setStyle(
                    TableStyle(
                        [
                            ("LINEBELOW", (1, 0), (1, -1), 0.4, colors.HexColor("#888888")),
                            ("LEFTPADDING", (0, 0), (0, -1), 0),
                            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                        ]
                    )
                )
                story.append(KeepTogether([table]))
            story.append(Spacer(1, 4 * mm))
        elif isinstance(block, Flowables):
            story.extend(block.items)
    if letter.closing or letter.signatory is not None:
        signature: list[Flowable] = [Spacer(1, 4 * mm)]
        if letter.closing:
            signature.extend(paragraphs(letter.closing, "body"))
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
