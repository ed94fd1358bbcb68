"""A :class:`~klachtdesk.letters.report_model.Report` as PDF, editable DOCX and XLSX.

The PDF goes through the letters' layout (letterhead, fonts, "pagina 1 van N"); its charts
are ReportLab's own graphics. The DOCX has the same headings and real Word tables, and room
for the algemeen directeur's text. The XLSX has a first sheet "Inhoud" and one sheet per
table, numbers stored as numbers. Plain data in, bytes out: no Qt, no database.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from datetime import date

from babel.numbers import format_decimal, format_percent
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .cell_text import clean_text, force_text
from .layout import (
    BOLD,
    FONT,
    LEFT,
    PAGE_WIDTH,
    RIGHT,
    Letter,
    Letterhead,
    _NumberedCanvas,
    _Template,
    long_date,
    markup,
    printable,
)

# format_cell and NOTHING live beside the report's data (no ReportLab there, so the window's
# figures can show cells without loading it); they stay importable from here too.
from .report_model import NOTHING as NOTHING
from .report_model import Cell, ChartKind, Report, ReportTable
from .report_model import format_cell as format_cell

LOCALE = "nl_BE"
NO_DATA = "Geen gegevens in deze periode."
WIDTH = PAGE_WIDTH - LEFT - RIGHT
NAVY = colors.HexColor("#1f3b5c")
GRID = colors.HexColor("#b8c2cc")
SHADE = colors.HexColor("#e8edf2")
#: Chart colours: distinct in print and for the common colour-vision deficiencies (Okabe-Ito).
PALETTE = tuple(
    colors.HexColor(c)
    for c in (
        "#0072B2",
        "#E69F00",
        "#009E73",
        "#CC79A7",
        "#56B4E9",
        "#D55E00",
        "#F0E442",
        "#000000",
        "#999999",
    )
)


# -- numbers ------------------------------------------------------------------------------


def _is_number(value: Cell) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numeric_columns(table: ReportTable) -> list[int]:
    """Columns (after the first) whose body cells are all numbers or empty (right-aligned)."""
    columns = []
    for col in range(1, len(table.headers)):
        cells = [row[col] for row in table.rows if col < len(row)]
        if all(c is None or _is_number(c) for c in cells) and (
            cells or col in table.percent_columns
        ):
            columns.append(col)
    return columns


def _row_cells(table: ReportTable, row: Sequence[Cell]) -> list[str]:
    return [
        _label(value) if col == 0 else format_cell(value, col in table.percent_columns)
        for col, value in enumerate(row)
    ]


def _label(value: Cell) -> str:
    """A row's label: a year stays '2026', never '2.026'."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return format_cell(value)


# -- PDF ----------------------------------------------------------------------------------

_BASE = ParagraphStyle("report", fontName=FONT, fontSize=10, leading=14, spaceAfter=6)
_STYLES = {
    "body": _BASE,
    "title": ParagraphStyle(
        "rtitle", parent=_BASE, fontName=BOLD, fontSize=18, leading=23, spaceAfter=6,
        textColor=NAVY,
    ),
    "subtitle": ParagraphStyle("rsub", parent=_BASE, fontSize=12, leading=16, spaceAfter=2),
    "facts": ParagraphStyle(
        "rfacts", parent=_BASE, fontSize=9.5, leading=13, spaceAfter=1,
        textColor=colors.HexColor("#444444"),
    ),
    "contents": ParagraphStyle("rcontents", parent=_BASE, fontSize=10, leading=14, spaceAfter=0),
    "section": ParagraphStyle(
        "rsection", parent=_BASE, fontName=BOLD, fontSize=13.5, leading=18, spaceBefore=10,
        spaceAfter=6, textColor=NAVY, keepWithNext=1,
    ),
    "table_title": ParagraphStyle(
        "rtable", parent=_BASE, fontName=BOLD, fontSize=10.5, leading=14, spaceBefore=6,
        spaceAfter=4, keepWithNext=1,
    ),
    "note": ParagraphStyle(
        "rnote", parent=_BASE, fontSize=8.5, leading=11, spaceBefore=3, spaceAfter=4,
        textColor=colors.HexColor("#444444"),
    ),
    "cell": ParagraphStyle("rcell", parent=_BASE, fontSize=9, leading=11.5, spaceAfter=0),
    "cell_bold": ParagraphStyle(
        "rcellb", parent=_BASE, fontName=BOLD, fontSize=9, leading=11.5, spaceAfter=0
    ),
    "head": ParagraphStyle(
        "rhead", parent=_BASE, fontName=BOLD, fontSize=8.5, leading=10.5, spaceAfter=0
    ),
    "head_right": ParagraphStyle(
        "rheadr", parent=_BASE, fontName=BOLD, fontSize=8.5, leading=10.5, spaceAfter=0,
        alignment=2,
    ),
}  # fmt: skip


#: Room the label column keeps at least, before value headers are turned upright.
LABEL_ROOM = 55 * mm
PADDING = 10


def _cell_width(table: ReportTable, col: int) -> float:
    """The widest value of column ``col`` as shown (bold, as in the totals row)."""
    widest = 0.0
    for row in (*table.rows, *([table.total] if table.total else [])):
        if col < len(row):
            shown = format_cell(row[col], col in table.percent_columns)
            widest = max(widest, min(stringWidth(shown, BOLD, 9), 30 * mm))
    return widest


def _header_word_width(header: str) -> float:
    return float(max(stringWidth(word, BOLD, 8.5) for word in header.split() or [""]))


def _upright_headers(table: ReportTable) -> bool:
    """Too many value columns for their headers side by side: the headers stand upright."""
    needed = sum(
        max(17 * mm, _header_word_width(table.headers[col]) + PADDING, _cell_width(table, col))
        for col in range(1, len(table.headers))
    )
    return bool(needed > WIDTH - LABEL_ROOM)


def _column_widths(table: ReportTable) -> list[float]:
    """Value columns as wide as their longest header word or cell (17–30 mm), or just their
    cells when the headers stand upright; the first column (labels) takes the rest."""
    others = len(table.headers) - 1
    if others <= 0:
        return [WIDTH]
    upright = _upright_headers(table)
    widths = []
    for col in range(1, len(table.headers)):
        cells = _cell_width(table, col) + PADDING
        if upright:
            widths.append(max(9 * mm, cells))
        else:
            header = _header_word_width(table.headers[col]) + PADDING
            widths.append(min(30 * mm, max(17 * mm, header, cells)))
    if not upright:
        # Where there is room, a header on one line (up to 30 mm) rather than word by word.
        whole = [
            min(30 * mm, max(w, stringWidth(table.headers[col], BOLD, 8.5) + PADDING))
            for col, w in enumerate(widths, 1)
        ]
        if sum(whole) <= WIDTH - LABEL_ROOM:
            widths = whole
    room = WIDTH - 40 * mm
    if sum(widths) > room:
        widths = [w * room / sum(widths) for w in widths]
    return [WIDTH - sum(widths), *widths]


class _UprightHeader(Flowable):  # type: ignore[misc]
    """A column header written bottom to top, for tables with many narrow columns."""

    def __init__(self, text: str, height: float) -> None:
        super().__init__()
        self.text = printable(text).replace("\n", " ")
        self.height_needed = height

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height_needed

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(BOLD, 8)
        canvas.translate(self.width - 2, 0)
        canvas.rotate(90)
        canvas.drawString(0, 0, self.text)
        canvas.restoreState()


def _pdf_table(table: ReportTable) -> Table:
    numeric = set(_numeric_columns(table)) | set(table.percent_columns)
    header: list[object] = [
        Paragraph(markup(h), _STYLES["head_right" if col in numeric else "head"])
        for col, h in enumerate(table.headers)
    ]
    if _upright_headers(table):
        tallest = max(stringWidth(printable(h), BOLD, 8) for h in table.headers[1:]) + 4
        header[1:] = [_UprightHeader(h, tallest) for h in table.headers[1:]]
    data: list[list[object]] = [header]

    def cells(row: Sequence[Cell], bold: bool) -> list[object]:
        shown: list[object] = []
        for col, text in enumerate(_row_cells(table, row)):
            if col in numeric and (_is_number(row[col]) or row[col] is None):
                shown.append(text)  # a number never wraps
            else:
                # In a list: only a cell's list of flowables is split over two pages.
                shown.append([Paragraph(markup(text), _STYLES["cell_bold" if bold else "cell"])])
        return shown

    data.extend(cells(row, False) for row in table.rows)
    empty = not table.rows
    if empty:
        data.append([Paragraph(markup(NO_DATA), _STYLES["cell"])] + [""] * (len(table.headers) - 1))
    if table.total is not None and not empty:
        data.append(cells(table.total, True))
    style = [
        # Top-aligned: a value stands beside its label's first line, and ReportLab can split
        # a cell taller than a page only when it is top-aligned.
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, NAVY),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    for col in numeric:
        style.append(("ALIGN", (col, 1), (col, -1), "RIGHT"))
    if empty:
        style.append(("SPAN", (0, 1), (-1, 1)))
    if table.total is not None and not empty:
        style.extend(
            [
                ("FONT", (0, -1), (-1, -1), BOLD, 9),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY),
            ]
        )
    # repeatRows: a table longer than a page carries its header onto the next one.
    # splitInRow: a cell taller than a page (a long action or department name) continues on
    # the next page, in full, instead of stopping the whole report.
    result = Table(data, colWidths=_column_widths(table), repeatRows=1, hAlign="LEFT", splitInRow=1)
    result.setStyle(TableStyle(style))
    return result


def _short(text: str, font_size: float, width: float) -> str:
    """A chart label cut with '…' to fit ``width`` (the table beside it has it in full)."""
    text = printable(text).replace("\n", " ")
    if stringWidth(text, FONT, font_size) <= width:
        return text
    # The font's narrowest glyphs are a tenth of its size (zero-width marks aside): what lies
    # beyond that many characters never shows, and a label of thousands of characters is not
    # measured thousands of times (1.6 s for one department name of 6,000).
    text = text[: int(width / (font_size * 0.1)) + 2]
    while text and stringWidth(text + "…", FONT, font_size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _formatter(table: ReportTable, columns: Sequence[int]) -> Callable[[float], str]:
    """How a chart writes a value of ``columns``: as the table does (counts stay whole)."""
    percent = any(c in table.percent_columns for c in columns)
    whole = all(
        isinstance(row[c], int) for row in table.rows for c in columns if row[c] is not None
    )

    def shown(value: float) -> str:
        if percent:
            return format_cell(value, True)
        return format_cell(round(value) if whole else float(value))

    return shown


def _axis_max(top: float) -> tuple[float, float]:
    """(maximum, step) of a value axis with room beside the highest bar for its label."""
    step = _nice_step(top) if top > 0 else 1.0
    return step * (int((top * 1.1) // step) + 1), step


def _label_value_pairs(table: ReportTable) -> list[tuple[str, float]]:
    """(label, value) of every body row with a number in the second column."""
    pairs = []
    for row in table.rows:
        if len(row) > 1 and _is_number(row[1]):
            pairs.append((_label(row[0]), float(row[1])))  # type: ignore[arg-type]
    return pairs


#: More bars than this and the chart shows the largest only (the table has every row).
MAX_BARS = 30
#: More pie slices than this and the smallest are taken together as 'Overige'.
MAX_SLICES = 8


def _bar_chart(table: ReportTable) -> Drawing | None:
    pairs = _label_value_pairs(table)
    if not pairs or max(v for _, v in pairs) <= 0:
        return None
    caption = ""
    if len(pairs) > MAX_BARS:
        kept = sorted(range(len(pairs)), key=lambda n: -pairs[n][1])[:MAX_BARS]
        caption = f"De {MAX_BARS} grootste van {len(pairs)} rijen; de tabel toont ze alle."
        pairs = [pairs[n] for n in sorted(kept)]
    percent = 1 in table.percent_columns
    size = 8
    widest = max(stringWidth(printable(label), FONT, size) for label, _ in pairs)
    label_width = min(75 * mm, max(15 * mm, widest + 8))
    bar = 11
    height = bar * len(pairs) + 28 + (14 if caption else 0)
    drawing = Drawing(WIDTH, height)
    if caption:
        drawing.add(String(0, height - 9, caption, fontName=FONT, fontSize=8,
                           fillColor=colors.HexColor("#444444")))  # fmt: skip
    chart = HorizontalBarChart()
    chart.x = label_width + 4
    chart.y = 18
    chart.width = WIDTH - label_width - 40
    chart.height = bar * len(pairs)
    # Drawn top to bottom in the table's order.
    chart.data = [[v for _, v in reversed(pairs)]]
    chart.categoryAxis.categoryNames = [
        _short(label, size, label_width - 6) for label, _ in reversed(pairs)
    ]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = size
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.categoryAxis.tickLeft = 0
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = size
    top = max(v for _, v in pairs)
    if percent:
        chart.valueAxis.valueMax = 1.0 if top <= 1 else None
        chart.valueAxis.valueStep = 0.2
        chart.valueAxis.labelTextFormat = lambda v: format_percent(v, "#,##0 %", locale=LOCALE)
    else:
        chart.valueAxis.valueMax, chart.valueAxis.valueStep = _axis_max(top)
        chart.valueAxis.labelTextFormat = lambda v: format_decimal(v, "#,##0", locale=LOCALE)
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.bars[0].fillColor = PALETTE[0]
    chart.bars[0].strokeColor = None
    chart.barWidth = 7
    chart.groupSpacing = 4
    chart.barLabelFormat = _formatter(table, [1])
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def _nice_step(top: float) -> float:
    """An axis step of 1, 2 or 5 times a power of ten giving at most about six ticks."""
    step = 1.0
    while top / step > 6:
        for factor in (2, 2.5, 2):
            step *= factor
            if top / step <= 6:
                break
    return step


def _pie_chart(table: ReportTable) -> Drawing | None:
    pairs = [(label, v) for label, v in _label_value_pairs(table) if v > 0]
    if not pairs:
        return None
    if len(pairs) > MAX_SLICES:
        pairs.sort(key=lambda pair: -pair[1])
        rest = sum(v for _, v in pairs[MAX_SLICES - 1 :])
        pairs = [*pairs[: MAX_SLICES - 1], ("Overige", rest)]
    total = sum(v for _, v in pairs)
    size = 8.5
    rows = len(pairs)
    height = max(42 * mm, rows * 13 + 12)
    drawing = Drawing(WIDTH, height)
    pie = Pie()
    diameter = 36 * mm
    pie.x = 4
    pie.y = height - diameter - 4
    pie.width = pie.height = diameter
    pie.data = [v for _, v in pairs]
    pie.labels = None
    pie.simpleLabels = 1
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 0.8
    pie.startAngle = 90
    pie.direction = "clockwise"
    for n in range(rows):
        pie.slices[n].fillColor = PALETTE[n % len(PALETTE)]
    drawing.add(pie)
    legend = Legend()
    legend.x = diameter + 14 * mm
    legend.y = height - 6
    legend.alignment = "right"
    legend.fontName = FONT
    legend.fontSize = size
    legend.deltay = 13
    legend.dy = 7
    legend.dx = 7
    legend.columnMaximum = rows
    legend.boxAnchor = "nw"
    text_width = WIDTH - legend.x - 20 * mm
    shown = _formatter(table, [1])
    legend.colorNamePairs = [
        (
            PALETTE[n % len(PALETTE)],
            _short(
                f"{label}: {shown(v)} ({format_percent(v / total, '#,##0.0 %', locale=LOCALE)})",
                size,
                text_width,
            ),
        )
        for n, (label, v) in enumerate(pairs)
    ]
    drawing.add(legend)
    return drawing


def _line_charts(table: ReportTable) -> list[Drawing]:
    """One chart per scale: counts, other figures (rates, averages), and percentages."""
    numeric = [c for c in _numeric_columns(table) if any(_is_number(row[c]) for row in table.rows)]
    shares = [c for c in numeric if c in table.percent_columns]
    rest = [c for c in numeric if c not in table.percent_columns]
    whole = [c for c in rest if all(isinstance(row[c], int | None) for row in table.rows)]
    other = [c for c in rest if c not in whole]
    drawings = []
    for percent, columns in ((False, whole), (False, other), (True, shares)):
        if not columns or len(table.rows) < 2:
            continue
        drawing = _line_chart(table, columns, percent)
        if drawing is not None:
            drawings.append(drawing)
    return drawings


def _line_chart(table: ReportTable, columns: list[int], percent: bool) -> Drawing | None:
    values = [
        [float(row[c]) if _is_number(row[c]) else None for row in table.rows]  # type: ignore[arg-type]
        for c in columns
    ]
    present = [v for line in values for v in line if v is not None]
    if not present:
        return None
    size = 8
    legend_rows = len(columns)
    plot_height = 36 * mm
    height = plot_height + 22 + legend_rows * 11 + 6
    drawing = Drawing(WIDTH, height)
    chart = HorizontalLineChart()
    chart.x = 34
    chart.y = 20 + legend_rows * 11 + 6
    chart.width = WIDTH - 50
    chart.height = plot_height
    chart.data = values
    chart.joinedLines = 1
    chart.categoryAxis.categoryNames = [
        _short(_label(row[0]), size, chart.width / max(1, len(table.rows)) - 2)
        for row in table.rows
    ]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = size
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = size
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.gridStrokeWidth = 0.3
    top = max(present)
    if percent:
        chart.valueAxis.valueMax = 1.0 if top <= 1 else None
        chart.valueAxis.valueStep = 0.2
        chart.valueAxis.labelTextFormat = lambda v: format_percent(v, "#,##0 %", locale=LOCALE)
    else:
        chart.valueAxis.valueMax, chart.valueAxis.valueStep = _axis_max(top)
        chart.valueAxis.labelTextFormat = lambda v: format_decimal(v, "#,##0.##", locale=LOCALE)
    for n in range(len(columns)):
        chart.lines[n].strokeColor = PALETTE[n % len(PALETTE)]
        chart.lines[n].strokeWidth = 1.6
    drawing.add(chart)
    legend = Legend()
    legend.x = chart.x
    legend.y = legend_rows * 11 + 4
    legend.fontName = FONT
    legend.fontSize = size
    legend.alignment = "right"
    legend.deltay = 11
    legend.dx = 10
    legend.dy = 2
    legend.boxAnchor = "nw"
    legend.columnMaximum = legend_rows
    legend.colorNamePairs = [
        (PALETTE[n % len(PALETTE)], _short(table.headers[c], size, WIDTH - 80))
        for n, c in enumerate(columns)
    ]
    drawing.add(legend)
    return drawing


def charts_of(table: ReportTable) -> list[Drawing]:
    """The drawings shown under ``table`` (none for an empty table or a chart of zeros)."""
    if table.chart is None or not table.rows:
        return []
    if table.chart == ChartKind.BAR:
        drawing = _bar_chart(table)
    elif table.chart == ChartKind.PIE:
        drawing = _pie_chart(table)
    else:
        return _line_charts(table)
    return [drawing] if drawing is not None else []


def _ruled_lines(count: int) -> list[Flowable]:
    """Lines to write on; they may continue on the next page."""
    rows = [[""]] * count
    table = Table(rows, colWidths=[WIDTH], rowHeights=9 * mm)
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888"))]))
    return [table]


def _paragraphs(text: str, style: str = "body") -> list[Flowable]:
    return [
        Paragraph(markup(part.strip()), _STYLES[style])
        for part in re.split(r"\n\s*\n", text)
        if part.strip()
    ]


def period_line(report: Report) -> str:
    """'Periode: 2026 (1 januari 2026 – 31 december 2026)'."""
    period = report.period
    span = f"{long_date(period.start)} – {long_date(period.end)}"
    if period.label == span:
        return f"Periode: {span}"
    return f"Periode: {period.label} ({span})"


def made_on_line(report: Report) -> str:
    return f"Opgemaakt op {long_date(report.made_on)}"


def _story(report: Report) -> list[Flowable]:
    story: list[Flowable] = [NextPageTemplate("later")]
    story.append(Paragraph(markup(report.title), _STYLES["title"]))
    story.append(Paragraph(markup(report.organisation), _STYLES["subtitle"]))
    story.append(Paragraph(markup(period_line(report)), _STYLES["facts"]))
    story.append(Paragraph(markup(made_on_line(report)), _STYLES["facts"]))
    story.append(Spacer(1, 6 * mm))
    if len(report.sections) > 1:
        story.append(Paragraph("Inhoud", _STYLES["table_title"]))
        story.extend(
            Paragraph(markup(f"{n}. {section.title}"), _STYLES["contents"])
            for n, section in enumerate(report.sections, 1)
        )
        story.append(Spacer(1, 4 * mm))
    for n, section in enumerate(report.sections, 1):
        # A chapter starts on a new page rather than with its heading alone at the foot.
        story.append(CondPageBreak(60 * mm))
        opening: list[Flowable] = [
            Paragraph(markup(f"{n}. {section.title}"), _STYLES["section"]),
            *_paragraphs(section.text),
        ]
        closing = _paragraphs(section.closing, "note")
        if not section.tables and section.blank_lines:
            # Room to write is one block under its heading when it fits on a page.
            story.append(KeepTogether([*opening, *_ruled_lines(section.blank_lines), *closing]))
            continue
        if not section.tables:
            story.extend(opening)
        for table in section.tables:
            # The chapter's heading stays with its first table.
            block: list[Flowable] = [
                *opening,
                Paragraph(markup(table.title), _STYLES["table_title"]),
                _pdf_table(table),
            ]
            opening = []
            if table.note:
                block.extend(_paragraphs(table.note, "note"))
            for drawing in charts_of(table):
                block.extend([Spacer(1, 3 * mm), drawing])
            # A table is kept on one page with its title and charts when they fit; a longer
            # table continues on the next page under its repeated header.
            story.append(KeepTogether(block))
            story.append(Spacer(1, 5 * mm))
        if section.blank_lines:
            story.extend(_ruled_lines(section.blank_lines))
        story.extend(closing)
    return story


def report_pdf(report: Report, letterhead: Letterhead) -> bytes:
    """The report as PDF on the municipality's letterhead, with numbered pages."""
    frame = Letter(
        letterhead=letterhead,
        reference=report.period.label,
        day=report.made_on,
        place="",
        subject=report.title,
        body=(),
        title=report.title,
        form=True,  # no date/reference block, no address window: the title starts on top
    )
    buffer = io.BytesIO()
    document = _Template(buffer, frame)
    document.subject = f"{report.title} – {report.organisation}"
    document.build(_story(report), canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


# -- DOCX ---------------------------------------------------------------------------------


def report_docx(report: Report) -> bytes:
    """The report as an editable Word document with the same headings and tables."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    properties = document.core_properties
    properties.title = report.title
    properties.author = report.organisation
    properties.subject = report.period.label
    properties.comments = ""
    properties.created = _midnight(report.made_on)
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    _docx_page_footer(section, report)
    # Styles looked up once by name: python-docx searches the style sheet at every use.
    ids = {name: document.styles[name].style_id for name in ("Title", "Heading 1", "Heading 2")}
    table_style = document.styles["Table Grid"].style_id
    # Table text a size smaller, through a paragraph style rather than on each of many runs.
    cell_style = document.styles.add_style("Tabeltekst", WD_STYLE_TYPE.PARAGRAPH)
    cell_style.base_style = document.styles["Normal"]
    cell_style.font.size = Pt(9.5)
    cell_style.paragraph_format.space_after = Pt(0)

    def heading(text: str, style: str) -> None:
        paragraph = document.add_paragraph(text)
        paragraph._p.style = ids[style]

    heading(report.title, "Title")
    document.add_paragraph(report.organisation)
    document.add_paragraph(period_line(report))
    document.add_paragraph(made_on_line(report))
    for n, part in enumerate(report.sections, 1):
        heading(f"{n}. {part.title}", "Heading 1")
        for text in _texts(part.text):
            document.add_paragraph(text)
        for table in part.tables:
            heading(table.title, "Heading 2")
            numeric = set(_numeric_columns(table)) | set(table.percent_columns)
            rows: list[tuple[list[str], bool]] = [(list(table.headers), True)]
            rows.extend((_row_cells(table, row), False) for row in table.rows)
            if not table.rows:
                rows.append(([NO_DATA] + [""] * (len(table.headers) - 1), False))
            elif table.total is not None:
                rows.append((_row_cells(table, table.total), True))
            grid = document.add_table(rows=len(rows), cols=len(table.headers))
            grid._tbl.tblStyle_val = table_style
            grid.alignment = WD_TABLE_ALIGNMENT.LEFT
            if not table.rows and len(table.headers) > 1:
                grid.cell(1, 0).merge(grid.cell(1, len(table.headers) - 1))
                rows[1] = ([NO_DATA], False)
                for extra in grid.cell(1, 0).paragraphs[1:]:
                    extra._p.getparent().remove(extra._p)
            # Row by row: python-docx's grid.cell(r, c) walks the whole table at every call.
            for row, (cells, bold) in zip(grid.rows, rows, strict=True):
                shown_cells = row.cells
                for c, text in enumerate(cells):
                    paragraph = shown_cells[c].paragraphs[0]
                    paragraph._p.style = cell_style.style_id
                    run = paragraph.add_run(text)
                    if bold:
                        run.bold = True
                    if c in numeric:
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            # Word repeats the header row on every page the table runs onto.
            _docx_repeat_header(grid.rows[0])
            for text in _texts(table.note):
                note = document.add_paragraph()
                note.add_run(text).italic = True
        for _ in range(part.blank_lines):
            document.add_paragraph()
        for text in _texts(part.closing):
            document.add_paragraph().add_run(text).italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _midnight(day: date) -> object:
    from datetime import datetime

    return datetime(day.year, day.month, day.day)


def _texts(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


def _docx_repeat_header(row: object) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _docx_page_footer(section: object, report: Report) -> None:
    """'Jaarverslag … – pagina N van M' in the footer, as Word fields."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = section.footer.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def text(value: str) -> None:
        run = paragraph.add_run(value)
        run.font.size = Pt(8.5)

    def field(code: str) -> None:
        run = paragraph.add_run()
        run.font.size = Pt(8.5)
        for kind, content in (("begin", None), (None, code), ("separate", None), (None, "1")):
            if kind is not None:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            elif content == code:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = f" {code} "
            else:
                element = OxmlElement("w:t")
                element.text = content
            run._r.append(element)
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        run._r.append(end)

    text(f"{report.title} – pagina ")
    field("PAGE")
    text(" van ")
    field("NUMPAGES")


# -- XLSX ---------------------------------------------------------------------------------

#: Characters Excel refuses in a sheet name.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LIMIT = 31
CONTENTS_SHEET = "Inhoud"


def sheet_names(report: Report) -> list[str]:
    """One valid sheet name per table, from its (Dutch) title: unique ignoring case, at most
    31 characters, never 'Inhoud' (the first sheet) nor Excel's reserved 'History'.

    The title rather than the table's ASCII key: the user sees the sheet names, in Dutch.
    """
    taken = {CONTENTS_SHEET.casefold(), "history"}
    names = []
    for n, table in enumerate(report.tables, 1):
        base = " ".join(_SHEET_FORBIDDEN.sub("-", table.title).split()).strip("'")
        base = base or f"Tabel {n}"
        name = _cut(base, SHEET_NAME_LIMIT)
        extra = 2
        while name.casefold() in taken:
            suffix = f" ({extra})"
            name = _cut(base, SHEET_NAME_LIMIT - len(suffix)) + suffix
            extra += 1
        taken.add(name.casefold())
        names.append(name)
    return names


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def report_xlsx(report: Report) -> bytes:
    """The report as a workbook: 'Inhoud' first, then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter, quote_sheetname

    workbook = Workbook()
    workbook.properties.title = report.title
    workbook.properties.creator = report.organisation
    workbook.properties.subject = report.period.label
    contents = workbook.active
    contents.title = CONTENTS_SHEET
    bold = Font(bold=True)
    title_font = Font(bold=True, size=14)
    fill = PatternFill("solid", fgColor="E8EDF2")
    line = Border(bottom=Side(style="thin", color="1F3B5C"))
    above = Border(top=Side(style="thin", color="1F3B5C"))
    contents["A1"] = report.title
    contents["A1"].font = title_font
    contents["A2"] = report.organisation
    contents["A3"] = period_line(report)
    contents["A4"] = made_on_line(report)
    contents["A6"], contents["B6"], contents["C6"] = "Hoofdstuk", "Tabel", "Blad"
    for cell in contents[6]:
        cell.font = bold
        cell.fill = fill
        cell.border = line
    names = sheet_names(report)
    row_number = 7
    tables_with_chapters = [
        (f"{n}. {section.title}", table)
        for n, section in enumerate(report.sections, 1)
        for table in section.tables
    ]
    for (chapter, table), name in zip(tables_with_chapters, names, strict=True):
        contents.cell(row_number, 1, chapter)
        contents.cell(row_number, 2, table.title)
        link = contents.cell(row_number, 3, name)
        link.hyperlink = f"#{quote_sheetname(name)}!A1"
        link.style = "Hyperlink"
        row_number += 1
    contents.column_dimensions["A"].width = 40
    contents.column_dimensions["B"].width = 60
    contents.column_dimensions["C"].width = 32

    for table, name in zip(report.tables, names, strict=True):
        sheet = workbook.create_sheet(name)
        sheet["A1"] = table.title
        sheet["A1"].font = Font(bold=True, size=12)
        header_row = 3
        for col, header in enumerate(table.headers, 1):
            cell = sheet.cell(header_row, col, header)
            cell.font = bold
            cell.fill = fill
            cell.border = line
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        body = list(table.rows)
        current = header_row + 1
        for row in body:
            _xlsx_row(sheet, current, table, row)
            current += 1
        if not body:
            sheet.cell(current, 1, NO_DATA).font = Font(italic=True)
            current += 1
        elif table.total is not None:
            _xlsx_row(sheet, current, table, table.total)
            for col in range(1, len(table.headers) + 1):
                sheet.cell(current, col).font = bold
                sheet.cell(current, col).border = above
            current += 1
        if table.note:
            sheet.cell(current + 1, 1, table.note).font = Font(italic=True)
        labels = [len(str(table.headers[0]))] + [
            len(_label(row[0])) for row in (*body, *([table.total] if table.total else []))
        ]
        sheet.column_dimensions["A"].width = min(60, max(14, max(labels) + 2))
        for col in range(2, len(table.headers) + 1):
            sheet.column_dimensions[get_column_letter(col)].width = max(
                12, min(24, len(table.headers[col - 1]) + 2)
            )
        sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_row(sheet: object, row_number: int, table: ReportTable, row: Sequence[Cell]) -> None:
    for col, value in enumerate(row, 1):
        if isinstance(value, str):
            value = clean_text(value)
        cell = force_text(sheet.cell(row_number, col, value))  # type: ignore[attr-defined]
        if col - 1 in table.percent_columns and _is_number(value):
            cell.number_format = "0.0%"
        elif isinstance(value, float):
            cell.number_format = "#,##0.0"
        elif isinstance(value, int) and not isinstance(value, bool) and col > 1:
            cell.number_format = "#,##0"
