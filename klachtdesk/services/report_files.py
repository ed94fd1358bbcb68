"""The yearly report (or a quarter's or month's overview) as the three files the window and
the command line hand out: PDF on the letterhead, editable DOCX, XLSX.

Two steps, so that a window can count on its own thread and render on a worker thread:
:func:`report_content` reads the register (figures and letterhead), :func:`render_files`
only turns plain data into bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from klachtdesk.letters.layout import Letterhead
from klachtdesk.letters.report import report_docx, report_pdf, report_xlsx
from klachtdesk.letters.report_model import Report
from klachtdesk.procedure.periods import Period

from .correspondence import letter_setup
from .report import period_report

#: The first month in which the current year is proposed: before July, last year's report
#: is the one still to be made (the council discusses it in spring).
CURRENT_YEAR_FROM_MONTH = 7


def default_report_year(today: date) -> int:
    """The year proposed for the yearly report: the last complete year before July, else
    the current one."""
    return today.year if today.month >= CURRENT_YEAR_FROM_MONTH else today.year - 1


def default_quarter(today: date) -> tuple[int, int]:
    """(year, quarter) of the last complete quarter before ``today``."""
    quarter = (today.month - 1) // 3
    return (today.year, quarter) if quarter else (today.year - 1, 4)


def default_month(today: date) -> tuple[int, int]:
    """(year, month) of the last complete month before ``today``."""
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def report_stem(period: Period) -> str:
    """'jaarverslag-2026', 'klachtenoverzicht-2026-K2', 'klachtenoverzicht-2026-03', or
    'klachtenoverzicht-2026-02-03-tot-2026-05-05' for any other range."""
    start, end = period.start, period.end
    if period.is_year:
        return f"jaarverslag-{start.year}"
    if start.day == 1 and start.month % 3 == 1:
        quarter = start.month // 3 + 1
        if period == Period.quarter(start.year, quarter):
            return f"klachtenoverzicht-{start.year}-K{quarter}"
    if start.day == 1 and period == Period.month(start.year, start.month):
        return f"klachtenoverzicht-{start.year}-{start.month:02d}"
    return f"klachtenoverzicht-{start.isoformat()}-tot-{end.isoformat()}"


@dataclass(frozen=True)
class ReportFiles:
    """The three files of one report, and the name they are offered under."""

    title: str
    stem: str
    pdf: bytes
    docx: bytes
    xlsx: bytes

    def filename(self, extension: str) -> str:
        """E.g. ``filename("pdf")`` → 'jaarverslag-2026.pdf'."""
        return f"{self.stem}.{extension}"


@dataclass(frozen=True)
class ReportContent:
    """What the files are made of: the figures and the letterhead (read from the register)."""

    period: Period
    report: Report
    letterhead: Letterhead


def report_content(period: Period, as_of: date) -> ReportContent:
    """Count the figures of ``period`` as they stand on ``as_of``, with the letterhead."""
    report = period_report(period, as_of)
    return ReportContent(period, report, letter_setup().letterhead)


def render_files(content: ReportContent) -> ReportFiles:
    """The three files; no database access, so it may run on any thread."""
    report = content.report
    return ReportFiles(
        title=report.title,
        stem=report_stem(content.period),
        pdf=report_pdf(report, content.letterhead),
        docx=report_docx(report),
        xlsx=report_xlsx(report),
    )


def period_report_files(period: Period, as_of: date) -> ReportFiles:
    """The report of ``period`` as PDF, DOCX and XLSX (e.g. for ``klachtdesk report``)."""
    return render_files(report_content(period, as_of))
