"""Instellingen › Beveiliging: change the passphrase, make a new recovery key."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.services.context import ServiceContext
from klachtdesk.services.security import needs_recovery_key, open_register_now

from .change_passphrase_dialog import ChangePassphraseDialog
from .recovery_key_dialog import RecoveryKeyDialog


class SecurityTab(QWidget):
    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__()
        self.ctx = ctx
        about = QLabel(
            "Het register is versleuteld met een eigen sleutel. Uw wachtwoord en de "
            "herstelsleutel in de kluis openen die sleutel; een ander wachtwoord of een nieuwe "
            "herstelsleutel kiezen gaat daarom meteen, zonder het register opnieuw te "
            "versleutelen. Deze knoppen werken meteen: Opslaan of Annuleren onderaan verandert "
            "daar niets aan."
        )
        about.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        change = QPushButton("&Wachtwoord wijzigen…")
        change.clicked.connect(self.change_passphrase)
        recovery = QPushButton("Nieuwe &herstelsleutel maken…")
        recovery.clicked.connect(self.new_recovery_key)
        buttons = QHBoxLayout()
        buttons.addWidget(change)
        buttons.addWidget(recovery)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addStretch()
        self.dialog: ChangePassphraseDialog | RecoveryKeyDialog | None = None
        self._show_status()

    def _show_status(self) -> None:
        if needs_recovery_key(open_register_now()):
            self.status.setText(
                "<b>Er is nog geen herstelsleutel.</b> Wie het wachtwoord vergeet, verliest "
                "zonder herstelsleutel het register: maak er een."
            )
        else:
            self.status.setText(
                "Er is een herstelsleutel. Een nieuwe maken maakt de vorige ongeldig."
            )

    def change_passphrase(self) -> None:
        self.dialog = ChangePassphraseDialog(self.ctx, self)
        self.dialog.accepted.connect(
            lambda: self._done(
                "Het wachtwoord is gewijzigd; het oude opent het register niet meer."
            )
        )
        self.dialog.open()

    def new_recovery_key(self) -> None:
        self.dialog = RecoveryKeyDialog(self.ctx, self)
        self.dialog.accepted.connect(
            lambda: self._done(
                "De nieuwe herstelsleutel is bewaard; de vorige is niet meer geldig."
            )
        )
        self.dialog.open()

    def _done(self, text: str) -> None:
        self.message.setText(text)
        self._show_status()


def offer_recovery_key(parent: QWidget, ctx: ServiceContext) -> QMessageBox | None:
    """After unlocking a register without recovery key: propose to make one (or later).

    Window-modal and not blocking, like every dialog over the main window.
    """
    register = open_register_now()
    if not (register.recovered or needs_recovery_key(register)):
        return None
    why = (
        "Het register werd geopend met de herstelsleutel en heeft nu een nieuw wachtwoord. "
        "Wie de herstelsleutel gebruikte, heeft ze gezien: maak een nieuwe, dan werkt de "
        "oude niet meer. Nu een nieuwe herstelsleutel maken (een blad voor de kluis van de "
        "algemeen directeur)?"
        if register.recovered
        else "Voor dit register is er nog geen herstelsleutel. Zonder herstelsleutel is het "
        "register verloren als het wachtwoord vergeten wordt. Nu een herstelsleutel maken "
        "(een blad voor de kluis van de algemeen directeur)?"
    )
    box = QMessageBox(QMessageBox.Icon.Question, "Herstelsleutel maken", why, parent=parent)
    now = box.addButton("&Nu maken", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("&Later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(now)

    def answered() -> None:
        if box.clickedButton() is now:
            dialog = RecoveryKeyDialog(ctx, parent)
            dialog.open()

    box.finished.connect(answered)
    box.open()
    return box
