"""A full disk and a damaged register, as the coordinator meets them in the window."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from klachtdesk.app import open_main_window_or_explain
from klachtdesk.models import (
    DB_FILENAME,
    Complaint,
    Register,
    create_register,
    database,
    open_register,
    register_exists,
)
from klachtdesk.services.complaints import register_complaint
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.documents import Attachment
from klachtdesk.services.drafts import load_draft
from klachtdesk.services.setup import Coordinator as CoordinatorData
from klachtdesk.services.setup import Municipality, initial_setup
from klachtdesk.ui.main_window import MainWindow
from klachtdesk.ui.setup_wizard import SetupWizard
from klachtdesk.ui.unlock_dialog import UnlockDialog

from ..db.damage import damage_pages_holding
from ..db.helpers import intake
from .journey import PASSPHRASE, Coordinator


def person_at(window: MainWindow, qtbot: QtBot) -> Coordinator:
    person = Coordinator(qtbot, Path())
    person.window = window
    person.activate(window)
    return person


def _draft_text(key: str) -> str:
    draft = load_draft() or {}
    return str(draft.get(key, ""))


def test_a_full_disk_while_typing_an_intake_is_said_once_and_nothing_typed_is_lost(
    window: MainWindow, qtbot: QtBot
) -> None:
    person = person_at(window, qtbot)
    wizard = person.new_phone_complaint()
    person.type_into("Naam", "Marie Peeters", wizard)
    qtbot.waitUntil(lambda: _draft_text("name") == "Marie Peeters")
    person.next(wizard)
    # The disk fills up: the register may not grow by a single page. A new register has
    # free pages (indexes a later migration replaced): writing there needs no growth, so
    # they are given back first.
    database.execute_sql("VACUUM")
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages}")
    seen = person.answer_message(QMessageBox.StandardButton.Ok)
    long_text = "De container werd weer niet geledigd. " * 500
    person.type_into("Omschrijving", long_text, wizard)
    qtbot.waitUntil(lambda: bool(seen))
    assert "De schijf is vol" in seen[0] and "staat nog in het venster" in seen[0]
    assert "rollback" not in seen[0]
    assert _draft_text("name") == "Marie Peeters" and _draft_text("description") == ""
    # Typing on while the disk is still full: no new message at every pause.
    again = person.answer_message(QMessageBox.StandardButton.Ok)
    person.type_into("Betrokken persoon", "ophaaldienst", wizard)
    qtbot.waitUntil(lambda: not wizard.draft_timer.isActive())
    assert again == []
    description = person.field("Omschrijving", QPlainTextEdit, within=wizard)
    assert wizard.isVisible() and long_text.strip() in description.toPlainText()
    # Room again: the next pause saves everything that was typed.
    database.execute_sql("PRAGMA max_page_count = 1073741823")
    person.type_into("Betrokken persoon", "de ophaaldienst", wizard)
    qtbot.waitUntil(lambda: _draft_text("description").startswith("De container"))
    assert _draft_text("person") == "de ophaaldienst"


@pytest.fixture
def damaged_register(data_dir: Path, ctx: ServiceContext) -> Iterator[Register]:
    """A register with one dossier whose scanned letter's page no longer decrypts."""
    register = create_register(data_dir, PASSPHRASE)
    initial_setup(
        ctx,
        Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
        CoordinatorData("Ann Coördinator"),
        ["Milieu en afval"],
        [],
    )
    scan = Attachment("brief.pdf", "application/pdf", b"%PDF-1.4 ...", "BRIEFXYZZY van de buren")
    register_complaint(ctx, intake(), [scan])
    key = register.sqlcipher_key
    register.close()
    damage_pages_holding(data_dir / DB_FILENAME, key, b"BRIEFXYZZY")
    reopened = open_register(data_dir, PASSPHRASE)
    yield reopened
    reopened.close()


def test_opening_a_dossier_on_a_damaged_page_says_what_to_do(
    damaged_register: Register, qtbot: QtBot, ctx: ServiceContext, settings: QSettings
) -> None:
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    person = person_at(window, qtbot)
    seen = person.answer_message(QMessageBox.StandardButton.Ok)
    person.list_row(Complaint.get().reference)
    qtbot.waitUntil(lambda: bool(seen))
    assert "is beschadigd" in seen[0] and "Reservekopie terugzetten" in seen[0]
    assert "klachtdesk check" in seen[0] and "malformed" not in seen[0].split("(")[0]
    assert window.isVisible()


def test_the_first_run_on_a_full_disk_says_so_and_finishes_once_there_is_room(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "klachtdesk"
    # A disk with room for 8 pages of the register: the empty register needs some 45.
    database_module = importlib.import_module("klachtdesk.models.database")
    monkeypatch.setitem(database_module.PRAGMAS, "max_page_count", 8)
    wizard = SetupWizard(folder)
    qtbot.addWidget(wizard)
    wizard.show()
    person = Coordinator(qtbot, folder)
    person.activate(wizard)
    person.type_into("Naam", "Gemeente Herent", wizard)
    person.next(wizard)
    person.type_into("Naam", "Ann Coördinator", wizard)
    person.next(wizard)
    person.type_into("Wachtwoord", PASSPHRASE, wizard)
    person.type_into("Nog eens", PASSPHRASE, wizard)
    person.next(wizard)
    person.confirm_recovery_key(wizard)
    person.type_into("Diensten (één per regel)", "Milieu en afval", wizard)
    person.click("Voltooien", wizard)
    assert wizard.isVisible() and wizard.register is None
    assert person.sees("De schijf is vol", wizard) and not person.sees("rollback", wizard)
    assert not register_exists(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["klachtdesk.lock"]
    monkeypatch.undo()  # room again: the same wizard finishes
    person.click("Voltooien", wizard)
    assert wizard.register is not None and not wizard.isVisible()
    wizard.register.close()


def test_a_register_damaged_where_the_window_first_reads_brings_the_unlock_dialog_back(
    data_dir: Path, ctx: ServiceContext, qtbot: QtBot
) -> None:
    """The passphrase is right and the first pages are whole, but the departments' page is
    damaged: the window cannot be built. The coordinator started klachtdesk from the desktop,
    so a message on stderr is no message: the unlock dialog says it and offers the backups."""
    register = create_register(data_dir, PASSPHRASE)
    initial_setup(
        ctx,
        Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
        CoordinatorData("Ann Coördinator"),
        ["Dienst XYZZY"],
        [],
    )
    key = register.sqlcipher_key
    register.close()
    damage_pages_holding(data_dir / DB_FILENAME, key, b"Dienst XYZZY")
    reopened = open_register(data_dir, PASSPHRASE)  # what the unlock dialog did
    person = Coordinator(qtbot, data_dir)
    told: list[bool] = []

    def read_and_cancel(dialog: QWidget) -> None:
        told.append(
            person.sees("is beschadigd", dialog)
            and person.button("Reservekopie terugzetten…", dialog).isVisible()
        )
        person.click("Annuleren", dialog)

    handled = person.when_modal(read_and_cancel, UnlockDialog)
    opened = open_main_window_or_explain(QApplication.instance(), reopened, data_dir, ctx)
    assert handled and told == [True]
    assert opened is None
    assert reopened.db.is_closed()
