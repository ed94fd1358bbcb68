"""Printing a stored PDF exactly as it is stored, through Qt's printer (QtPdf renders it)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from klachtdesk.procedure import UserError

PRINT_DPI = 300


def load_pdf(content: bytes, parent: QObject | None = None) -> QPdfDocument:
    """A QtPdf document on ``content``; the buffer it reads from lives as long as it does."""
    document = QPdfDocument() if parent is None else QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(content))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def print_pdf(content: bytes, printer: QPrinter) -> int:
    """Render every page of ``content`` onto ``printer``; returns the number of pages."""
    document = load_pdf(content)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        raise UserError("Dit document is geen leesbare PDF en kan niet afgedrukt worden.")
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
    return document.pageCount()
