"""Issue 15: the handler's returned report form, read in through the window.

The coordinator chooses the form from the dossier (or in the step-11 dialog) or drops the
PDF or the e-mail it came with on the window; the answers are shown beside the register's,
and confirming records steps 9-11 at once. A form with problems is shown but cannot be
recorded; a form of another dossier is refused in Dutch; an e-mail without a form is a new
complaint.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QTableWidget
from pytestqt.qtbot import QtBot

from klachtdesk.letters.handler_form_fields import FieldName
from klachtdesk.models import Complaint, Document, Register
from klachtdesk.procedure import Action, Outcome, State
from klachtdesk.procedure.handler_answers import ANSWER_LABELS
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.organisation import handlers
from klachtdesk.ui.returned_form_dialog import ReturnedFormDialog

from ..db.helpers import intake
from ..db.test_handler_form import ANSWERS, as_email, fill, form_of
from .journey import Coordinator, drop_files
from .person import visible_text
from .test_channels import write_eml
from .test_procedure_screens import open_action, open_dossier


def with_handler(ctx: ServiceContext, name: str = "Marleen Peeters") -> int:
    cid = svc.register_complaint(ctx, intake(name=name))
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handlers()[0].id)
    return cid


def filled_form(ctx: ServiceContext, cid: int, folder: Path, **changes: str) -> Path:
    """The handler's form for ``cid``, filled in and saved as a PDF viewer saves it."""
    values = {key: value for key, value in {**ANSWERS, **changes}.items() if value}
    path = folder / f"rapport-{Complaint.get_by_id(cid).reference}-ingevuld.pdf"
    path.write_bytes(fill(form_of(ctx, cid), values))
    return path


def side_by_side_dialog(qtbot: QtBot) -> ReturnedFormDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ReturnedFormDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ReturnedFormDialog)
    return dialog


def rows_of(person: Coordinator, dialog: QDialog) -> dict[str, tuple[str, str]]:
    table = person.the_only(QTableWidget, dialog)
    return {
        table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
        for r in range(table.rowCount())
    }


def test_a_form_chosen_from_the_dossier_is_shown_beside_it_and_records_steps_9_to_11(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> None:
    cid = with_handler(ctx)
    path = filled_form(ctx, cid, tmp_path)
    person = open_dossier(qtbot, ctx, settings, cid)
    window = person.window
    assert window is not None
    person.in_file_dialog("Ingevuld rapport inlezen…", window.dossier, path)
    dialog = side_by_side_dialog(qtbot)
    rows = rows_of(person, dialog)
    assert rows[ANSWER_LABELS["outcome"]] == ("—", Outcome.WELL_FOUNDED.label)
    assert rows[ANSWER_LABELS["summary"]][1].startswith("De ophaalronde sloeg")
    assert not dialog.problems.isVisible()
    person.click("Stappen 9–11 noteren", dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    row = Complaint.get_by_id(cid)
    assert row.state is State.REPLY_RETURNED and row.outcome is Outcome.WELL_FOUNDED
    assert row.solution == "Extra ophaling deze week; de route is aangepast."
    assert "rapport terug" in person.state_text()
    person.tab("Documenten", window.dossier)
    assert person.sees_item("Ingevuld rapport van de behandelaar", window.dossier)
    kept = Document.select().where(Document.complaint == cid, Document.filename == path.name)
    assert kept.get().content == path.read_bytes()


def test_a_dropped_email_with_the_form_opens_it_and_one_without_is_a_new_complaint(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> None:
    cid = with_handler(ctx)
    form = filled_form(ctx, cid, tmp_path)
    eml = tmp_path / "antwoord-behandelaar.eml"
    eml.write_bytes(as_email(form.read_bytes()))
    person = open_dossier(qtbot, ctx, settings, cid)
    assert person.window is not None
    drop_files(person.window, [eml])
    dialog = side_by_side_dialog(qtbot)
    assert dialog.windowTitle().endswith(Complaint.get_by_id(cid).reference)
    person.click("Annuleren", dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert Complaint.get_by_id(cid).state is State.WITH_HANDLER  # nothing recorded

    drop_files(person.window, [write_eml(tmp_path)])
    wizard = person.wizard()
    assert wizard.windowTitle().startswith("Nieuwe klacht per e-mail")
    person.answer_message(QMessageBox.StandardButton.Yes)  # "stop this intake?"
    person.click("Annuleren", wizard)
    qtbot.waitUntil(lambda: not wizard.isVisible())


def test_an_incomplete_form_is_pointed_out_and_cannot_be_recorded(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> None:
    cid = with_handler(ctx)
    path = filled_form(ctx, cid, tmp_path, **{str(FieldName.SOLUTION): ""})
    person = open_dossier(qtbot, ctx, settings, cid)
    assert person.window is not None
    drop_files(person.window, [path])
    dialog = side_by_side_dialog(qtbot)
    assert dialog.problems.isVisible()
    shown = visible_text(dialog.problems.text())
    assert "er wordt niets genoteerd" in shown and "oplossing" in shown.lower()
    assert not person.button("Stappen 9–11 noteren", dialog).isEnabled()
    person.click("Annuleren", dialog)
    assert Complaint.get_by_id(cid).state is State.WITH_HANDLER


def test_a_form_with_a_huge_answer_still_shows_every_row(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> None:
    cid = with_handler(ctx)
    huge = "Een zeer lange samenvatting. " * 3500  # ~100,000 characters, as pasted by a handler
    path = filled_form(ctx, cid, tmp_path, **{str(FieldName.SUMMARY): huge})
    person = open_dossier(qtbot, ctx, settings, cid)
    assert person.window is not None
    person.in_file_dialog("Ingevuld rapport inlezen…", person.window.dossier, path)
    dialog = side_by_side_dialog(qtbot)
    assert "te lang" in visible_text(dialog.problems.text())
    table = person.the_only(QTableWidget, dialog)
    shown = rows_of(person, dialog)[ANSWER_LABELS["summary"]][1]
    assert shown.startswith("Een zeer lange")
    assert shown.endswith("tekens, niet getoond; zie het formulier)")
    assert len(shown) < 2000
    # Every row fits in the table: the coordinator sees the other answers and the problem.
    for row in range(table.rowCount()):
        assert table.rowHeight(row) < table.viewport().height()
    person.click("Annuleren", dialog)
    assert Complaint.get_by_id(cid).state is State.WITH_HANDLER


def test_in_the_step_11_dialog_a_form_of_another_dossier_is_refused_and_its_own_recorded(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> None:
    other = with_handler(ctx, "Jan Janssens")
    cid = with_handler(ctx)
    svc.record_assessment(ctx, cid, Outcome.UNFOUNDED)
    other_form = filled_form(ctx, other, tmp_path)
    own_form = filled_form(ctx, cid, tmp_path)
    person = open_dossier(qtbot, ctx, settings, cid)
    window = person.window
    assert window is not None
    step = open_action(window, qtbot, Action.RECORD_RETURNED)
    person.in_file_dialog("Ingevuld formulier inlezen…", step, other_form)
    qtbot.waitUntil(step.error.isVisible)  # type: ignore[attr-defined]
    refusal = visible_text(step.error.text())  # type: ignore[attr-defined]
    assert f"hoort bij dossier {Complaint.get_by_id(other).reference}" in refusal

    person.in_file_dialog("Ingevuld formulier inlezen…", step, own_form)
    dialog = side_by_side_dialog(qtbot)
    assert rows_of(person, dialog)[ANSWER_LABELS["outcome"]] == (
        Outcome.UNFOUNDED.label,
        Outcome.WELL_FOUNDED.label,
    )
    person.click("Stappen 9–11 noteren", dialog)
    qtbot.waitUntil(lambda: not step.isVisible())
    row = Complaint.get_by_id(cid)
    assert row.state is State.REPLY_RETURNED and row.outcome is Outcome.WELL_FOUNDED
    assert Complaint.get_by_id(other).state is State.WITH_HANDLER


def test_the_dossier_buttons_of_step_11_fit_a_laptop_screen(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    # Step 11 offers eight buttons beside "Verbeteractie…" and "Meer" (nine with the
    # extension): on one line they made the main window wider than a 1366-pixel screen.
    cid = with_handler(ctx)
    svc.record_assessment(ctx, cid, Outcome.UNFOUNDED)
    person = open_dossier(qtbot, ctx, settings, cid)
    window = person.window
    assert window is not None
    window.resize(1280, 800)
    qtbot.wait(50)
    assert window.width() <= 1280
    for text in ("Rapport en motiverende brief ontvangen…", "Ingevuld rapport inlezen…", "Meer"):
        button = person.button(text, window.dossier)
        assert button.isVisible()
        right = button.mapTo(window, button.rect().bottomRight()).x()
        assert right <= window.width(), text
