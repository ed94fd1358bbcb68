"""The settings tab for the inhabitants per year (issue 12), kept apart from the settings dialog.

Each change is saved at once, like departments and handlers: one transaction and one audit
event per year added, changed or removed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import InvalidInput
from klachtdesk.procedure.words import number
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.population import (
    YearPopulation,
    parse_population,
    populations,
    remove_population,
    save_population,
)

from .widgets import EnterLineEdit, error_label

NOTE = (
    "Het aantal inwoners op 1 januari van elk jaar (bijvoorbeeld van Statbel). Het jaarverslag "
    "rekent er het aantal klachten per 1.000 inwoners mee uit. Elke wijziging wordt meteen "
    "bewaard (Enter in het veld Inwoners bewaart het jaar), ook als u dit venster daarna met "
    "Annuleren sluit."
)


class PopulationSettingsTab(QWidget):
    """A table of years and inhabitants, with fields to add, change or remove a year."""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        note = QLabel(NOTE)
        note.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setAccessibleName("Inwoners per jaar")
        self.table.setHorizontalHeaderLabels(["Jaar", "Inwoners"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda row, *_: self._selected(row))
        self.year = EnterLineEdit()
        self.year.setMaxLength(4)
        self.year.setPlaceholderText("bv. 2026")
        self.inhabitants = EnterLineEdit()
        self.year.returnPressed.connect(self.inhabitants.setFocus)
        self.inhabitants.setPlaceholderText("bv. 21.543")
        self.inhabitants.returnPressed.connect(self.save)
        year_label = QLabel("&Jaar")
        year_label.setBuddy(self.year)
        inhabitants_label = QLabel("&Inwoners")
        inhabitants_label.setBuddy(self.inhabitants)
        form = QFormLayout()
        form.addRow(year_label, self.year)
        form.addRow(inhabitants_label, self.inhabitants)
        self.save_button = QPushButton("Toevoegen of &wijzigen")
        self.save_button.clicked.connect(lambda _=False: self.save())
        self.remove_button = QPushButton("Jaar verwij&deren")
        self.remove_button.clicked.connect(lambda _=False: self.remove())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.remove_button)
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self._rows: list[YearPopulation] = []
        self.load()

    def load(self, select_year: int | None = None) -> None:
        self._rows = populations()
        self.table.setRowCount(len(self._rows))
        for row, entry in enumerate(self._rows):
            year = QTableWidgetItem(str(entry.year))
            count = QTableWidgetItem(number(entry.inhabitants))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, year)
            self.table.setItem(row, 1, count)
            if entry.year == select_year:
                self.table.setCurrentCell(row, 0)
        self.remove_button.setEnabled(bool(self._rows))

    def _selected(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.year.setText(str(self._rows[row].year))
            self.inhabitants.setText(number(self._rows[row].inhabitants))

    def save(self) -> None:
        """Add the year, or change its inhabitants when it is listed already."""
        try:
            entry = parse_population(self.year.text(), self.inhabitants.text())
            save_population(self.ctx, entry.year, entry.inhabitants)
        except InvalidInput as exc:
            self._show(exc)
            return
        self.error.hide()
        self.load(select_year=entry.year)
        self.year.clear()
        self.inhabitants.clear()
        self.year.setFocus()

    def remove(self) -> None:
        """Remove the year in the Jaar field (or the selected one)."""
        text = self.year.text().strip()
        row = self.table.currentRow()
        if not text and 0 <= row < len(self._rows):
            text = str(self._rows[row].year)
        if not text.isdecimal() or not remove_population(self.ctx, int(text)):
            self.error.setText(f"Er zijn geen inwoners ingevuld voor het jaar ‘{text}’.")
            self.error.show()
            return
        self.error.hide()
        self.load()
        self.year.clear()
        self.inhabitants.clear()

    def _show(self, problem: InvalidInput) -> None:
        self.error.setText(problem.message)
        self.error.show()
        field = self.year if "year" in problem.errors else self.inhabitants
        field.setFocus()
        field.selectAll()
