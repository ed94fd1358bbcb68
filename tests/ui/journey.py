"""A coordinator's working day, step by step, through the real windows (see ``person.py``).

Each step is what a person does on screen: the first-run wizard typed in, a phone call taken
with the keyboard, a step's button clicked in the dossier and its dialog filled in. The
journeys in ``test_journeys.py`` and the crawler in ``test_crawler.py`` are built from these.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from klachtdesk.app import open_main_window
from klachtdesk.models import Register
from klachtdesk.services.context import ServiceContext
from klachtdesk.ui.backup_actions import BackupActions
from klachtdesk.ui.intake_wizard import IntakeWizard
from klachtdesk.ui.letter_preview_dialog import LetterPreviewDialog
from klachtdesk.ui.main_window import MainWindow
from klachtdesk.ui.setup_wizard import SetupWizard

from .person import NO_MODIFIER, NotFound, Person, answer_file_dialog, text_of, visible_text

PASSPHRASE = "correct paard batterij nietje"
SCREENSHOTS_ENV = "KLACHTDESK_SCREENSHOTS"
HANDLER = "Inge Claes"


class Coordinator(Person):
    """A person who knows the procedure: the steps of a journey as screen actions."""

    def __init__(self, qtbot: QtBot, folder: Path) -> None:
        super().__init__(qtbot)
        self.folder = folder
        self.window: MainWindow | None = None
        self.register: Register | None = None
        self.snaps = 0

    # -- first run and start ---------------------------------------------------------------

    def set_up(self) -> Register:
        """The first-run wizard, typed in as a new coordinator does."""
        wizard = SetupWizard(self.folder)
        self.qtbot.addWidget(wizard)
        wizard.show()
        self.activate(wizard)
        for label, text in (
            ("Naam", "Gemeente Herent"),
            ("Straat", "Wilselsesteenweg 28"),
            ("Postcode", "3020"),
            ("Gemeente", "Herent"),
        ):
            self.type_into(label, text, wizard)
        self.snap("setup-municipality")
        self.next(wizard)
        for label, text in (
            ("Naam", "Ann Coördinator"),
            ("Telefoon", "016 85 30 00"),
            ("E-mail", "klachten@herent.example"),
        ):
            self.type_into(label, text, wizard)
        self.next(wizard)
        self.type_into("Wachtwoord", PASSPHRASE, wizard)
        self.type_into("Nog eens", PASSPHRASE, wizard)
        self.next(wizard)
        self.confirm_recovery_key(wizard)
        self.type_into(
            "Behandelaars",
            f"{HANDLER}; inge.claes@herent.example; Milieu en afval\n"
            "Tom Wouters; tom.wouters@herent.example; Burgerzaken",
            wizard,
        )
        self.snap("setup-departments-and-handlers")
        self.click("Voltooien", wizard)
        assert wizard.register is not None, visible_text(wizard.organisation.errors.text())
        self.register = wizard.register
        return wizard.register

    def read_recovery_key(self, within: QWidget) -> str:
        """The recovery key as it is shown on screen."""
        return text_of(self.field("Herstelsleutel", QLineEdit, within))

    def confirm_recovery_key(self, within: QWidget) -> str:
        """Read the recovery key on screen and type its last group; returns the key."""
        recovery_key = self.read_recovery_key(within)
        self.type_into("Laatste groep", recovery_key.split()[-1], within)
        if isinstance(within, QWizard):
            self.next(within)
        return recovery_key

    def start(self, register: Register, ctx: ServiceContext) -> MainWindow:
        """The main window as klachtdesk opens it on the register."""
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.register = register
        window = open_main_window(app, register, self.folder, ctx)
        self.qtbot.addWidget(window)
        self.activate(window)
        self.window = window
        return window

    def stop(self) -> None:
        """Quit as the coordinator does (Afsluiten), and let go of the register."""
        if self.window is not None:
            window, self.window = self.window, None
            if window.idle_lock is not None:
                QApplication.instance().removeEventFilter(window.idle_lock)  # type: ignore[union-attr]
                window.idle_lock.timer.stop()
            window.watch.stop()
            window.quitting = True
            window.close()
            backups = window.findChild(BackupActions)
            if backups is not None:  # as klachtdesk does after its event loop ends
                backups.at_exit()
        if self.register is not None:
            self.register.close()
            self.register = None

    def snap(self, name: str) -> None:
        """With KLACHTDESK_SCREENSHOTS set to a folder, keep a picture of the window on top
        (tools/screenshots.py runs journey (a) this way for docs/screenshots/journey-*)."""
        folder = os.environ.get(SCREENSHOTS_ENV)
        if not folder:
            return
        QTest.qWait(50)
        self.snaps += 1
        target = Path(folder) / f"journey-{self.snaps:02d}-{name}.png"
        assert self.top().grab().save(str(target)), target

    def activate(self, window: QWidget) -> None:
        window.activateWindow()
        window.raise_()
        self.qtbot.waitUntil(window.isActiveWindow, timeout=3000)

    def next(self, wizard: QWizard) -> None:
        before = wizard.currentId()
        self.click("Volgende >", wizard)
        assert wizard.currentId() != before, self._page_errors(wizard)

    @staticmethod
    def _page_errors(wizard: QWizard) -> str:
        page = wizard.currentPage()
        errors = getattr(page, "errors", None)
        return f"page {page.title()!r} refused: {errors.text() if errors else ''}"

    # -- intake ---------------------------------------------------------------------------

    def new_phone_complaint(self) -> IntakeWizard:
        assert self.window is not None
        QTest.keyClick(self.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        wizard = self.wizard()
        assert wizard.windowTitle().startswith("Nieuwe telefonische klacht")
        return wizard

    def wizard(self) -> IntakeWizard:
        self.qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), IntakeWizard))
        wizard = QApplication.activeModalWidget()
        assert isinstance(wizard, IntakeWizard)
        self.qtbot.waitUntil(wizard.isActiveWindow, timeout=3000)
        return wizard

    def fill_person(self, wizard: IntakeWizard, **values: str) -> None:
        for label, text in values.items():
            self.type_into(label, text, wizard)
        # Leaving the last field formats it (phone, e-mail), as Tab does for a person.
        self.press(Qt.Key.Key_Tab)

    def finish_intake(self, wizard: IntakeWizard) -> str:
        """Voltooien on the summary; returns the new dossier's reference number."""
        assert wizard.currentPage() is wizard.summary, self._page_errors(wizard)
        self.snap("intake-summary")
        with self.qtbot.waitSignal(wizard.registered):
            self.click("Voltooien", wizard)
        self.qtbot.waitUntil(lambda: not wizard.isVisible())
        return self.dossier_reference()

    # -- the dossier ------------------------------------------------------------------------

    def dossier_reference(self) -> str:
        assert self.window is not None
        detail = self.window.dossier.detail
        assert detail is not None, "no dossier shown"
        return detail.reference

    def list_row(self, reference: str) -> None:
        """Click the complaint's row in the list."""
        assert self.window is not None
        table, model = self.window.table, self.window.model
        for row in range(model.rowCount()):
            if model.index(row, 0).data() == reference:
                table.scrollTo(model.index(row, 0))
                rect = table.visualRect(model.index(row, 2))
                QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
                return
        raise NotFound(f"{reference} is not in the list")

    def list_header(self, text: str) -> None:
        """Click the list's column header ``text`` (sorts on that column)."""
        assert self.window is not None
        header = self.window.table.horizontalHeader()
        model = self.window.model
        for column in range(model.columnCount()):
            if model.headerData(column, Qt.Orientation.Horizontal) == text:
                x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
                point = QPoint(x, header.height() // 2)
                QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
                return
        raise NotFound(f"no column {text!r} in the list")

    def state_text(self) -> str:
        assert self.window is not None
        return visible_text(self.window.dossier.title.text())

    def step(self, button: str) -> QDialog:
        """Click a step's button in the dossier; returns the dialog it opens."""
        assert self.window is not None
        self.click(button, self.window.dossier)
        self.qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QDialog))
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        self.qtbot.waitUntil(dialog.isVisible)
        return dialog

    def ok(self, dialog: QDialog) -> None:
        """OK, and the step is recorded (the dialog closes)."""
        self.snap(dialog.windowTitle().split(" – ")[0].lower().replace(" ", "-"))
        self.click("OK", dialog)
        error = getattr(dialog, "error", None)
        if dialog.isVisible() and error is not None and error.isVisible():
            raise AssertionError(f"{dialog.windowTitle()!r} refused: {error.text()}")
        self.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)

    def preview(self) -> LetterPreviewDialog:
        self.qtbot.waitUntil(
            lambda: isinstance(QApplication.activeModalWidget(), LetterPreviewDialog)
        )
        preview = QApplication.activeModalWidget()
        assert isinstance(preview, LetterPreviewDialog)
        self.snap("preview-" + preview.windowTitle().split(" – ")[0].lower().replace(" ", "-"))
        return preview

    def print_to_file(self, button_text: str, within: QWidget, target: Path) -> None:
        """Click a print button, and in the system's print dialog print to ``target``."""

        def answer(dialog: QWidget) -> None:
            edit = next(
                e
                for e in dialog.findChildren(QLineEdit)
                if e.isVisible() and e.objectName() == "filename"
            )
            QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            QTest.keyClicks(edit, str(target))
            QTest.keyClick(edit, Qt.Key.Key_Return)

        handled = self.when_modal(answer, QPrintDialog)
        self.click(button_text, within)
        self.qtbot.waitUntil(lambda: bool(handled))

    def in_file_dialog(self, button_text: str, within: QWidget, target: Path) -> None:
        """Click a button that opens a file dialog, and type ``target`` in it (open or save)."""

        def answer(dialog: QWidget) -> None:
            assert isinstance(dialog, QFileDialog)
            answer_file_dialog(dialog, target)

        handled = self.when_modal(answer, QFileDialog)
        self.click(button_text, within)
        self.qtbot.waitUntil(lambda: bool(handled))

    def answer_message(self, button: QMessageBox.StandardButton) -> list[str]:
        """Answer the next message box with ``button``; returns the texts it showed."""
        seen: list[str] = []

        def answer(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            seen.append(visible_text(box.text()))
            target = box.button(button)
            assert target is not None, f"no {button} in {box.text()!r}"
            QTest.mouseClick(target, Qt.MouseButton.LeftButton)

        self.when_modal(answer, QMessageBox)
        return seen


def drop_files(window: QWidget, paths: list[Path]) -> None:
    """Drag files from the file manager and drop them on ``window``."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    point = QPointF(window.rect().center())
    with warnings.catch_warnings():
        # PySide6 marks the only constructor Qt 6 has as deprecated.
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            point.toPoint(), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, NO_MODIFIER
        )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted(), "the window refuses the drag"
    drop = QDropEvent(point, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, NO_MODIFIER)
    QApplication.sendEvent(window, drop)


@contextmanager
def coordinator_at_work(qtbot: QtBot, folder: Path, ctx: ServiceContext) -> Iterator[Coordinator]:
    """First run from the setup wizard, then the main window; quits at the end."""
    person = Coordinator(qtbot, folder)
    try:
        register = person.set_up()
        person.start(register, ctx)
        yield person
    finally:
        person.stop()


__all__ = ["Coordinator", "NotFound", "coordinator_at_work"]
