"""'Vandaag': every limit due soon or overdue, most urgent first, with its next step."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import LimitStatus
from klachtdesk.procedure.dates import short_date
from klachtdesk.procedure.deadlines import days_left_words
from klachtdesk.procedure.watch import Alert

from .complaint_table_model import DUE_SOON_BACKGROUND, OVERDUE_BACKGROUND
from .dossier_view import ACTION_BUTTONS
from .formatting import STATUS_MARK


class TodayDialog(QDialog):
    open_dossier = Signal(int)

    def __init__(self, current: list[Alert], summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Vandaag")
        self.alerts = current
        self.table = QTableWidget(len(current), 5)
        self.table.setAccessibleName("Termijnen die verstrijken")
        self.table.setHorizontalHeaderLabels(
            ["Kenmerk", "Termijn", "Uiterlijk", "Dagen", "Volgende stap"]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, alert in enumerate(current):
            step = ACTION_BUTTONS.get(alert.next_action, "") if alert.next_action else ""
            cells = [
                alert.reference,
                f"{STATUS_MARK[alert.status]} {alert.label}",
                short_date(alert.due_on),
                days_left_words(alert.days_left),
                step.rstrip("…"),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setBackground(
                    OVERDUE_BACKGROUND
                    if alert.status is LimitStatus.OVERDUE
                    else DUE_SOON_BACKGROUND
                )
                item.setData(Qt.ItemDataRole.UserRole, alert.complaint_id)
                self.table.setItem(row, column, item)
        self.table.cellDoubleClicked.connect(lambda row, _col: self._open(row))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if current:
            layout.addWidget(QLabel(summary + ". Dubbelklik om het dossier te openen."))
            layout.addWidget(self.table)
        else:
            self.table.hide()
            layout.addWidget(
                QLabel(
                    "Vandaag verstrijkt geen enkele termijn en geen termijn "
                    "komt binnenkort: er is niets dringends."
                )
            )
            layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(760, 420)

    def _open(self, row: int) -> None:
        self.open_dossier.emit(self.alerts[row].complaint_id)
        self.accept()
