"""A coordinator at the keyboard: finds widgets as a person does and acts through input events.

A widget is found by what a person sees: a button's or check box's text, the label in front of
a field (its buddy, or the label beside it in a form), a tab's or menu item's text, or the
accessible name a screen reader would read. Everything is then done with key and mouse events
(``QTest``): a combo box is opened and an item clicked, text is typed or pasted with Ctrl+V,
buttons are clicked. Nothing here calls a slot or sets a value directly, so whatever a real
click or key press would break (a ``clicked(bool)`` argument landing in a parameter, an enum
coming back from a QVariant as ``str``) breaks here too.

Dialogs that block in their own event loop (message boxes, file and print dialogs) are
answered with :meth:`Person.when_modal`, which acts on them as soon as they are on screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QRadioButton,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

W = TypeVar("W", bound=QWidget)

NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def visible_text(text: str) -> str:
    """What is on screen for a label or button text: mnemonic '&' and markup removed."""
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return " ".join(text.split())


def _matches(shown: str, wanted: str) -> bool:
    return visible_text(shown) == wanted or visible_text(shown).rstrip("…:") == wanted.rstrip("…:")


class NotFound(AssertionError):
    pass


class Person:
    """Acts on the top-most window (the active modal dialog, else the given window)."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot

    # -- where ------------------------------------------------------------------------------

    def top(self) -> QWidget:
        """The window a person looks at: an open modal dialog, else the active window."""
        widget = QApplication.activeModalWidget() or QApplication.activePopupWidget()
        widget = widget or QApplication.activeWindow()
        if widget is None:
            shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
            if not shown:
                raise NotFound("no window on screen")
            widget = shown[-1]
        return widget

    def wait_for_window(self, title: str, timeout: int = 5000) -> QWidget:
        """Wait until a window whose title contains ``title`` is on screen and active."""
        found: list[QWidget] = []

        def present() -> bool:
            found[:] = [
                w
                for w in QApplication.topLevelWidgets()
                if w.isVisible() and title in w.windowTitle()
            ]
            return bool(found)

        self.qtbot.waitUntil(present, timeout=timeout)
        window = found[-1]
        window.activateWindow()
        self.qtbot.waitUntil(lambda: window.isActiveWindow() or window.isModal(), timeout=timeout)
        return window

    # -- finding --------------------------------------------------------------------------

    def _visible(self, root: QWidget, kind: type[W]) -> Iterator[W]:
        for widget in root.findChildren(kind):
            if widget.isVisibleTo(root) and widget.window() is root.window():
                yield widget

    def _eventually(self, find: Callable[[], W]) -> W:
        """What a person sees once the screen has settled (widgets appear a moment later)."""
        deadline = 50
        while True:
            try:
                return find()
            except NotFound:
                deadline -= 1
                if deadline == 0:
                    raise
                QTest.qWait(20)

    def button(self, text: str, within: QWidget | None = None) -> QAbstractButton:
        """A push button, check box, radio or tool button showing ``text``."""
        return self._eventually(lambda: self._button(text, within))

    def _button(self, text: str, within: QWidget | None = None) -> QAbstractButton:
        root = within or self.top()
        buttons = list(self._visible(root, QAbstractButton))
        hits = [b for b in buttons if _matches(b.text(), text)]
        # "Nee:" finds "Nee: de behandelaar krijgt … om opnieuw te onderzoeken".
        hits = hits or [b for b in buttons if visible_text(b.text()).startswith(text)]
        hits += [
            b
            for b in self._visible(root, QAbstractButton)
            if not b.text() and b.accessibleName() == text
        ]
        if not hits:
            shown = sorted({visible_text(b.text()) for b in self._visible(root, QAbstractButton)})
            raise NotFound(f"no button {text!r} in {root.windowTitle()!r}; there are {shown}")
        enabled = [b for b in hits if b.isEnabled()] or hits
        return enabled[0]

    def field(self, label: str, kind: type[W] = QWidget, within: QWidget | None = None) -> W:  # type: ignore[assignment]
        """The input a label names: its buddy, its form row, or its accessible name."""
        return self._eventually(lambda: self._field(label, kind, within))

    def _field(self, label: str, kind: type[W], within: QWidget | None) -> W:
        root = within or self.top()
        for candidate in self._visible(root, QLabel):
            if not _matches(candidate.text(), label):
                continue
            buddy = candidate.buddy()
            if isinstance(buddy, kind):
                return buddy
            field = _form_field_for(candidate)
            if isinstance(field, kind):
                return field
        for widget in self._visible(root, kind):
            if widget.accessibleName() == label:
                return widget
        labels = sorted({visible_text(lb.text()) for lb in self._visible(root, QLabel)})[:40]
        raise NotFound(f"no field {label!r} in {root.windowTitle()!r}; labels: {labels}")

    def label_with(self, fragment: str, within: QWidget | None = None) -> QLabel:
        root = within or self.top()
        for label in self._visible(root, QLabel):
            if fragment in visible_text(label.text()):
                return label
        raise NotFound(f"no text {fragment!r} in {root.windowTitle()!r}")

    def sees(self, fragment: str, within: QWidget | None = None) -> bool:
        try:
            self.label_with(fragment, within)
        except NotFound:
            return False
        return True

    # -- acting ---------------------------------------------------------------------------

    def click(self, text: str, within: QWidget | None = None) -> None:
        button = self.button(text, within)
        assert button.isEnabled(), f"{text!r} is disabled"
        QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=_centre(button))

    def click_widget(self, widget: QWidget, double: bool = False) -> None:
        if double:
            QTest.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=_centre(widget))
        else:
            QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=_centre(widget))

    def focus(self, widget: QWidget) -> None:
        """Click into a field, as a person does before typing."""
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=_centre(widget))
        if widget.hasFocus():
            return
        # Keyboard focus goes to the active window only. Offscreen Qt, having no window
        # manager, now and then leaves a just-opened dialog inactive; a real one activates
        # it. Ask for it; the key events that follow go to the widget itself either way.
        widget.window().activateWindow()
        widget.setFocus(Qt.FocusReason.MouseFocusReason)
        QTest.qWait(20)

    def type_into(self, label: str, text: str, within: QWidget | None = None) -> QWidget:
        """Click the field ``label`` names, select what is in it, and type ``text``."""
        widget = self.field(label, QWidget, within)
        self.focus(widget)
        QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        if len(text) > 200:
            self.paste(widget, text)
        else:
            type_text(widget, text)
        return widget

    def paste(self, widget: QWidget, text: str) -> None:
        """Paste a long text with Ctrl+V, as a person copies it from another program."""
        QGuiApplication.clipboard().setText(text)
        QTest.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    def type(self, text: str) -> None:
        """Type into whatever has the keyboard focus."""
        type_text(self.focused(), text)

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MODIFIER) -> None:
        QTest.keyClick(self.focused(), key, modifier)

    def alt(self, letter: str) -> None:
        key = getattr(Qt.Key, f"Key_{letter.upper()}")
        QTest.keyClick(self.focused(), key, Qt.KeyboardModifier.AltModifier)

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        return widget if widget is not None else self.top()

    def choose(self, label: str, item: str, within: QWidget | None = None) -> None:
        """Open the combo box ``label`` names and click the item showing ``item``."""
        combo = self.field(label, QComboBox, within)
        self.pick(combo, item)

    def pick(self, combo: QComboBox, item: str) -> None:
        index = next((i for i in range(combo.count()) if combo.itemText(i) == item), -1)
        assert index >= 0, f"{item!r} is not offered; there are {_items(combo)}"
        QTest.mouseClick(combo, Qt.MouseButton.LeftButton, pos=_centre(combo))
        view = combo.view()
        self.qtbot.waitUntil(view.isVisible, timeout=2000)
        model_index = view.model().index(index, combo.modelColumn(), view.rootIndex())
        view.scrollTo(model_index)
        rect = view.visualRect(model_index)
        # The popup ignores a release within a double-click interval of opening (that would
        # be the opening click's own release); a person's next click comes later anyway.
        QTest.qWait(QApplication.doubleClickInterval() + 50)
        QTest.mouseMove(view.viewport(), rect.center())
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        self.qtbot.waitUntil(lambda: not view.isVisible(), timeout=2000)
        assert combo.currentText() == item, f"chose {combo.currentText()!r}, not {item!r}"

    def check(self, text: str, within: QWidget | None = None) -> None:
        """Make the check box or radio button ``text`` checked (clicking it if it is not)."""
        button = self.button(text, within)
        if not button.isChecked():
            self.click_widget(button)
        assert button.isChecked(), f"{text!r} did not become checked"

    def tab(self, text: str, within: QWidget | None = None) -> None:
        """Click the tab whose title starts with ``text``."""
        root = within or self.top()
        for tabs in self._visible(root, QTabWidget):
            bar = tabs.tabBar()
            for i in range(tabs.count()):
                if visible_text(tabs.tabText(i)).startswith(text):
                    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(i).center())
                    assert tabs.currentIndex() == i
                    return
        raise NotFound(f"no tab {text!r}")

    def sees_item(self, fragment: str, within: QWidget | None = None) -> bool:
        """Whether a list on screen shows an item containing ``fragment``."""
        root = within or self.top()
        return any(
            fragment in view.item(row).text()
            for view in self._visible(root, QListWidget)
            for row in range(view.count())
        )

    def list_item(self, text_start: str, within: QWidget | None = None, double: bool = False):
        """Click (or double-click) the list item whose text starts with ``text_start``."""
        root = within or self.top()
        for view in self._visible(root, QListWidget):
            for row in range(view.count()):
                item = view.item(row)
                if item.text().startswith(text_start):
                    view.scrollToItem(item)
                    point = view.visualItemRect(item).center()
                    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
                    if double:
                        QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
                    return item
        raise NotFound(f"no list item {text_start!r}")

    def menu(self, *path: str, window: QWidget | None = None) -> None:
        """Choose a menu item by its visible texts: ``menu("Bestand", "Afdrukken…")``."""
        root = window or self.top()
        bar = root.findChild(QMenuBar)
        assert bar is not None, "this window has no menu bar"
        head = next(a for a in bar.actions() if visible_text(a.text()) == path[0])
        QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(head).center())
        menu = head.menu()
        assert isinstance(menu, QMenu)
        self.qtbot.waitUntil(menu.isVisible, timeout=2000)
        self.choose_in_menu(menu, *path[1:])

    def choose_in_menu(self, menu: QMenu, *path: str) -> None:
        for i, text in enumerate(path):
            actions = [a for a in menu.actions() if _matches(a.text(), text)]
            assert actions, f"no {text!r} in menu; {[a.text() for a in menu.actions()]}"
            action = actions[0]
            assert action.isEnabled(), f"menu item {text!r} is disabled"
            point = menu.actionGeometry(action).center()
            if i == len(path) - 1:
                QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=point)
            else:
                QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=point)
                sub = action.menu()
                assert isinstance(sub, QMenu)
                self.qtbot.waitUntil(sub.isVisible, timeout=2000)
                menu = sub

    def menu_button(self, text: str, item: str, within: QWidget | None = None) -> None:
        """Click a button that drops down a menu, then the menu's item ``item``."""
        button = self.button(text, within)
        menu = button.menu()
        assert isinstance(menu, QMenu), f"{text!r} has no menu"
        QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=_centre(button))
        self.qtbot.waitUntil(menu.isVisible, timeout=2000)
        self.choose_in_menu(menu, item)

    def when_modal(
        self,
        act: Callable[[QWidget], object],
        kind: type[QWidget] = QDialog,
        timeout_ms: int = 5000,
    ) -> list[QWidget]:
        """Act on the next modal dialog of ``kind`` as soon as it is on screen.

        Needed for dialogs that run their own event loop (``exec``): the test cannot act
        after the call that opens them, because that call returns only when they close.
        Returns a list that holds the dialog once it was handled.
        """
        handled: list[QWidget] = []
        waited = [0]

        def poll() -> None:
            widget = QApplication.activeModalWidget()
            if isinstance(widget, kind) and widget.isVisible() and widget not in handled:
                handled.append(widget)
                act(widget)
                return
            waited[0] += 20
            if waited[0] < timeout_ms:
                QTimer.singleShot(20, poll)

        QTimer.singleShot(0, poll)
        return handled

    # -- added for the converted screen tests ------------------------------------------------

    def field_with_placeholder(
        self,
        placeholder: str,
        kind: type[W] = QLineEdit,
        within: QWidget | None = None,  # type: ignore[assignment]
    ) -> W:
        """An unlabelled line edit found by the grey hint it shows when empty."""

        def find() -> W:
            root = within or self.top()
            for widget in self._visible(root, kind):
                if isinstance(widget, QLineEdit) and widget.placeholderText() == placeholder:
                    return widget
            raise NotFound(f"no field with hint {placeholder!r} in {root.windowTitle()!r}")

        return self._eventually(find)

    def the_only(self, kind: type[W], within: QWidget | None = None) -> W:
        """The one widget of ``kind`` on screen (an unlabelled text area or combo box that a
        person recognises because it is the only one)."""

        def find() -> W:
            root = within or self.top()
            shown = list(self._visible(root, kind))
            if len(shown) != 1:
                raise NotFound(f"{len(shown)} {kind.__name__} on {root.windowTitle()!r}")
            return shown[0]

        return self._eventually(find)

    def type_in(self, widget: QWidget, text: str) -> None:
        """Click into ``widget``, select what is in it, and type (or paste) ``text``."""
        self.focus(widget)
        QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        if len(text) > 200:
            self.paste(widget, text)
        else:
            type_text(widget, text)

    def toggle(self, text: str, within: QWidget | None = None) -> None:
        """Click the check box ``text`` once, whatever its state."""
        button = self.button(text, within)
        before = button.isChecked()
        self.click_widget(button)
        assert button.isChecked() != before, f"{text!r} did not change"

    def combo_showing(self, text: str, within: QWidget | None = None) -> QComboBox:
        """An unlabelled combo box (a filter) found by the item it shows now."""

        def find() -> QComboBox:
            root = within or self.top()
            for combo in self._visible(root, QComboBox):
                if combo.currentText() == text:
                    return combo
            raise NotFound(f"no combo box showing {text!r} in {root.windowTitle()!r}")

        return self._eventually(find)

    def click_posted(self, text: str, within: QWidget | None = None) -> None:
        """Click ``text`` with mouse events posted to the event loop, as the window system
        delivers a real click: an error in what the click starts reaches ``sys.excepthook``
        (the program's own error dialog) instead of the test's frame."""
        button = self.button(text, within)
        assert button.isEnabled(), f"{text!r} is disabled"
        point = QPointF(_centre(button))
        for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            event = QMouseEvent(
                kind,
                point,
                button.mapToGlobal(point),
                Qt.MouseButton.LeftButton,
                Qt.MouseButton.LeftButton
                if kind == QEvent.Type.MouseButtonPress
                else Qt.MouseButton.NoButton,
                NO_MODIFIER,
            )
            QApplication.postEvent(button, event)

    def drag(self, widget: QWidget, start: QPoint, end: QPoint) -> None:
        """Press the left button at ``start``, move with it held down, release at ``end``
        (a splitter handle or a column border dragged; QTest.mouseMove holds no button)."""
        QTest.mousePress(widget, Qt.MouseButton.LeftButton, NO_MODIFIER, start)
        steps = 8
        for i in range(1, steps + 1):
            point = start + (end - start) * i / steps
            event = QMouseEvent(
                QEvent.Type.MouseMove,
                QPointF(point),
                QPointF(widget.mapToGlobal(point)),
                Qt.MouseButton.NoButton,
                Qt.MouseButton.LeftButton,
                NO_MODIFIER,
            )
            QApplication.sendEvent(widget, event)
        QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, NO_MODIFIER, end)


def type_text(widget: QWidget, text: str) -> None:
    """Key presses for ``text``: QTest.keyClicks knows ASCII only ("ö" aborts Qt), so any
    other character is sent as the key event a keyboard layout produces for it."""
    for char in text:
        if char == "\n":
            QTest.keyClick(widget, Qt.Key.Key_Return)
        elif char.isascii():
            QTest.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, Qt.Key.Key_unknown, NO_MODIFIER, char)
                QApplication.sendEvent(widget, event)


def answer_file_dialog(dialog: QFileDialog, target: Path | None) -> None:
    """In a file dialog, go to ``target``'s folder, then click the file (to open) or type its
    name (to save), and click Openen/Opslaan; None clicks Annuleren.

    The dialog is Qt's stand-in for the desktop's own file chooser, not a klachtdesk screen;
    going to a folder is done with ``setDirectory`` (a person would type or click the path).
    """
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    if target is None:
        role = QDialogButtonBox.ButtonRole.RejectRole
    else:
        role = QDialogButtonBox.ButtonRole.AcceptRole
        dialog.setDirectory(str(target.parent))
        if dialog.acceptMode() == QFileDialog.AcceptMode.AcceptOpen:
            _click_file(dialog, target.name)
        else:
            edit = dialog.findChild(QLineEdit, "fileNameEdit")
            assert edit is not None
            QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            type_text(edit, target.name)  # a new name: Qt's completer has nothing to offer
    button = next(b for b in box.buttons() if box.buttonRole(b) == role)
    assert button.isEnabled(), f"{button.text()!r} is disabled in {dialog.windowTitle()!r}"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def _click_file(dialog: QFileDialog, name: str) -> None:
    """Click the file ``name`` in the dialog's list, once the folder has been read."""
    view = dialog.findChild(QListView, "listView")
    assert view is not None
    model = view.model()
    for _attempt in range(250):
        root = view.rootIndex()
        rows = (model.index(row, 0, root) for row in range(model.rowCount(root)))
        hit = next((index for index in rows if index.data() == name), None)
        if hit is not None:
            view.scrollTo(hit)
            point = view.visualRect(hit).center()
            QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
            return
        QTest.qWait(20)
    raise NotFound(f"{name} is not listed in {dialog.windowTitle()!r}")


def _centre(widget: QWidget) -> QPoint:
    """Where a person clicks: the middle, or the box itself of a check box or radio button
    (in a wide form row their middle is empty space that does not react)."""
    if isinstance(widget, QCheckBox | QRadioButton):
        return QPoint(min(8, widget.width() // 2), widget.height() // 2)
    return widget.rect().center()


def _items(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def _form_field_for(label: QLabel) -> QWidget | None:
    """The field in the same QFormLayout row as ``label`` (a row of two widgets has no buddy)."""
    parent = label.parentWidget()
    while parent is not None:
        for form in parent.findChildren(QFormLayout):
            for row in range(form.rowCount()):
                label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                if label_item is not None and label_item.widget() is label:
                    field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
                    if field_item is None:
                        return None
                    widget = field_item.widget()
                    if widget is not None:
                        return widget
                    layout = field_item.layout()
                    if layout is not None and layout.count():
                        return layout.itemAt(0).widget()
        parent = parent.parentWidget()
    return None


def text_of(widget: QWidget) -> str:
    """What a field shows."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QGroupBox):
        return widget.title()
    raise TypeError(type(widget).__name__)
