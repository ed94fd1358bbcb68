"""Issue 12 §1 on screen, as the coordinator does it: the route in the intake wizard, the
mate van oplossing and ombudsnormen in the assessment, and the verbeteracties."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QGroupBox, QTableWidget
from pytestqt.qtbot import QtBot

from klachtdesk.models import Complaint, ComplaintNorm, ImprovementAction, Register
from klachtdesk.procedure import (
    Action,
    ActionStatus,
    Norm,
    Outcome,
    Resolution,
    Route,
    State,
)
from klachtdesk.procedure.improvements import Improvement
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.improvements import add_improvement, improvement_actions
from klachtdesk.services.organisation import departments, handlers
from klachtdesk.ui.improvement_dialog import ImprovementDialog
from klachtdesk.ui.improvements_dialog import ImprovementsDialog
from klachtdesk.ui.main_window import MainWindow

from ..conftest import FakeClock
from ..db.helpers import intake
from .person import visible_text
from .test_procedure_screens import (
    alt,
    focus,
    ok,
    open_action,
    open_dossier,
    person_at,
    press,
    state,
    take_phone_call,
)


def spaced(html: str) -> str:
    """What a person reads in a table of label and value: the cells apart."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def data_text(window: MainWindow) -> str:
    return spaced(window.dossier.data.text())


def modal() -> QDialog:
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QDialog), dialog
    return dialog


# -- the route ---------------------------------------------------------------------------


def test_route_is_rechtstreeks_unless_changed_by_keyboard(window: MainWindow, qtbot: QtBot) -> None:
    wizard = take_phone_call(window, qtbot)  # Enter through every page: the proposal stays
    summary = spaced(wizard.summary.summary.text())
    assert "Ingediend via rechtstreeks door de burger" in summary
    person = person_at(window, qtbot)
    person.click("< Terug", wizard)
    assert wizard.currentPage() is wizard.receipt
    alt("i")  # Ingediend via
    assert focus() is wizard.receipt.route
    press(Qt.Key.Key_Down)  # via een mandataris
    press(Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.summary
    assert "Ingediend via via een mandataris" in spaced(wizard.summary.summary.text())
    with qtbot.waitSignal(wizard.registered):
        press(Qt.Key.Key_Return)
    assert Complaint.get().route is Route.POLITICIAN
    assert "Ingediend via via een mandataris" in data_text(window)


def test_a_dossier_without_route_says_so_and_gets_one_when_corrected(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    cid = svc.register_complaint(ctx, intake())  # registered before the route was asked
    person = open_dossier(qtbot, ctx, settings, cid)
    window = person.window
    assert window is not None
    assert "Ingediend via niet ingevuld" in data_text(window)
    person.step(Action.EDIT.step.button)
    editing = person.wizard()
    person.next(editing)
    person.next(editing)
    route = person.field("Ingediend via", within=editing)
    assert route.currentText() == "(niet ingevuld)"  # type: ignore[attr-defined]
    person.next(editing)  # unchanged, it stays empty
    assert "Ingediend via niet ingevuld" in spaced(editing.summary.summary.text())
    person.click("< Terug", editing)
    person.choose("Ingediend via", "via een organisatie of derde", editing)
    person.next(editing)
    with qtbot.waitSignal(editing.registered):
        person.click("Voltooien", editing)
    assert Complaint.get_by_id(cid).route is Route.ORGANISATION
    assert "Ingediend via via een organisatie of derde" in data_text(window)


# -- the assessment ------------------------------------------------------------------------


def with_handler(ctx: ServiceContext) -> int:
    cid = svc.register_complaint(ctx, intake())
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handlers()[0].id)
    return cid


def test_assessment_refused_in_dutch_without_resolution_or_norm(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    cid = with_handler(ctx)
    person = open_dossier(qtbot, ctx, settings, cid)
    window = person.window
    assert window is not None
    d = open_action(window, qtbot, Action.ASSESS)
    resolution = person.field("Mate van oplossing", within=d)
    assert not resolution.isEnabled()  # nothing chosen yet
    person.check("deels gegrond", d)
    assert resolution.isEnabled()
    person.type_into("Oplossing", "Excuses en een nieuwe afspraak.", d)
    assert person.sees("Vink er minstens één aan bij ‘deels gegrond’.", d)
    ok(d)
    shown = visible_text(d.error.text())
    assert d.isVisible() and d.error.isVisible()
    assert "Kies bij de beoordeling ‘deels gegrond’ de mate van oplossing" in shown
    assert "minstens één ombudsnorm" in shown
    assert Complaint.get_by_id(cid).state is State.WITH_HANDLER

    person.choose("Mate van oplossing", "deels opgelost", d)
    ok(d)  # still no norm
    assert d.isVisible() and "minstens één ombudsnorm" in visible_text(d.error.text())
    assert "mate van oplossing" not in visible_text(d.error.text())
    person.check("6. correcte bejegening", d)
    person.check("13. redelijke behandeltermijn", d)
    ok(d)
    qtbot.waitUntil(lambda: not d.isVisible())
    row = Complaint.get_by_id(cid)
    assert (row.outcome, row.resolution) == (
        Outcome.PARTLY_WELL_FOUNDED,
        Resolution.PARTLY_RESOLVED,
    )
    stored = {n.norm for n in ComplaintNorm.select().where(ComplaintNorm.complaint == cid)}
    assert stored == {Norm.COURTESY, Norm.REASONABLE_TIME}
    shown = data_text(window)
    assert "Mate van oplossing deels opgelost" in shown
    assert "6. correcte bejegening" in shown and "13. redelijke behandeltermijn" in shown


def test_assessment_by_alt_keys_and_a_refusal_goes_once_something_changes(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    cid = with_handler(ctx)
    person = open_dossier(qtbot, ctx, settings, cid)
    window = person.window
    assert window is not None
    d = open_action(window, qtbot, Action.ASSESS)
    person.activate(d)
    person.alt("d")  # deels gegrond (Qt clicks it animated: checked a moment later)
    qtbot.waitUntil(person.button("deels gegrond", d).isChecked)
    person.alt("p")  # the solution
    person.type("Excuses.")
    ok(d)
    assert d.error.isVisible()  # no mate van oplossing, no norm
    person.alt("m")  # Mate van oplossing: the list, chosen with the keyboard
    person.press(Qt.Key.Key_Down)
    assert not d.error.isVisible()  # the stale refusal is gone; OK checks anew
    ok(d)
    assert d.isVisible() and "minstens één ombudsnorm" in visible_text(d.error.text())
    person.alt("o")  # ongegrond: no norm needed
    qtbot.waitUntil(person.button("ongegrond", d).isChecked)
    assert not d.error.isVisible()


def test_norms_grouped_and_optional_for_unfounded(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    cid = with_handler(ctx)
    person = open_dossier(qtbot, ctx, settings, cid)
    window = person.window
    assert window is not None
    d = open_action(window, qtbot, Action.ASSESS)
    for title, first, last in (
        ("Behoorlijkheid", "1. overeenstemming met het recht", "5. redelijkheid en evenredigheid"),
        (
            "Zorgvuldigheid",
            "6. correcte bejegening",
            "15. respect voor de persoonlijke levenssfeer",
        ),
    ):
        box = next(b for b in d.findChildren(QGroupBox) if visible_text(b.title()) == title)
        assert person.button(first, box) and person.button(last, box)
    person.check("ongegrond", d)
    assert not person.field("Mate van oplossing", within=d).isEnabled()
    ok(d)  # no norm needed
    qtbot.waitUntil(lambda: not d.isVisible())
    assert state(window) is State.ASSESSED
    assert ComplaintNorm.select().count() == 0 and Complaint.get_by_id(cid).resolution is None


# -- improvement actions -------------------------------------------------------------------


def test_a_new_improvement_action_proposes_the_dossiers_department(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    department = departments()[1]
    cid = svc.register_complaint(ctx, intake(department_id=department.id))
    person = open_dossier(qtbot, ctx, settings, cid)
    window = person.window
    assert window is not None
    person.click("Verbeteractie…", window.dossier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ImprovementDialog))
    d = modal()
    assert person.field("Dienst", within=d).currentText() == department.name


def test_improvement_action_from_the_dossier_refused_then_added_and_followed_up(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, clock: FakeClock
) -> None:
    cid = svc.register_complaint(ctx, intake())
    person = open_dossier(qtbot, ctx, settings, cid)
    window = person.window
    assert window is not None
    person.click("Verbeteractie…", window.dossier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ImprovementDialog))
    d = modal()
    assert d.windowTitle() == "Nieuwe verbeteractie – 2026-0001"
    assert person.sees("Schrijf dus geen namen", d)
    ok(d)
    assert d.isVisible()
    assert "Beschrijf wat er verbeterd wordt." in d.error.text()  # type: ignore[attr-defined]
    assert "Kies de dienst die de verbeteractie uitvoert." in d.error.text()  # type: ignore[attr-defined]
    person.type_into("Omschrijving", "Ophaalrondes overlopen na elke routewijziging.", d)
    person.choose("Dienst", "Milieu en afval", d)
    person.check("Streefdatum", d)
    assert not person.field("Uitgevoerd op", within=d).isEnabled()  # only when done
    ok(d)
    qtbot.waitUntil(lambda: not d.isVisible())
    [action] = ImprovementAction.select()
    assert (action.description, action.status) == (
        "Ophaalrondes overlopen na elke routewijziging.",
        ActionStatus.PLANNED,
    )
    assert (action.created_on, action.due_on, action.done_on) == (
        date(2026, 3, 2),
        date(2026, 3, 2),
        None,
    )
    person.tab("Verbeteracties (1)", window.dossier)
    assert person.sees_item("gepland: Ophaalrondes overlopen", window.dossier)

    clock.advance(3)
    person.list_item("gepland:", window.dossier)
    person.click("Actie openen…", window.dossier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ImprovementDialog))
    d = modal()
    assert d.windowTitle() == "Verbeteractie – 2026-0001"
    person.choose("Status", "uitgevoerd", d)
    assert person.field("Uitgevoerd op", within=d).isEnabled()
    ok(d)
    qtbot.waitUntil(lambda: not d.isVisible())
    action = ImprovementAction.get()
    assert (action.status, action.done_on) == (ActionStatus.DONE, date(2026, 3, 5))
    assert person.sees_item("uitgevoerd: Ophaalrondes overlopen", window.dossier)
    assert "uitgevoerd 05/03/2026" in window.dossier.improvements.item(0).text()


def test_verbeteracties_window_filters_by_status_and_opens_an_action(
    window: MainWindow, qtbot: QtBot, ctx: ServiceContext, clock: FakeClock
) -> None:
    waste = next(d.id for d in departments() if d.name == "Milieu en afval")
    first = svc.register_complaint(ctx, intake())
    second = svc.register_complaint(ctx, intake(name="Jan Janssens"))
    add_improvement(ctx, first, Improvement("Nieuwe ophaalkalender.", waste))
    clock.advance(1)
    add_improvement(
        ctx, second, Improvement("Bord aan het recyclagepark.", waste, ActionStatus.ONGOING)
    )
    person = person_at(window, qtbot)
    person.menu("Beeld", "Verbeteracties…", window=window)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ImprovementsDialog))
    listing = modal()
    table = person.field("Verbeteracties", QTableWidget, listing)

    def rows() -> list[list[str]]:
        return [
            [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())
        ]

    assert rows() == [
        ["Bord aan het recyclagepark.", "Milieu en afval", "lopend", "03/03/2026", "", "",
         "2026-0002"],
        ["Nieuwe ophaalkalender.", "Milieu en afval", "gepland", "02/03/2026", "", "",
         "2026-0001"],
    ]  # fmt: skip
    assert person.sees("2 verbeteracties", listing)
    person.choose("Status", "gepland", listing)
    assert [r[0] for r in rows()] == ["Nieuwe ophaalkalender."]
    assert person.sees("1 verbeteractie", listing)
    assert not person.button("Openen…", listing).isEnabled()  # nothing chosen yet
    rect = table.visualRect(table.model().index(0, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert person.button("Openen…", listing).isEnabled()
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ImprovementDialog))
    d = modal()
    person.choose("Status", "lopend", d)
    person.type_into("Omschrijving", "Nieuwe ophaalkalender voor heel de gemeente.", d)
    ok(d)
    qtbot.waitUntil(lambda: not d.isVisible())
    assert rows() == []  # no longer gepland
    person.choose("Status", "lopend", listing)
    assert [r[0] for r in rows()] == [
        "Bord aan het recyclagepark.",
        "Nieuwe ophaalkalender voor heel de gemeente.",
    ]
    assert {e.status for e in improvement_actions()} == {ActionStatus.ONGOING}
    person.click("Sluiten", listing)
    qtbot.waitUntil(lambda: not listing.isVisible())
