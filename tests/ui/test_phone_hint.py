"""A phone number that exists on paper but not (yet) in the numbering data is kept, with a hint."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from klachtdesk.models import Complaint
from klachtdesk.ui.intake_wizard import IntakeWizard
from klachtdesk.ui.main_window import MainWindow

from .test_procedure_screens import alt, focus, press, type_keys


def test_an_unallocated_antwerp_number_is_accepted_with_a_gentle_hint(
    window: MainWindow,
    qtbot: QtBot,
) -> None:
    window.new_phone_intake()
    wizard = window.current_dialog
    assert isinstance(wizard, IntakeWizard)
    qtbot.waitUntil(lambda: focus() is wizard.person.name)
    for text in ("Jan Janssens", "Meir 1", "2000", "Antwerpen", "03 123 45 67"):
        type_keys(text)
        press(Qt.Key.Key_Tab)
    assert wizard.person.phone.text() == "+32 3 123 45 67"  # taken as a number, formatted
    errors = wizard.person.errors
    assert errors.isVisible()
    assert "zone Antwerpen" in errors.text() and "nog eens na" in errors.text()
    assert "geen geldig" not in errors.text()

    # A real number after all: the hint goes away.
    wizard.person.phone.setFocus()
    wizard.person.phone.selectAll()
    type_keys("03 223 45 67")
    press(Qt.Key.Key_Tab)
    assert wizard.person.phone.text() == "+32 3 223 45 67" and not errors.isVisible()

    # And back: the hint does not stop the intake.
    wizard.person.phone.setFocus()
    wizard.person.phone.selectAll()
    type_keys("03 123 45 67")
    press(Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.complaint
    qtbot.waitUntil(lambda: focus() is wizard.complaint.description)
    type_keys("De stoep is al maanden kapot.")
    alt("d")  # Dienst
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.summary
    with qtbot.waitSignal(wizard.registered):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert Complaint.get().phone == "+32 3 123 45 67"


def test_a_number_with_a_digit_missing_is_still_refused(
    window: MainWindow,
    qtbot: QtBot,
) -> None:
    window.new_phone_intake()
    wizard = window.current_dialog
    assert isinstance(wizard, IntakeWizard)
    qtbot.waitUntil(lambda: focus() is wizard.person.name)
    for _ in range(4):
        press(Qt.Key.Key_Tab)
    type_keys("0470 12 34 5")  # a mobile number one digit short
    press(Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.person
    assert "geen geldig telefoonnummer" in wizard.person.errors.text()
