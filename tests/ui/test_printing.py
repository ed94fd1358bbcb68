"""Printing through a real QPrinter (to a PDF file) and reading the result back."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from klachtdesk.models import Register
from klachtdesk.procedure import UserError
from klachtdesk.services.complaints import register_complaint
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.documents import Attachment
from klachtdesk.ui.main_window import MainWindow
from klachtdesk.ui.printing import print_pdf

from ..db.helpers import intake


def two_page_pdf() -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for number in (1, 2):
        pdf.drawString(72, 760, f"Pagina {number} – ingescande brief")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_a_stored_pdf_prints_page_for_page(qtbot: QtBot, tmp_path: Path) -> None:
    target = tmp_path / "afdruk.pdf"
    assert print_pdf(two_page_pdf(), pdf_printer(target)) == 2
    assert len(PdfReader(target).pages) == 2


def test_not_a_pdf_gives_a_dutch_message(qtbot: QtBot, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="geen leesbare PDF"):
        print_pdf(b"dit is geen pdf", pdf_printer(tmp_path / "x.pdf"))


def test_ctrl_p_prints_the_selected_scan(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> None:
    scan = Attachment("brief.pdf", "application/pdf", two_page_pdf())
    cid = register_complaint(ctx, intake(), [scan])
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    assert window.select_complaint(cid)
    assert window.print_action.shortcut().toString() == "Ctrl+P"
    window.dossier.documents.setCurrentRow(0)
    target = tmp_path / "afdruk.pdf"
    assert window.print_selected_on(pdf_printer(target)) == 2
    assert len(PdfReader(target).pages) == 2
    assert "2 pagina's afgedrukt" in window.statusBar().currentMessage()
