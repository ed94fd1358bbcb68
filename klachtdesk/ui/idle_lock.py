"""Locking klachtdesk after a while without keyboard or mouse, and unlocking it again.

Locking closes the register's connection and forgets the passphrase; every window is hidden,
not closed, so whatever was typed in an open form is still there after unlocking.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from klachtdesk.services.context import ServiceContext
from klachtdesk.services.register import Register
from klachtdesk.services.security import recover_locked
from klachtdesk.services.viewing_copies import remove_copies

from .unlock_dialog import UnlockDialog

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class RelockDialog(UnlockDialog):
    def __init__(self, register: Register) -> None:
        super().__init__(register.folder, relock=True)
        self._register = register

    def accept(self) -> None:
        super().accept()
        # This klachtdesk holds the data folder (its lock): a restore from here could not
        # run. Close klachtdesk; the unlock dialog at the next start offers it.
        if self.restore_button.isVisibleTo(self):
            self.restore_button.hide()
            self.error.setText(
                self.error.text() + " Sluit klachtdesk en open het opnieuw om een "
                "reservekopie terug te zetten."
            )

    def try_open(self, passphrase: str) -> Register:
        self._register.unlock(passphrase)
        return self._register

    def try_recover(self, recovery_key: str, new_passphrase: str) -> Register:
        # klachtdesk holds the register (and its folder lock): unlock it in place.
        recover_locked(ServiceContext(), self._register, recovery_key, new_passphrase)
        return self._register


class IdleLock(QObject):
    """Watches the whole application for input; ``locked``/``unlocked`` tell the windows."""

    locked = Signal()
    unlocked = Signal()

    def __init__(self, register: Register, minutes: float) -> None:
        super().__init__()
        self.register = register
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self.lock)
        self.set_minutes(minutes)
        self.dialog: RelockDialog | None = None
        self._hidden: list[QWidget] = []
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.timer.start()

    def set_minutes(self, minutes: float) -> None:
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        if self.timer.isActive():
            self.timer.start()

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and not self.is_locked:
            self.timer.start()
        return False

    def lock(self) -> None:
        if self.is_locked:
            return
        self.timer.stop()
        self._hidden = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for widget in self._hidden:
            widget.hide()
        self.register.lock()
        remove_copies()  # documents opened in other programs go with the register's key
        self.locked.emit()
        self.dialog = RelockDialog(self.register)
        self.dialog.accepted.connect(self._unlocked)
        self.dialog.rejected.connect(QApplication.quit)
        self.dialog.show()

    def _unlocked(self) -> None:
        self.dialog = None
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        self.timer.start()
        self.unlocked.emit()
