"""The report renderers read back: PDF text (pypdf), Word tables (python-docx), workbook cells
(openpyxl). Every header and number of the hand-made report must be in all three, alike."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from klachtdesk.letters.layout import PAGE_HEIGHT, PAGE_WIDTH
from klachtdesk.letters.report import (
    NO_DATA,
    NOTHING,
    charts_of,
    format_cell,
    report_docx,
    report_pdf,
    report_xlsx,
    sheet_names,
)
from klachtdesk.letters.report_model import ChartKind, Report, ReportSection, ReportTable
from klachtdesk.procedure.periods import Period

from .report_sample import (
    ACTIONS,
    CHANNELS,
    DEPARTMENTS,
    LETTERHEAD,
    LONG_DEPARTMENT,
    RECEIVED,
    TREND,
    sample_report,
)

REPORT = sample_report()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return report_pdf(REPORT, LETTERHEAD)


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return report_docx(REPORT)


@pytest.fixture(scope="module")
def xlsx_bytes() -> bytes:
    return report_xlsx(REPORT)


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(pdf: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def shown_rows(table: ReportTable) -> list[list[str]]:
    """The table as every format must show it: header, rows, total, all as text."""
    rows = [list(table.headers)]
    for row in (*table.rows, *([table.total] if table.total and table.rows else [])):
        rows.append(
            [
                str(v)
                if c == 0 and isinstance(v, int)
                else format_cell(v, c in table.percent_columns)
                for c, v in enumerate(row)
            ]
        )
    return rows


def test_numbers_are_written_the_flemish_way() -> None:
    assert format_cell(1234) == "1.234"
    assert format_cell(0) == "0"
    assert format_cell(0.125, percent=True) == "12,5 %"
    assert format_cell(1.0, percent=True) == "100,0 %"
    assert format_cell(23.45) == "23,4" or format_cell(23.45) == "23,5"
    assert format_cell(None) == NOTHING
    assert format_cell("Burgerzaken") == "Burgerzaken"


def test_pdf_has_title_block_every_header_and_number(pdf: bytes) -> None:
    text = pdf_text(pdf)
    assert "Jaarverslag klachtenbehandeling 2026" in text
    assert "Gemeente Zottegem" in text
    assert "Periode: 2026 (1 januari 2026 – 31 december 2026)" in text
    assert "Opgemaakt op 14 februari 2027" in text
    for n, section in enumerate(REPORT.sections, 1):
        assert f"{n}. {section.title}" in text
    for table in REPORT.tables:
        assert flat(table.title) in text
        for row in shown_rows(table):
            for cell in row:
                assert flat(cell) in text, (table.key, cell)
    assert "12,5 %" in text and "1.234" in text and "2.026" not in text
    assert LONG_DEPARTMENT in text  # wrapped in its cell, never cut off in the table
    assert NO_DATA in text  # the empty table says so


def test_pdf_pages_are_numbered_on_the_letterhead(pdf: bytes) -> None:
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        text = page.extract_text()
        assert f"pagina {number} van {len(pages)}" in text
        assert "Gemeente Zottegem" in text
    assert "Markt 1, 9620 Zottegem" in pages[0].extract_text()
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None and meta.title == REPORT.title


def _text_positions(pdf: bytes) -> list[tuple[int, str, float, float]]:
    found: list[tuple[int, str, float, float]] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):

        def visit(
            text: str, cm: list[float], tm: list[float], _f: object, _s: float, n: int = number
        ) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.append((n, text.strip(), x, y))

        page.extract_text(visitor_text=visit)
    return found


def test_pdf_text_starts_inside_the_page(pdf: bytes) -> None:
    placed = _text_positions(pdf)
    assert len(placed) > 100
    for page, text, x, y in placed:
        assert 15 <= x <= PAGE_WIDTH - 15, (page, text, x)
        assert 15 <= y <= PAGE_HEIGHT - 15, (page, text, y)


def test_a_table_is_not_split_from_its_title(pdf: bytes) -> None:
    """Each table's title is on the page of its header row (they are kept together)."""
    pages = [flat(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
    for table in REPORT.tables:
        assert any(f"{table.title} {table.headers[0]}" in page for page in pages), table.key


def test_charts_for_every_kind_and_none_for_empty_or_zero_tables() -> None:
    assert len(charts_of(DEPARTMENTS)) == 1  # bar
    assert len(charts_of(CHANNELS)) == 1  # pie (the zero channel left out)
    assert len(charts_of(TREND)) == 3  # counts, rates and shares each on their own scale
    assert charts_of(ACTIONS) == []  # empty
    zeros = replace(CHANNELS, rows=(("E-mail", 0), ("Brief", 0)))
    assert charts_of(zeros) == []
    assert charts_of(replace(zeros, chart=ChartKind.PIE)) == []
    assert charts_of(replace(RECEIVED, chart=None)) == []


_LINE = re.compile(r"(-?[\d.]+) (-?[\d.]+) m (-?[\d.]+) (-?[\d.]+) l")


def _full_width_rules(page: object) -> int:
    """Horizontal lines drawn about the text width long (tables' rules, ruled lines)."""
    content = page.get_contents()  # type: ignore[attr-defined]
    data = content.get_data().decode("latin-1") if content is not None else ""
    return sum(
        1
        for m in _LINE.finditer(data)
        if m.group(2) == m.group(4) and float(m.group(3)) - float(m.group(1)) > 400
    )


def test_pdf_blank_section_has_ruled_lines_to_write_on(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    blank = REPORT.sections[-1]
    assert blank.blank_lines and not blank.tables
    at = next(n for n, p in enumerate(reader.pages) if blank.title in p.extract_text())
    # The blank section is the last: every long rule from its page on that is not a table's
    # belongs to it. Its page holds no table (the trend's charts keep it on the page before).
    assert sum(_full_width_rules(p) for p in reader.pages[at:]) >= blank.blank_lines
    without = replace(REPORT, sections=(*REPORT.sections[:-1], replace(blank, blank_lines=0)))
    fewer = PdfReader(io.BytesIO(report_pdf(without, LETTERHEAD)))
    drawn = sum(_full_width_rules(p) for p in reader.pages)
    assert drawn - sum(_full_width_rules(p) for p in fewer.pages) == blank.blank_lines


def docx_tables(data: bytes) -> list[list[list[str]]]:
    document = Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]


def test_docx_has_the_same_headings_and_real_tables(docx_bytes: bytes) -> None:
    document = Document(io.BytesIO(docx_bytes))
    paragraphs = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert document.paragraphs[0].text == REPORT.title
    assert "Gemeente Zottegem" in paragraphs
    assert "Periode: 2026 (1 januari 2026 – 31 december 2026)" in paragraphs
    assert "Opgemaakt op 14 februari 2027" in paragraphs
    for n, section in enumerate(REPORT.sections, 1):
        assert f"{n}. {section.title}" in headings
    for table in REPORT.tables:
        assert table.title in headings
    assert document.paragraphs[0].style.name == "Title"
    assert all(t.style.name == "Table Grid" for t in document.tables)  # ruled, as in the PDF
    assert document.tables[0].rows[1].cells[0].paragraphs[0].style.name == "Tabeltekst"
    tables = docx_tables(docx_bytes)
    assert len(tables) == len(REPORT.tables)
    for table, grid in zip(REPORT.tables, tables, strict=True):
        if table.rows:
            assert grid == shown_rows(table), table.key
        else:
            assert grid[0] == list(table.headers)
            assert grid[1][0] == NO_DATA


def test_docx_blank_section_is_room_to_write(docx_bytes: bytes) -> None:
    document = Document(io.BytesIO(docx_bytes))
    paragraphs = document.paragraphs
    blank = REPORT.sections[-1]
    at = next(n for n, p in enumerate(paragraphs) if p.text.endswith(blank.title))
    after = paragraphs[at + 1 :]
    assert after[0].text == blank.text
    assert [p.text for p in after[1:]] == [""] * blank.blank_lines
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_xlsx_one_sheet_per_table_numbers_as_numbers(xlsx_bytes: bytes) -> None:
    workbook = load_workbook(io.BytesIO(xlsx_bytes))
    assert workbook.sheetnames[0] == "Inhoud"
    names = sheet_names(REPORT)
    assert workbook.sheetnames[1:] == names
    contents = workbook["Inhoud"]
    listed = [row for row in contents.iter_rows(min_row=7, values_only=True) if row[0]]
    assert [(r[1], r[2]) for r in listed] == [
        (t.title, n) for t, n in zip(REPORT.tables, names, strict=True)
    ]
    for table, name in zip(REPORT.tables, names, strict=True):
        sheet = workbook[name]
        assert sheet["A1"].value == table.title
        cells = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
        assert cells[0] == list(table.headers)
        body = [*table.rows, *([table.total] if table.total and table.rows else [])]
        assert [tuple(r[: len(table.headers)]) for r in cells[1 : 1 + len(body)]] == [
            tuple(r) for r in body
        ]
        for r, row in enumerate(body, 4):
            for c, value in enumerate(row):
                cell = sheet.cell(r, c + 1)
                if isinstance(value, int | float) and value is not None:
                    assert cell.data_type == "n", (name, r, c)
                    if c in table.percent_columns:
                        assert cell.number_format == "0.0%"
        if not table.rows:
            assert sheet["A4"].value == NO_DATA


def test_the_three_formats_agree(pdf: bytes, docx_bytes: bytes, xlsx_bytes: bytes) -> None:
    """Every number the workbook holds, formatted, is in the Word table and the PDF."""
    text = pdf_text(pdf)
    workbook = load_workbook(io.BytesIO(xlsx_bytes))
    grids = docx_tables(docx_bytes)
    checked = 0
    for table, name, grid in zip(REPORT.tables, sheet_names(REPORT), grids, strict=True):
        sheet = workbook[name]
        for r, row in enumerate(grid[1:], 4):
            for c, shown in enumerate(row):
                value = sheet.cell(r, c + 1).value
                if c > 0 and isinstance(value, int | float):
                    body = [*table.rows, *([table.total] if table.total else [])]
                    original = body[r - 4][c]
                    assert value == original
                    assert format_cell(original, c in table.percent_columns) == shown
                    assert shown in text
                    checked += 1
    assert checked > 80


def test_sheet_names_are_valid_unique_and_short() -> None:
    table = ReportTable("x", "Inhoud", ("a", "b"), (("r", 1),))
    long = ReportTable("y", "Klachten per [dienst]: wie/wat? " * 3, ("a", "b"), (("r", 1),))
    report = Report(
        "T", "Gemeente", Period.year(2026), date(2027, 1, 5),
        (ReportSection("S", tables=(table, table, long, long, replace(table, title="History"))),),
    )  # fmt: skip
    names = sheet_names(report)
    assert len({n.casefold() for n in names} | {"inhoud"}) == len(names) + 1
    assert all(0 < len(n) <= 31 for n in names)
    assert not any(set(n) & set("[]:*?/\\") for n in names)
    assert "history" not in {n.casefold() for n in names}
    workbook = load_workbook(io.BytesIO(report_xlsx(report)))
    assert workbook.sheetnames == ["Inhoud", *names]


def test_a_report_without_tables_or_sections_renders() -> None:
    empty = Report(
        "Klachtenoverzicht maart 2026", "Gemeente", Period.month(2026, 3), date(2026, 4, 2), ()
    )
    text = pdf_text(report_pdf(empty, LETTERHEAD))
    assert "Periode: maart 2026 (1 maart 2026 – 31 maart 2026)" in text
    assert docx_tables(report_docx(empty)) == []
    assert load_workbook(io.BytesIO(report_xlsx(empty))).sheetnames == ["Inhoud"]


def test_a_table_longer_than_a_page_repeats_its_header() -> None:
    rows = tuple((f"Dienst {n:02d}", n, n / 100) for n in range(1, 91))
    table = ReportTable(
        "long", "Klachten per dienst", ("Dienst", "Klachten", "Aandeel"), rows,
        total=("Totaal", sum(range(1, 91)), 1.0), percent_columns=(2,), chart=ChartKind.BAR,
    )  # fmt: skip
    report = replace(REPORT, sections=(ReportSection("Diensten", tables=(table,)),))
    pages = [
        flat(p.extract_text()) for p in PdfReader(io.BytesIO(report_pdf(report, LETTERHEAD))).pages
    ]
    with_rows = [p for p in pages if "Dienst 45" in p or "Dienst 01" in p or "Dienst 90" in p]
    assert len(with_rows) >= 2
    for page in with_rows:
        assert "Dienst Klachten Aandeel" in page  # the header row on every page of the table
    assert "Totaal 4.095 100,0 %" in " ".join(pages)
    for n in range(1, 91):
        assert f"Dienst {n:02d} {n} {format_cell(n / 100, True)}" in " ".join(pages)


def test_charts_of_many_rows_stay_on_a_page() -> None:
    rows = tuple((f"Dienst {n:02d}", n) for n in range(1, 91))
    bar = ReportTable("many", "Veel", ("Dienst", "Klachten"), rows, chart=ChartKind.BAR)
    (drawing,) = charts_of(bar)
    assert drawing.height < 500
    (pie,) = charts_of(replace(bar, chart=ChartKind.PIE))
    assert pie.height < 300


def test_headers_stand_upright_only_when_many_columns_need_it(pdf: bytes) -> None:
    from klachtdesk.letters.report import _column_widths, _upright_headers

    from .report_sample import OUTCOMES_BY_NORM

    assert _upright_headers(OUTCOMES_BY_NORM)
    assert not _upright_headers(DEPARTMENTS) and not _upright_headers(TREND)
    widths = _column_widths(OUTCOMES_BY_NORM)
    assert widths[0] >= 55 * 2.83  # the labels keep room (55 mm)
    text = pdf_text(pdf)
    for header in OUTCOMES_BY_NORM.headers:
        assert header in text  # upright, and still text
