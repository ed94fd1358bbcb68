"""The coordinator at work: intake by keyboard, then every step of the procedure in the window."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from klachtdesk.models import AuditEvent, Complaint, Register, database
from klachtdesk.procedure import Action, Channel, Ground, Outcome, State
from klachtdesk.services import complaints as svc
from klachtdesk.services.audit import verify_audit_chain
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.documents import document_content
from klachtdesk.services.organisation import handlers
from klachtdesk.ui import action_dialogs as dialogs
from klachtdesk.ui.intake_wizard import IntakeWizard
from klachtdesk.ui.main_window import MainWindow
from klachtdesk.ui.messages import install_unexpected_error_dialog

from ..conftest import FakeClock
from ..db.helpers import intake, walk_to_returned
from .journey import Coordinator
from .person import text_of, visible_text


def person_at(window: MainWindow, qtbot: QtBot) -> Coordinator:
    """The coordinator in front of ``window``."""
    person = Coordinator(qtbot, Path())
    person.window = window
    return person


def open_window(qtbot: QtBot, ctx: ServiceContext, settings: QSettings) -> Coordinator:
    """The main window opened on the register as it is now (dossiers already registered)."""
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    person = person_at(window, qtbot)
    person.activate(window)
    return person


def open_dossier(qtbot: QtBot, ctx: ServiceContext, settings: QSettings, cid: int) -> Coordinator:
    """The main window opened, and the dossier clicked in the list."""
    person = open_window(qtbot, ctx, settings)
    person.list_row(Complaint.get_by_id(cid).reference)
    assert person.window is not None and person.window.dossier.detail is not None
    assert person.window.dossier.detail.id == cid
    return person


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_keys(text: str) -> None:
    QTest.keyClicks(focus(), text)


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focus(), key, modifier)


def alt(letter: str) -> None:
    QTest.keyClick(
        focus(), getattr(Qt.Key, f"Key_{letter.upper()}"), Qt.KeyboardModifier.AltModifier
    )


def take_phone_call(window: MainWindow, qtbot: QtBot, name: str = "Marie Peeters") -> IntakeWizard:
    """Type a phone complaint with the keyboard only, up to the summary page."""
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wizard = window.current_dialog
    assert isinstance(wizard, IntakeWizard) and wizard.isVisible()
    qtbot.waitUntil(lambda: focus() is wizard.person.name)
    for text in (name, "Kerkstraat 12", "3000", "Leuven", "0478 12 34 56"):
        type_keys(text)
        press(Qt.Key.Key_Tab)
    assert wizard.person.phone.text() == "+32 478 12 34 56"  # formatted on leaving the field
    press(Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.complaint
    qtbot.waitUntil(lambda: focus() is wizard.complaint.description)
    type_keys("De container werd al drie weken niet geledigd.")
    alt("d")  # Dienst
    assert focus() is wizard.complaint.department
    press(Qt.Key.Key_Down)
    alt("p")  # Betrokken persoon
    type_keys("ophaaldienst")
    press(Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.receipt
    assert wizard.receipt.received_by.text() == "Ann Coördinator"
    press(Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.summary
    return wizard


def test_phone_complaint_by_keyboard_is_registered(window: MainWindow, qtbot: QtBot) -> None:
    wizard = take_phone_call(window, qtbot)
    assert "Marie Peeters" in wizard.summary.summary.text()
    with qtbot.waitSignal(wizard.registered):
        press(Qt.Key.Key_Return)
    row = Complaint.get()
    assert (row.name, row.phone, row.street, row.person_concerned) == (
        "Marie Peeters",
        "+32 478 12 34 56",
        "Kerkstraat 12",
        "ophaaldienst",
    )
    assert row.department.name == "Burgerzaken"  # the first department, alphabetically
    assert row.received_on == date(2026, 3, 2) and row.received_by == "Ann Coördinator"
    assert not wizard.isVisible()
    assert window.count_label.text() == "1 klacht"
    assert window.dossier.detail is not None and window.dossier.detail.id == row.id
    assert "2026-0001 – Marie Peeters" in window.dossier.title.text()


@pytest.mark.qt_no_exception_capture  # the program's own hook is under test here
def test_a_full_disk_is_explained_and_nothing_is_half_saved(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    install_unexpected_error_dialog()
    wizard = take_phone_call(window, qtbot)
    person = person_at(window, qtbot)
    back = visible_text(wizard.buttonText(QWizard.WizardButton.BackButton))
    person.click(back, wizard)
    person.click(back, wizard)
    person.type_into("Omschrijving", "Een lange klacht. " * 1100, wizard)  # ~20,000 chars
    person.next(wizard)
    person.next(wizard)
    assert wizard.currentPage() is wizard.summary
    qtbot.waitUntil(lambda: not wizard.draft_timer.isActive())  # the draft is saved first
    audit_before = AuditEvent.select().count()
    # A real SQLITE_FULL: the register may not grow by a single page.
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages}")
    seen = person.answer_message(QMessageBox.StandardButton.Ok)
    # Posted, as the window system delivers a real click (an error in the handler then
    # reaches sys.excepthook instead of this test's frame).
    person.click_posted("Voltooien", wizard)
    qtbot.waitUntil(lambda: bool(seen))
    assert "De schijf is vol" in seen[0] and "helemaal of helemaal niet" in seen[0]
    assert Complaint.select().count() == 0 and AuditEvent.select().count() == audit_before
    assert wizard.isVisible() and "Marie Peeters" in wizard.summary.summary.text()
    # Space again: the same wizard registers the complaint.
    database.execute_sql("PRAGMA max_page_count = 1073741823")
    with qtbot.waitSignal(wizard.registered):
        person.click("Voltooien", wizard)
    assert Complaint.get().name == "Marie Peeters"
    assert verify_audit_chain().ok


def test_bad_phone_number_is_explained_inline(window: MainWindow, qtbot: QtBot) -> None:
    wizard = person_at(window, qtbot).new_phone_complaint()
    qtbot.waitUntil(lambda: focus() is wizard.person.name)
    person_at(window, qtbot).type_into("Telefoon", "0478 12", wizard)
    press(Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.person
    assert "geen geldig telefoonnummer" in wizard.person.errors.text()
    assert wizard.person.errors.isVisible()


def test_hint_for_an_earlier_complaint_and_for_anonymous(
    window: MainWindow, qtbot: QtBot, ctx: ServiceContext
) -> None:
    earlier = svc.register_complaint(ctx, intake(phone="+32 478 12 34 56"))
    wizard = person_at(window, qtbot).new_phone_complaint()
    qtbot.waitUntil(lambda: focus() is wizard.person.name)
    press(Qt.Key.Key_Tab)
    assert "anoniem" in wizard.person.hint.text()
    for _ in range(3):
        press(Qt.Key.Key_Tab)
    type_keys("0478/12.34.56")
    press(Qt.Key.Key_Tab)
    hint = wizard.person.hint.text()
    assert "2026-0001" in hint and "telefoonnummer" in hint
    assert [e.complaint_id for e in wizard.person.earlier] == [earlier]


def open_action(window: MainWindow, qtbot: QtBot, action: Action) -> QDialog:
    """Click the step's button in the dossier; returns the dialog it opens."""
    return person_at(window, qtbot).step(action.step.button)


def ok(dialog: QDialog) -> None:
    """Click OK (the dialog stays open when it refuses)."""
    button = next(b for b in dialog.findChildren(QPushButton) if b.isVisible() and b.text() == "OK")
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def offered(window: MainWindow) -> set[Action]:
    return {a for a in Action if window.dossier.action_button(a) is not None}


def state(window: MainWindow) -> State:
    assert window.dossier.detail is not None
    return Complaint.get_by_id(window.dossier.detail.id).state


def test_phone_complaint_walked_through_all_steps_to_closed(
    window: MainWindow, qtbot: QtBot, clock: FakeClock
) -> None:
    wizard = take_phone_call(window, qtbot)
    with qtbot.waitSignal(wizard.registered):
        press(Qt.Key.Key_Return)
    assert state(window) is State.REGISTERED
    assert offered(window) == {Action.DECIDE_ADMISSIBILITY, Action.WITHDRAW, Action.EDIT}

    clock.advance(1)
    d = open_action(window, qtbot, Action.DECIDE_ADMISSIBILITY)
    assert isinstance(d, dialogs.AdmissibilityDialog)
    assert not any(box.isChecked() for box in d.boxes.values())
    assert "Ontvankelijk" in d.verdict.text()
    assert "12/03/2026" in d.verdict.text() and "16/04/2026" in d.verdict.text()
    ok(d)
    assert state(window) is State.ADMISSIBLE

    d = open_action(window, qtbot, Action.ACKNOWLEDGE)
    assert isinstance(d, dialogs.AcknowledgementDialog)
    assert "met de post" in d.how.text()  # a phone complaint is answered by letter
    ok(d)
    assert state(window) is State.ACKNOWLEDGED

    d = open_action(window, qtbot, Action.SEND_TO_HANDLER)
    assert isinstance(d, dialogs.SendToHandlerDialog)
    assert d.handler.currentText() == "Inge Claes"
    assert "inge.claes@herent.example" in d.contact.text()
    ok(d)
    assert state(window) is State.WITH_HANDLER

    clock.advance(5)
    d = open_action(window, qtbot, Action.RECORD_INVESTIGATION)
    assert isinstance(d, dialogs.InvestigationDialog)
    person_at(window, qtbot).type_into("Contacten", "Diensthoofd gebeld op 5 maart.", d)
    person_at(window, qtbot).type_into("Samenvatting", "De ophaalronde werd vergeten.", d)
    ok(d)

    d = open_action(window, qtbot, Action.ASSESS)
    assert isinstance(d, dialogs.AssessmentDialog)
    person_at(window, qtbot).check(Outcome.WELL_FOUNDED.label, d)
    ok(d)  # no solution: refused, dialog stays open with the reason
    assert d.isVisible() and "oplossing" in d.error.text()
    person_at(window, qtbot).type_into("Oplossing", "Extra ophaalronde en excuses.", d)
    ok(d)  # no mate van oplossing, no ombudsnorm: refused too
    assert d.isVisible() and "mate van oplossing" in d.error.text()
    person_at(window, qtbot).choose("Mate van oplossing", "opgelost", d)
    person_at(window, qtbot).check(
        "11. goede uitvoeringspraktijk en administratieve nauwkeurigheid", d
    )
    ok(d)
    assert not d.isVisible() and state(window) is State.ASSESSED

    clock.advance(10)
    d = open_action(window, qtbot, Action.RECORD_RETURNED)
    assert isinstance(d, dialogs.ReturnedDialog)
    person_at(window, qtbot).type_into("Rapport", "Rapport aangevuld.", d)
    person_at(window, qtbot).type_into("Motiverende brief", "Geachte mevrouw Peeters, ...", d)
    ok(d)
    assert state(window) is State.REPLY_RETURNED

    d = open_action(window, qtbot, Action.REVIEW_NEUTRALITY)
    ok(d)
    assert state(window) is State.APPROVED
    ok(open_action(window, qtbot, Action.RECORD_REPLY_SENT))
    assert state(window) is State.REPLY_SENT
    clock.advance(1)
    ok(open_action(window, qtbot, Action.CLOSE))
    assert state(window) is State.CLOSED
    assert offered(window) == {Action.EDIT}  # only corrections after the end
    detail = window.dossier.detail
    assert detail is not None and len(detail.timeline) == 11
    assert window.dossier.timeline.rowCount() == 11
    assert window.dossier.timeline.item(9, 2).text() == "Dossier afgesloten op 19/03/2026"
    # Step 13: the completed report is kept in the dossier at closing.
    (report,) = detail.documents
    assert report.title == "Afgewerkt rapport"
    pdf = PdfReader(io.BytesIO(document_content(report.id)[1]))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "De ophaalronde werd vergeten." in text and "Extra ophaalronde en excuses." in text


def test_inadmissible_complaint(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    cid = svc.register_complaint(ctx, intake(name="", street="", phone="0478 12 34 56"))
    person = open_dossier(qtbot, ctx, settings, cid)
    window = person.window
    assert window is not None
    d = open_action(window, qtbot, Action.DECIDE_ADMISSIBILITY)
    assert isinstance(d, dialogs.AdmissibilityDialog)
    assert d.boxes[Ground.ANONYMOUS].isChecked()  # suggested and pre-marked
    assert "Niet ontvankelijk" in d.verdict.text()
    ok(d)
    assert d.isVisible() and "Motiveer" in d.error.text()
    person.type_into("Motivering", "Zonder naam kunnen we niet antwoorden.", d)
    ok(d)
    assert state(window) is State.INADMISSIBLE
    assert Action.SEND_TO_HANDLER not in offered(window)
    ok(open_action(window, qtbot, Action.ACKNOWLEDGE))
    assert state(window) is State.CLOSED


def test_failed_neutrality_review(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    cid = svc.register_complaint(ctx, intake())
    walk_to_returned(ctx, cid, handlers()[0].id)
    person = open_dossier(qtbot, ctx, settings, cid)
    window = person.window
    assert window is not None
    d = open_action(window, qtbot, Action.REVIEW_NEUTRALITY)
    assert isinstance(d, dialogs.NeutralityDialog)
    person.check("Nee:", d)
    ok(d)
    assert d.isVisible() and "neutraal" in d.error.text()
    person.type_into("Reden", "De klager werd niet gehoord.", d)
    ok(d)
    assert state(window) is State.REINVESTIGATION
    limits = window.dossier.limits
    kinds = [limits.item(r, 0).text() for r in range(limits.rowCount())]
    assert any("heronderzoek" in k for k in kinds)
    assert offered(window) >= {Action.ASSESS, Action.RECORD_RETURNED, Action.WITHDRAW}


def test_withdrawal(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    cid = svc.register_complaint(ctx, intake())
    person = open_dossier(qtbot, ctx, settings, cid)
    window = person.window
    assert window is not None
    d = open_action(window, qtbot, Action.WITHDRAW)
    assert isinstance(d, dialogs.WithdrawDialog)
    person.type_into("Reden", "Klager belde: opgelost.", d)
    ok(d)
    assert state(window) is State.CLOSED
    assert offered(window) == {Action.EDIT}  # only corrections after the end
    assert "afgehandeld" in window.dossier.title.text()


def test_search_and_filters_update_the_list(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    svc.register_complaint(ctx, intake(name="Jan Janssens"))
    svc.register_complaint(
        ctx, intake(name="Els Maes", channel=Channel.EMAIL, email="els@example.be")
    )
    person = open_window(qtbot, ctx, settings)
    window = person.window
    assert window is not None
    assert window.count_label.text() == "2 klachten"
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focus() is window.search
    type_keys("jans")
    qtbot.waitUntil(lambda: window.count_label.text() == "1 klacht")
    assert window.model.data(window.model.index(0, 2)) == "Jan Janssens"
    press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    press(Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: window.count_label.text() == "2 klachten")
    # The channel filter has no label; a person knows it by what it shows: "Alle kanalen".
    person.pick(person.combo_showing("Alle kanalen", window), "e-mail")
    assert window.count_label.text() == "1 klacht"


def test_correcting_a_dossier(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    cid = svc.register_complaint(ctx, intake(name="Marie Peters"))
    person = open_dossier(qtbot, ctx, settings, cid)
    window = person.window
    assert window is not None
    person.click(Action.EDIT.step.button, window.dossier)
    wizard = person.wizard()
    assert wizard.editing == cid
    assert person.field("Naam", QLineEdit, wizard).text() == "Marie Peters"
    person.type_into("Naam", "Marie Peeters", wizard)
    person.next(wizard)
    assert text_of(person.field("Omschrijving", within=wizard)) == intake().description
    while wizard.currentPage() is not wizard.summary:
        person.next(wizard)
    person.finish_intake(wizard)
    assert Complaint.get_by_id(cid).name == "Marie Peeters"
    assert Complaint.select().count() == 1
    assert "Marie Peeters" in window.dossier.title.text()
    detail = window.dossier.detail
    assert detail is not None and detail.timeline[-1].summary == "Gegevens gewijzigd: name"


def test_window_layout_is_remembered(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    person = open_window(qtbot, ctx, settings)
    first = person.window
    assert first is not None
    first.resize(1200, 700)  # what the window manager does when the border is dragged
    # Drag the right border of the Dienst column header (Klager stretches) to 321 pixels.
    header = first.table.horizontalHeader()
    right = header.sectionViewportPosition(4) + header.sectionSize(4) - 1
    middle = header.height() // 2
    person.drag(
        header.viewport(),
        QPoint(right, middle),
        QPoint(right + 321 - header.sectionSize(4), middle),
    )
    assert first.table.columnWidth(4) == 321
    # Drag the handle between the list and the dossier up by 80 pixels.
    before = first.splitter.sizes()
    handle = first.splitter.handle(1)
    centre = handle.rect().center()
    person.drag(handle, centre, centre - QPoint(0, 80))
    sizes = first.splitter.sizes()
    assert sizes != before and sizes[0] < before[0]
    first.close()
    second = MainWindow(ctx, settings)
    qtbot.addWidget(second)
    second.show()
    # Offscreen Qt has no window manager, so only check that the geometry was kept and used.
    assert settings.value("main/geometry") and second.height() == 700
    assert second.table.columnWidth(4) == 321
    assert second.splitter.sizes() == sizes


def test_handler_report_returned_as_a_file(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> None:
    cid = svc.register_complaint(ctx, intake())
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handlers()[0].id)
    svc.record_assessment(ctx, cid, Outcome.UNFOUNDED)
    person = open_dossier(qtbot, ctx, settings, cid)
    window = person.window
    assert window is not None
    d = open_action(window, qtbot, Action.RECORD_RETURNED)
    assert isinstance(d, dialogs.ReturnedDialog)
    ok(d)
    assert d.isVisible() and "bestand van de behandelaar" in d.error.text()
    report = tmp_path / "rapport-2026-0001.pdf"
    report.write_bytes(b"%PDF-1.4 rapport van de behandelaar")
    person.in_file_dialog("Bestand toevoegen…", d, report)
    ok(d)
    assert state(window) is State.REPLY_RETURNED
    detail = window.dossier.detail
    assert detail is not None
    assert [doc.title for doc in detail.documents] == ["Van de behandelaar: rapport-2026-0001.pdf"]
    assert document_content(detail.documents[0].id)[1] == report.read_bytes()
