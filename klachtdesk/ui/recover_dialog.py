"""Forgotten passphrase: the recovery key opens the register, and a new passphrase is set."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import UserError

from .new_passphrase_fields import NewPassphraseFields
from .widgets import error_label


class RecoverDialog(QDialog):
    """``recover(recovery_key, new_passphrase)`` opens the register or raises a UserError."""

    def __init__(
        self, recover: Callable[[str, str], object], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._recover = recover
        self.setWindowTitle("Herstelsleutel gebruiken")
        intro = QLabel(
            "Typ de herstelsleutel van het blad uit de kluis (hoofdletters, spaties en "
            "streepjes maken niet uit) en kies een nieuw wachtwoord."
        )
        intro.setWordWrap(True)
        self.key = QLineEdit()
        self.key.setPlaceholderText("XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX")
        self.new = NewPassphraseFields()
        self.errors = error_label()
        form = QFormLayout()
        form.addRow("&Herstelsleutel", self.key)
        self.new.add_to(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Openen")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def accept(self) -> None:
        try:
            self._recover(self.key.text(), self.new.value())
        except UserError as exc:
            self.errors.setText(exc.message)
            self.errors.show()
            self.adjustSize()  # the whole message, however many lines it takes
            return
        super().accept()
