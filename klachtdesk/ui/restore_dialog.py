"""File → Reservekopie terugzetten…: the backups with date and number of dossiers, and a
confirmation before the current register is set aside and replaced."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import UserError
from klachtdesk.services.backup import BackupInfo, BackupKeeper

from .messages import confirm
from .widgets import error_label


class RestoreDialog(QDialog):
    restored = Signal()

    def __init__(self, keeper: BackupKeeper, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keeper = keeper
        self.setWindowTitle("Reservekopie terugzetten")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        folder = keeper.folder()
        self.backups = keeper.backups()
        intro = QLabel(
            f"Reservekopieën in {folder}. Het huidige register wordt opzij gezet (niet gewist) "
            "en vervangen door de gekozen reservekopie."
            if self.backups
            else f"In {folder} staan geen reservekopieën."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Reservekopieën")
        for backup in self.backups:
            item = QListWidgetItem(backup.describe())
            item.setToolTip(str(backup.path))
            self.list.addItem(item)
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton("&Terugzetten")
        self.restore_button.setEnabled(False)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(lambda _=False: self.restore_chosen())
        buttons.rejected.connect(self.reject)
        self.list.currentRowChanged.connect(lambda row: self.restore_button.setEnabled(row >= 0))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(520, 360)

    def chosen(self) -> BackupInfo | None:
        row = self.list.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def restore_chosen(self) -> None:
        backup = self.chosen()
        if backup is None:
            return
        if not confirm(
            self,
            "Reservekopie terugzetten",
            f"De reservekopie van {backup.made_at:%d/%m/%Y om %H:%M} ({backup.dossiers} "
            "dossiers) terugzetten? Wat daarna geregistreerd werd, staat er niet in. Het "
            "huidige register wordt opzij gezet, niet gewist.",
            safe_no=True,
        ):
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self.keeper.restore(backup.path)
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        finally:
            QApplication.restoreOverrideCursor()
        aside = "\n".join(str(p) for p in result.set_aside)
        self.restored.emit()
        QMessageBox.information(
            self,
            "Reservekopie teruggezet",
            f"De reservekopie van {backup.made_at:%d/%m/%Y %H:%M} staat terug: "
            f"{result.backup.dossiers} dossiers."
            + (f"\n\nHet vorige register staat opzij:\n{aside}" if aside else ""),
        )
        self.accept()
