"""Each step's button, dialog and audit entry say the same; limits shown are the dossier's own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QMessageBox,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from klachtdesk.models import AuditEvent, Complaint, Register
from klachtdesk.procedure import Action, Outcome, State, TimeLimits, day_count
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.dossier_detail import complaint_detail
from klachtdesk.services.organisation import handlers
from klachtdesk.services.settings import set_time_limits
from klachtdesk.ui import action_dialogs as dialogs
from klachtdesk.ui.complaint_table_model import (
    DUE_SOON_BACKGROUND,
    NEXT_LIMIT_COLUMN,
    OVERDUE_BACKGROUND,
)
from klachtdesk.ui.dossier_view import ACTION_BUTTONS
from klachtdesk.ui.main_window import MainWindow
from klachtdesk.ui.settings_dialog import SettingsDialog

from ..conftest import FakeClock
from ..db.helpers import intake
from .person import Person
from .test_safety import answer_message_box

# Finding needs no event loop of its own: one Person serves the module's finders.
_LOOKER = Person(None)  # type: ignore[arg-type]


def click(qtbot: QtBot, widget: QWidget) -> None:
    Person(qtbot).click_widget(widget)


def field(dialog: QWidget, label: str) -> QWidget:
    """The input a form labels with ``label``, as the coordinator finds it."""
    return Person.field(_LOOKER, label, QWidget, dialog)


def button(dialog: QWidget, starts_with: str) -> QAbstractButton:
    return Person.button(_LOOKER, starts_with, dialog)


def show(window: MainWindow, complaint_id: int) -> None:
    window.apply_filter()
    assert window.select_complaint(complaint_id)


# The services that bring a dossier one step further, in procedure order.
FORWARD: list[Callable[[ServiceContext, int], None]] = [
    lambda ctx, cid: svc.decide_admissibility(ctx, cid, []),
    lambda ctx, cid: svc.record_acknowledgement(ctx, cid),
    lambda ctx, cid: svc.send_to_handler(ctx, cid, handlers()[0].id),
    lambda ctx, cid: svc.record_investigation(ctx, cid, contacts="", summary="Dienst gehoord."),
    lambda ctx, cid: svc.record_assessment(ctx, cid, Outcome.UNFOUNDED),
    lambda ctx, cid: svc.record_returned(ctx, cid, report_text="", reply_text="Geachte, ..."),
    lambda ctx, cid: svc.review_neutrality(ctx, cid, True),
    lambda ctx, cid: svc.record_reply_sent(ctx, cid),
]


def dossier_offering(ctx: ServiceContext, action: Action) -> int:
    cid = svc.register_complaint(ctx, intake())
    steps = iter(FORWARD)
    while action not in complaint_detail(cid, ctx.today()).actions:
        next(steps)(ctx, cid)
    return cid


def fill_in(qtbot: QtBot, dialog: dialogs.ActionDialog) -> None:
    """The least the coordinator types for the step to be accepted."""
    if isinstance(dialog, dialogs.InvestigationDialog):
        click(qtbot, field(dialog, "Samenvatting"))
        QTest.keyClicks(field(dialog, "Samenvatting"), "Dienst gehoord.")
    elif isinstance(dialog, dialogs.AssessmentDialog):
        click(qtbot, button(dialog, Outcome.UNFOUNDED.label))
    elif isinstance(dialog, dialogs.ReturnedDialog):
        click(qtbot, field(dialog, "Motiverende brief"))
        QTest.keyClicks(field(dialog, "Motiverende brief"), "Geachte mevrouw, ...")


@pytest.mark.parametrize("action", [a for a in ACTION_BUTTONS if a is not Action.EDIT])
def test_each_button_opens_its_step_and_the_audit_trail_names_it_the_same(
    window: MainWindow, qtbot: QtBot, ctx: ServiceContext, action: Action
) -> None:
    cid = dossier_offering(ctx, action)
    show(window, cid)
    step_button = window.dossier.action_button(action)
    assert step_button is not None
    assert step_button.text() == action.step.button
    click(qtbot, step_button)
    dialog = window.current_dialog
    assert isinstance(dialog, dialogs.ActionDialog) and dialog.isVisible()
    reference = Complaint.get_by_id(cid).reference
    # The dialog is titled with the very name on the button that opened it.
    assert dialog.windowTitle() == f"{step_button.text().removesuffix('…')} – {reference}"
    fill_in(qtbot, dialog)
    events_before = AuditEvent.select().count()
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible(), dialog.error.text()
    recorded = [
        e.summary
        for e in AuditEvent.select().where(
            AuditEvent.id > events_before, AuditEvent.action == action.value
        )
    ]
    assert len(recorded) == 1 and recorded[0].startswith(action.step.done)
    # And the timeline on screen shows it so.
    shown = [
        window.dossier.timeline.item(row, 2).text()
        for row in range(window.dossier.timeline.rowCount())
    ]
    assert recorded[0] in shown


def reply_returned_under(ctx: ServiceContext, limits: TimeLimits) -> int:
    set_time_limits(ctx, limits)
    cid = svc.register_complaint(ctx, intake())
    for forward in FORWARD[:6]:
        forward(ctx, cid)
    assert complaint_detail(cid, ctx.today()).dossier.state is State.REPLY_RETURNED
    return cid


def test_neutrality_reason_is_open_only_for_nee_and_the_limit_is_the_dossiers(
    window: MainWindow, qtbot: QtBot, ctx: ServiceContext
) -> None:
    cid = reply_returned_under(ctx, TimeLimits(reinvestigation_days=5))
    set_time_limits(ctx, TimeLimits(reinvestigation_days=9))  # later: not this dossier's
    show(window, cid)
    step_button = window.dossier.action_button(Action.REVIEW_NEUTRALITY)
    assert step_button is not None
    click(qtbot, step_button)
    dialog = window.current_dialog
    assert isinstance(dialog, dialogs.NeutralityDialog)
    yes, no = button(dialog, "Ja"), button(dialog, "Nee")
    reason = field(dialog, "Reden")
    assert yes.isChecked() and not reason.isEnabled()
    click(qtbot, no)
    assert reason.isEnabled()
    click(qtbot, yes)
    assert not reason.isEnabled()
    click(qtbot, no)
    QTest.keyClicks(reason, "Eenzijdig rapport.")
    assert "5 dagen" in no.text() and "9 dagen" not in no.text() and "week" not in no.text()
    click(qtbot, dialog.ok_button)
    assert Complaint.get_by_id(cid).state is State.REINVESTIGATION
    assert Complaint.get_by_id(cid).review_failed_reason == "Eenzijdig rapport."


def test_admissibility_dialog_gives_the_dossiers_own_dates(
    window: MainWindow, qtbot: QtBot, ctx: ServiceContext
) -> None:
    cid = svc.register_complaint(ctx, intake())  # 2 March: 12 March and 16 April
    set_time_limits(ctx, TimeLimits(acknowledgement_days=3, closing_days=20))
    show(window, cid)
    step_button = window.dossier.action_button(Action.DECIDE_ADMISSIBILITY)
    assert step_button is not None
    click(qtbot, step_button)
    dialog = window.current_dialog
    assert isinstance(dialog, dialogs.AdmissibilityDialog)
    assert "12/03/2026" in dialog.verdict.text() and "16/04/2026" in dialog.verdict.text()


def test_procedure_help_gives_the_configured_limits(
    window: MainWindow, qtbot: QtBot, ctx: ServiceContext
) -> None:
    set_time_limits(
        ctx,
        TimeLimits(
            acknowledgement_days=12, handler_days=25, reinvestigation_days=5, closing_days=40
        ),
    )
    seen = answer_message_box(QMessageBox.StandardButton.Ok)
    QTest.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(seen))
    text = seen[0]
    for days in (12, 25, 5, 40):
        assert f"<b>{day_count(days)}</b>" in text
    assert "week" not in text and "10 dagen" not in text and "45 dagen" not in text
    assert Outcome.STOPPED_BY_CITIZEN.label in text


def limits_tab(qtbot: QtBot, dialog: SettingsDialog) -> None:
    bar = dialog.tabs.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == "Termijnen")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert dialog.tabs.currentIndex() == index


def type_in_spin(spin: QSpinBox, value: int) -> None:
    spin.setFocus()
    QTest.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(spin, str(value))


@pytest.mark.parametrize("apply_to_open", [False, True])
def test_settings_apply_new_limits_to_open_dossiers_only_when_asked(
    qtbot: QtBot, register: Register, ctx: ServiceContext, clock: FakeClock, apply_to_open: bool
) -> None:
    open_id = svc.register_complaint(ctx, intake())  # acknowledgement due 12 March
    closed_id = svc.register_complaint(ctx, intake(solved_immediately=True, immediate_solution="x"))
    svc.close_complaint(ctx, closed_id)
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    limits_tab(qtbot, dialog)
    spin = field(dialog, "Ontvangstmelding (dagen na ontvangst)")
    assert isinstance(spin, QSpinBox)
    type_in_spin(spin, 7)
    box = button(dialog, "Ook toepassen op lopende dossiers")
    assert isinstance(box, QCheckBox) and not box.isChecked()
    if apply_to_open:
        click(qtbot, box)
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible(), dialog.error.text()
    opened = Complaint.get_by_id(open_id)
    expected = (7, date(2026, 3, 9)) if apply_to_open else (10, date(2026, 3, 12))
    assert (opened.acknowledgement_days, opened.next_due_on) == expected
    assert Complaint.get_by_id(closed_id).acknowledgement_days == 10
    assert svc.register_complaint(ctx, intake()) and (
        Complaint.select().order_by(Complaint.id.desc()).get().acknowledgement_days == 7
    )


def test_list_colours_each_dossier_by_its_own_limits(
    window: MainWindow, ctx: ServiceContext, clock: FakeClock
) -> None:
    old = svc.register_complaint(ctx, intake())  # 10 days
    set_time_limits(ctx, TimeLimits(acknowledgement_days=3))
    new = svc.register_complaint(ctx, intake())  # 3 days
    clock.advance(4)
    window.apply_filter()
    model = window.model

    def background(complaint_id: int) -> object:
        row = model.row_of(complaint_id)
        assert row is not None
        brush = model.data(model.index(row, NEXT_LIMIT_COLUMN), Qt.ItemDataRole.BackgroundRole)
        return None if brush is None else brush.color()

    assert background(new) == OVERDUE_BACKGROUND
    assert background(old) not in (OVERDUE_BACKGROUND, DUE_SOON_BACKGROUND)
    assert "12/03/2026" in model.data(model.index(model.row_of(old) or 0, NEXT_LIMIT_COLUMN))


def test_edit_button_opens_the_wizard_under_the_same_name(
    window: MainWindow, qtbot: QtBot, ctx: ServiceContext
) -> None:
    cid = svc.register_complaint(ctx, intake())
    show(window, cid)
    step_button = window.dossier.action_button(Action.EDIT)
    assert step_button is not None and step_button.text() == Action.EDIT.step.button
    click(qtbot, step_button)
    wizard = window.current_dialog
    assert wizard is not None and wizard.isVisible()
    reference = Complaint.get_by_id(cid).reference
    assert wizard.windowTitle() == f"{step_button.text().removesuffix('…')} – {reference}"
