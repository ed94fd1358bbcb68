"""The recovery key and the passphrase on screen: the setup wizard's recovery page, the unlock
dialog's recovery path (also after the idle lock), Instellingen › Beveiliging, the offer of a
recovery key after unlocking, and a damaged register at the unlock dialog."""

from __future__ import annotations

import io
import json
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox
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
    person.type_into("Wachtwoord", PASSPHRASE, wizard)
    assert person.sees("Sterkte: zeer sterk", wizard)
    person.type_into("Nog eens", PASSPHRASE, wizard)
    person.next(wizard)

    key = person.read_recovery_key(wizard)
    assert len(key.split()) == 8
    pdf = tmp_path / "herstelsleutel.pdf"
    person.in_file_dialog("PDF opslaan…", wizard, pdf)
    qtbot.waitUntil(pdf.exists)
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
