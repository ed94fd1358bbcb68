"""Keyboard and screen readers, for every window klachtdesk has.

Two rules, checked on what is on screen at once (each wizard page, each tab):

- every mnemonic (the underlined Alt+letter of a label, button, group box, tab or menu title,
  including the wizard's own buttons) is unique, so Alt+letter always reaches one thing;
- every input widget says what it is: a visible label has it as buddy, or it has an accessible
  name (check boxes and radio buttons are labelled by their own text).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QPlainTextEdit,
    QRadioButton,
    QTableView,
    QTabWidget,
    QTextEdit,
    QTreeView,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from klachtdesk.models import Register
from klachtdesk.procedure import Action, Channel, State, UserError
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.correspondence import documents_for
from klachtdesk.services.dossier_detail import complaint_detail
from klachtdesk.services.organisation import handlers
from klachtdesk.ui.action_dialogs import DIALOGS, dialog_for
from klachtdesk.ui.change_passphrase_dialog import ChangePassphraseDialog
from klachtdesk.ui.intake_wizard import IntakeWizard
from klachtdesk.ui.letter_preview_dialog import document_preview
from klachtdesk.ui.main_window import MainWindow
from klachtdesk.ui.recover_dialog import RecoverDialog
from klachtdesk.ui.recovery_key_dialog import RecoveryKeyDialog
from klachtdesk.ui.settings_dialog import SettingsDialog
from klachtdesk.ui.setup_wizard import SetupWizard
from klachtdesk.ui.unlock_dialog import UnlockDialog

from ..conftest import FakeClock
from .person import Person, text_of, visible_text
from .test_crawler import dossier_in

INPUTS = (
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QListView,
    QTableView,
    QTreeView,
)


def mnemonic(text: str) -> str | None:
    """The Alt+letter a text gives (Qt: the character after the first single '&')."""
    match = re.search(r"&(.)", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def shown(root: QWidget, kind: type[QWidget]) -> list[QWidget]:
    """The widgets of ``kind`` a person sees in ``root``'s window now."""
    return [
        w for w in root.findChildren(kind) if w.isVisibleTo(root) and w.window() is root.window()
    ]


def is_plain(label: QLabel) -> bool:
    if label.textFormat() == Qt.TextFormat.PlainText:
        return True
    return label.textFormat() == Qt.TextFormat.AutoText and not re.search(r"<[^>]+>", label.text())


def where(window: QWidget) -> str:
    if isinstance(window, QWizard) and window.currentPage() is not None:
        return f"{window.windowTitle()!r}, page {window.currentPage().title()!r}"
    tabs = [t for t in shown(window, QTabWidget)]
    if tabs:
        titles = ", ".join(visible_text(t.tabText(t.currentIndex())) for t in tabs)
        return f"{window.windowTitle()!r}, tab {titles}"
    return repr(window.windowTitle())


def mnemonic_problems(window: QWidget) -> list[str]:
    """Mnemonics that clash, and label mnemonics that lead nowhere (no buddy)."""
    owners: dict[str, list[str]] = defaultdict(list)
    problems = []
    for label in shown(window, QLabel):
        assert isinstance(label, QLabel)
        letter = mnemonic(label.text()) if is_plain(label) else None
        if letter is None:
            continue
        if label.buddy() is None:
            problems.append(f"label {label.text()!r} has a mnemonic but no buddy")
        owners[letter].append(f"label {label.text()!r}")
    for button in shown(window, QAbstractButton):
        assert isinstance(button, QAbstractButton)
        if (letter := mnemonic(button.text())) is not None:
            owners[letter].append(f"button {button.text()!r}")
    for box in shown(window, QGroupBox):
        assert isinstance(box, QGroupBox)
        if (letter := mnemonic(box.title())) is not None:
            owners[letter].append(f"group {box.title()!r}")
    for tabs in shown(window, QTabWidget):
        assert isinstance(tabs, QTabWidget)
        for index in range(tabs.count()):
            if tabs.isTabVisible(index) and (letter := mnemonic(tabs.tabText(index))):
                owners[letter].append(f"tab {tabs.tabText(index)!r}")
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            if action.isVisible() and (letter := mnemonic(action.text())):
                owners[letter].append(f"menu {action.text()!r}")
    for letter, texts in sorted(owners.items()):
        if len(texts) > 1:
            problems.append(f"Alt+{letter.upper()} for " + ", ".join(texts))
    return problems


def unnamed_inputs(window: QWidget) -> list[str]:
    """Inputs a screen reader cannot name: no label points at them, no accessible name."""
    buddies = {
        id(label.buddy())
        for label in shown(window, QLabel)
        if isinstance(label, QLabel) and label.buddy() is not None and visible_text(label.text())
    }
    problems = []
    for widget in shown(window, QWidget):
        if isinstance(widget, QCheckBox | QRadioButton):
            if not (visible_text(widget.text()) or widget.accessibleName()):
                problems.append(f"{type(widget).__name__} without text")
            continue
        if not isinstance(widget, INPUTS):
            continue
        parent = widget.parentWidget()
        if isinstance(parent, QAbstractSpinBox | QComboBox):
            continue  # the line edit inside a spin box, date field or combo box
        if id(widget) in buddies or widget.accessibleName().strip():
            continue
        hint = widget.placeholderText() if isinstance(widget, QLineEdit | QPlainTextEdit) else ""
        problems.append(f"{type(widget).__name__} {widget.objectName() or hint or '(no text)'}")
    return problems


def problems_of(window: QWidget) -> list[str]:
    QTest.qWait(10)
    found = mnemonic_problems(window) + [f"unnamed {p}" for p in unnamed_inputs(window)]
    return [f"{where(window)}: {p}" for p in dict.fromkeys(found)]


def show(qtbot: QtBot, window: QWidget) -> None:
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isVisible)


def each_tab(person: Person, window: QWidget) -> list[str]:
    """The problems on every tab of every tab widget of ``window``, each tab in turn."""
    problems: list[str] = []
    for tabs in shown(window, QTabWidget):
        assert isinstance(tabs, QTabWidget)
        for index in range(tabs.count()):
            person.tab(visible_text(tabs.tabText(index)), window)
            problems += problems_of(window)
    return problems


# -- the main window -----------------------------------------------------------------------


@pytest.mark.parametrize("state", list(State), ids=lambda s: s.value)
def test_main_window_mnemonics_unique_and_inputs_named(
    state: State, qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    cid = dossier_in(ctx, state, handlers()[0].id, 1)
    window = MainWindow(ctx, settings)
    show(qtbot, window)
    problems = problems_of(window)  # no dossier chosen yet
    assert window.select_complaint(cid) or window.dossier.detail is not None
    problems += each_tab(Person(qtbot), window)
    assert not problems, "\n".join(problems)


def test_today_dialog_mnemonics_unique_and_inputs_named(
    qtbot: QtBot,
    register: Register,
    ctx: ServiceContext,
    clock: FakeClock,
    settings: QSettings,
) -> None:
    dossier_in(ctx, State.REGISTERED, handlers()[0].id, 1)
    clock.advance(days=60)  # every limit of that dossier long past
    window = MainWindow(ctx, settings)
    show(qtbot, window)
    person = Person(qtbot)
    problems = []
    for _ in range(2):
        person.click("Vandaag…", window)
        dialog = window.current_dialog
        assert dialog is not None and dialog.windowTitle() == "Vandaag"
        qtbot.waitUntil(dialog.isVisible)
        problems += problems_of(dialog)
        dialog.reject()
        clock.advance(days=-60)  # the second time, nothing is due
    assert not problems, "\n".join(problems)


def test_today_dialog_with_reminders_to_draft_mnemonics_unique_and_inputs_named(
    qtbot: QtBot,
    register: Register,
    ctx: ServiceContext,
    clock: FakeClock,
    settings: QSettings,
) -> None:
    from klachtdesk.procedure.reminders import ReminderSettings
    from klachtdesk.services.reminders import set_reminder_settings

    set_reminder_settings(ctx, ReminderSettings(True, 5, True))
    dossier_in(ctx, State.WITH_HANDLER, handlers()[0].id, 1)
    clock.advance(days=35)  # the handler's limit exceeded, no mail server: drafts
    window = MainWindow(ctx, settings)
    show(qtbot, window)
    Person(qtbot).click("Vandaag…", window)
    dialog = window.current_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert Person(qtbot).button("Concept 2026-0001…", dialog).isVisible()
    problems = problems_of(dialog)
    dialog.reject()
    assert not problems, "\n".join(problems)


# -- the wizards ---------------------------------------------------------------------------


def next_page(person: Person, wizard: QWizard) -> None:
    before = wizard.currentId()
    person.click("Volgende >", wizard)
    assert wizard.currentId() != before, f"{wizard.currentPage().title()!r} refused"


@pytest.mark.parametrize("channel", [Channel.PHONE, Channel.EMAIL], ids=lambda c: c.value)
def test_intake_wizard_every_page_mnemonics_unique_and_inputs_named(
    channel: Channel, qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    wizard = IntakeWizard(ctx, channel)
    show(qtbot, wizard)
    person = Person(qtbot)
    titles = [wizard.currentPage().title()]
    problems = problems_of(wizard)
    try:
        person.type_into("Naam", "Marleen De Smet", wizard)
        person.type_into("E-mail", "marleen.desmet@example.be", wizard)
        next_page(person, wizard)
        person.type_into("Omschrijving", "De container werd niet geledigd.", wizard)
        person.check("Datum van de feiten gekend", wizard)
        while True:
            titles.append(wizard.currentPage().title())
            problems += problems_of(wizard)
            if wizard.currentPage() is wizard.summary:
                break
            next_page(person, wizard)
    finally:
        # Leave as a person does: Annuleren, and yes, the complaint is not to be registered.
        person.when_modal(lambda box: person.click("Ja", box))
        person.click("Annuleren", wizard)
        qtbot.waitUntil(lambda: not wizard.isVisible())
    expected = ["Wie klaagt?", "Wat is er gebeurd?", "Ontvangst"]
    if channel is not Channel.PHONE:
        expected.append("Het origineel")
    assert titles == [*expected, "Samenvatting"]
    assert not problems, "\n".join(problems)


def test_setup_wizard_every_page_mnemonics_unique_and_inputs_named(
    qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = SetupWizard(tmp_path / "nieuw")
    show(qtbot, wizard)
    person = Person(qtbot)
    problems = problems_of(wizard)
    for label, text in (("Naam", "Gemeente Herent"), ("Straat", "Markt 1")):
        person.type_into(label, text, wizard)
    person.type_into("Postcode", "3020", wizard)
    person.type_into("Gemeente", "Herent", wizard)
    next_page(person, wizard)
    problems += problems_of(wizard)
    person.type_into("Naam", "Ann Coördinator", wizard)
    person.type_into("E-mail", "klachten@herent.example", wizard)
    next_page(person, wizard)
    problems += problems_of(wizard)
    person.type_into("Wachtwoord", "correct paard batterij nietje", wizard)
    person.type_into("Nog eens", "correct paard batterij nietje", wizard)
    next_page(person, wizard)
    assert wizard.currentPage() is wizard.recovery
    problems += problems_of(wizard)
    key = text_of(person.field("Herstelsleutel", QLineEdit, wizard))
    person.type_into("Laatste groep", key.split()[-1], wizard)
    next_page(person, wizard)
    assert wizard.currentPage() is wizard.organisation
    problems += problems_of(wizard)
    assert not problems, "\n".join(problems)


def test_import_wizard_every_page_mnemonics_unique_and_inputs_named(
    qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from klachtdesk.ui.import_wizard import ImportWizard
    from tests.data.messy_register import XLSX

    wizard = ImportWizard(ctx)
    show(qtbot, wizard)
    person = Person(qtbot)
    problems = problems_of(wizard)
    person.type_into("Bestand", str(XLSX), wizard)
    next_page(person, wizard)
    problems += problems_of(wizard)
    next_page(person, wizard)
    problems += problems_of(wizard)
    answered: list[QWidget] = []

    def yes(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        answered.append(box)
        QTest.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)

    person.when_modal(yes, QMessageBox)
    person.click("Importeren", wizard)
    qtbot.waitUntil(lambda: wizard.currentPage().title() == "Geïmporteerd")
    problems += problems_of(wizard)
    assert answered
    assert not problems, "\n".join(problems)


# -- dialogs -------------------------------------------------------------------------------


@pytest.mark.parametrize("relock", [False, True], ids=["openen", "vergrendeld"])
def test_unlock_dialog_mnemonics_unique_and_inputs_named(
    relock: bool, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = UnlockDialog(tmp_path, relock=relock)
    show(qtbot, dialog)
    problems = problems_of(dialog)
    assert not problems, "\n".join(problems)


def test_settings_dialog_every_tab_mnemonics_unique_and_inputs_named(
    qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    dialog = SettingsDialog(ctx)
    show(qtbot, dialog)
    problems = each_tab(Person(qtbot), dialog)
    assert dialog.tabs.count() == 11
    assert not problems, "\n".join(problems)


def test_security_dialogs_mnemonics_unique_and_inputs_named(
    qtbot: QtBot, register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    dialogs: list[QWidget] = [
        ChangePassphraseDialog(ctx),
        RecoveryKeyDialog(ctx),
        RecoverDialog(lambda key, passphrase: None),
    ]
    problems = []
    for dialog in dialogs:
        show(qtbot, dialog)
        problems += problems_of(dialog)
        dialog.close()
    assert not problems, "\n".join(problems)


def test_every_step_dialog_and_preview_mnemonics_unique_and_inputs_named(
    qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    """A dossier in every state: every step it offers there, and every document it can make."""
    seen: set[Action] = set()
    problems = []
    for n, state in enumerate(State):
        cid = dossier_in(ctx, state, handlers()[0].id, n)
        detail = complaint_detail(cid, ctx.today())
        for action in detail.actions:
            if action not in DIALOGS:
                continue
            seen.add(action)
            dialog = dialog_for(action, ctx, detail)
            show(qtbot, dialog)
            problems += problems_of(dialog)
            dialog.reject()
        for kind in documents_for(detail.dossier.state, admissible=detail.dossier.admissible):
            try:
                preview = document_preview(ctx, cid, kind)
            except UserError:
                continue  # the dossier view says so in a message; there is no preview
            show(qtbot, preview)
            problems += problems_of(preview)
            preview.reject()
    assert set(DIALOGS) <= seen, set(DIALOGS) - seen
    assert not problems, "\n".join(problems)


def test_retention_and_delete_dialogs_mnemonics_unique_and_inputs_named(
    qtbot: QtBot, register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    from klachtdesk.ui.dossier_erasure import DeleteDossierDialog
    from klachtdesk.ui.retention_dialog import RetentionDialog

    cid = dossier_in(ctx, State.CLOSED, handlers()[0].id, 1)
    clock.advance(days=6 * 365)  # listed, so the table and both buttons are there
    retention = RetentionDialog(ctx)
    show(qtbot, retention)
    assert retention.table.rowCount() == 1
    delete = DeleteDossierDialog(ctx, cid, "2026-0001")
    show(qtbot, delete)
    problems = problems_of(retention) + problems_of(delete)
    assert not problems, "\n".join(problems)


def test_restore_dialog_mnemonics_unique_and_inputs_named(
    qtbot: QtBot, register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    from klachtdesk.services.backup import BackupKeeper, make_backup
    from klachtdesk.ui.restore_dialog import RestoreDialog

    make_backup(register, ctx)
    dialog = RestoreDialog(BackupKeeper(register, ctx))
    show(qtbot, dialog)
    assert dialog.list.count() == 1
    problems = problems_of(dialog)
    assert not problems, "\n".join(problems)


def test_export_dialog_mnemonics_unique_and_inputs_named(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    """Bestand → Exporteren…, with and without personal data ticked (issue 12)."""
    window = MainWindow(ctx, settings)
    show(qtbot, window)
    person = Person(qtbot)
    person.menu("Bestand", "Exporteren…", window=window)
    dialog = window.current_dialog
    assert dialog is not None and dialog.windowTitle() == "Exporteren"
    qtbot.waitUntil(dialog.isVisible)
    problems = problems_of(dialog)
    person.check("Met persoonsgegevens", dialog)
    person.check("CSV voor Excel", dialog)
    problems += problems_of(dialog)
    dialog.reject()
    assert not problems, "\n".join(problems)


def test_improvement_dialogs_and_list_mnemonics_unique_and_inputs_named(
    qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    from klachtdesk.procedure import ActionStatus
    from klachtdesk.procedure.improvements import Improvement
    from klachtdesk.services.improvements import add_improvement, improvement_action
    from klachtdesk.services.organisation import departments
    from klachtdesk.ui.improvement_dialog import ImprovementDialog
    from klachtdesk.ui.improvements_dialog import ImprovementsDialog

    cid = dossier_in(ctx, State.CLOSED, handlers()[0].id, 1)
    action_id = add_improvement(
        ctx, cid, Improvement("Nieuwe kalender.", departments()[0].id, ActionStatus.DONE)
    )
    dialogs: list[QWidget] = [
        ImprovementDialog(ctx, complaint_id=cid, reference="2026-0001"),
        ImprovementDialog(ctx, entry=improvement_action(action_id)),
        ImprovementsDialog(ctx),
    ]
    problems = []
    for dialog in dialogs:
        show(qtbot, dialog)
        problems += problems_of(dialog)
        dialog.close()
    assert not problems, "\n".join(problems)


def test_figures_window_and_the_restricted_list_mnemonics_unique_and_inputs_named(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    from klachtdesk.ui.figures_window import FiguresWindow

    dossier_in(ctx, State.CLOSED, handlers()[0].id, 1)
    window = MainWindow(ctx, settings)
    show(qtbot, window)
    person = Person(qtbot)
    person.menu("Beeld", "Cijfers…", window=window)
    figures = window.figures
    assert isinstance(figures, FiguresWindow)
    qtbot.waitUntil(lambda: figures.isVisible() and figures.report is not None)
    figures.wait_until_counted()
    problems = problems_of(figures)
    for kind in ("Kwartaal", "Maand", "Vrije periode"):
        person.choose("Soort periode", kind, figures)
        figures.wait_until_counted()
        problems += problems_of(figures)
    # A number clicked: the list with the bar that says what it is filtered on.
    table = person.field("Kerncijfers", QTableView, figures)
    rect = table.visualRect(table.model().index(0, 1))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: person.sees("Gefilterd op:", window))
    problems += problems_of(window)
    assert len(figures.tables) > 10
    assert not problems, "\n".join(problems)


def test_report_dialog_and_its_preview_mnemonics_unique_and_inputs_named(
    qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    from klachtdesk.ui.report_dialog import ReportDialog, ReportPreviewDialog

    dialog = ReportDialog(ctx)
    show(qtbot, dialog)
    person = Person(qtbot)
    problems = problems_of(dialog)
    for kind in ("Kwartaaloverzicht", "Maandoverzicht"):
        person.check(kind, dialog)
        problems += problems_of(dialog)
    person.click("Voorbeeld…", dialog)
    qtbot.waitUntil(lambda: isinstance(dialog.preview, ReportPreviewDialog), timeout=20_000)
    assert dialog.preview is not None
    qtbot.waitUntil(dialog.preview.isVisible)
    problems += problems_of(dialog.preview)
    dialog.preview.reject()
    assert not problems, "\n".join(problems)


def test_check_dialog_mnemonics_unique_and_inputs_named(qtbot: QtBot, register: Register) -> None:
    from klachtdesk.ui.check_dialog import CheckDialog

    dialog = CheckDialog()
    show(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)
    dialog.findings.show()  # shown when the check finds problems
    problems = problems_of(dialog)
    assert not problems, "\n".join(problems)


def test_returned_form_dialog_mnemonics_unique_and_inputs_named(
    qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    from klachtdesk.services.handler_form import read_returned
    from klachtdesk.ui.returned_form_dialog import ReturnedFormDialog

    from ..db.test_handler_form import ANSWERS, fill, form_of
    from .test_returned_form_screens import with_handler

    cid = with_handler(ctx)
    returned = read_returned(fill(form_of(ctx, cid), {**ANSWERS}), "rapport.pdf")
    dialog = ReturnedFormDialog(ctx, returned)
    show(qtbot, dialog)
    problems = problems_of(dialog)
    assert not problems, "\n".join(problems)
