"""A new recovery key (Instellingen › Beveiliging, or asked after unlocking an older register)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from klachtdesk.procedure import UserError
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.security import (
    make_recovery_key,
    open_register_now,
    propose_recovery_key,
    recovery_sheet,
)

from .recovery_key_panel import RecoveryKeyPanel


class RecoveryKeyDialog(QDialog):
    """Shows a new key; only on Bewaren (with its last group typed) does it replace the old one."""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Nieuwe herstelsleutel")
        register = open_register_now()
        key = propose_recovery_key()
        self.panel = RecoveryKeyPanel(
            key, lambda: recovery_sheet(key, register.register_id, register.folder, ctx.today())
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Be&waren")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def accept(self) -> None:
        if not self.panel.confirmed():
            return
        try:
            make_recovery_key(self.ctx, open_register_now(), self.panel.recovery_key)
        except UserError as exc:
            self.panel.errors.setText(exc.message)
            self.panel.errors.show()
            return
        super().accept()
