"""The settings tab for the retention term (issue 11), kept apart from the settings dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QSpinBox, QWidget

from klachtdesk.services.context import ServiceContext
from klachtdesk.services.retention import (
    DEFAULT_RETENTION_YEARS,
    MAX_RETENTION_YEARS,
    retention_years,
    set_retention_years,
)

NOTE = (
    f"Afgesloten dossiers worden na de bewaartermijn geanonimiseerd. Standaard is dat "
    f"{DEFAULT_RETENTION_YEARS} jaar na het afsluiten: de termijn van de Selectielijst voor "
    "klachtendossiers. De archivaris van het bestuur kan een andere termijn bepalen. Bij "
    "anonimiseren blijven de cijfers bewaard, niet de persoonsgegevens."
)


class RetentionSettingsTab(QWidget):
    """One field: the retention term in years after closing; saved with the dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        note = QLabel(NOTE)
        note.setWordWrap(True)
        form.addRow(note)
        self.years = QSpinBox()
        self.years.setRange(1, MAX_RETENTION_YEARS)
        self.years.setSuffix(" jaar")
        self.years.setValue(retention_years())
        self.years.setToolTip(f"Standaard: {DEFAULT_RETENTION_YEARS} jaar (Selectielijst)")
        label = QLabel("Bewaar&termijn na afsluiten")
        label.setBuddy(self.years)
        form.addRow(label, self.years)

    def save(self, ctx: ServiceContext) -> None:
        """Store the term when it changed (its own audit event)."""
        if self.years.value() != retention_years():
            set_retention_years(ctx, self.years.value())
