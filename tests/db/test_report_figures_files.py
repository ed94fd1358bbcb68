"""The yearly report of the hand-counted register as PDF, DOCX and XLSX, read back: the three
agree with each other and with direct SQL counts, and none of them names a complainant.
Also through ``klachtdesk report`` in a process of its own."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from klachtdesk.letters.report import format_cell, sheet_names
from klachtdesk.letters.report_model import Cell, Report, ReportSection, ReportTable
from klachtdesk.models import Register, create_register, database, open_register
from klachtdesk.procedure import Ground, Outcome
from klachtdesk.procedure.periods import Period
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.report import period_report
from klachtdesk.services.report_files import (
    ReportFiles,
    period_report_files,
    render_files,
    report_content,
)

from ..conftest import FakeClock
from . import figures_register
from .conftest import PASSPHRASE
from .figures_register import AS_OF, PERSONAL, Built
from .test_cli import run

YEAR = Period.year(2026)
WHERE = "received_on BETWEEN '2026-01-01' AND '2026-12-31'"


@pytest.fixture
def clock() -> FakeClock:
    return figures_register.clock()


@pytest.fixture
def built(register: Register, ctx: ServiceContext) -> Iterator[Built]:
    yield figures_register.build(ctx)


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(pdf: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def docx_tables(docx: bytes) -> list[list[list[str]]]:
    document = Document(io.BytesIO(docx))
    return [[[flat(c.text) for c in row.cells] for row in t.rows] for t in document.tables]


def docx_text(docx: bytes) -> str:
    document = Document(io.BytesIO(docx))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return flat(" ".join(parts))


def xlsx_sheets(xlsx: bytes) -> dict[str, list[tuple[Cell, ...]]]:
    workbook = load_workbook(io.BytesIO(xlsx))
    return {
        sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


def shown(table: ReportTable, row: tuple[Cell, ...]) -> list[str]:
    return [
        str(v) if c == 0 and isinstance(v, int) else format_cell(v, c in table.percent_columns)
        for c, v in enumerate(row)
    ]


def sql_count(condition: str = "1", *params: object) -> int:
    query = f"SELECT COUNT(*) FROM complaint WHERE {WHERE} AND {condition}"
    return int(database.execute_sql(query, params).fetchone()[0])


def sql_expected() -> dict[tuple[str, str], int]:
    """(table key, row label) -> the count, from SQL written for this test."""
    ground_sql = (
        "SELECT COUNT(*) FROM complaint_ground g JOIN complaint c ON c.id = g.complaint_id "
        f"WHERE c.{WHERE} AND g.ground = ?"
    )
    expected = {
        ("summary", "Ontvangen registraties"): sql_count(),
        ("summary", "Ontvankelijke klachten"): sql_count("admissible = 1"),
        ("summary", "Niet-ontvankelijke klachten"): sql_count("admissible = 0"),
        ("summary", "Nog open op 31/12/2026"): sql_count(
            "(closed_on IS NULL OR closed_on > '2026-12-31')"
        ),
    }
    for outcome in Outcome:
        expected["outcomes", outcome.label] = sql_count("outcome = ?", outcome.value)
    for ground in Ground:
        count = database.execute_sql(ground_sql, (ground.value,)).fetchone()[0]
        expected["grounds", f"{ground.number}. {ground.label}"] = int(count)
    return expected


def check_files(files: ReportFiles, report: Report, expected: dict[tuple[str, str], int]) -> None:
    """The XLSX holds the report's values; DOCX and PDF show the same cells; all equal SQL."""
    sheets = xlsx_sheets(files.xlsx)
    words = docx_tables(files.docx)
    pdf = pdf_text(files.pdf)
    assert len(words) == len(report.tables)
    found = set()
    for table, name, word_table in zip(report.tables, sheet_names(report), words, strict=True):
        cells = sheets[name]
        assert cells[0][0] == table.title
        assert cells[2][: len(table.headers)] == table.headers
        assert flat(table.title) in pdf
        body = [row for row in cells[3 : 3 + len(table.rows)]]
        assert word_table[0] == list(table.headers)
        for number, row in enumerate(table.rows):
            values = body[number][: len(row)]
            # The workbook holds the numbers themselves (shares as 0-1, counts as ints).
            assert [v for v in values] == [
                pytest.approx(v) if isinstance(v, float) else v for v in row
            ], (table.key, row)
            text = shown(table, row)
            assert word_table[number + 1] == text, (table.key, row)
            assert flat(" ".join(text)) in pdf, (table.key, text)
            if (table.key, row[0]) in expected:
                assert row[1] == expected[table.key, str(row[0])], (table.key, row)
                found.add((table.key, row[0]))
    assert found == set(expected)


def personal_data_in(files: ReportFiles) -> set[tuple[str, str]]:
    """(format, value) for every complainant's name, street, e-mail, phone or description
    (or a word of it) found in the files."""
    sheets = xlsx_sheets(files.xlsx)
    workbook_text = flat(" ".join(str(v) for rows in sheets.values() for r in rows for v in r))
    texts = {
        "xlsx": workbook_text,
        "docx": docx_text(files.docx),
        "pdf": pdf_text(files.pdf),
    }
    found = set()
    for kind, text in texts.items():
        assert "Ontvangen registraties" in text, kind  # the text was read
        for values in PERSONAL.values():
            found |= {(kind, v) for v in values if v.casefold() in text.casefold()}
    return found


def test_the_three_files_agree_with_each_other_and_with_sql(built: Built) -> None:
    report = period_report(YEAR, AS_OF)
    files = period_report_files(YEAR, AS_OF)
    assert files.filename("pdf") == "jaarverslag-2026.pdf"
    expected = sql_expected()
    assert expected["summary", "Ontvangen registraties"] == 16
    check_files(files, report, expected)


def test_no_file_names_a_complainant(built: Built) -> None:
    assert len(PERSONAL) == 17
    assert personal_data_in(period_report_files(YEAR, AS_OF)) == set()
    assert personal_data_in(period_report_files(Period.quarter(2026, 3), AS_OF)) == set()
    # The check does find a name and a description where they are (in a table's row).
    content = report_content(YEAR, AS_OF)
    name, *_, description, word = PERSONAL["d3"]
    leaky = ReportTable("leak", "Lek", ("Wie", "Aantal"), ((name, 1), (description, 2)))
    sections = (*content.report.sections, ReportSection("Lek", tables=(leaky,)))
    leaked = render_files(replace(content, report=replace(content.report, sections=sections)))
    assert personal_data_in(leaked) == {
        (kind, value) for kind in ("xlsx", "docx", "pdf") for value in (name, description, word)
    }


def test_report_command_writes_the_three_files(data_dir: Path, tmp_path: Path) -> None:
    clock = figures_register.clock()
    with create_register(data_dir, PASSPHRASE):
        figures_register.build(ServiceContext(actor="coördinator", clock=clock))
        expected = sql_expected()
    out = tmp_path / "verslag"
    done = run("report", "--year", "2026", "--out", str(out), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "Jaarverslag klachtenbehandeling 2026 geschreven" in done.stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == ["jaarverslag-2026.docx", "jaarverslag-2026.pdf", "jaarverslag-2026.xlsx"]
    files = ReportFiles(
        "Jaarverslag klachtenbehandeling 2026",
        "jaarverslag-2026",
        (out / "jaarverslag-2026.pdf").read_bytes(),
        (out / "jaarverslag-2026.docx").read_bytes(),
        (out / "jaarverslag-2026.xlsx").read_bytes(),
    )
    assert personal_data_in(files) == set()
    # The command counts on today's date, whatever it is; the received counts do not depend
    # on it, and the three files agree with the report the same register gives in-process.
    with open_register(data_dir, PASSPHRASE):
        report = period_report(YEAR, date.today())
    check_files(files, report, {k: v for k, v in expected.items() if "Nog open" not in k[1]})
    quarter = run(
        "report", "--year", "2026", "--quarter", "2", "--out", str(out), data_dir=data_dir
    )
    assert quarter.returncode == 0, quarter.stderr
    assert (out / "klachtenoverzicht-2026-K2.xlsx").exists()
    wrong = run("report", "--year", "2026", "--month", "13", "--out", str(out), data_dir=data_dir)
    assert wrong.returncode == 1 and "Een maand is 1 tot en met 12." in wrong.stderr
    both = run(
        "report", "--year", "2026", "--month", "1", "--quarter", "1", "--out", str(out),
        data_dir=data_dir,
    )  # fmt: skip
    assert both.returncode == 2 and "niet samen met" in both.stderr


def test_a_year_without_complaints_still_gives_three_files(built: Built) -> None:
    files = period_report_files(Period.year(2019), AS_OF)
    sheets = xlsx_sheets(files.xlsx)
    summary = sheets[sheet_names(period_report(Period.year(2019), AS_OF))[0]]
    assert summary[3][:2] == ("Ontvangen registraties", 0)
    assert "Jaarverslag klachtenbehandeling 2019" in pdf_text(files.pdf)
    assert "Jaarverslag klachtenbehandeling 2019" in docx_text(files.docx)
