"""The rows of every form that sets a passphrase: the new one with its strength, and again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QLineEdit

from klachtdesk.procedure import UserError

from .passphrase_strength_label import PassphraseStrengthLabel


def password_field() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class NewPassphraseFields:
    """'Nieuw wachtwoord' (its strength shown as it is typed) and 'Nog eens'.

    ``personal``: the words the check holds against the passphrase, so that what is shown and
    what is refused agree (see PassphraseStrengthLabel).
    """

    def __init__(
        self,
        personal: Callable[[], tuple[str, ...]] = tuple,
        label: str = "&Nieuw wachtwoord",
        again: str = "N&og eens",
    ) -> None:
        self.first = password_field()
        self.second = password_field()
        self.strength = PassphraseStrengthLabel(self.first, personal)
        self._labels = (label, again)

    def add_to(self, form: QFormLayout) -> None:
        form.addRow(self._labels[0], self.first)
        form.addRow("", self.strength)
        form.addRow(self._labels[1], self.second)

    def value(self) -> str:
        """The new passphrase, once typed the same twice (its strength is the service's check)."""
        if self.first.text() != self.second.text():
            raise UserError("De twee wachtwoorden verschillen.")
        return self.first.text()
