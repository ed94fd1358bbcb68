"""Nothing typed is lost: drafts survive a destroyed window, idle lock keeps open forms."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from klachtdesk.models import Complaint, Register
from klachtdesk.services import drafts
from klachtdesk.services.context import ServiceContext
from klachtdesk.ui.idle_lock import IdleLock
from klachtdesk.ui.intake_wizard import DRAFT_DELAY_MS, IntakeWizard
from klachtdesk.ui.main_window import MainWindow

from .conftest import PASSPHRASE
from .journey import Coordinator
from .person import text_of


def answer_message_box(button: QMessageBox.StandardButton) -> list[str]:
    """Click ``button`` on the next message box, as the coordinator would; returns its text."""
    seen: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        seen.append(box.text())
        target = box.button(button)
        QTest.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.rect().center())

    QTimer.singleShot(0, click)
    return seen


def new_window(qtbot: QtBot, ctx: ServiceContext, settings: QSettings) -> MainWindow:
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    return window


def person_at(qtbot: QtBot, window: MainWindow) -> Coordinator:
    person = Coordinator(qtbot, Path())
    person.window = window
    person.activate(window)
    return person


def cancel_intake(person: Coordinator, wizard: IntakeWizard) -> None:
    """Annuleren, and yes, what was typed may go."""
    answer_message_box(QMessageBox.StandardButton.Yes)
    person.click("Annuleren", wizard)
    person.qtbot.waitUntil(lambda: not wizard.isVisible())


def test_draft_is_restored_after_the_window_is_destroyed(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    window = MainWindow(ctx, settings)  # not handed to qtbot: this test destroys it
    window.show()
    person = person_at(qtbot, window)
    wizard = person.new_phone_complaint()
    person.type_into("Naam", "Jef Vermeulen", wizard)
    person.type_into("Telefoon", "+32 470 11 22 33", wizard)
    person.next(wizard)
    person.type_into("Omschrijving", "Niemand nam de telefoon op bij de dienst.", wizard)
    qtbot.waitUntil(
        lambda: (drafts.load_draft() or {}).get("description", "").startswith("Niemand"),
        timeout=DRAFT_DELAY_MS * 10,
    )
    # The program goes away without finishing (a crash, or the window closed).
    with qtbot.waitSignal(wizard.destroyed):
        window.deleteLater()

    window = new_window(qtbot, ctx, settings)
    person = Coordinator(qtbot, Path())  # the restored intake comes up at once, on top
    person.window = window
    restored = person.wizard()
    assert restored.isVisible()
    assert text_of(person.field("Naam", QLineEdit, restored)) == "Jef Vermeulen"
    assert text_of(person.field("Telefoon", QLineEdit, restored)) == "+32 470 11 22 33"
    assert restored.complaint.description.toPlainText().startswith("Niemand nam")
    assert "hersteld" in restored.windowTitle()
    assert Complaint.select().count() == 0
    cancel_intake(person, restored)


def test_cancelling_an_intake_asks_and_then_discards_the_draft(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    person = person_at(qtbot, new_window(qtbot, ctx, settings))
    wizard = person.new_phone_complaint()
    person.type_into("Naam", "Jef Vermeulen", wizard)
    qtbot.waitUntil(
        lambda: (drafts.load_draft() or {}).get("name") == "Jef Vermeulen",
        timeout=DRAFT_DELAY_MS * 10,
    )
    seen = answer_message_box(QMessageBox.StandardButton.No)
    person.click("Annuleren", wizard)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen and "gaat verloren" in seen[0]
    assert wizard.isVisible() and drafts.load_draft() is not None
    answer_message_box(QMessageBox.StandardButton.Yes)
    person.click("Annuleren", wizard)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert drafts.load_draft() is None


def test_idle_lock_hides_everything_and_keeps_what_was_typed(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    window = new_window(qtbot, ctx, settings)
    person = person_at(qtbot, window)
    wizard = person.new_phone_complaint()
    person.type_into("Naam", "Griet Maes", wizard)
    lock = IdleLock(register, minutes=0.003)  # 180 ms without input from now on
    with qtbot.waitSignal(lock.locked, timeout=3000):
        pass
    assert register.locked
    assert not window.isVisible() and not wizard.isVisible()
    dialog = lock.dialog
    assert dialog is not None and dialog.isVisible()
    assert "vergrendeld" in dialog.windowTitle()
    person.activate(dialog)
    person.type_into("Wachtwoord", "fout wachtwoord", dialog)
    person.click("Openen", dialog)
    assert register.locked and person.sees("niet juist", dialog)
    person.type_into("Wachtwoord", PASSPHRASE, dialog)
    with qtbot.waitSignal(lock.unlocked):
        person.click("Openen", dialog)
    assert not register.locked and not lock.is_locked
    assert window.isVisible() and wizard.isVisible()
    assert text_of(person.field("Naam", QLineEdit, wizard)) == "Griet Maes"
    assert Complaint.select().count() == 0  # the register answers again
    lock.timer.stop()
    person.activate(wizard)
    cancel_intake(person, wizard)


def test_activity_postpones_the_lock(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    person = person_at(qtbot, new_window(qtbot, ctx, settings))
    search = person.field_with_placeholder("Zoeken (Ctrl+F)")
    person.focus(search)
    lock = IdleLock(register, minutes=0.005)  # 300 ms
    for _ in range(6):
        QTest.qWait(100)
        QTest.keyClick(search, Qt.Key.Key_A)
    assert not lock.is_locked and not register.locked
    lock.timer.stop()
