"""Printing a stored PDF exactly as it is stored.

Where the platform allows it the letter stays a real PDF: printed to a PDF file it is copied
byte for byte, and on a CUPS printer (Linux, macOS) the stored PDF goes to the queue with
``lp``, so text stays sharp and the job small. Elsewhere (Windows, or no ``lp``) QtPdf renders
each page onto Qt's printer.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrinter

from klachtdesk.procedure import UserError

# QtPdf (with PDFium) loads when the first PDF is shown or printed, not at start (issue 14).
if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument

PRINT_DPI = 300
LP_TIMEOUT_SECONDS = 60


class PrintRoute(Enum):
    """How a stored PDF reaches the chosen printer."""

    FILE = "file"  # "print to file": the stored PDF itself is written
    CUPS = "cups"  # a CUPS queue: the stored PDF is handed to lp
    RASTER = "raster"  # anything else: pages rendered by QtPdf onto the QPrinter


def load_pdf(content: bytes, parent: QObject | None = None) -> QPdfDocument:
    """A QtPdf document on ``content``; the buffer it reads from lives as long as it does."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument() if parent is None else QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(content))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def print_route(printer: QPrinter) -> PrintRoute:
    """Which way ``printer`` gets the PDF (see :class:`PrintRoute`)."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return PrintRoute.FILE
    if (
        printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
        and not printer.outputFileName()
        and printer.printerName()
        and sys.platform != "win32"
        and shutil.which("lp") is not None
    ):
        return PrintRoute.CUPS
    return PrintRoute.RASTER


def _lp_command(printer: QPrinter) -> list[str]:
    command = ["lp", "-d", printer.printerName(), "-n", str(max(1, printer.copyCount()))]
    command += ["-t", printer.docName() or "klachtdesk"]
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        command += ["-o", f"page-ranges={printer.fromPage()}-{printer.toPage()}"]
    sides = {
        QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
        QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge",
        QPrinter.DuplexMode.DuplexNone: "one-sided",
    }.get(printer.duplex())
    if sides:
        command += ["-o", f"sides={sides}"]
    if printer.colorMode() == QPrinter.ColorMode.GrayScale:
        command += ["-o", "print-color-mode=monochrome"]
    return [*command, "--"]


def _send_to_cups(content: bytes, printer: QPrinter) -> None:
    try:
        result = subprocess.run(
            _lp_command(printer),
            input=content,
            capture_output=True,
            timeout=LP_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UserError(
            f"De printer ‘{printer.printerName()}’ kon het document niet aannemen ({exc})."
        ) from exc
    if result.returncode != 0:
        reason = result.stderr.decode(errors="replace").strip() or f"code {result.returncode}"
        raise UserError(f"De printer ‘{printer.printerName()}’ weigerde het document: {reason}")


def _write_file(content: bytes, printer: QPrinter) -> None:
    try:
        Path(printer.outputFileName()).write_bytes(content)
    except OSError as exc:
        raise UserError(
            f"Het bestand ‘{printer.outputFileName()}’ kon niet geschreven worden ({exc.strerror})."
        ) from exc


def _render(document: QPdfDocument, printer: QPrinter) -> None:
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("De printer kon niet gestart worden.")
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(
                int(points.width() * PRINT_DPI / 72), int(points.height() * PRINT_DPI / 72)
            )
            image = document.render(page, size)
            target = painter.viewport()
            scaled = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), scaled), image)
    finally:
        painter.end()


def print_pdf(content: bytes, printer: QPrinter) -> int:
    """Print every page of ``content`` on ``printer``; returns the number of pages."""
    from PySide6.QtPdf import QPdfDocument

    document = load_pdf(content)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        raise UserError("Dit document is geen leesbare PDF en kan niet afgedrukt worden.")
    route = print_route(printer)
    if route is PrintRoute.FILE:
        _write_file(content, printer)
    elif route is PrintRoute.CUPS:
        _send_to_cups(content, printer)
    else:
        _render(document, printer)
    return document.pageCount()
