"""Settings → Reservekopieën: the backup folder, how many generations to keep, when to warn."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from klachtdesk.services.backup import (
    BackupSettings,
    backup_settings,
    folder_warnings,
    register_folder,
    save_backup_settings,
    validate_backup_settings,
)
from klachtdesk.services.context import ServiceContext


def _spin(value: int, low: int, high: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin


class BackupSettingsTab(QWidget):
    """Saved with the settings dialog's Save button (:meth:`save`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        current = backup_settings()
        self.data_folder = register_folder()
        self.default_folder = BackupSettings().folder_for(self.data_folder)
        form = QFormLayout(self)
        note = QLabel(
            "klachtdesk maakt een reservekopie bij het eerste openen van de dag, bij het "
            "afsluiten als er iets veranderde, en wanneer u Bestand → Reservekopie maken kiest. "
            "Elke reservekopie wordt gecontroleerd en blijft versleuteld."
        )
        note.setWordWrap(True)
        form.addRow(note)
        self.folder = QLineEdit(current.folder)
        self.folder.setPlaceholderText(str(self.default_folder))
        self.folder.textChanged.connect(lambda _text: self.show_warnings())
        self.browse = QPushButton("&Bladeren…")
        self.browse.clicked.connect(lambda _=False: self.choose_folder())
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        folder_label = QLabel("&Map voor reservekopieën")
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, row)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName("Waarschuwing bij de map")
        self.warning.setStyleSheet("color: #7a4a00;")
        form.addRow(self.warning)
        self.daily = _spin(current.daily, 1, 366, " dagelijkse")
        self.weekly = _spin(current.weekly, 0, 366, " wekelijkse")
        self.monthly = _spin(current.monthly, 0, 366, " maandelijkse")
        for label, spin in (
            ("Bewaar per &dag", self.daily),
            ("Bewaar per w&eek", self.weekly),
            ("Bewaar per maa&nd", self.monthly),
        ):
            buddy = QLabel(label)
            buddy.setBuddy(spin)
            form.addRow(buddy, spin)
        self.warn_days = _spin(current.warn_after_days, 1, 365, " dagen")
        warn_label = QLabel("&Waarschuwen na")
        warn_label.setBuddy(self.warn_days)
        form.addRow(warn_label, self.warn_days)
        self.show_warnings()

    def chosen_folder(self) -> Path:
        text = self.folder.text().strip()
        return Path(text).expanduser() if text else self.default_folder

    def show_warnings(self) -> None:
        warnings = folder_warnings(self.chosen_folder(), self.data_folder)
        self.warning.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.warning.setVisible(bool(warnings))

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Map voor reservekopieën", str(self.chosen_folder())
        )
        if chosen:
            self.folder.setText(chosen)

    def value(self) -> BackupSettings:
        """What is filled in, checked (InvalidInput with the reason otherwise)."""
        return validate_backup_settings(
            BackupSettings(
                self.folder.text().strip(),
                self.daily.value(),
                self.weekly.value(),
                self.monthly.value(),
                self.warn_days.value(),
            )
        )

    def save(self, ctx: ServiceContext) -> None:
        save_backup_settings(ctx, self.value())
