"""A generated document on screen (QtPdf), then printed, saved as PDF, or e-mailed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import UserError

from .printing import print_pdf
from .widgets import error_label


class LetterPreviewDialog(QDialog):
    """Shows ``pdf``; ``delivered`` is emitted once it was printed (or sent by the caller)."""

    delivered = Signal()

    def __init__(
        self, title: str, filename: str, pdf: bytes, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.filename = filename
        self.pdf = pdf
        self._data = QByteArray(pdf)
        self._buffer = QBuffer(self._data, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.info = QLabel(f"{self.document.pageCount()} pagina('s)")
        self.error = error_label()
        self.print_button = QPushButton("&Afdrukken…")
        self.print_button.clicked.connect(lambda: self.print_to())
        self.save_button = QPushButton("Opslaan als &PDF…")
        self.save_button.clicked.connect(self.save_as)
        close = QPushButton("Sluiten")
        close.clicked.connect(self.reject)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.info)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.print_button)
        self.buttons.addWidget(self.save_button)
        self.buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error)
        layout.addLayout(self.buttons)
        self.resize(760, 900)

    def add_button(self, button: QPushButton) -> None:
        """Room for a way out that the caller provides (e-mail)."""
        self.buttons.insertWidget(2, button)

    def print_to(self, printer: QPrinter | None = None) -> int:
        """Print through the system's dialog (or ``printer``); the step counts as sent."""
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
                return 0
        try:
            pages = print_pdf(self.pdf, printer)
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return 0
        self.delivered.emit()
        return pages

    def save_as(self, target: str | None = None) -> bool:
        if target is None:
            target, _ = QFileDialog.getSaveFileName(
                self, "Opslaan als PDF", str(Path.home() / self.filename), "PDF (*.pdf)"
            )
            if not target:
                return False
        try:
            Path(target).write_bytes(self.pdf)
        except OSError as exc:
            self.error.setText(f"Het bestand kon niet bewaard worden ({exc.strerror}).")
            self.error.show()
            return False
        return True
