"""A person types or pastes more than a field holds: the counter beside it says so, in red,
and the form refuses in Dutch before anything is registered."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from klachtdesk.models import Register
from klachtdesk.procedure import Action, State
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.organisation import handlers
from klachtdesk.ui.character_counter import WARNING_STYLE, CharacterCounter

from .journey import coordinator_at_work
from .test_crawler import dossier_in
from .test_procedure_screens import open_dossier


def test_typing_over_the_limit_in_the_intake_shows_the_counter_and_a_dutch_refusal(
    qtbot: QtBot, tmp_path: Path, ctx: ServiceContext
) -> None:
    with coordinator_at_work(qtbot, tmp_path / "data", ctx) as person:
        wizard = person.new_phone_complaint()
        assert person.sees("0 / 200", wizard)  # the name's counter, before typing
        name = person.type_into("Naam", "Jan Peeters", wizard)
        assert person.sees("11 / 200", wizard)
        person.type_into("Naam", "J" * 201, wizard)  # pasted from another program
        counter = person.label_with("⚠ 201 / 200 te lang", wizard)
        assert counter.styleSheet() == WARNING_STYLE
        person.click("Volgende >", wizard)
        assert wizard.currentPage() is wizard.person  # refused: still on the first page
        assert person.sees("Naam: deze tekst is te lang: 201 tekens, hoogstens 200.", wizard)
        person.type_into("Naam", "Jan Peeters", wizard)
        assert name.hasFocus() and person.sees("11 / 200", wizard)
        person.next(wizard)

        person.type_into("Omschrijving", "Lawaai. " * 2_500 + "x", wizard)
        assert person.sees("⚠ 20.001 / 20.000 te lang", wizard)
        person.click("Volgende >", wizard)
        assert wizard.currentPage() is wizard.complaint
        assert person.sees("Omschrijving: deze tekst is te lang: 20.001 tekens", wizard)
        person.type_into("Omschrijving", "De container werd niet geledigd.", wizard)
        assert person.sees("32 / 20.000", wizard)
        person.next(wizard)
        person.next(wizard)
        reference = person.finish_intake(wizard)
        assert reference.endswith("-0001")


def test_a_step_text_over_the_limit_is_refused_before_the_step_is_recorded(
    qtbot: QtBot, tmp_path: Path, ctx: ServiceContext
) -> None:
    with coordinator_at_work(qtbot, tmp_path / "data", ctx) as person:
        wizard = person.new_phone_complaint()
        person.fill_person(wizard, Naam="Jan Peeters")
        person.next(wizard)
        person.type_into("Omschrijving", "De container werd niet geledigd.", wizard)
        person.next(wizard)
        person.next(wizard)
        person.finish_intake(wizard)
        state = person.state_text()
        dialog = person.step(Action.DECIDE_ADMISSIBILITY.step.button)
        person.type_into("Motivering", "Niet ontvankelijk.\n" * 501, dialog)
        assert person.sees("⚠ 501 regels, hoogstens 500", dialog)
        person.click("OK", dialog)
        assert dialog.isVisible()
        assert person.sees(
            "Motivering: deze tekst telt te veel regels: 501, hoogstens 500.", dialog
        )
        assert person.state_text() == state  # nothing recorded
        person.type_into("Motivering", "Ontvankelijk.", dialog)
        assert person.sees("13 / 20.000", dialog)
        person.ok(dialog)
        assert person.state_text() != state


def _overlaps(dialog: QDialog) -> list[str]:
    """Each counter that lies over its own text field, or a text field cut off by the
    rows under it, in the dialog as it is drawn now."""
    found = []
    for counter in dialog.findChildren(CharacterCounter):
        edit, holder = counter.edit, counter.parentWidget()
        if not isinstance(edit, QPlainTextEdit) or not counter.isVisible():
            continue
        field = QRect(edit.mapTo(dialog, QPoint(0, 0)), edit.size())
        count = QRect(counter.mapTo(dialog, QPoint(0, 0)), counter.size())
        if field.intersects(count) or edit.geometry().bottom() > holder.height():
            found.append(f"{counter.label}: {field} / {count}")
    return found


@pytest.mark.parametrize(
    ("state", "action"),
    [(State.REGISTERED, Action.DECIDE_ADMISSIBILITY), (State.ASSESSED, Action.RECORD_RETURNED)],
)
def test_a_step_dialog_shrunk_to_its_smallest_keeps_each_counter_under_its_text(
    qtbot: QtBot,
    register: Register,
    ctx: ServiceContext,
    settings: QSettings,
    state: State,
    action: Action,
) -> None:
    """The window dragged as small as it goes (a laptop, a second window beside it): the
    wrapped explanation lines still fit, so no counter is drawn over the text it counts."""
    cid = dossier_in(ctx, state, handlers()[0].id, 1)
    person = open_dossier(qtbot, ctx, settings, cid)
    dialog = person.step(action.step.button)
    dialog.resize(200, 200)  # the window manager stops at the dialog's minimum
    qtbot.waitUntil(lambda: dialog.height() == dialog.minimumHeight())
    QTest.qWait(20)
    assert _overlaps(dialog) == []
    # A refusal appears under the form: the dialog grows for it, nothing is pushed over.
    first = dialog.findChildren(CharacterCounter)[0]
    person.type_into(first.label, "x" * 20_001, dialog)
    person.click("OK", dialog)
    assert person.sees("deze tekst is te lang", dialog)
    dialog.resize(200, 200)
    QTest.qWait(50)
    assert _overlaps(dialog) == []
    person.click("Annuleren", dialog)


def test_in_a_narrow_intake_a_field_stays_wider_than_its_counter(
    qtbot: QtBot, tmp_path: Path, ctx: ServiceContext
) -> None:
    """The intake dragged as narrow as it goes: the counters take the room they need for the
    count, and the fields keep the rest to type in."""
    with coordinator_at_work(qtbot, tmp_path / "data", ctx) as person:
        wizard = person.new_phone_complaint()
        person.fill_person(wizard, Naam="Jan Peeters")
        person.next(wizard)
        wizard.resize(100, 100)  # the window manager stops at the wizard's minimum
        QTest.qWait(50)
        field = person.field("Betrokken persoon", QLineEdit, wizard)
        counter = person.label_with("0 / 200", wizard)
        assert field.width() > counter.width() * 1.5, (field.width(), counter.width())
        person.type_into("Betrokken persoon", "x" * 201, wizard)
        assert person.label_with("⚠ 201 / 200 te lang", wizard).isVisible()
        assert field.width() > 0


def test_a_refusal_in_a_narrow_intake_pushes_no_counter_over_its_text(
    qtbot: QtBot, tmp_path: Path, ctx: ServiceContext
) -> None:
    """The intake as narrow and low as it goes, and a refusal appears under the page: the
    page grows for it instead of squeezing the description under its own counter."""
    with coordinator_at_work(qtbot, tmp_path / "data", ctx) as person:
        wizard = person.new_phone_complaint()
        person.fill_person(wizard, Naam="Jan Peeters")
        person.next(wizard)
        person.type_into("Betrokken persoon", "x" * 201, wizard)
        person.click("Volgende >", wizard)
        assert person.sees("Betrokken persoon: deze tekst is te lang", wizard)
        wizard.resize(100, 100)  # the window manager stops at the wizard's minimum
        QTest.qWait(50)
        assert _overlaps(wizard) == []
        person.type_into("Betrokken persoon", "de ophaaldienst", wizard)
