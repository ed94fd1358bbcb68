"""Python's garbage collection on the GUI thread only.

Python collects reference cycles in whichever thread passes an allocation threshold. A cycle
that holds Qt widgets (a closed window and the slots that point back at it) then deletes those
widgets in that thread: collected inside a backup worker, they deadlocked the program on a Qt
mutex, or crashed it. So automatic collection is switched off while the window runs, and a
timer on the GUI thread collects instead, whenever the thresholds would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GarbageCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self, interval=INTERVAL_MS)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    def collect(self) -> None:
        """What automatic collection would have done by now, generation by generation."""
        young, middle, old = gc.get_count()
        if young > self.threshold[0]:
            gc.collect(0)
            if middle > self.threshold[1]:
                gc.collect(1)
                if old > self.threshold[2]:
                    gc.collect(2)
