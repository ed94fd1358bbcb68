"""Nothing typed is lost: drafts survive a destroyed window, idle lock keeps open forms."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from klachtdesk.models import Complaint, Register
from klachtdesk.services import drafts
from klachtdesk.services.context import ServiceContext
from klachtdesk.ui.idle_lock import IdleLock
from klachtdesk.ui.intake_wizard import DRAFT_DELAY_MS, IntakeWizard
from klachtdesk.ui.main_window import MainWindow

from .conftest import PASSPHRASE


def answer_message_box(button: QMessageBox.StandardButton) -> list[str]:
    """Click ``button`` on the next message box, as the coordinator would; returns its text."""
    seen: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, click)
    return seen


def new_window(qtbot: QtBot, ctx: ServiceContext, settings: QSettings) -> MainWindow:
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    return window


def test_draft_is_restored_after_the_window_is_destroyed(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    window = MainWindow(ctx, settings)  # not handed to qtbot: this test destroys it
    window.show()
    window.new_phone_intake()
    wizard = window.current_dialog
    assert isinstance(wizard, IntakeWizard)
    wizard.person.name.setText("Jef Vermeulen")
    wizard.person.phone.setText("+32 470 11 22 33")
    wizard.next()
    wizard.complaint.description.setPlainText("Niemand nam de telefoon op bij de dienst.")
    qtbot.waitUntil(
        lambda: (drafts.load_draft() or {}).get("description", "").startswith("Niemand"),
        timeout=DRAFT_DELAY_MS * 10,
    )
    # The program goes away without finishing (a crash, or the window closed).
    with qtbot.waitSignal(wizard.destroyed):
        window.deleteLater()

    window = new_window(qtbot, ctx, settings)
    qtbot.waitUntil(lambda: isinstance(window.current_dialog, IntakeWizard))
    restored = window.current_dialog
    assert isinstance(restored, IntakeWizard) and restored.isVisible()
    assert restored.person.name.text() == "Jef Vermeulen"
    assert restored.person.phone.text() == "+32 470 11 22 33"
    assert restored.complaint.description.toPlainText().startswith("Niemand nam")
    assert "hersteld" in restored.windowTitle()
    assert Complaint.select().count() == 0
    restored.done(0)


def test_cancelling_an_intake_asks_and_then_discards_the_draft(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    window = new_window(qtbot, ctx, settings)
    window.new_phone_intake()
    wizard = window.current_dialog
    assert isinstance(wizard, IntakeWizard)
    wizard.person.name.setText("Jef Vermeulen")
    wizard.save_draft()
    seen = answer_message_box(QMessageBox.StandardButton.No)
    wizard.reject()
    assert seen and "gaat verloren" in seen[0]
    assert wizard.isVisible() and drafts.load_draft() is not None
    answer_message_box(QMessageBox.StandardButton.Yes)
    wizard.reject()
    assert not wizard.isVisible() and drafts.load_draft() is None


def test_idle_lock_hides_everything_and_keeps_what_was_typed(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    window = new_window(qtbot, ctx, settings)
    lock = IdleLock(register, minutes=0.003)  # 180 ms without input
    window.new_phone_intake()
    wizard = window.current_dialog
    assert isinstance(wizard, IntakeWizard)
    wizard.person.name.setText("Griet Maes")
    with qtbot.waitSignal(lock.locked, timeout=3000):
        pass
    assert register.locked
    assert not window.isVisible() and not wizard.isVisible()
    dialog = lock.dialog
    assert dialog is not None and dialog.isVisible()
    assert "vergrendeld" in dialog.windowTitle()
    dialog.passphrase.setText("fout wachtwoord")
    dialog.accept()
    assert register.locked and "niet juist" in dialog.error.text()
    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(lock.unlocked):
        dialog.accept()
    assert not register.locked and not lock.is_locked
    assert window.isVisible() and wizard.isVisible()
    assert wizard.person.name.text() == "Griet Maes"
    assert Complaint.select().count() == 0  # the register answers again
    lock.timer.stop()
    wizard.done(0)


def test_activity_postpones_the_lock(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    window = new_window(qtbot, ctx, settings)
    lock = IdleLock(register, minutes=0.005)  # 300 ms
    for _ in range(6):
        QTest.qWait(100)
        QTest.keyClick(window.search, Qt.Key.Key_A)
    assert not lock.is_locked and not register.locked
    lock.timer.stop()
