"""The intake wizard as a new coordinator met it: what it shows and what a reflex does."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from klachtdesk.procedure import Action
from klachtdesk.services.context import ServiceContext

from .journey import coordinator_at_work
from .person import visible_text


def test_a_long_word_wraps_and_the_summary_shows_every_choice(
    qtbot: QtBot, tmp_path: Path, ctx: ServiceContext
) -> None:
    with coordinator_at_work(qtbot, tmp_path / "data", ctx) as person:
        wizard = person.new_phone_complaint()
        person.fill_person(wizard, Naam="Jan Peeters")
        person.next(wizard)
        person.type_into("Omschrijving", "Geluidsoverlast" * 30)
        person.choose("Aard", "niet uitgevoerd")
        person.choose("Soort handeling", "beslissing")
        person.next(wizard)
        person.next(wizard)
        summary = visible_text(wizard.summary.summary.text())
        assert "Aardniet uitgevoerd" in summary and "Soort handelingbeslissing" in summary
        screen = wizard.screen().availableGeometry().width()
        assert wizard.width() <= screen, (wizard.width(), screen)
        assert person.button("Voltooien", wizard).isVisible()


def test_every_label_of_the_first_page_shows_its_whole_text(
    qtbot: QtBot, tmp_path: Path, ctx: ServiceContext
) -> None:
    with coordinator_at_work(qtbot, tmp_path / "data", ctx) as person:
        wizard = person.new_phone_complaint()
        labels = [lb for lb in wizard.person.findChildren(QLabel) if lb.isVisible() and lb.buddy()]
        assert len(labels) >= 7
        for label in labels:
            text = visible_text(label.text())
            needed = label.fontMetrics().boundingRect(text).width()
            assert label.contentsRect().width() >= needed, (text, label.width(), needed)
        person.click("Annuleren", wizard)


def test_enter_on_the_discard_question_keeps_the_call(
    qtbot: QtBot, tmp_path: Path, ctx: ServiceContext
) -> None:
    with coordinator_at_work(qtbot, tmp_path / "data", ctx) as person:
        wizard = person.new_phone_complaint()
        person.type_into("Naam", "Jan Peeters", wizard)
        seen: list[str] = []

        def press_enter() -> None:
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox):
                QTimer.singleShot(20, press_enter)
                return
            seen.append(box.text())
            QTest.keyClick(box, Qt.Key.Key_Return)  # the reflex

        QTimer.singleShot(0, press_enter)
        person.press(Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: bool(seen))
        assert "gaat verloren" in seen[0]
        assert wizard.isVisible() and wizard.person.name.text() == "Jan Peeters"
        person.answer_message(QMessageBox.StandardButton.Yes)
        person.click("Annuleren", wizard)
        qtbot.waitUntil(lambda: not wizard.isVisible())


def test_correcting_a_dossier_does_not_call_it_an_earlier_complaint(
    qtbot: QtBot, tmp_path: Path, ctx: ServiceContext
) -> None:
    with coordinator_at_work(qtbot, tmp_path / "data", ctx) as person:
        wizard = person.new_phone_complaint()
        person.fill_person(wizard, Naam="Jan Peeters", Straat="Markt 1", Postcode="3000")
        person.next(wizard)
        person.type_into("Omschrijving", "Te laat antwoord.")
        person.next(wizard)
        person.next(wizard)
        reference = person.finish_intake(wizard)
        person.step(Action.EDIT.step.button)
        editing = person.wizard()
        person.type_into("Gemeente", "Leuven", editing)
        QTest.qWait(400)  # the hint follows the typing after a pause
        assert reference not in visible_text(editing.person.hint.text())
        person.click("Annuleren", editing)
