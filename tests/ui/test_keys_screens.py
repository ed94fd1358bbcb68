"""The recovery key and the passphrase on screen: the setup wizard's recovery page, the unlock
dialog's recovery path (also after the idle lock), Instellingen › Beveiliging, the offer of a
recovery key after unlocking, and a damaged register at the unlock dialog."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from klachtdesk.models import (
    DB_FILENAME,
    KEY_FILENAME,
    Register,
    WrongPassphrase,
    create_register,
    open_register,
    unwrap_sqlcipher_key,
    unwrap_with_recovery_key,
)
from klachtdesk.services import security
from klachtdesk.services.check import check_register
from klachtdesk.services.context import ServiceContext
from klachtdesk.ui.idle_lock import IdleLock
from klachtdesk.ui.settings_dialog import SettingsDialog
from klachtdesk.ui.setup_wizard import SetupWizard
from klachtdesk.ui.unlock_dialog import UnlockDialog

from .journey import PASSPHRASE, Coordinator
from .person import visible_text

NEW = "nieuwe lente aan de Dijle"


def _pdf_text(path: Path) -> str:
    [page] = PdfReader(io.BytesIO(path.read_bytes())).pages
    return " ".join(page.extract_text().split())


def _shown(person: Coordinator, kind: type[QDialog]) -> QDialog:
    person.qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, kind)
    return dialog


def test_setup_wizard_shows_the_recovery_key_and_wants_its_last_group(
    qtbot: QtBot, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    person = Coordinator(qtbot, folder)
    wizard = SetupWizard(folder)
    qtbot.addWidget(wizard)
    wizard.show()
    person.activate(wizard)
    person.type_into("Naam", "Gemeente Herent", wizard)
    person.type_into("Gemeente", "Herent", wizard)
    person.next(wizard)
    person.type_into("Naam", "Ann Coördinator", wizard)
    person.next(wizard)
    # A weak passphrase: the strength is shown as one types, and the page refuses it.
    person.type_into("Wachtwoord", "aaaaaaaa", wizard)
    person.type_into("Nog eens", "aaaaaaaa", wizard)
    assert person.sees("Sterkte: zeer zwak", wizard) and person.sees("Herhalingen", wizard)
    person.click("Volgende >", wizard)
    assert wizard.currentPage() is wizard.passphrase
    assert "te zwak" in visible_text(wizard.passphrase.errors.text())
    # The town typed two pages back plus a year: zxcvbn alone calls it strong; with the words
    # of this register it is weak, as shown and as refused.
    person.type_into("Wachtwoord", "Herent2026", wizard)
    person.type_into("Nog eens", "Herent2026", wizard)
    assert person.sees("Sterkte: zwak.", wizard)
    person.click("Volgende >", wizard)
    assert wizard.currentPage() is wizard.passphrase
    assert "te zwak" in visible_text(wizard.passphrase.errors.text())
    person.type_into("Wachtwoord", PASSPHRASE, wizard)
    assert person.sees("Sterkte: zeer sterk", wizard)
    person.type_into("Nog eens", PASSPHRASE, wizard)
    person.next(wizard)

    key = person.read_recovery_key(wizard)
    assert len(key.split()) == 8
    pdf = tmp_path / "herstelsleutel.pdf"
    umask = os.umask(0o022)  # the usual one: files readable by all, unless made private
    try:
        person.in_file_dialog("PDF opslaan…", wizard, pdf)
        qtbot.waitUntil(pdf.exists)
    finally:
        os.umask(umask)
    if os.name == "posix":  # the key in the clear: for the coordinator's account only
        assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    text = _pdf_text(pdf)
    assert key in text and "Gemeente Herent" in text and "kluis" in text
    assert person.sees("Bewaard als", wizard)
    # The wrong group is refused, with what to do; nothing is created yet.
    person.type_into("Laatste groep", "ZZZZ" if key.split()[-1] != "ZZZZ" else "YYYY", wizard)
    person.click("Volgende >", wizard)
    assert wizard.currentPage() is wizard.recovery
    assert person.sees("laatste groep", wizard)
    assert not (folder / DB_FILENAME).exists()
    person.type_into("Laatste groep", key.split()[-1].lower(), wizard)
    # The refusal goes as soon as the right group is there, before Volgende.
    assert not person.sees("Typ de laatste groep", wizard)
    person.next(wizard)
    person.click("Voltooien", wizard)
    assert wizard.register is not None
    wizard.register.close()
    # The key on screen and on paper opens the register's key file.
    assert unwrap_with_recovery_key(folder / KEY_FILENAME, key) == unwrap_sqlcipher_key(
        folder / KEY_FILENAME, PASSPHRASE
    )
    assert register_id_in(text, folder)


def register_id_in(text: str, folder: Path) -> bool:
    register_id = json.loads((folder / KEY_FILENAME).read_text())["register_id"]
    return bool(register_id in text)


def test_unlock_dialog_recovery_path(qtbot: QtBot, data_dir: Path, ctx: ServiceContext) -> None:
    with create_register(data_dir, PASSPHRASE) as reg:
        old_key = security.make_recovery_key(ctx, reg)
        key = security.make_recovery_key(ctx, reg)
    person = Coordinator(qtbot, data_dir)
    unlock = UnlockDialog(data_dir)
    qtbot.addWidget(unlock)
    unlock.show()
    person.activate(unlock)
    person.click("Wachtwoord vergeten? Herstelsleutel gebruiken…", unlock)
    recover = _shown(person, QDialog)
    assert recover.windowTitle() == "Herstelsleutel gebruiken"
    person.type_into("Herstelsleutel", old_key, recover)
    person.type_into("Nieuw wachtwoord", NEW, recover)
    person.type_into("Nog eens", NEW, recover)
    person.click("Openen", recover)
    assert person.sees("past niet bij dit register", recover) and recover.isVisible()
    person.type_into("Herstelsleutel", key.lower().replace("-", " "), recover)
    person.type_into("Nieuw wachtwoord", "        ", recover)
    person.type_into("Nog eens", "        ", recover)
    person.click("Openen", recover)
    assert person.sees("te zwak", recover) and person.sees("acht spaties", recover)
    person.type_into("Nieuw wachtwoord", NEW, recover)
    person.type_into("Nog eens", NEW, recover)
    person.click("Openen", recover)
    qtbot.waitUntil(lambda: not unlock.isVisible())
    assert unlock.result() == QDialog.DialogCode.Accepted and unlock.register is not None
    unlock.register.close()
    try:
        open_register(data_dir, PASSPHRASE)
    except WrongPassphrase:
        pass
    else:
        raise AssertionError("the old passphrase still opens the register")
    open_register(data_dir, NEW).close()


def test_relock_dialog_recovery_path(qtbot: QtBot, register: Register, ctx: ServiceContext) -> None:
    key = security.make_recovery_key(ctx, register)
    lock = IdleLock(register, 15)
    try:
        lock.lock()
        assert register.locked and lock.dialog is not None
        dialog = lock.dialog
        qtbot.addWidget(dialog)
        person = Coordinator(qtbot, register.folder)
        person.activate(dialog)
        person.click("Wachtwoord vergeten? Herstelsleutel gebruiken…", dialog)
        recover = _shown(person, QDialog)
        person.type_into("Herstelsleutel", key, recover)
        person.type_into("Nieuw wachtwoord", NEW, recover)
        person.type_into("Nog eens", NEW, recover)
        person.click("Openen", recover)
        qtbot.waitUntil(lambda: lock.dialog is None)
        assert not register.locked
        register.lock()
        register.unlock(NEW)
    finally:
        QApplication.instance().removeEventFilter(lock)  # type: ignore[union-attr]
        lock.timer.stop()


def test_unlock_dialog_says_damaged_for_a_flipped_byte_in_page_one(
    qtbot: QtBot, data_dir: Path
) -> None:
    create_register(data_dir, PASSPHRASE).close()
    path = data_dir / DB_FILENAME
    content = bytearray(path.read_bytes())
    content[3000] ^= 0x04
    path.write_bytes(bytes(content))
    person = Coordinator(qtbot, data_dir)
    unlock = UnlockDialog(data_dir)
    qtbot.addWidget(unlock)
    unlock.show()
    person.activate(unlock)
    person.type_into("Wachtwoord", PASSPHRASE, unlock)
    person.click("Openen", unlock)
    assert unlock.isVisible()
    assert person.sees("beschadigd", unlock) and person.sees("reservekopie", unlock)
    assert not person.sees("niet juist", unlock)


def test_security_tab_changes_the_passphrase_and_makes_a_recovery_key(
    qtbot: QtBot, register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    person = Coordinator(qtbot, register.folder)
    person.activate(dialog)
    person.tab("Beveiliging", dialog)
    assert person.sees("nog geen herstelsleutel", dialog)
    db_before = register.path.read_bytes()

    person.click("Wachtwoord wijzigen…", dialog)
    change = _shown(person, QDialog)
    person.type_into("Huidig wachtwoord", "verkeerd wachtwoord", change)
    person.type_into("Nieuw wachtwoord", NEW, change)
    person.type_into("Nog eens", NEW, change)
    person.click("Wijzigen", change)
    assert person.sees("niet juist", change) and change.isVisible()
    # Back at the field that was wrong, its text selected to be typed over.
    assert QApplication.focusWidget() is person.field("Huidig wachtwoord", within=change)
    person.type_into("Huidig wachtwoord", PASSPHRASE, change)
    person.type_into("Nieuw wachtwoord", "aaaaaaaa", change)
    assert person.sees("Sterkte: zeer zwak", change)
    person.type_into("Nog eens", "aaaaaaaa", change)
    person.click("Wijzigen", change)
    assert person.sees("te zwak", change)
    person.type_into("Nieuw wachtwoord", NEW, change)
    person.type_into("Nog eens", NEW, change)
    person.click("Wijzigen", change)
    qtbot.waitUntil(lambda: not change.isVisible())
    assert person.sees("Het wachtwoord is gewijzigd", dialog)
    assert register.path.read_bytes() == db_before  # nothing re-encrypted
    unwrap_sqlcipher_key(register.key_path, NEW)

    # A new recovery key: cancelled first (nothing changes), then printed and kept.
    person.click("Nieuwe herstelsleutel maken…", dialog)
    first = _shown(person, QDialog)
    cancelled_key = person.read_recovery_key(first)
    person.click("Annuleren", first)
    qtbot.waitUntil(lambda: not first.isVisible())
    assert security.needs_recovery_key(register)

    person.click("Nieuwe herstelsleutel maken…", dialog)
    new = _shown(person, QDialog)
    key = person.read_recovery_key(new)
    assert key != cancelled_key
    printed = tmp_path / "afgedrukt.pdf"
    person.print_to_file("Afdrukken…", new, printed)
    qtbot.waitUntil(printed.exists)
    assert key in _pdf_text(printed)
    person.click("Bewaren", new)
    assert new.isVisible() and person.sees("laatste groep", new)  # not yet confirmed
    person.type_into("Laatste groep", key.split()[-1], new)
    person.click("Bewaren", new)
    qtbot.waitUntil(lambda: not new.isVisible())
    assert person.sees("Er is een herstelsleutel", dialog)
    assert person.sees("de vorige is niet meer geldig", dialog)
    assert unwrap_with_recovery_key(register.key_path, key) == register.sqlcipher_key
    dialog.reject()


def test_after_unlocking_a_register_without_recovery_key_one_is_offered(
    qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    from klachtdesk.app import open_main_window

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    person = Coordinator(qtbot, register.folder)
    window = open_main_window(app, register, register.folder, ctx)
    qtbot.addWidget(window)
    try:
        offer = _shown(person, QMessageBox)
        assert "nog geen herstelsleutel" in visible_text(
            offer.findChild(QLabel, "qt_msgbox_label").text()
        )  # type: ignore[union-attr]
        person.click("Nu maken", offer)
        dialog = _shown(person, QDialog)
        assert dialog.windowTitle() == "Nieuwe herstelsleutel"
        key = person.confirm_recovery_key(dialog)
        person.click("Bewaren", dialog)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        assert not security.needs_recovery_key(register)
        assert unwrap_with_recovery_key(register.key_path, key) == register.sqlcipher_key
    finally:
        if window.idle_lock is not None:
            app.removeEventFilter(window.idle_lock)
            window.idle_lock.timer.stop()
        window.watch.stop()
        window.quitting = True
        window.close()


def _backup_then(register: Register, ctx: ServiceContext, usb: Path) -> None:
    from klachtdesk.services.backup import make_backup
    from klachtdesk.services.demo import fill_with_demo

    fill_with_demo(ctx, 5, seed=4)
    make_backup(register, ctx, usb)  # the status file remembers where the last one went
    register.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    register.close()


def _restore_from(person: Coordinator, unlock: UnlockDialog, usb: Path) -> None:
    """Reservekopie terugzetten…, the one backup on the USB disk, Terugzetten, Ja, OK."""
    person.click("Reservekopie terugzetten…", unlock)
    chooser = person.wait_for_window("Reservekopie terugzetten")
    assert person.sees(str(usb), chooser)
    person.list_item("02/03/2026 09:30 – 5 dossiers", chooser)

    def yes_then_ok(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        button = box.button(QMessageBox.StandardButton.Yes)
        assert button is not None
        person.click_widget(button)
        person.answer_message(QMessageBox.StandardButton.Ok)

    person.when_modal(yes_then_ok, QMessageBox)
    person.click("Terugzetten", chooser)


def test_unlock_dialog_says_damaged_for_a_zeroed_first_page_and_restores(
    qtbot: QtBot, register: Register, ctx: ServiceContext, data_dir: Path, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    _backup_then(register, ctx, usb)
    path = data_dir / DB_FILENAME
    content = bytearray(path.read_bytes())
    content[:4096] = bytes(4096)
    path.write_bytes(bytes(content))

    person = Coordinator(qtbot, data_dir)
    unlock = UnlockDialog(data_dir)
    qtbot.addWidget(unlock)
    unlock.show()
    person.activate(unlock)
    person.type_into("Wachtwoord", PASSPHRASE, unlock)
    person.click("Openen", unlock)
    assert unlock.isVisible() and person.sees("beschadigd", unlock)
    assert not person.sees("niet juist", unlock)
    _restore_from(person, unlock, usb)
    qtbot.waitUntil(lambda: unlock.register is not None, timeout=10_000)
    try:
        assert check_register().complaints == 5
    finally:
        unlock.register.close()


def test_a_lost_register_at_start_offers_the_backups_not_the_setup(
    qtbot: QtBot, register: Register, ctx: ServiceContext, data_dir: Path, tmp_path: Path
) -> None:
    from klachtdesk.app import open_or_set_up

    usb = tmp_path / "usb"
    _backup_then(register, ctx, usb)
    (data_dir / DB_FILENAME).unlink()  # as an interrupted restore or a slip of the hand left it
    key_file = (data_dir / KEY_FILENAME).read_bytes()
    person = Coordinator(qtbot, data_dir)

    def restore(dialog: QWidget) -> None:
        assert isinstance(dialog, QDialog)
        QTimer.singleShot(30_000, dialog.reject)  # never hang the suite
        assert isinstance(dialog, UnlockDialog)  # not the setup wizard
        person.activate(dialog)
        assert person.sees("ontbreekt", dialog) and person.sees("reservekopie", dialog)
        person.type_into("Wachtwoord", PASSPHRASE, dialog)
        _restore_from(person, dialog, usb)

    person.when_modal(restore, QDialog)
    opened = open_or_set_up(data_dir)
    assert opened is not None
    try:
        assert check_register().complaints == 5
    finally:
        opened.close()
    assert (data_dir / KEY_FILENAME).read_bytes() == key_file


def test_the_setup_wizard_refuses_a_folder_with_a_lost_register(
    qtbot: QtBot, data_dir: Path
) -> None:
    create_register(data_dir, PASSPHRASE).close()
    (data_dir / DB_FILENAME).unlink()
    person = Coordinator(qtbot, data_dir)
    wizard = SetupWizard(data_dir)
    qtbot.addWidget(wizard)
    wizard.show()
    person.activate(wizard)
    assert person.sees("ontbreekt", wizard)
    person.type_into("Naam", "Gemeente Herent", wizard)
    person.type_into("Gemeente", "Herent", wizard)
    person.click("Volgende >", wizard)
    assert wizard.currentPage() is wizard.municipality
    assert (data_dir / KEY_FILENAME).exists()


def test_a_full_disk_while_changing_the_passphrase_is_said_in_the_dialog(
    qtbot: QtBot, register: Register, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import importlib

    keyfile_module = importlib.import_module("klachtdesk.models.keyfile")

    def no_space(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(keyfile_module.os, "write", no_space)
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    person = Coordinator(qtbot, register.folder)
    person.activate(dialog)
    person.tab("Beveiliging", dialog)
    person.click("Wachtwoord wijzigen…", dialog)
    change = _shown(person, QDialog)
    person.type_into("Huidig wachtwoord", PASSPHRASE, change)
    person.type_into("Nieuw wachtwoord", NEW, change)
    person.type_into("Nog eens", NEW, change)
    person.click("Wijzigen", change)
    assert change.isVisible() and person.sees("de schijf is vol", change)
    assert not person.sees("No space", change)
    person.click("Annuleren", change)
    monkeypatch.undo()
    unwrap_sqlcipher_key(register.key_path, PASSPHRASE)  # unchanged
    dialog.reject()


def test_after_a_recovery_a_new_recovery_key_is_offered(
    qtbot: QtBot, data_dir: Path, ctx: ServiceContext
) -> None:
    """The sheet says: after using the recovery key, make a new one. The window proposes it."""
    from klachtdesk.app import open_main_window

    with create_register(data_dir, PASSPHRASE) as reg:
        key = security.make_recovery_key(ctx, reg)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    person = Coordinator(qtbot, data_dir)
    unlock = UnlockDialog(data_dir)
    qtbot.addWidget(unlock)
    unlock.show()
    person.activate(unlock)
    person.click("Wachtwoord vergeten? Herstelsleutel gebruiken…", unlock)
    recover = _shown(person, QDialog)
    person.type_into("Herstelsleutel", key, recover)
    person.type_into("Nieuw wachtwoord", NEW, recover)
    person.type_into("Nog eens", NEW, recover)
    person.click("Openen", recover)
    qtbot.waitUntil(lambda: not unlock.isVisible())
    register = unlock.register
    assert register is not None
    window = open_main_window(app, register, data_dir, ctx)
    qtbot.addWidget(window)
    try:
        offer = _shown(person, QMessageBox)
        text = visible_text(offer.findChild(QLabel, "qt_msgbox_label").text())  # type: ignore[union-attr]
        assert "geopend met de herstelsleutel" in text and "nieuwe" in text
        person.click("Nu maken", offer)
        dialog = _shown(person, QDialog)
        new_key = person.confirm_recovery_key(dialog)
        person.click("Bewaren", dialog)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        assert new_key != key and not register.recovered
    finally:
        if window.idle_lock is not None:
            app.removeEventFilter(window.idle_lock)
            window.idle_lock.timer.stop()
        window.watch.stop()
        window.quitting = True
        window.close()
        register.close()


def test_without_a_key_file_the_recovery_key_is_not_offered(
    qtbot: QtBot, data_dir: Path, ctx: ServiceContext
) -> None:
    """The recovery key is kept in the key file: when that is gone, only a backup can help."""
    with create_register(data_dir, PASSPHRASE) as reg:
        security.make_recovery_key(ctx, reg)
    (data_dir / KEY_FILENAME).rename(data_dir / "elders.key")
    (data_dir / (KEY_FILENAME + ".prev")).unlink(missing_ok=True)
    person = Coordinator(qtbot, data_dir)
    unlock = UnlockDialog(data_dir)
    qtbot.addWidget(unlock)
    unlock.show()
    person.activate(unlock)
    forgotten = person.button("Wachtwoord vergeten? Herstelsleutel gebruiken…", unlock)
    person.type_into("Wachtwoord", PASSPHRASE, unlock)
    person.click("Openen", unlock)
    assert person.sees("sleutelbestand", unlock)
    assert not forgotten.isVisible() and person.button("Reservekopie terugzetten…", unlock)
