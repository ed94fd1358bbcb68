"""Issue 15 through the windows: the head of department (Settings, step 8's copy, the report
e-mail's Cc on a real local SMTP server, step 11's question) and linked dossiers (from the
admissibility dialog and from the dossier view, both ways, each opened from the other)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from klachtdesk.models import Complaint, Department, Handler, Register
from klachtdesk.procedure import Action, Outcome, State
from klachtdesk.procedure.dates import short_date
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.links import links_of
from klachtdesk.services.mail import SmtpSettings, save_smtp_settings
from klachtdesk.services.organisation import HandlerData, rename_department, save_handler
from klachtdesk.ui.main_window import MainWindow
from klachtdesk.ui.settings_dialog import SettingsDialog

from ..db.helpers import intake
from ..smtp import PASSWORD, USER, Inbox
from .journey import Coordinator
from .person import visible_text
from .test_accessibility import problems_of


def at_main_window(
    qtbot: QtBot, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> Coordinator:
    person = Coordinator(qtbot, tmp_path)
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    person.activate(window)
    person.window = window
    return person


def milieu() -> Department:
    return Department.get(Department.name == "Milieu en afval")


def with_head(ctx: ServiceContext) -> None:
    """Jan Peeters heads Milieu en afval; Inge Claes (the register's handler) works there."""
    rename_department(
        ctx, milieu().id, "Milieu en afval", True, head_name="Jan Peeters",
        head_email="jan.peeters@herent.example",
    )  # fmt: skip


def data_text(person: Coordinator) -> str:
    assert person.window is not None
    return visible_text(person.window.dossier.data.text())


# -- the head of department -------------------------------------------------------------


def test_the_head_is_typed_in_on_the_departments_tab(
    qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    d = SettingsDialog(ctx)
    qtbot.addWidget(d)
    d.show()
    person = Coordinator(qtbot, Path())
    person.activate(d)
    person.tab("Diensten", d)
    person.list_item("Milieu en afval", d)
    assert not problems_of(d)
    person.type_into("Diensthoofd", "Jan Peeters", d)
    person.type_into("E-mail diensthoofd", "jan.peeters@herent", d)
    person.click("Wijzigen", d)
    assert person.sees("E-mail van het diensthoofd", d)
    assert milieu().head_name == ""
    person.type_into("E-mail diensthoofd", "jan.peeters@herent.example", d)
    person.click("Wijzigen", d)
    assert (milieu().head_name, milieu().head_email) == (
        "Jan Peeters",
        "jan.peeters@herent.example",
    )
    # A new department with its head; choosing a department shows its head.
    person.type_in(person.field_with_placeholder("Naam van de dienst", within=d), "Wegen")
    person.type_into("Diensthoofd", "An Wouters", d)
    person.type_into("E-mail diensthoofd", "", d)
    person.click("Toevoegen", d)
    assert Department.get(Department.name == "Wegen").head_name == "An Wouters"
    person.list_item("Milieu en afval", d)
    field = person.field("Diensthoofd", QLineEdit, d)
    assert field.text() == "Jan Peeters"


def test_step_8_names_the_copy_and_the_report_mail_has_the_head_in_cc(
    qtbot: QtBot,
    register: Register,
    ctx: ServiceContext,
    settings: QSettings,
    smtp_server: tuple[Inbox, int],
    tmp_path: Path,
) -> None:
    inbox, port = smtp_server
    save_smtp_settings(
        ctx, SmtpSettings("127.0.0.1", port, "none", USER, PASSWORD, "klachten@herent.example")
    )
    with_head(ctx)
    cid = svc.register_complaint(ctx, intake())
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    person = at_main_window(qtbot, ctx, settings, tmp_path)
    person.list_row(Complaint.get_by_id(cid).reference)
    dialog = person.step(Action.SEND_TO_HANDLER.step.button)
    assert person.sees(
        "Jan Peeters, diensthoofd van Milieu en afval (jan.peeters@herent.example)", dialog
    )
    person.ok(dialog)
    assert person.window is not None
    person.tab("Documenten", person.window.dossier)
    person.menu_button("Document maken", "Rapport voor de behandelaar", person.window.dossier)
    preview = person.preview()
    with qtbot.waitSignal(preview.delivered, timeout=10_000):
        person.click("E-mailen", preview)
    ((envelope, message),) = inbox.messages
    assert sorted(envelope.rcpt_tos) == ["inge.claes@herent.example", "jan.peeters@herent.example"]
    assert "inge.claes@herent.example" in message["To"]
    assert str(message["Cc"]) == "Jan Peeters <jan.peeters@herent.example>"
    body = " ".join(message.get_body().get_content().split())  # type: ignore[union-attr]
    assert "Jan Peeters, diensthoofd van Milieu en afval, krijgt een kopie" in body


def assessed(ctx: ServiceContext, handler_id: int, name: str) -> int:
    cid = svc.register_complaint(ctx, intake(name=name, phone=""))
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handler_id)
    svc.record_assessment(ctx, cid, Outcome.UNFOUNDED)
    return cid


def test_step_11_asks_about_the_head_only_when_the_handler_is_someone_else(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> None:
    with_head(ctx)
    inge = Handler.get(Handler.name == "Inge Claes").id
    jan = save_handler(
        ctx, HandlerData("Jan Peeters", "jan.peeters@herent.example", "", milieu().id)
    )
    to_inge = assessed(ctx, inge, "Marie Peeters")
    to_head = assessed(ctx, jan, "Piet Janssens")
    question = "Werd het diensthoofd (Jan Peeters) op de hoogte gebracht?"
    person = at_main_window(qtbot, ctx, settings, tmp_path)

    person.list_row(Complaint.get_by_id(to_inge).reference)
    dialog = person.step(Action.RECORD_RETURNED.step.button)
    assert person.sees(question, dialog)
    assert not problems_of(dialog)
    person.type_into("Motiverende brief", "Geachte mevrouw, ...", dialog)
    person.click("OK", dialog)
    assert dialog.isVisible() and person.sees("Duid aan of het diensthoofd", dialog)
    person.check("Nee", dialog)
    person.ok(dialog)
    assert Complaint.get_by_id(to_inge).head_informed is False
    assert re.search(r"Diensthoofd op de hoogte\s*nee", data_text(person))

    person.list_row(Complaint.get_by_id(to_head).reference)
    dialog = person.step(Action.RECORD_RETURNED.step.button)
    assert not person.sees("diensthoofd", dialog)
    person.type_into("Motiverende brief", "Geachte meneer, ...", dialog)
    person.ok(dialog)
    row = Complaint.get_by_id(to_head)
    assert row.state is State.REPLY_RETURNED and row.head_informed is None
    assert "Diensthoofd" not in data_text(person)


# -- linked dossiers ------------------------------------------------------------------------


def test_linking_in_the_admissibility_dialog_shows_both_ways_and_opens_the_other(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> None:
    first = svc.register_complaint(ctx, intake())
    second = svc.register_complaint(ctx, intake())  # the same person calls again
    ref1, ref2 = (Complaint.get_by_id(c).reference for c in (first, second))
    person = at_main_window(qtbot, ctx, settings, tmp_path)
    person.list_row(ref2)
    dialog = person.step(Action.DECIDE_ADMISSIBILITY.step.button)
    box = f"Koppelen aan {ref1} (ontvangen op {short_date(intake().received_on)})"
    assert not person.button(box, dialog).isChecked()  # the coordinator decides
    assert not problems_of(dialog)
    person.check(box, dialog)
    person.click("Annuleren", dialog)  # cancelled: nothing linked
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert links_of(second).earlier == []
    dialog = person.step(Action.DECIDE_ADMISSIBILITY.step.button)
    person.check(box, dialog)
    person.type_into("Motivering", f"Dezelfde feiten als in {ref1}.", dialog)
    person.ok(dialog)
    assert [d.id for d in links_of(second).earlier] == [first]
    assert Complaint.get_by_id(second).admissible is False  # the suggested ground stayed
    assert person.window is not None
    view = person.window.dossier
    person.tab("Koppelingen (1)", view)
    assert person.sees_item(f"{ref1} – ontvangen op", view)
    person.list_item(ref1, view, double=True)
    qtbot.waitUntil(lambda: person.dossier_reference() == ref1)
    person.tab("Koppelingen (1)", view)
    assert person.sees_item(f"{ref2} – ontvangen op", view)
    person.list_item(ref2, view)
    person.click("Gekoppeld dossier tonen", view)
    qtbot.waitUntil(lambda: person.dossier_reference() == ref2)


def test_linking_by_reference_and_unlinking_in_the_dossier_view(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> None:
    first = svc.register_complaint(ctx, intake())
    other = svc.register_complaint(ctx, intake(name="Piet Janssens", phone="", street=""))
    ref1, ref2 = (Complaint.get_by_id(c).reference for c in (first, other))
    person = at_main_window(qtbot, ctx, settings, tmp_path)
    assert person.window is not None
    view = person.window.dossier
    person.list_row(ref2)
    person.tab("Koppelingen", view)
    assert not problems_of(person.window)
    field = "Koppelen aan eerder dossier (referentie)"
    person.type_into(field, "2025-9999", view)
    person.click("Koppelen", view)
    assert person.sees("Er is geen dossier met referentienummer ‘2025-9999’", view)
    person.type_into(field, ref1, view)
    person.click("Koppelen", view)
    qtbot.waitUntil(lambda: person.sees_item(f"{ref1} – ontvangen op", view))
    assert [d.id for d in links_of(other).earlier] == [first]
    # The earlier dossier cannot be linked to the later one.
    person.list_row(ref1)
    person.tab("Koppelingen (1)", view)
    person.type_into(field, ref2, view)
    person.click("Koppelen", view)
    assert person.sees("is niet ouder dan", view)
    # Removed from the earlier dossier's side, after a question.
    person.list_item(ref2, view)
    seen = person.answer_message(QMessageBox.StandardButton.Yes)
    person.click("Koppeling verwijderen…", view)
    qtbot.waitUntil(lambda: not person.sees_item(f"{ref2} – ontvangen op", view))
    assert seen and ref1 in seen[0] and ref2 in seen[0]
    assert links_of(first).later == [] and links_of(other).earlier == []
