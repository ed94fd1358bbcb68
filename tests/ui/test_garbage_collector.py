"""Cycles holding Qt objects are freed on the GUI thread, never in a worker thread."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot


class Cyclic(QWidget):
    pass


def test_a_worker_thread_never_frees_widgets_the_gui_thread_collects_them(qtbot: QtBot) -> None:
    assert not gc.isenabled()  # make_application switched automatic collection off
    freed_in: list[str] = []
    widget = Cyclic()
    widget.me = widget  # type: ignore[attr-defined]  # a cycle: only the collector frees it
    ref = weakref.ref(widget, lambda _: freed_in.append(threading.current_thread().name))
    del widget

    def allocate() -> None:  # what a backup's json and sqlite work does: many small objects
        for _ in range(200_000):
            cycle: list[object] = []
            cycle.append(cycle)

    worker = threading.Thread(target=allocate, name="werker")
    worker.start()
    worker.join()
    assert freed_in == [] and ref() is not None
    qtbot.waitUntil(lambda: bool(freed_in), timeout=5000)
    assert freed_in == ["MainThread"]
