"""A recovery key on screen: the key in groups, save or print its PDF, and the coordinator
types its last group to confirm it was kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import UserError
from klachtdesk.services.security import recovery_key_matches_last_group, write_private

from .printing import print_pdf
from .widgets import error_label

PDF_NAME = "herstelsleutel-klachtdesk.pdf"


class RecoveryKeyPanel(QWidget):
    """Shows ``recovery_key``; ``make_pdf`` builds its one-page PDF when asked."""

    def __init__(self, recovery_key: str, make_pdf: Callable[[], bytes]) -> None:
        super().__init__()
        self.recovery_key = recovery_key
        self._make_pdf = make_pdf
        self.kept = False  # saved or printed at least once
        intro = QLabel(
            "Met deze <b>herstelsleutel</b> kan het register geopend worden als het wachtwoord "
            "vergeten is. Ze wordt nergens anders bewaard: sla de PDF op of druk ze af en leg "
            "het blad in de kluis van de algemeen directeur."
        )
        intro.setWordWrap(True)
        self.key = QLineEdit(recovery_key.replace("-", " "))
        self.key.setReadOnly(True)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setWeight(QFont.Weight.Bold)
        self.key.setFont(font)
        self.key.setMinimumWidth(self.key.fontMetrics().horizontalAdvance(self.key.text()) + 24)
        self.save = QPushButton("PDF &opslaan…")
        self.save.clicked.connect(self.choose_file)
        self.print = QPushButton("Af&drukken…")
        self.print.clicked.connect(self.print_sheet)
        self.last_group = QLineEdit()
        self.last_group.setMaxLength(9)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.errors = error_label()
        actions = QHBoxLayout()
        actions.addWidget(self.save)
        actions.addWidget(self.print)
        actions.addStretch()
        form = QFormLayout()
        form.addRow("&Herstelsleutel", self.key)
        form.addRow("", actions)
        form.addRow("", self.status)
        confirm = QLabel(
            "Typ ter controle de laatste groep van vier tekens over van het blad dat u bewaarde."
        )
        confirm.setWordWrap(True)
        form.addRow(confirm)
        form.addRow("&Laatste groep", self.last_group)
        # A refusal disappears as soon as the right group is typed (not only at the next try).
        self.last_group.textChanged.connect(self._clear_when_right)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.errors)

    def pdf(self) -> bytes:
        return self._make_pdf()

    def choose_file(self) -> None:
        target, _ = QFileDialog.getSaveFileName(
            self, "Herstelsleutel opslaan als PDF", str(Path.home() / PDF_NAME), "PDF (*.pdf)"
        )
        if not target:
            return
        try:
            write_private(Path(target), self.pdf())
        except UserError as exc:
            self._problem(exc.message)
            return
        self._kept(f"Bewaard als {target}. Druk het af voor de kluis en verwijder het daarna.")

    def print_sheet(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        try:
            print_pdf(self.pdf(), printer)
        except UserError as exc:
            self._problem(exc.message)
            return
        self._kept("Afgedrukt.")

    def _kept(self, text: str) -> None:
        self.kept = True
        self.errors.hide()
        self.status.setText(text)

    def _problem(self, text: str) -> None:
        self.errors.setText(text)
        self.errors.show()

    def _clear_when_right(self, typed: str) -> None:
        if recovery_key_matches_last_group(self.recovery_key, typed):
            self.errors.hide()

    def confirmed(self) -> bool:
        """The last group was typed right; otherwise the panel says what to do."""
        if not recovery_key_matches_last_group(self.recovery_key, self.last_group.text()):
            self._problem(
                "Typ de laatste groep van de herstelsleutel over (de vier tekens achteraan), "
                "zoals op het bewaarde of afgedrukte blad."
            )
            self.last_group.setFocus()
            return False
        self.errors.hide()
        return True
