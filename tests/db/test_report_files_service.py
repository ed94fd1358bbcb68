"""services.report_files: the report of a period as three files, from a real register."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from klachtdesk.models import Register
from klachtdesk.procedure import Channel, Ground
from klachtdesk.procedure.periods import Period
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.report_files import (
    default_month,
    default_quarter,
    default_report_year,
    period_report_files,
    report_stem,
)
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup

from .helpers import intake


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (date(2026, 1, 1), 2025),
        (date(2026, 3, 2), 2025),
        (date(2026, 6, 30), 2025),
        (date(2026, 7, 1), 2026),
        (date(2026, 12, 31), 2026),
    ],
)
def test_the_year_proposed_is_last_year_until_july(today: date, year: int) -> None:
    assert default_report_year(today) == year


@pytest.mark.parametrize(
    ("today", "quarter", "month"),
    [
        (date(2026, 1, 15), (2025, 4), (2025, 12)),
        (date(2026, 3, 31), (2025, 4), (2026, 2)),
        (date(2026, 4, 1), (2026, 1), (2026, 3)),
        (date(2026, 12, 31), (2026, 3), (2026, 11)),
    ],
)
def test_the_quarter_and_month_proposed_are_the_last_complete_ones(
    today: date, quarter: tuple[int, int], month: tuple[int, int]
) -> None:
    assert default_quarter(today) == quarter
    assert default_month(today) == month


@pytest.mark.parametrize(
    ("period", "stem"),
    [
        (Period.year(2026), "jaarverslag-2026"),
        (Period.quarter(2026, 2), "klachtenoverzicht-2026-K2"),
        (Period.quarter(2026, 4), "klachtenoverzicht-2026-K4"),
        (Period.month(2026, 3), "klachtenoverzicht-2026-03"),
        (Period.month(2026, 12), "klachtenoverzicht-2026-12"),
        (Period(date(2026, 1, 1), date(2026, 1, 31)), "klachtenoverzicht-2026-01"),
        (
            Period(date(2026, 2, 3), date(2026, 5, 5)),
            "klachtenoverzicht-2026-02-03-tot-2026-05-05",
        ),
        (
            Period(date(2026, 4, 1), date(2026, 5, 31)),
            "klachtenoverzicht-2026-04-01-tot-2026-05-31",
        ),
    ],
)
def test_file_names(period: Period, stem: str) -> None:
    assert report_stem(period) == stem


def test_three_files_from_the_register_without_personal_data(
    register: Register, ctx: ServiceContext
) -> None:
    initial_setup(
        ctx,
        Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
        Coordinator("Ann Coördinator", phone="016 85 30 00", email="klachten@herent.example"),
        ["Milieu en afval", "Burgerzaken"],
        [("Inge Claes", "inge.claes@herent.example", "Milieu en afval")],
    )
    names = ("Sébastien Dewaele", "Marleen De Smet")
    for n, name in enumerate(names):
        cid = svc.register_complaint(
            ctx, intake(name=name, channel=Channel.EMAIL, email=f"x{n}@example.be")
        )
        svc.decide_admissibility(
            ctx, cid, [Ground.ANONYMOUS] if n else [], "De klager is niet gekend."
        )
    files = period_report_files(Period.year(2026), ctx.today())
    assert files.filename("pdf") == "jaarverslag-2026.pdf"
    assert files.filename("xlsx") == "jaarverslag-2026.xlsx"
    pdf = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(files.pdf)).pages
    )
    assert "Gemeente Herent" in pdf and "Wilselsesteenweg 28, 3020 Herent" in pdf
    assert "Periode: 2026 (1 januari 2026 – 31 december 2026)" in pdf
    document = Document(io.BytesIO(files.docx))
    workbook = load_workbook(io.BytesIO(files.xlsx))
    everything = [pdf, *(p.text for p in document.paragraphs)]
    everything += [c.text for t in document.tables for row in t.rows for c in row.cells]
    everything += [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    ]
    text = " ".join(everything)
    for personal in (*names, "Kerkstraat", "container", "x0@example.be", "0478"):
        assert personal not in text
    assert len(document.tables) == len(workbook.sheetnames) - 1 > 0
