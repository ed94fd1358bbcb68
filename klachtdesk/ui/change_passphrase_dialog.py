"""Changing the register's passphrase: the data key is wrapped again, nothing re-encrypted."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import UserError
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.register import WrongPassphrase
from klachtdesk.services.security import change_passphrase, open_register_now, personal_words

from .new_passphrase_fields import NewPassphraseFields, password_field
from .widgets import error_label


class ChangePassphraseDialog(QDialog):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Wachtwoord wijzigen")
        self.current = password_field()
        self.new = NewPassphraseFields(personal_words)
        self.errors = error_label()
        form = QFormLayout()
        form.addRow("&Huidig wachtwoord", self.current)
        self.new.add_to(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Wijzigen")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def accept(self) -> None:
        try:
            new = self.new.value()
            change_passphrase(self.ctx, open_register_now(), self.current.text(), new)
        except UserError as exc:
            self.errors.setText(exc.message)
            self.errors.show()
            self.adjustSize()
            if isinstance(exc, WrongPassphrase):  # back to the field that was wrong
                self.current.selectAll()
                self.current.setFocus()
            return
        super().accept()
