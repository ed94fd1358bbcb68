"""Backups from the window, as the coordinator uses them: the File menu, the status bar, the
restore list with its confirmation, and the Reservekopieën tab of the settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QWidget,
)
from pytestqt.qtbot import QtBot

from klachtdesk.app import attach_backups
from klachtdesk.models import DB_FILENAME, Register, open_register
from klachtdesk.models.storage import RESTORE_MENU
from klachtdesk.services import complaints as svc
from klachtdesk.services.backup import (
    DEFAULT_FOLDER_NAME,
    STATUS_FILENAME,
    BackupKeeper,
    BackupSettings,
    RestoreResult,
    backup_settings,
    list_backups,
    make_backup,
    save_backup_settings,
)
from klachtdesk.services.check import check_register
from klachtdesk.services.context import ServiceContext
from klachtdesk.ui.backup_actions import BackupActions
from klachtdesk.ui.idle_lock import IdleLock
from klachtdesk.ui.main_window import MainWindow
from klachtdesk.ui.restore_dialog import RestoreDialog

from ..conftest import FakeClock
from ..db.helpers import intake
from .conftest import PASSPHRASE
from .journey import Coordinator
from .person import NotFound, Person, answer_file_dialog


def backups_in(window: MainWindow, register: Register, ctx: ServiceContext) -> BackupActions:
    return BackupActions(window, BackupKeeper(register, ctx))


def status_label(window: MainWindow) -> QLabel:
    labels = [
        w for w in window.statusBar().findChildren(QLabel) if w.accessibleName() == "Reservekopie"
    ]
    assert len(labels) == 1
    return labels[0]


def test_make_a_backup_from_the_file_menu(
    qtbot: QtBot, window: MainWindow, register: Register, ctx: ServiceContext, data_dir: Path
) -> None:
    backups_in(window, register, ctx)
    label = status_label(window)
    assert label.text() == "⚠ Nog geen reservekopie."
    person = Person(qtbot)
    person.menu("Bestand", "Reservekopie maken", window=window)
    qtbot.waitUntil(lambda: label.text() == "Laatste reservekopie: vandaag 09:30", timeout=10_000)
    (made,) = list_backups(data_dir / DEFAULT_FOLDER_NAME)
    assert made.verified and made.dossiers == 0
    assert "gecontroleerd" in window.statusBar().currentMessage()


def test_a_failed_backup_is_said_in_a_message_and_the_status_bar(
    qtbot: QtBot, window: MainWindow, register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    blocker = tmp_path / "geen-map"
    blocker.write_text("een bestand, geen map")
    save_backup_settings(ctx, BackupSettings(folder=str(blocker / "kopieën")))
    backups_in(window, register, ctx)
    person = Person(qtbot)
    seen = Coordinator(qtbot, tmp_path).answer_message(QMessageBox.StandardButton.Ok)
    person.menu("Bestand", "Reservekopie maken", window=window)
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert "een deel van het pad is een bestand" in seen[0]
    text = status_label(window).text()
    assert text.startswith("⚠ Reservekopie mislukt") and "een deel van het pad" in text


def test_an_old_backup_is_warned_about(
    qtbot: QtBot, window: MainWindow, register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    make_backup(register, ctx)
    clock.advance(days=9)
    backups_in(window, register, ctx)
    text = status_label(window).text()
    assert text.startswith("⚠ Laatste reservekopie: 02/03/2026 (9 dagen geleden)")
    assert "ouder dan 7 dagen" in text


def test_automatic_backup_once_at_the_first_unlock_of_the_day(
    qtbot: QtBot,
    window: MainWindow,
    register: Register,
    ctx: ServiceContext,
    clock: FakeClock,
    data_dir: Path,
) -> None:
    window.idle_lock = lock = IdleLock(register, minutes=60)
    actions = attach_backups(window, register, ctx)
    folder = data_dir / DEFAULT_FOLDER_NAME
    qtbot.waitUntil(lambda: len(list_backups(folder)) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: not actions.busy)
    person = Person(qtbot)
    svc.register_complaint(ctx, intake())
    try:
        unlock_after_the_idle_lock(person, lock)  # a second unlock the same day: none
        assert not actions.busy and len(list_backups(folder)) == 1
        clock.advance(days=1)
        unlock_after_the_idle_lock(person, lock)  # the first unlock of the next day
        qtbot.waitUntil(lambda: len(list_backups(folder)) == 2, timeout=10_000)
        assert list_backups(folder)[0].dossiers == 1
    finally:
        qtbot.waitUntil(lambda: not actions.busy)
        lock.timer.stop()


def unlock_after_the_idle_lock(person: Person, lock: IdleLock) -> None:
    lock.timer.setInterval(1)  # the minutes without input, gone by
    with person.qtbot.waitSignal(lock.locked, timeout=3000):
        lock.timer.start()
    dialog = lock.dialog
    assert dialog is not None
    person.type_into("Wachtwoord", PASSPHRASE, dialog)
    with person.qtbot.waitSignal(lock.unlocked):
        person.click("Openen", dialog)
    lock.timer.setInterval(60 * 60_000)


def test_backup_at_exit_only_when_something_changed(
    qtbot: QtBot, window: MainWindow, register: Register, ctx: ServiceContext, data_dir: Path,
    clock: FakeClock,
) -> None:  # fmt: skip
    actions = backups_in(window, register, ctx)
    make_backup(register, ctx)
    clock.advance(minutes=5)
    actions.at_exit()
    (first,) = list_backups(data_dir / DEFAULT_FOLDER_NAME)
    assert first.dossiers == 0
    svc.register_complaint(ctx, intake())
    assert notices_during(actions.at_exit) == [
        "Er wordt een reservekopie gemaakt voor klachtdesk sluit…"
    ]
    # One a day is kept (7 daily generations): the newer one of today replaced the first.
    (newest,) = list_backups(data_dir / DEFAULT_FOLDER_NAME)
    assert newest.dossiers == 1 and newest.made_at > first.made_at
    # Nothing changed since: no backup, and no notice keeps klachtdesk from closing.
    assert notices_during(actions.at_exit) == []
    assert list_backups(data_dir / DEFAULT_FOLDER_NAME) == [newest]


def notices_during(exit_: Callable[[], None]) -> list[str]:
    """The texts of the windows shown while ``exit_`` runs (seen from inside its event loop)."""
    seen: list[str] = []

    def look() -> None:
        seen.extend(
            w.labelText()
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QProgressDialog) and w.isVisible()
        )

    QTimer.singleShot(0, look)
    exit_()
    QApplication.processEvents()  # the look, when exit_ ran no loop of its own
    return seen


def test_restore_from_the_window_with_list_and_confirmation(
    qtbot: QtBot,
    window: MainWindow,
    register: Register,
    ctx: ServiceContext,
    clock: FakeClock,
    data_dir: Path,
    tmp_path: Path,
) -> None:
    for name in ("Anna Eerste", "Bert Tweede"):
        svc.register_complaint(ctx, intake(name=name))
    make_backup(register, ctx)
    clock.advance(days=1)
    svc.register_complaint(ctx, intake(name="Carla Derde"))
    make_backup(register, ctx)
    svc.register_complaint(ctx, intake(name="Dirk Vierde"))
    window.apply_filter()
    backups_in(window, register, ctx)
    assert window.model.rowCount() == 4
    person = Person(qtbot)
    # The menu path every message about a damaged register names: it must be the real one.
    person.menu(*RESTORE_MENU.split(" → "), window=window)
    dialog = person.wait_for_window("Reservekopie terugzetten")
    assert person.sees_item("03/03/2026 09:30 – 3 dossiers", dialog)
    assert person.sees_item("02/03/2026 09:30 – 2 dossiers", dialog)
    coordinator = Coordinator(qtbot, tmp_path)
    # First "Nee": nothing happens.
    person.list_item("02/03/2026 09:30", dialog)
    asked = coordinator.answer_message(QMessageBox.StandardButton.No)
    person.click("Terugzetten", dialog)
    qtbot.waitUntil(lambda: bool(asked))
    assert "2 dossiers" in asked[0] and "opzij gezet" in asked[0]
    assert window.model.rowCount() == 4 and dialog.isVisible()
    # Then "Ja", and the message that says where the previous register went.
    told: list[list[str]] = []

    def yes_then_read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        button = box.button(QMessageBox.StandardButton.Yes)
        assert button is not None
        person.click_widget(button)
        told.append(coordinator.answer_message(QMessageBox.StandardButton.Ok))

    person.when_modal(yes_then_read, QMessageBox)
    person.click("Terugzetten", dialog)
    qtbot.waitUntil(lambda: bool(told and told[0]), timeout=10_000)
    assert "2 dossiers" in told[0][0] and "opzij" in told[0][0]
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.model.rowCount() == 2
    assert window.count_label.text() == "2 klachten"
    aside = sorted(p.name for p in data_dir.iterdir() if ".vervangen-" in p.name)
    assert aside and aside[0].startswith(DB_FILENAME)
    assert check_register().ok
    register.close()
    with open_register(data_dir, PASSPHRASE):
        assert check_register().complaints == 2


def test_settings_tab_for_backups(
    qtbot: QtBot, window: MainWindow, register: Register, tmp_path: Path
) -> None:
    person = Person(qtbot)
    person.menu("Bewerken", "Instellingen…", window=window)
    dialog = person.wait_for_window("Instellingen")
    person.tab("Reservekopieën", dialog)
    assert person.sees("dezelfde schijf als het register", dialog)
    blocker = tmp_path / "bestand"
    blocker.write_text("x")
    person.type_into("Map voor reservekopieën", str(blocker / "kopieën"), dialog)
    assert person.sees("niet bereikbaar", dialog)
    usb = tmp_path / "usb"
    usb.mkdir()
    handled = person.when_modal(lambda d: _choose_folder(d, usb), QFileDialog)
    person.click("Bladeren…", dialog)
    qtbot.waitUntil(lambda: bool(handled))
    assert person.field("Map voor reservekopieën", within=dialog).text() == str(usb)  # type: ignore[attr-defined]
    person.type_into("Bewaar per dag", "10", dialog)
    person.type_into("Bewaar per maand", "24", dialog)
    person.type_into("Waarschuwen na", "3", dialog)
    person.click("Opslaan", dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert backup_settings() == BackupSettings(str(usb), 10, 5, 24, 3)


def _choose_folder(dialog: QWidget, folder: Path) -> None:
    assert isinstance(dialog, QFileDialog)
    dialog.setDirectory(str(folder.parent))
    answer_file_dialog(dialog, folder)


def test_a_damaged_register_offers_restore_at_unlock(
    qtbot: QtBot, register: Register, ctx: ServiceContext, data_dir: Path, tmp_path: Path
) -> None:
    from klachtdesk.services.demo import fill_with_demo
    from klachtdesk.ui.unlock_dialog import UnlockDialog

    fill_with_demo(ctx, 40, seed=4)
    usb = tmp_path / "usb"
    make_backup(register, ctx, usb)  # the status file remembers where the last one went
    register.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    register.close()
    path = data_dir / DB_FILENAME
    damaged = path.read_bytes()[: path.stat().st_size // 2]
    path.write_bytes(damaged)

    dialog = UnlockDialog(data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    person = Person(qtbot)
    person.type_in(person.field_with_placeholder("Wachtwoord", within=dialog), PASSPHRASE)
    person.click("Openen", dialog)
    assert person.sees("beschadigd", dialog)
    person.click("Reservekopie terugzetten…", dialog)
    chooser = person.wait_for_window("Reservekopie terugzetten")
    assert person.sees(str(usb), chooser)
    person.list_item("02/03/2026 09:30 – 40 dossiers", chooser)
    coordinator = Coordinator(qtbot, tmp_path)
    told: list[list[str]] = []

    def yes_then_read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        button = box.button(QMessageBox.StandardButton.Yes)
        assert button is not None
        person.click_widget(button)
        told.append(coordinator.answer_message(QMessageBox.StandardButton.Ok))

    person.when_modal(yes_then_read, QMessageBox)
    person.click("Terugzetten", chooser)
    qtbot.waitUntil(lambda: dialog.register is not None, timeout=10_000)
    assert told and "40 dossiers" in told[0][0]
    try:
        report = check_register()
        assert report.ok and report.complaints == 40
    finally:
        dialog.register.close()
    (aside,) = [p for p in data_dir.iterdir() if p.name.startswith(f"{DB_FILENAME}.vervangen-")]
    assert aside.read_bytes() == damaged


def test_the_idle_lock_offers_no_restore_for_a_damaged_register(
    qtbot: QtBot, window: MainWindow, register: Register, ctx: ServiceContext, data_dir: Path
) -> None:
    make_backup(register, ctx)
    lock = IdleLock(register, minutes=60)
    lock.timer.setInterval(1)  # the minutes without input, gone by
    with qtbot.waitSignal(lock.locked, timeout=3000):
        lock.timer.start()
    path = data_dir / DB_FILENAME
    for name in (f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm"):
        (data_dir / name).unlink(missing_ok=True)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    dialog = lock.dialog
    assert dialog is not None
    person = Person(qtbot)
    person.type_into("Wachtwoord", PASSPHRASE, dialog)
    person.click("Openen", dialog)
    assert person.sees("beschadigd", dialog)
    with pytest.raises(NotFound):
        person.button("Reservekopie terugzetten…", dialog)
    assert person.sees("Sluit klachtdesk", dialog)
    lock.timer.stop()
    dialog.hide()  # not closed: that would quit klachtdesk
    dialog.deleteLater()


def test_an_odd_status_file_at_start_is_no_backup_yet(
    qtbot: QtBot, window: MainWindow, register: Register, ctx: ServiceContext, data_dir: Path
) -> None:
    (data_dir / STATUS_FILENAME).write_text('{"last_good_at": "gisteren", "last_failure_at": 1}')
    backups_in(window, register, ctx)
    assert status_label(window).text() == "⚠ Nog geen reservekopie."


def test_restore_list_with_an_odd_manifest_and_a_refusal_in_dutch(
    qtbot: QtBot, register: Register, ctx: ServiceContext, data_dir: Path, tmp_path: Path
) -> None:
    made = make_backup(register, ctx)
    (made.path / "manifest.json").write_text('{"dossiers": "veel", "made_at": 5}')

    def refuse(backup: Path, verified: object) -> RestoreResult:
        raise PermissionError(13, "Permission denied", str(backup))

    dialog = RestoreDialog(
        folder=made.path.parent, verify=BackupKeeper(register, ctx).verify, restore=refuse
    )
    qtbot.addWidget(dialog)
    dialog.show()
    person = Person(qtbot)
    person.list_item("02/03/2026 09:30 – 0 dossiers – NIET gecontroleerd", dialog)
    person.when_modal(
        lambda box: person.click_widget(box.button(QMessageBox.StandardButton.Yes)),  # type: ignore[attr-defined]
        QMessageBox,
    )
    person.click("Terugzetten", dialog)
    qtbot.waitUntil(lambda: person.sees("geen toegang", dialog), timeout=10_000)
    assert not person.sees("Permission", dialog)
