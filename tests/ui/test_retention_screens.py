"""Issue 11 on screen: the retention view, the retention term in the settings, and a
dossier's 'Meer' menu (everything about the person, deleting a mistaken dossier)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QSpinBox, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from klachtdesk.models import AuditEvent, Complaint, Register
from klachtdesk.procedure import State
from klachtdesk.services import complaints as svc
from klachtdesk.services.audit import verify_audit_chain
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.organisation import handlers
from klachtdesk.services.retention import retention_years
from klachtdesk.ui.dossier_erasure import DeleteDossierDialog
from klachtdesk.ui.retention_dialog import RetentionDialog
from klachtdesk.ui.settings_dialog import SettingsDialog

from ..conftest import FakeClock
from ..db.helpers import intake
from .person import NotFound, Person, answer_file_dialog
from .test_accessibility import problems_of
from .test_crawler import dossier_in
from .test_procedure_screens import open_dossier, open_window


def click_row(table: QTableWidget, row: int) -> None:
    rect = table.visualItemRect(table.item(row, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_retention_view_anonymises_after_confirmation(
    qtbot: QtBot, register: Register, ctx: ServiceContext, clock: FakeClock, settings: QSettings
) -> None:
    handler_id = handlers()[0].id
    first = dossier_in(ctx, State.CLOSED, handler_id, 1)
    second = dossier_in(ctx, State.CLOSED, handler_id, 2)
    still_open = dossier_in(ctx, State.ADMISSIBLE, handler_id, 3)
    clock.advance(days=6 * 365)
    person = open_window(qtbot, ctx, settings)
    window = person.window
    assert window is not None
    person.menu("Register", "Bewaartermijn verstreken…", window=window)
    dialog = window.current_dialog
    assert isinstance(dialog, RetentionDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert not problems_of(dialog)
    table = person.field("Dossiers voorbij de bewaartermijn", QTableWidget, dialog)
    references = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert references == ["2026-0001", "2026-0002"]
    assert person.sees("bewaartermijn (5 jaar)", dialog)
    assert not person.button("Geselecteerde anonimiseren…", dialog).isEnabled()

    # Select the first; the confirmation is answered "Nee": nothing happens.
    click_row(table, 0)
    seen = person.answer_message(QMessageBox.StandardButton.No)
    person.click("Geselecteerde anonimiseren…", dialog)
    qtbot.waitUntil(lambda: bool(seen))
    assert "dossier 2026-0001 anonimiseren" in seen[0] and "niet ongedaan" in seen[0]
    assert Complaint.get_by_id(first).name == "Klager 1"

    # "Ja": the dossier is anonymised and leaves the list; the main list shows no name.
    seen = person.answer_message(QMessageBox.StandardButton.Yes)
    person.click("Geselecteerde anonimiseren…", dialog)
    qtbot.waitUntil(lambda: bool(seen))
    qtbot.waitUntil(lambda: table.rowCount() == 1)
    assert table.item(0, 0).text() == "2026-0002"
    assert Complaint.get_by_id(first).name == "" and Complaint.get_by_id(first).email == ""
    assert Complaint.get_by_id(second).name == "Klager 2"
    person.click("Sluiten", dialog)
    person.list_row("2026-0001")  # the dossier says what happened to it
    assert "geanonimiseerd" in window.dossier.title.text()
    assert "Klager 1" not in window.dossier.title.text()
    # Its data are gone: no "Gegevens wijzigen…" (or any step) to type a new name into.
    with pytest.raises(NotFound):
        person.button("Gegevens wijzigen…", window.dossier)
    person.menu("Register", "Bewaartermijn verstreken…", window=window)
    dialog = window.current_dialog
    assert isinstance(dialog, RetentionDialog)
    qtbot.waitUntil(dialog.isVisible)
    table = person.field("Dossiers voorbij de bewaartermijn", QTableWidget, dialog)

    seen = person.answer_message(QMessageBox.StandardButton.Yes)
    person.click("Alle anonimiseren…", dialog)
    qtbot.waitUntil(lambda: table.rowCount() == 0)
    assert Complaint.get_by_id(second).name == ""
    assert Complaint.get_by_id(still_open).name == "Klager 3"
    assert person.sees("Geen afgesloten dossiers voorbij de bewaartermijn", dialog)
    assert verify_audit_chain().ok
    person.click("Sluiten", dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_deleting_a_mistaken_dossier_asks_for_a_reason(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    handler_id = handlers()[0].id
    dossier_in(ctx, State.REGISTERED, handler_id, 1)
    duplicate = dossier_in(ctx, State.REGISTERED, handler_id, 1)
    person = open_dossier(qtbot, ctx, settings, duplicate)
    window = person.window
    assert window is not None
    person.menu_button("Meer", "Dossier verwijderen (verkeerdelijk geregistreerd)…", window)
    dialog = window.current_dialog
    assert isinstance(dialog, DeleteDossierDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert not problems_of(dialog)
    assert dialog.windowTitle() == "Dossier 2026-0002 verwijderen"
    person.click("Verwijderen", dialog)  # no reason yet
    assert dialog.isVisible() and person.sees("Geef een reden", dialog)
    assert Complaint.select().count() == 2
    person.type_into("Reden (zonder persoonsgegevens)", "Dubbel ingevoerd, zie 2026-0001", dialog)
    # Asked first; Nee keeps the dossier.
    asked = person.answer_message(QMessageBox.StandardButton.No)
    person.click("Verwijderen", dialog)
    qtbot.waitUntil(lambda: bool(asked))
    assert asked == [
        "Dossier 2026-0002 definitief verwijderen? Dit kan niet ongedaan gemaakt worden."
    ]
    assert dialog.isVisible() and Complaint.select().count() == 2
    person.answer_message(QMessageBox.StandardButton.Yes)
    person.click("Verwijderen", dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.statusBar().currentMessage() == "Dossier 2026-0002 verwijderd."
    assert [c.reference for c in Complaint.select()] == ["2026-0001"]
    assert window.model.rowCount() == 1 and window.dossier.detail is None
    last = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert last.action == "delete" and "Dubbel ingevoerd, zie 2026-0001" in last.summary


def test_all_about_this_person_exports_into_the_chosen_folder(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> None:
    handler_id = handlers()[0].id
    earlier = dossier_in(ctx, State.CLOSED, handler_id, 7)
    later = dossier_in(ctx, State.ADMISSIBLE, handler_id, 7)  # same e-mail address
    svc.register_complaint(  # someone else
        ctx, intake(name="Jan Janssens", street="Molenweg 3", phone="0499 88 77 66")
    )
    target = tmp_path / "inzage"
    target.mkdir()
    person = open_dossier(qtbot, ctx, settings, later)
    window = person.window
    assert window is not None

    def choose_folder(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        answer_file_dialog(dialog, target)

    chosen = person.when_modal(choose_folder, QFileDialog)
    done = person.answer_message(QMessageBox.StandardButton.Ok)
    person.menu_button("Meer", "Alles over deze persoon…", window)
    qtbot.waitUntil(lambda: bool(chosen) and bool(done), timeout=10_000)
    assert "2 dossiers (2026-0002, 2026-0001)" in done[0]
    (folder,) = target.iterdir()
    pdf = folder / "inzage 2026-0002.pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert "Klager 7" in text and "klager7@example.be" in text and "Janssens" not in text
    assert "Dossier 2026-0001" in text and "Dossier 2026-0002" in text
    documents = sorted(p.name for p in folder.iterdir() if p.suffix == ".pdf" and p != pdf)
    assert documents and all(name.startswith("2026-0001 ") for name in documents)
    assert earlier


def test_retention_term_in_the_settings(
    qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    person = Person(qtbot)
    person.tab("Bewaartermijn", dialog)
    assert person.sees("Selectielijst", dialog) and person.sees("archivaris", dialog)
    spin = person.field("Bewaartermijn na afsluiten", QSpinBox, dialog)
    assert spin.value() == 5
    person.type_into("Bewaartermijn na afsluiten", "10", dialog)
    person.click("Opslaan", dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert retention_years() == 10
    last = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert last.summary == "Bewaartermijn: 10 jaar na afsluiten"
