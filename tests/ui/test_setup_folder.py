"""A data folder that cannot be one is refused on the setup wizard's first page."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from klachtdesk.ui.setup_wizard import SetupWizard


def button(window: QWidget, text: str) -> QAbstractButton:
    found = [b for b in window.findChildren(QAbstractButton) if b.isVisible() and text in b.text()]
    assert len(found) == 1, [b.text() for b in window.findChildren(QAbstractButton)]
    return found[0]


def field(window: QWidget, label: str) -> QLineEdit:
    """The visible line edit a label (with its & shortcut) belongs to."""
    for widget in window.findChildren(QLabel):
        if widget.isVisible() and widget.text().replace("&", "") == label:
            buddy = widget.buddy()
            assert isinstance(buddy, QLineEdit)
            return buddy
    raise AssertionError(f"no field labelled {label}")


def shown_errors(window: QWidget) -> list[str]:
    return [
        w.text() for w in window.findChildren(QLabel) if w.isVisible() and "gegevensmap" in w.text()
    ]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda tmp: tmp / "klachten.txt", "er staat een bestand met die naam"),
        (lambda tmp: tmp / "klachten.txt" / "map", "een deel van het pad is een bestand"),
    ],
)
def test_a_file_as_data_folder_is_refused_on_the_first_page(
    qtbot: QtBot, tmp_path: Path, make: object, reason: str
) -> None:
    (tmp_path / "klachten.txt").write_text("geen map")
    folder = make(tmp_path)  # type: ignore[operator]
    wizard = SetupWizard(folder)
    qtbot.addWidget(wizard)
    wizard.show()
    first = wizard.currentPage()
    # Said at once, before anything is typed.
    assert shown_errors(wizard) == [
        f"De map {folder} kan niet als gegevensmap dienen: {reason}. Er werd niets gewijzigd. "
        "Vraag de informaticadienst om klachtdesk een bruikbare gegevensmap te geven."
    ]
    assert "--data-dir" not in shown_errors(wizard)[0]
    for label, text in (("Naam", "Gemeente Herent"), ("Straat", "Wilselsesteenweg 28"),
                        ("Postcode", "3020"), ("Gemeente", "Herent")):  # fmt: skip
        QTest.keyClicks(field(wizard, label), text)
    QTest.mouseClick(button(wizard, "Volgende"), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is first  # no further
    assert len(shown_errors(wizard)) == 1
    assert (tmp_path / "klachten.txt").read_text() == "geen map"


def test_a_usable_folder_shows_no_folder_message(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = SetupWizard(tmp_path / "nieuw" / "klachtdesk")
    qtbot.addWidget(wizard)
    wizard.show()
    first = wizard.currentPage()
    assert shown_errors(wizard) == []
    QTest.keyClicks(field(wizard, "Naam"), "Gemeente Herent")
    QTest.mouseClick(button(wizard, "Volgende"), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is not first
    assert not (tmp_path / "nieuw").exists()  # nothing made before Finish
