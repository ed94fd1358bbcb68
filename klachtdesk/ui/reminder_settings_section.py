"""The reminders to handlers on the settings' Termijnen tab (issue 15), kept apart from the
settings dialog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QSpinBox, QWidget

from klachtdesk.procedure.reminders import DEFAULT_DAYS_BEFORE, MAX_DAYS_BEFORE, ReminderSettings
from klachtdesk.procedure.words import counted
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.reminders import (
    reminder_settings,
    reminders_due,
    set_reminder_settings,
)

NOTE = (
    "klachtdesk mailt de behandelaar het rapport opnieuw, met een herinnering aan de "
    "termijn van de behandelaar: enkele dagen vooraf en op de eerste dag dat de termijn "
    "overschreden is, elk hoogstens één keer per dossier. Het diensthoofd krijgt een kopie "
    "als iemand anders behandelt. Zonder mailserver staan ze bij Vandaag, om als concept "
    "vanuit uw eigen mailprogramma te versturen."
)


class ReminderSettingsSection(QGroupBox):
    """Reminders on or off, how many days before, and on the day the limit is exceeded;
    saved with the dialog. Says how many reminders the next check would send."""

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__("Herinneringen aan behandelaars", parent)
        self._today = today
        current = reminder_settings()
        form = QFormLayout(self)
        note = QLabel(NOTE)
        note.setWordWrap(True)
        form.addRow(note)
        self.enabled = QCheckBox("&Herinneringen per e-mail sturen")
        self.enabled.setChecked(current.enabled)
        form.addRow(self.enabled)
        self.days_before = QSpinBox()
        self.days_before.setRange(0, MAX_DAYS_BEFORE)
        self.days_before.setSuffix(" dagen voor de termijn")
        self.days_before.setSpecialValueText("op de vervaldag zelf")
        self.days_before.setValue(current.days_before)
        self.days_before.setToolTip(f"Standaard: {DEFAULT_DAYS_BEFORE} dagen (een werkweek)")
        label = QLabel("Herinnering &vooraf")
        label.setBuddy(self.days_before)
        form.addRow(label, self.days_before)
        self.on_overdue = QCheckBox("Ook op de dag dat de termijn over&schreden is")
        self.on_overdue.setChecked(current.on_overdue)
        form.addRow(self.on_overdue)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        form.addRow(self.preview)
        self.enabled.toggled.connect(self._update)
        self.days_before.valueChanged.connect(self._update)
        self.on_overdue.toggled.connect(self._update)
        self._update()

    def value(self) -> ReminderSettings:
        return ReminderSettings(
            self.enabled.isChecked(), self.days_before.value(), self.on_overdue.isChecked()
        )

    def _update(self) -> None:
        on = self.enabled.isChecked()
        self.days_before.setEnabled(on)
        self.on_overdue.setEnabled(on)
        if not on:
            self.preview.setText("")
            return
        due = len(reminders_due(self._today(), self.value()))
        self.preview.setText(
            f"Vandaag {'zou' if due == 1 else 'zouden'} {counted(due, 'herinnering')} vertrekken."
            if due
            else "Vandaag zou er geen herinnering vertrekken."
        )

    def save(self, ctx: ServiceContext) -> None:
        """Store the settings when they changed (their own audit event)."""
        set_reminder_settings(ctx, self.value())
