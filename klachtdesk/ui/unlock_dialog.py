"""Asking for the passphrase: a wrong one says so and lets the coordinator try again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import UserError
from klachtdesk.services.backup import (
    last_backup_folder,
    restore_with_passphrase,
    verify_with_passphrase,
)
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.register import (
    RESTORABLE,
    KeyFileDamaged,
    KeyFileMissing,
    Register,
    RegisterFileMissing,
    WrongPassphrase,
    open_register,
    register_file_lost,
)
from klachtdesk.services.security import recover

from .recover_dialog import RecoverDialog
from .restore_dialog import RestoreDialog


class UnlockDialog(QDialog):
    """Opens the register in ``folder``; on success ``register`` holds it."""

    def __init__(
        self, folder: Path, parent: QWidget | None = None, *, relock: bool = False
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self.register: Register | None = None
        self.setWindowTitle("klachtdesk vergrendeld" if relock else "klachtdesk openen")
        intro = QLabel(
            "klachtdesk werd vergrendeld. Geef het wachtwoord om verder te werken."
            if relock
            else "Geef het wachtwoord van het klachtenregister."
        )
        intro.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("Wachtwoord")
        self.passphrase.setAccessibleName("Wachtwoord")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a61b1b;")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Openen")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.forgotten = forgotten = QPushButton("Wachtwoord vergeten? &Herstelsleutel gebruiken…")
        forgotten.setAutoDefault(False)
        forgotten.clicked.connect(self.use_recovery_key)
        self.recover_dialog: RecoverDialog | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.error)
        layout.addWidget(forgotten)
        # Offered when the register cannot be read (damaged): restore a backup instead.
        self.restore_button = QPushButton("Reservekopie &terugzetten…")
        self.restore_button.clicked.connect(lambda _=False: self.offer_restore())
        self.restore_button.hide()
        layout.addWidget(self.restore_button)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self.attempts = 0
        if not relock and register_file_lost(folder):
            self.show_lost_register()

    def accept(self) -> None:
        self.attempts += 1
        try:
            self.register = self.try_open(self.passphrase.text())
        except WrongPassphrase:
            self.error.setText("Dat wachtwoord is niet juist. Probeer opnieuw.")
            self.error.show()
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        except UserError as exc:
            self.show_problem(exc)
            return
        super().accept()

    def show_problem(self, exc: UserError) -> None:
        """Why the register cannot be opened or used, with the way back when there is one."""
        self.error.setText(exc.message)
        self.error.show()
        # The register or its key file cannot be read: a backup holds both.
        self.restore_button.setVisible(isinstance(exc, RESTORABLE))
        # The recovery key is kept in the key file: without a readable one it cannot help.
        self.forgotten.setVisible(not isinstance(exc, KeyFileMissing | KeyFileDamaged))
        self.adjustSize()  # the whole message, however many lines it takes

    def show_lost_register(self) -> None:
        """The register file is gone but its key file is not: say so at once, and offer the
        backups (restored with the passphrase typed above)."""
        self.error.setText(RegisterFileMissing(self.folder).message)
        self.error.show()
        self.restore_button.show()
        self.forgotten.hide()
        self.adjustSize()

    def offer_restore(self) -> RestoreDialog:
        """The backups (where the last good one went), restored with the typed passphrase;
        after a restore the register is opened with it."""
        passphrase = self.passphrase.text()
        dialog = RestoreDialog(
            parent=self,
            folder=last_backup_folder(self.folder),
            verify=lambda backup: verify_with_passphrase(backup, self.folder, passphrase),
            restore=lambda backup, verified: restore_with_passphrase(
                backup, self.folder, passphrase, ServiceContext().now(), verified
            ),
        )
        dialog.accepted.connect(self.accept)
        dialog.open()
        return dialog

    def try_open(self, passphrase: str) -> Register:
        return open_register(self.folder, passphrase)

    def use_recovery_key(self) -> None:
        """The recovery key and a new passphrase, in a dialog over this one."""
        self.recover_dialog = RecoverDialog(self._recovered, self)
        self.recover_dialog.open()

    def _recovered(self, recovery_key: str, new_passphrase: str) -> None:
        self.register = self.try_recover(recovery_key, new_passphrase)
        # Accept after the recovery dialog has closed (it is still in its own accept()).
        QTimer.singleShot(0, lambda: QDialog.accept(self))

    def try_recover(self, recovery_key: str, new_passphrase: str) -> Register:
        return recover(ServiceContext(), self.folder, recovery_key, new_passphrase)
