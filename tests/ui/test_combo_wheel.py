"""A mouse wheel turned over a long form never changes a combo box it passes.

Seen in the import wizard: scrolling the mapping page changed "Dienst 'Financiën'" to
"Vrije tijd" under the pointer, silently.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from klachtdesk.ui.widgets import ValueComboBox


def turn_wheel(widget: QWidget, notches: int) -> None:
    """One notch down per -1, at the widget's centre, as a mouse wheel sends it."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(widget.rect().center())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_the_form_and_changes_a_combo_only_once_it_has_focus(
    qtbot: QtBot,
) -> None:
    page = QWidget()
    layout = QVBoxLayout(page)
    combos = []
    for n in range(30):
        combo = ValueComboBox([("Financiën", 1), ("Vrije tijd", 2), ("Sociale dienst", 3)])
        combo.setAccessibleName(f"Dienst {n}")
        layout.addWidget(combo)
        combos.append(combo)
    area = QScrollArea()
    area.setWidget(page)
    area.resize(300, 200)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    area.activateWindow()
    qtbot.waitActive(area)
    first = combos[0]
    turn_wheel(first, -1)
    assert first.value() == 1  # unchanged: the event goes on to the scroll area
    QTest.keyClick(area, Qt.Key.Key_Tab)  # tabbed to: the first combo box has the focus
    qtbot.waitUntil(first.hasFocus)
    turn_wheel(first, -1)
    assert first.value() == 2
