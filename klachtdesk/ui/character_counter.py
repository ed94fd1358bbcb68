"""How many characters a field holds against its limit, shown beside or under the field.

'1.234 / 20.000' while typing; over the limit, or holding a character no register can keep,
it turns red and says why, and the form refuses before a service is called (with the same
Dutch words as the services, from :mod:`klachtdesk.procedure.input_checks`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure.input_checks import LIMITS, labelled
from klachtdesk.procedure.text_limits import TextLimit, line_count, text_problem
from klachtdesk.procedure.words import number

WARNING_STYLE = "color: #a61b1b; font-weight: bold;"
QUIET_STYLE = "color: #555555;"


class CharacterCounter(QLabel):
    """'1.234 / 20.000' for ``edit``; a warning when its text cannot be accepted."""

    def __init__(self, edit: QLineEdit | QPlainTextEdit, limit: TextLimit, label: str) -> None:
        super().__init__()
        self.edit = edit
        self.limit = limit
        self.label = label.replace("&", "")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Room for the full count, so the field does not jump while typing; the rarer warning
        # may take more. Reserving the warning's width too left a one-line field narrower
        # than its own counter when the window was narrow.
        widest = f"{number(limit.max_chars)} / {number(limit.max_chars)}"
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(widest))
        edit.textChanged.connect(self.update_count)
        self.update_count()

    def typed(self) -> str:
        if isinstance(self.edit, QPlainTextEdit):
            return self.edit.toPlainText()
        return self.edit.text()

    def problem(self) -> str:
        """Why the field's text cannot be accepted, in Dutch with the field's name; empty
        when it can (or when the field is switched off)."""
        if not self.edit.isEnabled():
            return ""
        return labelled(self.label, text_problem(self.typed(), self.limit))

    def update_count(self) -> None:
        typed = self.typed()
        count = f"{number(len(typed))} / {number(self.limit.max_chars)}"
        problem = text_problem(typed, self.limit)
        if not problem:
            shown = count
        elif len(typed) > self.limit.max_chars:
            shown = f"⚠ {count} te lang"
        elif self.limit.max_lines is not None and line_count(typed) > self.limit.max_lines:
            shown = (
                f"⚠ {number(line_count(typed))} regels, hoogstens {number(self.limit.max_lines)}"
            )
        else:
            shown = f"⚠ {count} ongeldig teken"
        self.setText(shown)
        self.setStyleSheet(WARNING_STYLE if problem else QUIET_STYLE)
        self.setToolTip(labelled(self.label, problem) if problem else "")


def counted(
    edit: QLineEdit | QPlainTextEdit, field: str, label: str, limit: TextLimit | None = None
) -> tuple[QWidget, CharacterCounter]:
    """``edit`` with its counter (beside a one-line field, under a multi-line one), in one
    widget for a form row; the limit is the field's own (:data:`input_checks.LIMITS`)."""
    counter = CharacterCounter(edit, limit or LIMITS[field], label)
    holder = QWidget()
    layout: QBoxLayout = (
        QVBoxLayout(holder) if isinstance(edit, QPlainTextEdit) else QHBoxLayout(holder)
    )
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(edit, 1)
    layout.addWidget(counter)
    return holder, counter


def add_counted_row(
    form: QFormLayout,
    label: str,
    edit: QLineEdit | QPlainTextEdit,
    field: str,
    limit: TextLimit | None = None,
) -> CharacterCounter:
    """A form row ``label`` for ``edit`` with its counter; the label names the field itself
    (its buddy, for the Alt-key and for screen readers). Returns the counter."""
    holder, counter = counted(edit, field, label, limit)
    caption = QLabel(label)
    caption.setBuddy(edit)
    form.addRow(caption, holder)
    return counter


def counter_problems(counters: list[CharacterCounter]) -> str:
    """The problems of the fields, one per line; empty when every field is acceptable."""
    return "\n".join(p for counter in counters if (p := counter.problem()))
