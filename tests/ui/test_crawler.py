"""A crawler: for a dossier in every state, every button, menu item and document action the
window offers is triggered with the mouse, and every dialog that opens is crawled in turn.

File, print and message dialogs are answered as a person would (a file name typed, printed to
a PDF file, the default button). The crawl fails on any exception or Qt warning that reaches the
event loop (pytest-qt), and on any dialog left open. Nothing is judged here but that the
program holds: the journeys check the results.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QToolButton,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from klachtdesk.models import Register
from klachtdesk.procedure import Channel, Ground, Outcome, State
from klachtdesk.services import complaints as svc
from klachtdesk.services import correspondence
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.organisation import handlers
from klachtdesk.ui.main_window import MainWindow

from ..db.helpers import intake
from .person import Person, answer_file_dialog, visible_text

# Buttons that end the program or the dialog; the crawl presses them last, on purpose.
CLOSING_TEXTS = {"OK", "Annuleren", "Sluiten", "Voltooien", "Close", "Cancel"}


def dossier_in(ctx: ServiceContext, state: State, handler_id: int, n: int) -> int:
    """A complaint walked through the services up to ``state``, with its documents made."""
    email = f"klager{n}@example.be"
    cid = svc.register_complaint(
        ctx, intake(channel=Channel.EMAIL, email=email, name=f"Klager {n}")
    )
    if state is State.REGISTERED:
        return cid
    if state is State.INADMISSIBLE:
        svc.decide_admissibility(ctx, cid, [Ground.ANONYMOUS], "Geen naam.")
        return cid
    svc.decide_admissibility(ctx, cid, [], "")
    if state is State.ADMISSIBLE:
        return cid
    correspondence.generate(ctx, cid, correspondence.ACKNOWLEDGEMENT)
    svc.record_acknowledgement(ctx, cid)
    if state is State.ACKNOWLEDGED:
        return cid
    svc.send_to_handler(ctx, cid, handler_id)
    correspondence.generate(ctx, cid, correspondence.REPORT)
    if state is State.WITH_HANDLER:
        return cid
    svc.record_assessment(ctx, cid, Outcome.UNFOUNDED)
    if state is State.ASSESSED:
        return cid
    svc.record_returned(ctx, cid, report_text="Rapport.", reply_text="Ongegrond.")
    if state is State.REPLY_RETURNED:
        return cid
    if state is State.REINVESTIGATION:
        svc.review_neutrality(ctx, cid, False, "Niet neutraal.")
        return cid
    svc.review_neutrality(ctx, cid, True, "")
    correspondence.generate(ctx, cid, correspondence.REPLY)
    if state is State.APPROVED:
        return cid
    svc.record_reply_sent(ctx, cid)
    if state is State.REPLY_SENT:
        return cid
    correspondence.close_with_report(ctx, cid)
    assert state is State.CLOSED
    return cid


class Crawler(Person):
    """Clicks everything; answers the dialogs that block in their own event loop."""

    def __init__(self, qtbot: QtBot, folder: Path) -> None:
        super().__init__(qtbot)
        self.folder = folder
        self.counter = itertools.count()
        self.seen: list[str] = []
        self.answering = True
        self.busy: list[QWidget] = []
        QTimer.singleShot(25, self.answer_blocking_dialogs)

    def stop(self) -> None:
        self.answering = False

    def new_file(self) -> Path:
        return self.folder / f"bestand-{next(self.counter)}"

    def answer_blocking_dialogs(self) -> None:
        """File, print and message dialogs run their own event loop: answer them there.

        A fresh single-shot timer each time (armed before answering): a repeating timer is not
        re-entered while its slot runs, so a box opened by an answer would never be answered.
        """
        if not self.answering:
            return
        QTimer.singleShot(25, self.answer_blocking_dialogs)
        widget = QApplication.activeModalWidget()
        if widget is None or widget in self.busy:
            return  # that one is being answered already (waiting inside its dialog)
        self.busy.append(widget)
        try:
            self._answer(widget)
        finally:
            self.busy.remove(widget)

    def _answer(self, widget: QWidget | None) -> None:
        if widget is None or not widget.isVisible():
            return
        if isinstance(widget, QFileDialog):
            self.seen.append(f"bestandskeuze: {widget.windowTitle()}")
            opening = widget.acceptMode() == QFileDialog.AcceptMode.AcceptOpen
            # Nothing to open: cancelled; a save goes to a new file in the test's folder.
            answer_file_dialog(widget, None if opening else self.new_file())
        elif isinstance(widget, QPrintDialog):
            self.seen.append("afdrukvenster")
            edit = widget.findChild(QLineEdit, "filename")
            assert edit is not None
            QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            QTest.keyClicks(edit, f"{self.new_file()}.pdf")
            QTest.keyClick(edit, Qt.Key.Key_Return)
        elif isinstance(widget, QMessageBox):
            self.seen.append(f"melding: {visible_text(widget.text())[:60]}")
            # (defaultButton() of a box without one crashes PySide6: a refcount bug on None.)
            accepting = (QMessageBox.ButtonRole.AcceptRole, QMessageBox.ButtonRole.YesRole)
            buttons = widget.buttons()
            button = next((b for b in buttons if widget.buttonRole(b) in accepting), buttons[0])
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    # -- crawling -----------------------------------------------------------------------

    def buttons_of(self, root: QWidget) -> list[QAbstractButton]:
        return [
            b
            for b in root.findChildren(QAbstractButton)
            if b.isVisibleTo(root)
            and b.window() is root.window()
            and b.isEnabled()
            and isinstance(b, QPushButton | QToolButton)
            and b.parent() is not None
            and not isinstance(b.parentWidget(), QTabWidget)
            and visible_text(b.text()) not in CLOSING_TEXTS
            and b.objectName() not in ("qt_tabwidget_scrollbutton",)
        ]

    def crawl_dialog(self, dialog: QDialog, depth: int = 0) -> None:
        """Every button of ``dialog`` (and of the dialogs they open), then close it."""
        self.seen.append(f"{'  ' * depth}venster: {dialog.windowTitle()}")
        for tab_widget in dialog.findChildren(QTabWidget):
            for index in range(tab_widget.count()):
                bar = tab_widget.tabBar()
                QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
                self.crawl_buttons(dialog, depth)
        else:
            self.crawl_buttons(dialog, depth)
        self.close(dialog)

    def crawl_buttons(self, dialog: QDialog, depth: int) -> None:
        done: set[str] = set()
        while True:
            if not dialog.isVisible():
                return
            todo = [b for b in self.buttons_of(dialog) if visible_text(b.text()) not in done]
            if not todo:
                return
            button = todo[0]
            done.add(visible_text(button.text()))
            self.press_and_follow(button, depth + 1)

    def press_and_follow(self, button: QAbstractButton, depth: int) -> None:
        """Click ``button``; crawl a dialog or menu it opens."""
        before = QApplication.activeModalWidget()
        self.seen.append(f"{'  ' * depth}knop: {visible_text(button.text())}")
        if isinstance(button, QToolButton) and button.menu() is not None:
            self.crawl_menu(button, depth)
            return
        QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())
        QTest.qWait(30)
        opened = QApplication.activeModalWidget()
        if isinstance(opened, QDialog) and opened is not before and opened.isVisible():
            self.crawl_dialog(opened, depth)

    def crawl_menu(self, button: QToolButton, depth: int) -> None:
        menu = button.menu()
        assert menu is not None
        count = len([a for a in menu.actions() if a.isEnabled() and not a.isSeparator()])
        for index in range(count):
            QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())
            self.qtbot.waitUntil(menu.isVisible, timeout=2000)
            action = [a for a in menu.actions() if a.isEnabled() and not a.isSeparator()][index]
            self.seen.append(f"{'  ' * depth}menu: {action.text()}")
            before = QApplication.activeModalWidget()
            point = menu.actionGeometry(action).center()
            QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=point)
            QTest.qWait(30)
            opened = QApplication.activeModalWidget()
            if isinstance(opened, QDialog) and opened is not before and opened.isVisible():
                self.crawl_dialog(opened, depth + 1)

    def close(self, dialog: QDialog) -> None:
        """Leave a dialog as a person does: Annuleren/Sluiten, else Escape."""
        if not dialog.isVisible():
            return
        if isinstance(dialog, QWizard):
            cancel = dialog.button(QWizard.WizardButton.CancelButton)
            QTest.mouseClick(cancel, Qt.MouseButton.LeftButton)
        else:
            box = dialog.findChild(QDialogButtonBox)
            closing = [
                b
                for b in dialog.findChildren(QPushButton)
                if b.isVisibleTo(dialog)
                and visible_text(b.text()) in ("Annuleren", "Sluiten", "Close", "Cancel")
            ]
            if closing:
                QTest.mouseClick(closing[0], Qt.MouseButton.LeftButton)
            elif box is not None:
                QTest.keyClick(dialog, Qt.Key.Key_Escape)
            else:
                QTest.keyClick(dialog, Qt.Key.Key_Escape)
        self.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)


@pytest.fixture
def crawler(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Crawler]:
    # Save dialogs propose the home folder: keep whatever they write inside the test's folder.
    monkeypatch.setenv("HOME", str(tmp_path))
    person = Crawler(qtbot, tmp_path)
    yield person
    person.stop()


@pytest.mark.parametrize("state", list(State), ids=lambda s: s.value)
def test_every_button_and_document_action_of_a_dossier_holds(
    state: State,
    crawler: Crawler,
    qtbot: QtBot,
    register: Register,
    ctx: ServiceContext,
    settings: QSettings,
) -> None:
    handler_id = handlers()[0].id
    cid = dossier_in(ctx, state, handler_id, 1)
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.select_complaint(cid) or window.dossier.detail is not None
    QTest.qWait(30)
    dossier = window.dossier
    # The documents first, while the dossier is still in this state.
    crawler.tab("Documenten", dossier)
    for row in range(dossier.documents.count()):
        item = dossier.documents.item(row)
        rect = dossier.documents.visualItemRect(item)
        QTest.mouseClick(dossier.documents.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        for text in ("Openen", "Opslaan als…", "Document maken"):
            buttons = [b for b in crawler.buttons_of(dossier) if visible_text(b.text()) == text]
            for button in buttons:
                crawler.press_and_follow(button, 1)
    make = [b for b in crawler.buttons_of(dossier) if visible_text(b.text()) == "Document maken"]
    for button in make:
        crawler.press_and_follow(button, 1)
    # Then every step the dossier offers, each from the state it is in now.
    steps = [visible_text(b.text()) for b in crawler.buttons_of(dossier)]
    for text in steps:
        matching = [b for b in crawler.buttons_of(dossier) if visible_text(b.text()) == text]
        if matching:
            crawler.press_and_follow(matching[0], 1)
    assert QApplication.activeModalWidget() is None, crawler.seen[-5:]
    assert any(line.strip().startswith("venster") for line in crawler.seen), crawler.seen


def test_every_menu_item_of_the_main_window_holds(
    crawler: Crawler,
    qtbot: QtBot,
    register: Register,
    ctx: ServiceContext,
    settings: QSettings,
) -> None:
    handler_id = handlers()[0].id
    cid = dossier_in(ctx, State.CLOSED, handler_id, 1)
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.select_complaint(cid)
    crawler.tab("Documenten", window.dossier)
    bar = window.menuBar()
    skipped = {"Afsluiten", "Vergrendelen"}  # ending the program; the lock has its own tests
    for head in bar.actions():
        menu = head.menu()
        assert isinstance(menu, QMenu)
        items = [a for a in menu.actions() if not a.isSeparator()]
        for action in items:
            if visible_text(action.text()) in skipped:
                continue
            QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(head).center())
            qtbot.waitUntil(menu.isVisible, timeout=2000)
            crawler.seen.append(f"menu: {visible_text(action.text())}")
            before = QApplication.activeModalWidget()
            QTest.mouseClick(
                menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center()
            )
            QTest.qWait(50)
            opened = QApplication.activeModalWidget()
            if isinstance(opened, QDialog) and opened is not before and opened.isVisible():
                crawler.crawl_dialog(opened, 1)
    assert QApplication.activeModalWidget() is None, crawler.seen[-5:]
    assert len(crawler.seen) > 20
