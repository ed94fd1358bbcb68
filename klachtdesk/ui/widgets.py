"""Small building blocks every form here uses: dates, texts, choices and inline errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QLabel, QPlainTextEdit

from klachtdesk.procedure import UserError


def date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit


def to_date(edit: QDateEdit) -> date:
    qdate = edit.date()
    return date(qdate.year(), qdate.month(), qdate.day())


def text_edit(text: str = "", placeholder: str = "") -> QPlainTextEdit:
    """A multi-line field in which Tab moves on, as in every other field."""
    edit = QPlainTextEdit(text)
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumHeight(70)
    return edit


def choice(items: list[tuple[str, object]]) -> QComboBox:
    """A combo box with '(niet opgegeven)' first, for optional classifications."""
    combo = QComboBox()
    combo.addItem("(niet opgegeven)", None)
    for label, value in items:
        combo.addItem(label, value)
    return combo


def error_label() -> QLabel:
    """Where a form says, in red and in words, what is wrong."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #a61b1b;")
    label.hide()
    return label


def attempt(label: QLabel, action: Callable[[], object]) -> bool:
    """Run ``action``; a UserError's message goes to ``label`` and the result is False."""
    try:
        action()
    except UserError as exc:
        label.setText(exc.message)
        label.show()
        return False
    label.hide()
    return True
