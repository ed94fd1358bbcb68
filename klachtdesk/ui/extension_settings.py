"""Settings, tab Termijnen: may the closing limit be extended once, and by how many days
(issue 15). Kept apart from the settings dialog, which places it and saves it."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QSpinBox, QWidget

from klachtdesk.procedure import day_count
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.extension import (
    DEFAULT_EXTENSION_DAYS,
    MAX_EXTENSION_DAYS,
    ExtensionRule,
    extension_rule,
    set_extension_rule,
)

NOTE = (
    "Veel reglementen laten toe de termijn voor het antwoord één keer te verlengen als het "
    "onderzoek meer tijd vraagt. De klager krijgt dan een gemotiveerde kennisgeving, vóór de "
    "oorspronkelijke termijn afloopt. Een dossier wordt hoogstens één keer verlengd."
)


class ExtensionSettings(QGroupBox):
    """Allowed or not, and the days; ``closing`` is the field of the closing limit, whose
    days the summary adds the extension to."""

    def __init__(self, closing: QSpinBox, parent: QWidget | None = None) -> None:
        super().__init__("Verlenging van de termijn voor het antwoord", parent)
        self.closing = closing
        rule = extension_rule()
        form = QFormLayout(self)
        note = QLabel(NOTE)
        note.setWordWrap(True)
        form.addRow(note)
        self.allowed = QCheckBox("Termijn voor het antwoord één &keer verlengen toegestaan")
        self.allowed.setChecked(rule.allowed)
        form.addRow(self.allowed)
        self.days = QSpinBox()
        self.days.setRange(1, MAX_EXTENSION_DAYS)
        self.days.setSuffix(" dagen")
        self.days.setValue(rule.days)
        self.days.setToolTip(f"Standaard: {DEFAULT_EXTENSION_DAYS} dagen")
        label = QLabel("Verlengen &met")
        label.setBuddy(self.days)
        form.addRow(label, self.days)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        form.addRow(self.summary)
        self.allowed.toggled.connect(self._update)
        self.days.valueChanged.connect(self._update)
        closing.valueChanged.connect(self._update)
        self._update()

    def value(self) -> ExtensionRule:
        return ExtensionRule(self.allowed.isChecked(), self.days.value())

    def _update(self) -> None:
        self.days.setEnabled(self.allowed.isChecked())
        if not self.allowed.isChecked():
            self.summary.setText("Termijnen worden niet verlengd.")
            return
        closing = self.closing.value()
        self.summary.setText(
            f"Antwoorden binnen {day_count(closing)} na ontvangst; na verlenging binnen "
            f"{day_count(closing + self.days.value())}."
        )

    def save(self, ctx: ServiceContext) -> None:
        """Store the rule when it changed (its own audit event)."""
        if self.value() != extension_rule():
            set_extension_rule(ctx, self.value())
