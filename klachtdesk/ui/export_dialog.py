"""Bestand → Exporteren…: the dossiers the list shows, as an Excel workbook or a CSV file.

Without personal data unless the coordinator ticks it; the dialog then says what that means.
The export runs on the window's thread with a progress window that keeps painting and can
cancel it (the service reads in one transaction of the register's own connection; a worker
thread would need a connection of its own and a second read of the filter).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import UserError
from klachtdesk.procedure.words import counted
from klachtdesk.services.complaint_list import ListFilter, SortKey
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.export import (
    ExportCancelled,
    ExportFormat,
    ExportRequest,
    ExportResult,
    export_dossiers,
    suggested_file_name,
)

from .widgets import error_label

PERSONAL_NOTE = (
    "Het bestand bevat dan namen, adressen, telefoonnummers, e-mailadressen, omschrijvingen "
    "en de teksten van de dossiers, en de namen van de betrokken medewerkers. Het zegt dat "
    "zelf op de eerste regel (CSV) of het eerste blad (Excel). Deze export komt in het "
    "logboek: wie, wanneer en hoeveel dossiers."
)
FILE_FILTERS = {
    ExportFormat.XLSX: "Excel-werkmap (*.xlsx)",
    ExportFormat.CSV: "CSV voor Excel (*.csv)",
}


class ExportDialog(QDialog):
    """Choose the format and whether personal data; Exporteren… asks where to save."""

    def __init__(
        self,
        ctx: ServiceContext,
        list_filter: ListFilter,
        sort: SortKey,
        descending: bool,
        shown: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.list_filter = list_filter
        self.sort = sort
        self.descending = descending
        self.result_: ExportResult | None = None
        self.setWindowTitle("Exporteren")
        what = QLabel(
            f"{counted(shown, 'dossier')}, zoals de lijst ze nu toont: met de filters, de "
            "zoekterm en de volgorde van de lijst."
        )
        what.setWordWrap(True)
        self.xlsx = QRadioButton("&Excel-werkmap (.xlsx)")
        self.xlsx.setChecked(True)
        self.csv = QRadioButton("&CSV voor Excel (.csv, UTF-8, gescheiden door puntkomma's)")
        formats = QGroupBox("Formaat")
        format_layout = QVBoxLayout(formats)
        format_layout.addWidget(self.xlsx)
        format_layout.addWidget(self.csv)
        self.personal = QCheckBox("Met &persoonsgegevens")
        self.personal.toggled.connect(self._personal_toggled)
        self.personal_note = QLabel(PERSONAL_NOTE)
        self.personal_note.setWordWrap(True)
        self.personal_note.setStyleSheet(
            "background: #fff3cd; color: #202020; padding: 6px; border: 1px solid #e0c36a;"
        )
        self.personal_note.hide()
        without = QLabel(
            "Zonder persoonsgegevens bevat het bestand de gegevens van de dossiers (data, kanaal, "
            "dienst, stand, ontvankelijkheid, uitkomst, termijnen…) maar geen namen."
        )
        without.setWordWrap(True)
        self.error = error_label()
        buttons = QDialogButtonBox()
        self.export_button = QPushButton("E&xporteren…")
        self.export_button.setDefault(True)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.clicked.connect(lambda _=False: self.choose_file())
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(formats)
        layout.addWidget(without)
        layout.addWidget(self.personal)
        layout.addWidget(self.personal_note)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def _personal_toggled(self, checked: bool) -> None:
        self.personal_note.setVisible(checked)
        self.adjustSize()

    def export_format(self) -> ExportFormat:
        return ExportFormat.CSV if self.csv.isChecked() else ExportFormat.XLSX

    def choose_file(self) -> None:
        """Ask where to save (the name says 'persoonsgegevens' when it holds them), export."""
        chosen = self.export_format()
        name = suggested_file_name(self.ctx.today(), chosen, self.personal.isChecked())
        target, _ = QFileDialog.getSaveFileName(
            self, "Exporteren als", str(Path.home() / name), FILE_FILTERS[chosen]
        )
        if not target:
            return
        path = Path(target)
        if path.suffix.lower() != f".{chosen.value}":
            path = path.with_name(f"{path.name}.{chosen.value}")
        self.export_to(path)

    def export_to(self, path: Path) -> bool:
        request = ExportRequest(
            list_filter=self.list_filter,
            sort=self.sort,
            descending=self.descending,
            export_format=self.export_format(),
            with_personal_data=self.personal.isChecked(),
        )
        progress = QProgressDialog("Dossiers exporteren…", "Annuleren", 0, 100, self)
        progress.setWindowTitle("Exporteren")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)

        def advance(done: int, total: int) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(done)
            QApplication.processEvents()
            if progress.wasCanceled():
                raise ExportCancelled()

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result_ = export_dossiers(self.ctx, request, path, advance)
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return False
        finally:
            QApplication.restoreOverrideCursor()
            progress.close()
        self.error.hide()
        self.accept()
        return True

    def summary(self) -> str:
        """What the status bar says after a good export."""
        if self.result_ is None:
            return ""
        personal = " (met persoonsgegevens)" if self.result_.with_personal_data else ""
        return (
            f"{counted(self.result_.dossiers, 'dossier')} geëxporteerd naar "
            f"{self.result_.path}{personal}."
        )
