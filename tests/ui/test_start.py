"""First run and unlocking, with the real dialogs on a real register folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from klachtdesk.app import install_dutch_translations, make_application
from klachtdesk.models import Department, Handler, create_register, register_exists
from klachtdesk.models.database import DB_FILENAME
from klachtdesk.services.setup import coordinator, municipality
from klachtdesk.ui.setup_wizard import SetupWizard
from klachtdesk.ui.unlock_dialog import UnlockDialog

from .conftest import PASSPHRASE
from .journey import Coordinator


def test_first_run_sets_up_the_register(qtbot: QtBot, data_dir: Path) -> None:
    """Typed in as a new coordinator does, each refusal met on the way."""
    wizard = SetupWizard(data_dir)
    qtbot.addWidget(wizard)
    wizard.show()
    person = Coordinator(qtbot, data_dir)
    person.activate(wizard)
    person.click("Volgende >", wizard)
    assert wizard.currentPage() is wizard.municipality  # the name is required
    assert person.sees("naam van het bestuur", wizard)
    for label, text in (
        ("Naam", "Gemeente Herent"),
        ("Straat", "Wilselsesteenweg 28"),
        ("Postcode", "3020"),
        ("Gemeente", "Herent"),
    ):
        person.type_into(label, text, wizard)
    name = person.field("Naam", within=wizard)
    QTest.keyClick(name, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    # Alt+L reaches the logo beside its button
    assert QApplication.focusWidget() is wizard.municipality.form.logo
    person.next(wizard)
    person.type_into("Naam", "Ann Coördinator", wizard)
    person.type_into("Telefoon", "016 85 30 00", wizard)
    person.type_into("E-mail", "klachten@herent", wizard)
    person.click("Volgende >", wizard)
    assert wizard.currentPage() is wizard.coordinator and person.sees("e-mailadres", wizard)
    person.type_into("E-mail", "klachten@herent.example", wizard)
    person.next(wizard)
    p = wizard.passphrase
    assert person.sees("verliest het register", wizard)
    person.type_into("Wachtwoord", "kort", wizard)
    person.type_into("Nog eens", "kort", wizard)
    person.click("Volgende >", wizard)
    assert wizard.currentPage() is p and person.sees("minstens 8", wizard)
    person.type_into("Wachtwoord", PASSPHRASE, wizard)
    person.type_into("Nog eens", PASSPHRASE + "!", wizard)
    person.click("Volgende >", wizard)
    assert wizard.currentPage() is p and person.sees("verschillen", wizard)
    person.type_into("Nog eens", PASSPHRASE, wizard)
    person.next(wizard)
    r = wizard.recovery
    assert wizard.currentPage() is r
    person.click("Volgende >", wizard)
    assert wizard.currentPage() is r and person.sees("laatste groep", wizard)
    # The last group, typed as the coordinator reads it off the screen.
    person.type_into("Laatste groep", person.read_recovery_key(wizard).split()[-1].lower(), wizard)
    person.next(wizard)
    person.type_into(
        "Behandelaars", "Inge Claes; inge.claes@herent.example; Milieu en afval\n", wizard
    )
    assert not register_exists(data_dir)  # nothing written before Finish
    person.click("Voltooien", wizard)
    assert wizard.register is not None
    try:
        assert municipality() is not None and municipality().name == "Gemeente Herent"
        me = coordinator()
        assert me is not None and me.phone == "+32 16 85 30 00"
        assert Department.select().count() == 7
        handler = Handler.get()
        assert (handler.name, handler.department.name) == ("Inge Claes", "Milieu en afval")
    finally:
        wizard.register.close()
    assert b"Herent" not in (data_dir / DB_FILENAME).read_bytes()


def test_unlock_with_a_wrong_then_the_right_passphrase(qtbot: QtBot, data_dir: Path) -> None:
    create_register(data_dir, PASSPHRASE).close()
    before = (data_dir / DB_FILENAME).read_bytes()
    dialog = UnlockDialog(data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "Openen"
    dialog.passphrase.setText("niet het wachtwoord")
    ok.click()
    assert dialog.isVisible() and dialog.register is None
    assert "niet juist" in dialog.error.text()
    assert (data_dir / DB_FILENAME).read_bytes() == before
    QTest.keyClicks(dialog.passphrase, PASSPHRASE)
    assert dialog.passphrase.text() == PASSPHRASE  # the wrong one was selected, typing replaced it
    ok.click()
    assert dialog.register is not None and not dialog.isVisible()
    dialog.register.close()


def test_unlock_explains_a_damaged_register(qtbot: QtBot, data_dir: Path) -> None:
    create_register(data_dir, PASSPHRASE).close()
    path = data_dir / DB_FILENAME
    path.write_bytes(path.read_bytes()[: 2 * 4096])
    dialog = UnlockDialog(data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClicks(dialog.passphrase, PASSPHRASE)
    QTest.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.register is None
    assert "is beschadigd" in dialog.error.text() and "niet juist" not in dialog.error.text()


def test_qt_speaks_dutch(qtbot: QtBot) -> None:
    app = make_application()
    assert len(install_dutch_translations(app)) == 2  # qtbase_nl.qm and what it lacks
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Yes
    )
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert texts == {"Annuleren", "Ja"}
    assert app.applicationName() == "klachtdesk"


def test_the_file_dialog_speaks_dutch(qtbot: QtBot, data_dir: Path) -> None:
    """Qt's own file dialog, opened as the coordinator does: the logo's Kiezen… button."""
    wizard = SetupWizard(data_dir)
    qtbot.addWidget(wizard)
    wizard.show()
    seen: dict[str, list[str]] = {}

    def look_and_close() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QFileDialog) and w.isVisible()]  # fmt: skip
        if not dialogs:
            QTimer.singleShot(50, look_and_close)
            return
        dialog = dialogs[0]
        seen["labels"] = [w.text() for w in dialog.findChildren(QLabel) if w.isVisible()]
        seen["buttons"] = [
            b.text() for b in dialog.findChildren(QAbstractButton) if b.isVisible() and b.text()
        ]
        QTest.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(50, look_and_close)
    choose = [b for b in wizard.findChildren(QPushButton) if b.text() == "Kiezen…"]
    QTest.mouseClick(choose[0], Qt.MouseButton.LeftButton)  # returns when the dialog closes
    assert seen["labels"] == ["&Zoeken in:", "Bestands&naam:", "Bestanden van &type:"]
    assert seen["buttons"] == ["&Openen", "Annuleren"]


def test_the_print_dialog_speaks_dutch(qtbot: QtBot) -> None:
    """Qt's print dialog as klachtdesk opens it (Ctrl+P): no English in what it shows."""
    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = [w.text() for w in dialog.findChildren(QLabel)]  # on every tab
    texts += [b.text() for b in dialog.findChildren(QAbstractButton)]
    for combo in dialog.findChildren(QComboBox):
        texts += [combo.itemText(i) for i in range(combo.count())]
    english = ("Double Sided", "binding", "Off", "Page &Set", "Print", "Pages", "Copies")
    assert [t for t in texts if any(word in t for word in english)] == [], texts
    assert "Af&drukbereik:" in texts
