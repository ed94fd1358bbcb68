"""How fast the window is on a big register: unlock to window, a search keystroke, scrolling.

    QT_QPA_PLATFORM=offscreen python benchmarks/gui_startup.py [--count 100000] [--data-dir D]

Builds a demo register in a temp folder (or uses --data-dir with KLACHTDESK_PASSPHRASE),
prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from common import PASSPHRASE, run_klachtdesk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    temp = None
    if args.data_dir:
        folder = Path(args.data_dir)
    else:
        temp = Path(tempfile.mkdtemp(prefix="klachtdesk-gui-bench-"))
        folder = temp / "data"
        run_klachtdesk(folder, "demo", "--count", str(args.count))
    try:
        measure(folder)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


def measure(folder: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from klachtdesk.app import make_application
    from klachtdesk.models import open_register
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.ui.main_window import MainWindow

    app = make_application([sys.argv[0]])
    started = time.perf_counter()
    register = open_register(folder, PASSPHRASE)
    opened = time.perf_counter()
    settings = QSettings(str(folder.parent / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ServiceContext(actor="benchmark"), settings)
    window.show()
    window.repaint()
    app.processEvents()
    shown = time.perf_counter()
    rows = window.model.rowCount()

    keystrokes = []
    for text in ["p", "pe", "pee", "peet", "peete", "peeter", "peeters", "peeters k"]:
        t = time.perf_counter()
        window.search.setText(text)
        window.apply_filter()  # what the debounce timer calls, without its 150 ms wait
        window.table.repaint()
        app.processEvents()
        keystrokes.append((time.perf_counter() - t) * 1000)
    window.search.setText("")
    window.apply_filter()
    t = time.perf_counter()
    window.table.scrollToBottom()
    window.table.repaint()
    app.processEvents()
    scroll = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    window.table.sortByColumn(2, window.table.horizontalHeader().sortIndicatorOrder())
    window.table.repaint()
    app.processEvents()
    sort = (time.perf_counter() - t) * 1000

    print(f"complaints in the register      {rows}")
    print(f"unlock (key derivation + open)  {(opened - started) * 1000:.0f} ms")
    print(f"unlocked to window painted      {(shown - opened) * 1000:.0f} ms")
    print(
        f"search keystroke (median/max)   {statistics.median(keystrokes):.0f} / {max(keystrokes):.0f} ms"
    )
    print("  per keystroke: " + ", ".join(f"{ms:.0f}" for ms in keystrokes))
    print(f"jump to the last row            {scroll:.0f} ms")
    print(f"sort on complainant             {sort:.0f} ms")
    window.close()
    register.close()
    QApplication.processEvents()


if __name__ == "__main__":
    main()
