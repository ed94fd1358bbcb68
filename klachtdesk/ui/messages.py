"""Message boxes behind one small wrapper, in Dutch, so every screen says things the same way."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from klachtdesk.procedure import UserError


def show_error(parent: QWidget | None, error: UserError | str, title: str = "Niet gelukt") -> None:
    text = error.message if isinstance(error, UserError) else error
    QMessageBox.warning(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    )
    return answer == QMessageBox.StandardButton.Yes
