"""The coordinator at work: intake by keyboard, then every step of the procedure in the window."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget, QWizard
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
from .person import Person
from .test_safety import answer_message_box


@pytest.fixture
def window(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> Iterator[MainWindow]:
    win = MainWindow(ctx, settings)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    assert QTest.qWaitForWindowActive(win)
    yield win
    if win.current_dialog is not None:
        win.current_dialog.done(0)


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
    wizard.complaint.description.setPlainText("Een lange klacht. " * 1100)  # ~20,000 chars
    qtbot.waitUntil(lambda: not wizard.draft_timer.isActive())  # the draft is saved first
    audit_before = AuditEvent.select().count()
    # A real SQLITE_FULL: the register may not grow by a single page.
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages}")
    seen = answer_message_box(QMessageBox.StandardButton.Ok)
    # Posted, so the event loop delivers it as it does a real key press (an error in the
    # handler then reaches sys.excepthook instead of this test's frame).
    enter = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    QApplication.postEvent(focus(), enter)
    qtbot.waitUntil(lambda: bool(seen))
    assert "De schijf is vol" in seen[0] and "helemaal of helemaal niet" in seen[0]
    assert Complaint.select().count() == 0 and AuditEvent.select().count() == audit_before
    assert wizard.isVisible() and "Marie Peeters" in wizard.summary.summary.text()
    # Space again: the same wizard registers the complaint.
    database.execute_sql("PRAGMA max_page_count = 1073741823")
    with qtbot.waitSignal(wizard.registered):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert Complaint.get().name == "Marie Peeters"
    assert verify_audit_chain().ok


def test_bad_phone_number_is_explained_inline(window: MainWindow, qtbot: QtBot) -> None:
    window.new_phone_intake()
    wizard = window.current_dialog
    assert isinstance(wizard, IntakeWizard)
    qtbot.waitUntil(lambda: focus() is wizard.person.name)
    wizard.person.phone.setText("0478 12")
    wizard.person.phone.setFocus()
    press(Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.person
    assert "geen geldig telefoonnummer" in wizard.person.errors.text()
    assert wizard.person.errors.isVisible()


def test_hint_for_an_earlier_complaint_and_for_anonymous(
    window: MainWindow, qtbot: QtBot, ctx: ServiceContext
) -> None:
    earlier = svc.register_complaint(ctx, intake(phone="+32 478 12 34 56"))
    window.new_phone_intake()
    wizard = window.current_dialog
    assert isinstance(wizard, IntakeWizard)
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


def open_action(window: MainWindow, qtbot: QtBot, action: Action) -> dialogs.ActionDialog:
    button = window.dossier.action_button(action)
    assert button is not None, f"{action} not offered"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.current_dialog
    assert isinstance(dialog, dialogs.ActionDialog) and dialog.isVisible()
    return dialog


def ok(dialog: dialogs.ActionDialog) -> None:
    dialog.ok_button.click()


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
    assert "per brief" in d.how.text()  # a phone complaint is answered by letter
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
    d.contacts.setPlainText("Diensthoofd gebeld op 5 maart.")
    d.summary.setPlainText("De ophaalronde werd vergeten.")
    ok(d)

    d = open_action(window, qtbot, Action.ASSESS)
    assert isinstance(d, dialogs.AssessmentDialog)
    d.outcome_buttons[Outcome.WELL_FOUNDED].setChecked(True)
    ok(d)  # no solution: refused, dialog stays open with the reason
    assert d.isVisible() and "oplossing" in d.error.text()
    d.solution.setPlainText("Extra ophaalronde en excuses.")
    ok(d)
    assert not d.isVisible() and state(window) is State.ASSESSED

    clock.advance(10)
    d = open_action(window, qtbot, Action.RECORD_RETURNED)
    assert isinstance(d, dialogs.ReturnedDialog)
    d.report.setPlainText("Rapport aangevuld.")
    d.reply.setPlainText("Geachte mevrouw Peeters, ...")
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


def test_inadmissible_complaint(window: MainWindow, qtbot: QtBot, ctx: ServiceContext) -> None:
    cid = svc.register_complaint(ctx, intake(name="", street="", phone="0478 12 34 56"))
    window.apply_filter()
    assert window.select_complaint(cid)
    d = open_action(window, qtbot, Action.DECIDE_ADMISSIBILITY)
    assert isinstance(d, dialogs.AdmissibilityDialog)
    assert d.boxes[Ground.ANONYMOUS].isChecked()  # suggested and pre-marked
    assert "Niet ontvankelijk" in d.verdict.text()
    ok(d)
    assert d.isVisible() and "Motiveer" in d.error.text()
    d.motivation.setPlainText("Zonder naam kunnen we niet antwoorden.")
    ok(d)
    assert state(window) is State.INADMISSIBLE
    assert Action.SEND_TO_HANDLER not in offered(window)
    ok(open_action(window, qtbot, Action.ACKNOWLEDGE))
    assert state(window) is State.CLOSED


def test_failed_neutrality_review(window: MainWindow, qtbot: QtBot, ctx: ServiceContext) -> None:
    cid = svc.register_complaint(ctx, intake())
    walk_to_returned(ctx, cid, handlers()[0].id)
    window.apply_filter()
    assert window.select_complaint(cid)
    d = open_action(window, qtbot, Action.REVIEW_NEUTRALITY)
    assert isinstance(d, dialogs.NeutralityDialog)
    d.not_neutral.setChecked(True)
    ok(d)
    assert d.isVisible() and "neutraal" in d.error.text()
    d.reason.setPlainText("De klager werd niet gehoord.")
    ok(d)
    assert state(window) is State.REINVESTIGATION
    limits = window.dossier.limits
    kinds = [limits.item(r, 0).text() for r in range(limits.rowCount())]
    assert any("heronderzoek" in k for k in kinds)
    assert offered(window) >= {Action.ASSESS, Action.RECORD_RETURNED, Action.WITHDRAW}


def test_withdrawal(window: MainWindow, qtbot: QtBot, ctx: ServiceContext) -> None:
    cid = svc.register_complaint(ctx, intake())
    window.apply_filter()
    assert window.select_complaint(cid)
    d = open_action(window, qtbot, Action.WITHDRAW)
    assert isinstance(d, dialogs.WithdrawDialog)
    d.reason.setPlainText("Klager belde: opgelost.")
    ok(d)
    assert state(window) is State.CLOSED
    assert offered(window) == {Action.EDIT}  # only corrections after the end
    assert "afgehandeld" in window.dossier.title.text()


def test_search_and_filters_update_the_list(
    window: MainWindow, qtbot: QtBot, ctx: ServiceContext
) -> None:
    svc.register_complaint(ctx, intake(name="Jan Janssens"))
    svc.register_complaint(
        ctx, intake(name="Els Maes", channel=Channel.EMAIL, email="els@example.be")
    )
    window.apply_filter()
    assert window.count_label.text() == "2 klachten"
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focus() is window.search
    type_keys("jans")
    qtbot.waitUntil(lambda: window.count_label.text() == "1 klacht")
    assert window.model.data(window.model.index(0, 2)) == "Jan Janssens"
    window.search.clear()
    qtbot.waitUntil(lambda: window.count_label.text() == "2 klachten")
    Person(qtbot).pick(window.channel_filter, "e-mail")
    assert window.count_label.text() == "1 klacht"


def test_correcting_a_dossier(window: MainWindow, qtbot: QtBot, ctx: ServiceContext) -> None:
    cid = svc.register_complaint(ctx, intake(name="Marie Peters"))
    window.apply_filter()
    assert window.select_complaint(cid)
    button = window.dossier.action_button(Action.EDIT)
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wizard = window.current_dialog
    assert isinstance(wizard, IntakeWizard) and wizard.editing == cid
    assert wizard.person.name.text() == "Marie Peters"
    assert wizard.complaint.description.toPlainText() == intake().description
    wizard.person.name.setText("Marie Peeters")
    while wizard.currentPage() is not wizard.summary:
        wizard.next()
    with qtbot.waitSignal(wizard.registered):
        wizard.button(IntakeWizard.WizardButton.FinishButton).click()
    assert Complaint.get_by_id(cid).name == "Marie Peeters"
    assert Complaint.select().count() == 1
    assert "Marie Peeters" in window.dossier.title.text()
    detail = window.dossier.detail
    assert detail is not None and detail.timeline[-1].summary == "Gegevens gewijzigd: name"


def test_window_layout_is_remembered(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    first = MainWindow(ctx, settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(1200, 700)
    first.table.setColumnWidth(4, 321)  # Dienst (Klager stretches)
    first.splitter.setSizes([500, 200])
    sizes = first.splitter.sizes()
    first.close()
    second = MainWindow(ctx, settings)
    qtbot.addWidget(second)
    second.show()
    # Offscreen Qt has no window manager, so only check that the geometry was kept and used.
    assert settings.value("main/geometry") and second.height() == 700
    assert second.table.columnWidth(4) == 321
    assert second.splitter.sizes() == sizes


def test_handler_report_returned_as_a_file(
    window: MainWindow, qtbot: QtBot, ctx: ServiceContext, tmp_path: Path
) -> None:
    cid = svc.register_complaint(ctx, intake())
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handlers()[0].id)
    svc.record_assessment(ctx, cid, Outcome.UNFOUNDED)
    window.apply_filter()
    assert window.select_complaint(cid)
    d = open_action(window, qtbot, Action.RECORD_RETURNED)
    assert isinstance(d, dialogs.ReturnedDialog)
    ok(d)
    assert d.isVisible() and "bestand van de behandelaar" in d.error.text()
    report = tmp_path / "rapport-2026-0001.pdf"
    report.write_bytes(b"%PDF-1.4 rapport van de behandelaar")
    d.add_paths([report])
    ok(d)
    assert state(window) is State.REPLY_RETURNED
    detail = window.dossier.detail
    assert detail is not None
    assert [doc.title for doc in detail.documents] == ["Van de behandelaar: rapport-2026-0001.pdf"]
    assert document_content(detail.documents[0].id)[1] == report.read_bytes()
