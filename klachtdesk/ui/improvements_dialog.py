"""Beeld → Verbeteracties…: every improvement action, filtered by status, opened to follow up."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import ActionStatus
from klachtdesk.procedure.dates import short_date
from klachtdesk.procedure.words import counted
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.improvements import ImprovementEntry, improvement_actions

from .improvement_dialog import ImprovementDialog, open_improvement_dialog
from .widgets import ValueComboBox

COLUMNS = ["Omschrijving", "Dienst", "Status", "Aangemaakt", "Streefdatum", "Uitgevoerd", "Dossier"]


class ImprovementsDialog(QDialog):
    """The list of improvement actions; double-click or Openen… to change one."""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Verbeteracties")
        self.entries: list[ImprovementEntry] = []
        self.editor: ImprovementDialog | None = None
        self.status_filter = ValueComboBox(
            [("Alle statussen", None)] + [(status.label, status) for status in ActionStatus]
        )
        self.status_filter.currentIndexChanged.connect(self.reload)
        status_label = QLabel("&Status")
        status_label.setBuddy(self.status_filter)
        self.count = QLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Verbeteracties")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(lambda _row, _column: self.open_selected())
        self.open_button = QPushButton("&Openen…")
        self.open_button.clicked.connect(self.open_selected)
        close_button = QPushButton("Sl&uiten")
        close_button.clicked.connect(self.accept)
        top = QHBoxLayout()
        top.addWidget(status_label)
        top.addWidget(self.status_filter)
        top.addStretch(1)
        top.addWidget(self.count)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(900, 460)
        self.reload()

    def reload(self) -> None:
        """Show the actions with the chosen status, keeping the selected one selected."""
        selected = self.selected()
        self.entries = improvement_actions(status=self.status_filter.value())
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            cells = [
                " ".join(entry.description.split()),
                entry.department,
                entry.status.label,
                short_date(entry.created_on),
                short_date(entry.due_on),
                short_date(entry.done_on),
                entry.reference or "(verwijderd)",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setToolTip(entry.description)
                    item.setData(Qt.ItemDataRole.UserRole, entry.id)
                self.table.setItem(row, column, item)
            if selected is not None and entry.id == selected.id:
                self.table.selectRow(row)
        self.count.setText(counted(len(self.entries), "verbeteractie"))
        self._update_buttons()

    def selected(self) -> ImprovementEntry | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if len(rows) != 1 or not self.entries:
            return None
        row = rows.pop()
        return self.entries[row] if row < len(self.entries) else None

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.selected() is not None)

    def open_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        self.editor = open_improvement_dialog(
            self, self.ctx, entry.complaint_id or 0, entry.id, entry.reference, self.reload
        )
