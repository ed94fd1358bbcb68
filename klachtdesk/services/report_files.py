"""The yearly report (or a quarter's or month's overview) as the three files the window and
the command line hand out: PDF on the letterhead, editable DOCX, XLSX.

Two steps, so that a window can count on its own thread and render on a worker thread:
:func:`report_content` reads the register (figures and letterhead), :func:`render_files`
only turns plain data into bytes.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from klachtdesk.letters.report_model import Report
from klachtdesk.models.keyfile import os_reason
from klachtdesk.procedure import UserError
from klachtdesk.procedure.periods import Period

from .correspondence import letter_setup
from .report import period_report

if TYPE_CHECKING:  # ReportLab, python-docx and openpyxl load when files are made (issue 14)
    from klachtdesk.letters.layout import Letterhead

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
    from klachtdesk.letters.report import report_docx, report_pdf, report_xlsx

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


#: The three files of a report, in the order they are written and listed.
EXTENSIONS = ("pdf", "docx", "xlsx")
NOTHING_WRITTEN = "Er werd niets geschreven."


class ReportFileExists(UserError):
    """A file of the report is already in the folder (the caller may choose to replace it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"Het bestand {path} bestaat al. {NOTHING_WRITTEN}")


def report_targets(folder: Path, stem: str) -> list[Path]:
    """Where the three files of ``stem`` go in ``folder``."""
    return [folder / f"{stem}.{extension}" for extension in EXTENSIONS]


def check_report_folder(folder: Path, stem: str, *, overwrite: bool = False) -> None:
    """Refuse, in Dutch, a folder the three files cannot be written to: a file instead of a
    folder, a missing parent folder, a file name taken by a folder or a device, or (unless
    ``overwrite``) by a file already there (ReportFileExists)."""
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder} is een bestand, geen map. {NOTHING_WRITTEN}")
    parent = folder.parent if str(folder.parent) else Path(".")
    if not folder.exists() and not parent.is_dir():
        raise UserError(f"De map {parent} bestaat niet. {NOTHING_WRITTEN}")
    for target in report_targets(folder, stem):
        if target.is_symlink() or target.exists():
            if not target.is_file():
                raise UserError(
                    f"{target} is geen gewoon bestand (er staat een map of apparaat met die "
                    f"naam). {NOTHING_WRITTEN}"
                )
            if not overwrite:
                raise ReportFileExists(target)


def write_report_files(files: ReportFiles, folder: Path, *, overwrite: bool = False) -> list[Path]:
    """Write the three files into ``folder`` (made when missing, its parent must exist): all
    three or none. Each is first written under a temporary name in the folder and the three
    are renamed only when all were written. Returns the three paths; UserError in Dutch."""
    folder = folder.expanduser()
    check_report_folder(folder, files.stem, overwrite=overwrite)
    made_folder = False
    temporaries: list[Path] = []
    targets = report_targets(folder, files.stem)
    already = {target for target in targets if target.exists()}
    renamed: list[Path] = []
    try:
        if not folder.is_dir():
            folder.mkdir()
            made_folder = True
        for extension in EXTENSIONS:
            handle, name = tempfile.mkstemp(
                prefix=".klachtdesk-verslag-", suffix=f".{extension}", dir=folder
            )
            temporaries.append(Path(name))
            with os.fdopen(handle, "wb") as file:
                file.write(getattr(files, extension))
            os.chmod(name, 0o644)  # no personal data: as readable as any file saved
        for temporary, target in zip(temporaries, targets, strict=True):
            os.replace(temporary, target)
            renamed.append(target)
        return targets
    except OSError as exc:
        # A rename that failed after another succeeded: the new files go again (a file
        # that was replaced cannot come back; the folder was checked for that beforehand).
        for target in renamed:
            if target not in already:
                with contextlib.suppress(OSError):
                    target.unlink()
        for temporary in temporaries:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
        if made_folder:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise UserError(
            f"Het verslag kon niet geschreven worden in {folder}: {os_reason(exc)}. "
            f"{NOTHING_WRITTEN}"
        ) from exc
