"""A person types or pastes more than a field holds: the counter beside it says so, in red,
and the form refuses in Dutch before anything is registered."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from klachtdesk.procedure import Action
from klachtdesk.services.context import ServiceContext
from klachtdesk.ui.character_counter import WARNING_STYLE

from .journey import coordinator_at_work


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
