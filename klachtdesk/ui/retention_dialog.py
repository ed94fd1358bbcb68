"""Register → Bewaartermijn verstreken…: closed dossiers past their retention term, to anonymise."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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

from klachtdesk.procedure import UserError
from klachtdesk.procedure.dates import short_date
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.erasure import anonymise_complaints
from klachtdesk.services.retention import ExpiredDossier, past_retention, retention_years

from .messages import confirm, show_error


class RetentionDialog(QDialog):
    """Lists the expired dossiers (no personal data) and anonymises the chosen ones."""

    anonymised = Signal(int)  # how many

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Bewaartermijn verstreken")
        self.expired: list[ExpiredDossier] = []
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Kenmerk", "Afgesloten op", "Dienst", "Beoordeling"])
        self.table.setAccessibleName("Dossiers voorbij de bewaartermijn")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.selected_button = QPushButton("&Geselecteerde anonimiseren…")
        self.selected_button.clicked.connect(lambda: self._anonymise(self._selected()))
        self.all_button = QPushButton("&Alle anonimiseren…")
        self.all_button.clicked.connect(lambda: self._anonymise(list(self.expired)))
        close_button = QPushButton("&Sluiten")
        close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.selected_button)
        buttons.addWidget(self.all_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(640, 420)
        self.reload()

    def reload(self) -> None:
        self.expired = past_retention(self.ctx.today())
        years = retention_years()
        if self.expired:
            self.intro.setText(
                f"Deze afgesloten dossiers zijn langer dan de bewaartermijn ({years} jaar) "
                "afgesloten. Anonimiseren wist de persoonsgegevens, teksten en documenten; de "
                "datums, het kanaal, de dienst, de gronden en de beoordeling blijven voor de "
                "cijfers."
            )
        else:
            self.intro.setText(
                f"Geen afgesloten dossiers voorbij de bewaartermijn ({years} jaar na afsluiten)."
            )
        self.table.setRowCount(len(self.expired))
        for row, dossier in enumerate(self.expired):
            values = (
                dossier.reference,
                short_date(dossier.closed_on),
                dossier.department,
                dossier.result,
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, dossier.complaint_id)
                self.table.setItem(row, column, item)
        self._update_buttons()

    def _selected(self) -> list[ExpiredDossier]:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        return [self.expired[row] for row in rows]

    def _update_buttons(self) -> None:
        self.selected_button.setEnabled(bool(self._selected()))
        self.all_button.setEnabled(bool(self.expired))

    def _anonymise(self, dossiers: list[ExpiredDossier]) -> None:
        if not dossiers:
            return
        which = (
            f"dossier {dossiers[0].reference}"
            if len(dossiers) == 1
            else f"{len(dossiers)} dossiers"
        )
        if not confirm(
            self,
            "Anonimiseren",
            f"Wilt u {which} anonimiseren? Naam, adres, telefoon, e-mail, alle teksten en "
            "documenten worden uit het register gewist; dat kan niet ongedaan gemaakt worden. "
            "Oudere reservekopieën bevatten ze nog, tot die vervallen volgens de instellingen "
            "onder Reservekopieën.",
            safe_no=True,
        ):
            return
        try:
            count = anonymise_complaints(self.ctx, [d.complaint_id for d in dossiers])
        except UserError as exc:
            show_error(self, exc)
            return
        self.reload()
        self.anonymised.emit(count)
