"""Small building blocks every form here uses: dates, texts, choices and inline errors."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
    QWizard,
)

from klachtdesk.procedure import UserError
from klachtdesk.procedure.periods import FIRST_YEAR, LAST_YEAR
from klachtdesk.services.register import StorageError

from .messages import show_error


def date_edit(day: date) -> QDateEdit:
    """A date field that offers only the years a register holds (procedure.periods)."""
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setDateRange(QDate(FIRST_YEAR, 1, 1), QDate(LAST_YEAR, 12, 31))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit


def set_button_texts(wizard: QWizard) -> None:
    """The wizard's own buttons, with an Alt+letter each that no other wizard button shares.

    Qt's Dutch texts give '< &Terug' and 'Vol&tooien' the same Alt+T; Volgende and Voltooien
    are never on screen together, so both can have Alt+V.
    """
    wizard.setButtonText(QWizard.WizardButton.BackButton, "< &Terug")
    wizard.setButtonText(QWizard.WizardButton.NextButton, "&Volgende >")
    wizard.setButtonText(QWizard.WizardButton.FinishButton, "&Voltooien")
    wizard.setButtonText(QWizard.WizardButton.CancelButton, "Annuleren")


def to_date(edit: QDateEdit) -> date:
    qdate = edit.date()
    return date(qdate.year(), qdate.month(), qdate.day())


def wrapped_text_minimum_height(dialog: QWidget) -> int:
    """The height ``dialog`` needs at its narrowest: Qt's minimum leaves out how many lines
    its word-wrapped labels take, so a dialog shrunk to it squeezed its rows until a text
    field's character counter lay over the field. The height for the width with every
    multi-line field at its smallest, never less than Qt's own minimum."""
    layout = dialog.layout()
    if layout is None or not layout.hasHeightForWidth():
        return layout.minimumSize().height() if layout is not None else 0
    width = max(dialog.minimumWidth(), layout.minimumSize().width())
    room = sum(
        max(
            0, edit.sizeHint().height() - max(edit.minimumHeight(), edit.minimumSizeHint().height())
        )
        for edit in dialog.findChildren(QPlainTextEdit)
        if edit.isVisibleTo(dialog)
    )
    return max(layout.minimumSize().height(), layout.totalHeightForWidth(width) - room)


class RoomForWrappedText(QObject):
    """Keeps the widgets it watches (wizard pages) at :func:`wrapped_text_minimum_height`
    whenever their layout changes (shown, a message came or went)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest and isinstance(watched, QWidget):
            needed = wrapped_text_minimum_height(watched)
            if needed != watched.minimumHeight():
                watched.setMinimumHeight(needed)
        return False


def text_edit(text: str = "", placeholder: str = "") -> QPlainTextEdit:
    """A multi-line field in which Tab moves on, as in every other field."""
    edit = QPlainTextEdit(text)
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumHeight(70)
    return edit


class ValueComboBox(QComboBox):
    """A combo box whose items carry Python values that come back exactly as they went in.

    Item data travels through a QVariant, and PySide6 hands a ``StrEnum`` back as a plain
    ``str`` (so ``isinstance`` and ``is`` checks fail silently). Here the values stay on the
    Python side, by row; Qt only ever sees the labels.

    The mouse wheel changes the choice only once the box has the focus (clicked or tabbed
    to): on a long form that scrolls, a wheel turned over a combo box scrolls the form
    instead of silently changing the mapping under the pointer.
    """

    def __init__(self, items: Iterable[tuple[str, Any]] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self._values: list[Any] = []
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.set_items(items)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # the scroll area around it scrolls

    def add(self, label: str, value: Any) -> None:
        self._values.append(value)
        self.addItem(label)

    def set_items(self, items: Iterable[tuple[str, Any]]) -> None:
        """Replace the items, keeping the chosen value when it is still there (no signal)."""
        current = self.value()
        blocked = self.blockSignals(True)
        self.clear()
        self._values = []
        for label, value in items:
            self.add(label, value)
        self.set_value(current)
        self.blockSignals(blocked)

    def value(self) -> Any:
        """The chosen item's value (None when nothing is chosen)."""
        index = self.currentIndex()
        return self._values[index] if 0 <= index < len(self._values) else None

    def values(self) -> list[Any]:
        return list(self._values)

    def set_value(self, value: Any) -> bool:
        """Choose the item holding ``value`` (compared by ``==``); False when there is none."""
        for index, candidate in enumerate(self._values):
            if candidate == value and type(candidate) is type(value):
                self.setCurrentIndex(index)
                return True
        if self._values and self.currentIndex() < 0:
            self.setCurrentIndex(0)
        return False


class EnterLineEdit(QLineEdit):
    """A field whose Enter does its own action (``returnPressed``) and nothing else.

    In a dialog, Enter in a plain QLineEdit also presses the dialog's default button: in a
    settings tab whose fields save at once, Enter would then press "Opslaan" of the whole
    dialog and jump to another tab.
    """

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


def choice(items: list[tuple[str, object]]) -> ValueComboBox:
    """A combo box with '(niet opgegeven)' first, for optional classifications."""
    return ValueComboBox([("(niet opgegeven)", None), *items])


def error_label() -> QLabel:
    """Where a form says, in red and in words, what is wrong."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #a61b1b;")
    label.hide()
    return label


def attempt(label: QLabel, action: Callable[[], object]) -> bool:
    """Run ``action``; a UserError's message goes to ``label`` and the result is False.

    A full disk, a read-only or damaged register is no fault of what was typed on the page:
    that is said in a message box, which the coordinator cannot overlook."""
    try:
        action()
    except StorageError as exc:
        show_error(label.window(), exc, "Niet bewaard")
        return False
    except UserError as exc:
        label.setText(exc.message)
        label.show()
        return False
    label.hide()
    return True
