"""How much memory klachtdesk holds after an hour-like workout on the list (issue 14).

    QT_QPA_PLATFORM=offscreen python benchmarks/list_memory.py [--sizes 100000]
        [--keystrokes 3000] [--quick] [--work-dir D]

The real main window on a copy of a demo register, driven as a person drives it (see
list_speed.py): a few thousand keys typed into "Zoeken" (words typed at a person's pace, the
search let through after the second letter and at the end of each word), every choice of
every filter, every header section both ways, the list paged through with Page Down and sent
to its end with Ctrl+End, and dossiers opened one after another with the arrow keys. The
process's resident memory (VmRSS, and its peak VmHWM, from /proc/self/status) is printed after
each phase. Goal: at most 250 MB at the end.

The floor, in a process of its own: a bare PySide6 window with an empty table, painted, and
the same register opened bare (sqlcipher3 keyed with the data key, klachtdesk's 32 MB page
cache) with one query (the list's first page of rows). Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import PASSPHRASE
from list_speed import COMBOS, QUICK_WORDS, WORDS, Bench, close_window, open_window
from pairs import demo_register

GOAL_MB = 250


def memory() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MB."""
    found: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) / 1024
    return found["VmRSS"], found["VmHWM"]


def report(phase: str, started: float) -> None:
    rss, peak = memory()
    print(
        f"{phase:46} RSS {rss:7.1f} MB   peak {peak:7.1f} MB   ({time.perf_counter() - started:6.1f} s)",
        flush=True,
    )


# -- the workout ----------------------------------------------------------------------------


def typing(bench: Bench, words: list[str], keystrokes: int) -> int:
    """Words typed over one another, letter by letter at a person's pace: the search is let
    through after the second letter and at the end of the word. Returns the keys typed."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    search = bench.search
    QTest.mouseClick(search, Qt.MouseButton.LeftButton)
    search.setFocus()
    typed = 0
    while typed < keystrokes:
        for word in words:
            QTest.keyClick(search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            for position, char in enumerate(word):
                if position in (1, len(word) - 1):
                    bench.type_key(char)  # a pause: the search runs, the list is painted
                else:
                    QTest.keyClicks(search, char)
                typed += 1
            if typed >= keystrokes:
                break
    QTest.keyClick(search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(search, Qt.Key.Key_Backspace)
    bench.watch.wait(lambda: not bench.window.search_timer.isActive())
    bench.watch.settle()
    return typed


def filtering(bench: Bench, quick: bool) -> int:
    chosen = 0
    for name in COMBOS:
        combo = bench.combo(name)
        items = [combo.itemText(i) for i in range(combo.count())]
        for text in items[1:3] if quick else items[1:]:
            bench.pick(combo, text)
            chosen += 1
        bench.pick(combo, items[0])
    return chosen


def sorting(bench: Bench) -> int:
    from PySide6.QtCore import Qt

    table = bench.table
    header = table.horizontalHeader()
    clicks = 0
    for section in range(table.model().columnCount()):
        for _ in range(2):
            bench.click_header(section)
            clicks += 1
    while not (
        header.sortIndicatorSection() == 1
        and header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    ):
        bench.click_header(1)
        clicks += 1
    return clicks


def paging(bench: Bench, pages: int | None) -> int:
    """Page Down through the list (all of it, or ``pages``), then Ctrl+End."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    table = bench.table
    bar = table.verticalScrollBar()
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    bench.watch.settle()
    pressed = 0
    while bar.value() < bar.maximum() and (pages is None or pressed < pages):
        QTest.keyClick(table, Qt.Key.Key_PageDown)
        pressed += 1
        bench.watch.settle_quickly()
    QTest.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    bench.watch.settle()
    return pressed


def opening(bench: Bench, dossiers: int) -> int:
    """Dossiers opened one after another: the first one clicked, then the Down key."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    table = bench.table
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    rect = table.visualRect(table.model().index(0, 2))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    for _ in range(dossiers - 1):
        QTest.keyClick(table, Qt.Key.Key_Down)
        bench.watch.settle_quickly()
    bench.watch.settle()
    return dossiers


def workout(count: int, work: Path, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    folder = demo_register(count, work / f"list-memory-{count}")
    register, window, bench = open_window(folder, work)
    window.watch.start()  # the deadline watch runs during an hour at the desk
    print(f"\n== klachtdesk, {len(bench.shown_ids()):,} dossiers ({folder}) ==")
    report("window open, list painted", started)
    try:
        words = QUICK_WORDS if args.quick else WORDS
        keys = typing(bench, words, 20 if args.quick else args.keystrokes)
        report(f"after {keys} keys typed into Zoeken", started)
        chosen = filtering(bench, args.quick)
        report(f"after {chosen} filter choices", started)
        clicks = sorting(bench)
        report(f"after {clicks} header clicks (every sort)", started)
        pages = paging(bench, 10 if args.quick else None)
        report(f"after {pages} × Page Down and Ctrl+End", started)
        opened = opening(bench, 5 if args.quick else 300)
        report(f"after {opened} dossiers opened", started)
        if not args.quick:
            keys = typing(bench, words, args.keystrokes // 3)
            chosen = filtering(bench, args.quick)
            clicks = sorting(bench)
            report(f"again: {keys} keys, {chosen} filters, {clicks} sorts", started)
        rss, peak = memory()
        print(
            f"{'end of the workout':46} RSS {rss:7.1f} MB   peak {peak:7.1f} MB   "
            f"(goal ≤ {GOAL_MB} MB: {'met' if rss <= GOAL_MB else 'NOT met'})"
        )
    finally:
        close_window(register, window)


# -- the floor --------------------------------------------------------------------------------


KEY_ENV = "KLACHTDESK_BENCH_SQLCIPHER_KEY"

FIRST_PAGE = (
    "SELECT complaint.id, reference, received_on, complaint.name, channel, department.name, "
    "state, handler.name, next_due_on FROM complaint "
    "LEFT JOIN department ON department.id = complaint.department_id "
    "LEFT JOIN handler ON handler.id = complaint.handler_id "
    "ORDER BY received_on DESC, complaint.id DESC LIMIT 100"
)


def floor(folder: Path) -> None:
    """A bare window and the register opened bare (sqlcipher3 keyed with the data key the
    parent unwrapped, klachtdesk's page cache size) with one query; prints its memory."""
    started = time.perf_counter()
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.setCentralWidget(QTableView())
    window.resize(1280, 860)
    window.show()
    QTest.qWaitForWindowActive(window)
    app.processEvents()
    report("floor: bare PySide6 window, painted", started)

    from sqlcipher3 import dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(folder / "klachtdesk.db"))
    key = os.environ[KEY_ENV]
    conn.execute("PRAGMA key='{}'".format(key.replace("'", "''")))
    conn.execute("PRAGMA cache_size = -32000")
    rows = conn.execute(FIRST_PAGE).fetchall()
    report(f"floor: + register opened, one query ({len(rows)} rows)", started)
    conn.close()
    window.close()


def run_floor(folder: Path) -> None:
    from klachtdesk.models.keyfile import unwrap_sqlcipher_key

    key = unwrap_sqlcipher_key(folder / "klachtdesk.key", PASSPHRASE)
    subprocess.run(
        [sys.executable, __file__, "--floor", str(folder)],
        check=True,
        env={**os.environ, KEY_ENV: key},
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--keystrokes", type=int, default=3000)
    parser.add_argument("--quick", action="store_true", help="a short workout: a smoke run")
    parser.add_argument("--work-dir", help="where the register copies go (default: a temp dir)")
    parser.add_argument("--floor", help=argparse.SUPPRESS)  # the floor's own process
    args = parser.parse_args(argv)
    if args.floor:
        floor(Path(args.floor))
        return

    started = time.perf_counter()
    report("this process before klachtdesk (Python, harness)", started)
    from klachtdesk.app import make_application

    make_application([sys.argv[0]])
    report("klachtdesk.app imported, QApplication made", started)
    work = Path(args.work_dir or tempfile.mkdtemp(prefix="klachtdesk-list-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    for count in args.sizes:
        folder = demo_register(count, work / f"list-memory-floor-{count}")
        print(f"\n== floor, {count:,} dossiers (a process of its own) ==", flush=True)
        run_floor(folder)
        workout(count, work, args)
    rss, peak = memory()
    print(f"\nthe whole run: RSS {rss:.1f} MB, peak {peak:.1f} MB")


if __name__ == "__main__":
    main()
