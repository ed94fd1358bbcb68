"""Work that waits until a window is on screen: after its first paint, not before it.

A zero-millisecond timer set after ``show()`` fires *before* the window's first paint (Qt
paints on a later update request), so start-up work queued that way delays what the
coordinator sees first. :func:`after_first_paint` runs it right after that paint instead.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

#: Without a paint by then (a window that starts hidden or minimised), the work runs anyway.
LATEST_MS = 1_000


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, then: Callable[[], object], latest_ms: int) -> None:
        super().__init__(widget)  # goes with the widget: then nothing is run
        self.widget = widget
        self.then: Callable[[], object] | None = then
        widget.installEventFilter(self)
        QTimer.singleShot(latest_ms, self, self._go)
        widget.update()  # painted before this was asked: wait for the next paint

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Paint:
            # Once this paint event, and the rest of the frame, has been handled.
            QTimer.singleShot(0, self, self._go)
        return False

    def _go(self) -> None:
        then, self.then = self.then, None
        if then is None:
            return
        self.widget.removeEventFilter(self)
        self.deleteLater()
        then()


def after_first_paint(
    widget: QWidget, then: Callable[[], object], latest_ms: int = LATEST_MS
) -> None:
    """Call ``then`` once, on this thread, right after ``widget``'s next paint (or after
    ``latest_ms`` when it is not painted by then)."""
    _FirstPaint(widget, then, latest_ms)
