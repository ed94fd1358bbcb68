"""Register → Jaarverslag…: a person chooses a year or a quarter, looks at the report, and
saves it as PDF, Word and Excel through the file dialog; the files are read back."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QFileDialog, QLineEdit, QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from klachtdesk.letters.layout import LEFT, PAGE_WIDTH, RIGHT
from klachtdesk.letters.report import format_cell, report_pdf
from klachtdesk.procedure import Channel, Ground
from klachtdesk.procedure.periods import Period
from klachtdesk.services import complaints as svc
from klachtdesk.services import report_files
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.report_files import ReportContent
from klachtdesk.ui import report_dialog
from klachtdesk.ui.main_window import MainWindow
from klachtdesk.ui.printing import load_pdf
from klachtdesk.ui.report_dialog import ReportDialog, ReportPreviewDialog

from ..db.helpers import intake
from ..unit.report_sample import LETTERHEAD, sample_report
from .journey import Coordinator
from .person import answer_file_dialog, text_of

NAMES = ("Marie Peeters", "Jozef Vermeulen", "Fatima El Amrani")


def complaints_of_2025(ctx: ServiceContext) -> None:
    """Three complaints received in 2025 (two admissible, one anonymous), one in 2026."""
    for n, (name, day) in enumerate(
        zip(NAMES, (date(2025, 4, 3), date(2025, 5, 20), date(2025, 11, 4)), strict=True)
    ):
        cid = svc.register_complaint(
            ctx, intake(name=name, received_on=day, channel=Channel.EMAIL, email=f"p{n}@x.be")
        )
        svc.decide_admissibility(
            ctx, cid, [Ground.ANONYMOUS] if n == 2 else [], "De klager is niet gekend."
        )
    svc.register_complaint(ctx, intake(name="Ward Janssens"))  # 2026: not in 2025's report


def open_report_dialog(person: Coordinator, window: MainWindow) -> ReportDialog:
    person.menu("Register", "Jaarverslag…", window=window)
    person.qtbot.waitUntil(lambda: isinstance(window.current_dialog, ReportDialog))
    dialog = window.current_dialog
    assert isinstance(dialog, ReportDialog)
    person.qtbot.waitUntil(dialog.isVisible)
    return dialog


def save_through_dialog(
    person: Coordinator, button: str, preview: QWidget, target: Path
) -> list[str]:
    """Click ``button``, note the name the file dialog proposes, type ``target``'s name."""
    proposed: list[str] = []

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        assert edit is not None
        proposed.append(text_of(edit))
        answer_file_dialog(dialog, target)

    handled = person.when_modal(answer, QFileDialog)
    person.click(button, preview)
    person.qtbot.waitUntil(lambda: bool(handled))
    person.qtbot.waitUntil(target.exists)
    return proposed


def test_yearly_report_previewed_and_saved_in_three_formats(
    qtbot: QtBot, window: MainWindow, ctx: ServiceContext, tmp_path: Path
) -> None:
    complaints_of_2025(ctx)
    person = Coordinator(qtbot, tmp_path)
    person.window = window
    dialog = open_report_dialog(person, window)
    # On 2 March 2026 the report still to be made is 2025's, and the dialog says why.
    assert person.field("Jaar", QSpinBox, dialog).text() == "2025"
    assert person.sees("Voorgesteld: 2025, het laatste volledige jaar", dialog)
    person.type_into("Jaar", "2026", dialog)
    person.type_into("Jaar", "2025", dialog)
    person.click("Voorbeeld…", dialog)
    preview = person.preview()
    assert isinstance(preview, ReportPreviewDialog)
    assert preview.windowTitle() == "Jaarverslag klachtenbehandeling 2025"
    assert preview.document.pageCount() >= 2

    folder = tmp_path / "verslagen"
    folder.mkdir()
    pdf, docx, xlsx = (folder / f"raad-2025.{ext}" for ext in ("pdf", "docx", "xlsx"))
    assert save_through_dialog(person, "Opslaan als PDF…", preview, pdf) == ["jaarverslag-2025.pdf"]
    assert save_through_dialog(person, "Opslaan als Word…", preview, docx) == [
        "jaarverslag-2025.docx"
    ]
    assert save_through_dialog(person, "Opslaan als Excel…", preview, xlsx) == [
        "jaarverslag-2025.xlsx"
    ]
    assert person.sees(f"Bewaard als {xlsx}", preview)

    pdf_text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert "Jaarverslag klachtenbehandeling 2025" in pdf_text
    assert "Periode: 2025 (1 januari 2025 – 31 december 2025)" in pdf_text
    assert "Gemeente Herent" in pdf_text
    document = Document(str(docx))
    assert document.paragraphs[0].text == "Jaarverslag klachtenbehandeling 2025"
    assert document.tables, "the Word document has real tables"
    workbook = load_workbook(xlsx)
    assert workbook.sheetnames[0] == "Inhoud" and len(workbook.sheetnames) > 1
    # Every number of every sheet is in the Word table and in the PDF, written alike.
    word_cells = {cell.text for t in document.tables for row in t.rows for cell in row.cells}
    numbers = 0
    for sheet in workbook.worksheets[1:]:
        for row in sheet.iter_rows(min_row=4):
            for cell in row[1:]:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    shown = format_cell(cell.value, cell.number_format == "0.0%")
                    if isinstance(cell.value, int) and cell.number_format == "#,##0.0":
                        shown = format_cell(float(cell.value))
                    assert shown in word_cells, (sheet.title, cell.coordinate, shown)
                    assert shown in pdf_text, (sheet.title, cell.coordinate, shown)
                    numbers += 1
    assert numbers > 10
    # Three complaints in 2025: the count is in the report; nobody's name is.
    assert "3" in word_cells
    everything = pdf_text + " ".join(p.text for p in document.paragraphs) + str(word_cells)
    for sheet in workbook.worksheets:
        everything += " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    for name in (*NAMES, "Ward Janssens", "Kerkstraat", "container"):
        assert name not in everything
    person.click("Sluiten", preview)
    qtbot.waitUntil(lambda: not preview.isVisible())
    assert dialog.isVisible()  # another period can be chosen


def test_quarter_overview_is_offered_under_its_own_name(
    qtbot: QtBot, window: MainWindow, ctx: ServiceContext, tmp_path: Path
) -> None:
    complaints_of_2025(ctx)
    person = Coordinator(qtbot, tmp_path)
    person.window = window
    dialog = open_report_dialog(person, window)
    assert not person.field("Kwartaal", QWidget, dialog).isEnabled()
    person.check("Kwartaaloverzicht", dialog)
    assert person.sees("Voorgesteld: 4e kwartaal 2025, het laatste volledige kwartaal.", dialog)
    assert person.field("Jaar", QSpinBox, dialog).text() == "2025"
    assert text_of(person.field("Kwartaal", QWidget, dialog)) == "4e kwartaal"
    person.type_into("Jaar", "2025", dialog)
    person.choose("Kwartaal", "2e kwartaal", dialog)
    person.click("Voorbeeld…", dialog)
    preview = person.preview()
    target = tmp_path / "kwartaal.pdf"
    assert save_through_dialog(person, "Opslaan als PDF…", preview, target) == [
        "klachtenoverzicht-2025-K2.pdf"
    ]
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert "Periode: 2e kwartaal 2025 (1 april 2025 – 30 juni 2025)" in text
    person.click("Sluiten", preview)
    qtbot.waitUntil(lambda: not preview.isVisible())
    person.click("Sluiten", dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_month_overview_from_the_dialog(
    qtbot: QtBot, window: MainWindow, ctx: ServiceContext, tmp_path: Path
) -> None:
    complaints_of_2025(ctx)
    person = Coordinator(qtbot, tmp_path)
    person.window = window
    dialog = open_report_dialog(person, window)
    person.check("Maandoverzicht", dialog)
    assert person.sees("Voorgesteld: februari 2026, de laatste volledige maand.", dialog)
    assert person.field("Jaar", QSpinBox, dialog).text() == "2026"
    assert person.field("Maand", QWidget, dialog).isEnabled()
    assert not person.field("Kwartaal", QWidget, dialog).isEnabled()
    person.type_into("Jaar", "2025", dialog)
    person.choose("Maand", "november", dialog)
    person.click("Voorbeeld…", dialog)
    preview = person.preview()
    assert preview.filename == "klachtenoverzicht-2025-11.pdf"
    person.click("Sluiten", preview)


def inked_at(image: QImage, x: int, y: int) -> bool:
    """A dark, opaque pixel (QtPdf leaves the paper transparent)."""
    colour = image.pixelColor(x, y)
    return colour.alpha() > 128 and colour.lightness() < 200


def test_report_pages_keep_their_margins_clear(qtbot: QtBot) -> None:
    """Rendered like the preview shows it: nothing (a long label, a bar's number) reaches into
    the left or right margin of any page."""
    pdf = report_pdf(sample_report(), LETTERHEAD)
    document = load_pdf(pdf)
    assert document.pageCount() >= 3
    scale = 1.5
    for page in range(document.pageCount()):
        size = document.pagePointSize(page)
        image = document.render(page, QSize(int(size.width() * scale), int(size.height() * scale)))
        left = int((LEFT - 3) * scale)  # a hair inside: anti-aliasing of the body's edge
        right = int((PAGE_WIDTH - RIGHT + 3) * scale)
        inked = [
            (x, y)
            for y in range(0, image.height(), 2)
            for x in (*range(0, left), *range(right, image.width()))
            if inked_at(image, x, y)
        ]
        assert not inked, f"page {page + 1}: ink in the margin at {inked[:5]}"
    # And the check sees ink where there is some: the body's left edge (the title).
    image = document.render(0, QSize(int(595 * scale), int(842 * scale)))
    assert any(
        inked_at(image, x, y)
        for y in range(0, image.height(), 2)
        for x in range(int(LEFT * scale), int((LEFT + 20) * scale))
    )


def test_the_report_is_counted_off_the_gui_thread_and_the_dialog_keeps_answering(
    qtbot: QtBot,
    window: MainWindow,
    ctx: ServiceContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Counting a big register takes a second: the count waits here until the person has
    seen the dialog say it is busy and has moved the year (the GUI thread is free), then
    the preview comes as usual."""
    complaints_of_2025(ctx)
    counted_on: list[threading.Thread] = []
    go = threading.Event()

    def slow_count(period: Period, as_of: date) -> ReportContent:
        counted_on.append(threading.current_thread())
        assert go.wait(10)
        return report_files.report_content(period, as_of)

    monkeypatch.setattr(report_dialog, "report_content", slow_count)
    person = Coordinator(qtbot, tmp_path)
    person.window = window
    dialog = open_report_dialog(person, window)
    person.click("Voorbeeld…", dialog)
    qtbot.waitUntil(lambda: bool(counted_on))
    assert counted_on[0] is not threading.main_thread()
    assert person.sees("Bezig met tellen en opmaken…", dialog)
    assert not person.button("Voorbeeld…", dialog).isEnabled()
    person.type_into("Jaar", "2024", dialog)  # the dialog answers while counting
    assert person.field("Jaar", QSpinBox, dialog).text() == "2024"
    go.set()
    preview = person.preview()
    assert preview.filename == "jaarverslag-2025.pdf"
    person.click("Sluiten", preview)
