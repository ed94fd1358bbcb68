"""How fast the Cijfers window is: a period chosen → its tables and charts painted; a number
clicked → the list showing its dossiers. At 10,000 and 100,000 dossiers.

    QT_QPA_PLATFORM=offscreen python benchmarks/figures_view.py [--counts 10000 100000]
        [--rounds 5] [--data-dir D]    (D: an existing register, KLACHTDESK_PASSPHRASE)

Builds demo registers in a temp folder (``klachtdesk demo --count N``: two years of
complaints), prints min / median / max in ms, asserts nothing. Beside each figure, in the same
run, its floor:

- ``period_report`` alone (services.report, on the main thread): what any screen of these
  figures must wait for; the window adds its tables and charts (``view``). A refresh is
  measured counted anew (the window's cache emptied) and for a period counted before.
- one bare SQL count over the period (``SELECT outcome, COUNT(*) … GROUP BY outcome``): the
  least a single table of figures costs.
- for the list: the same year through the list's own year filter (no id set).

While a year is being counted, the GUI thread's longest pause between two 10 ms timer ticks
says whether the window keeps answering.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from common import PASSPHRASE, run_klachtdesk


def stats(samples: list[float]) -> str:
    return (
        f"{min(samples):7.1f} {statistics.median(samples):7.1f} {max(samples):7.1f}"
        f"   (n={len(samples)})"
    )


def timed(work: Callable[[], object], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


BARE_SQL = (
    "SELECT outcome, COUNT(*) FROM complaint WHERE received_on BETWEEN ? AND ? GROUP BY outcome"
)


def longest_pause(figures: Any, before: Any, period: Any) -> float:
    """The GUI thread's longest gap between two ticks of a 10 ms timer while ``period`` is
    counted and shown (``before`` on screen first)."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    figures.show_period(before)
    figures.wait_until_counted()
    figures._cache.clear()
    clock = QElapsedTimer()
    longest = last = 0.0
    clock.start()

    def tick() -> None:
        nonlocal longest, last
        now = clock.nsecsElapsed() / 1e6
        longest = max(longest, now - last)
        last = now

    timer = QTimer(interval=10)
    timer.timeout.connect(tick)
    timer.start()
    figures.show_period(period)
    while figures.counting:
        QApplication.processEvents()
        time.sleep(0.001)
    QApplication.processEvents()
    timer.stop()
    return longest


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data-dir")
    args = parser.parse_args()

    from klachtdesk.app import make_application

    app = make_application([sys.argv[0]])
    if args.data_dir:
        measure(app, Path(args.data_dir), args.rounds)
        return
    for count in args.counts:
        temp = Path(tempfile.mkdtemp(prefix="klachtdesk-figures-bench-"))
        try:
            folder = temp / "data"
            run_klachtdesk(folder, "demo", "--count", str(count), quiet=True)
            measure(app, folder, args.rounds)
        finally:
            shutil.rmtree(temp, ignore_errors=True)


def measure(app: object, folder: Path, rounds: int) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from klachtdesk.models import Complaint, database, open_register
    from klachtdesk.procedure.periods import Period
    from klachtdesk.services.complaint_list import ListFilter
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.report import period_report, selection_ids
    from klachtdesk.ui.main_window import MainWindow

    register = open_register(folder, PASSPHRASE)
    today = date.today()
    ctx = ServiceContext(actor="benchmark")
    settings = QSettings(str(folder.parent / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings)
    window.show()
    figures = window.show_figures()
    figures.wait_until_counted()

    def settle() -> None:
        for _ in range(3):
            QApplication.processEvents()

    quarter = (today.month - 1) // 3 + 1
    last_quarter = Period.quarter(today.year - (quarter == 1), (quarter - 2) % 4 + 1)
    last_month = Period.month(today.year - (today.month == 1), (today.month - 2) % 12 + 1)
    # Each period, and the one before it of the same kind (what Vorige shows).
    periods = {
        "year (this)": (Period.year(today.year), Period.year(today.year - 1)),
        "year (last)": (Period.year(today.year - 1), Period.year(today.year)),
        "quarter": (Period.quarter(today.year, quarter), last_quarter),
        "month": (Period.month(today.year, today.month), last_month),
        "90 days": (
            Period(today - timedelta(days=89), today),
            Period(today - timedelta(days=179), today - timedelta(days=90)),
        ),
    }
    print(f"\n== {Complaint.select().count()} dossiers in the register ({folder}) ==")
    print("                                  min  median     max  (ms)")
    for name, (period, before) in periods.items():
        floor = timed(lambda p=period: period_report(p, today), rounds)  # type: ignore[misc]
        bounds = (period.start.isoformat(), period.end.isoformat())
        bare = timed(lambda b=bounds: database.execute_sql(BARE_SQL, b).fetchall(), rounds)  # type: ignore[misc]
        refresh: list[float] = []
        again: list[float] = []
        view: list[float] = []
        for _ in range(rounds):
            # The period before it on screen first, as when Vorige/Volgende is clicked.
            figures.show_period(before)
            figures.wait_until_counted()
            settle()
            previous = figures.report
            figures._cache.clear()  # counted anew, as after any change in the register
            started = time.perf_counter()
            figures.show_period(period)  # what the period chooser calls
            figures.wait_until_counted()
            figures.repaint()
            settle()
            refresh.append((time.perf_counter() - started) * 1000)
            report = figures.report
            assert previous is not None and report is not None and report.period == period
            # Back and forth again: both counted before, the register unchanged.
            figures.show_period(before)
            figures.wait_until_counted()
            settle()
            started = time.perf_counter()
            figures.show_period(period)
            figures.wait_until_counted()
            figures.repaint()
            settle()
            again.append((time.perf_counter() - started) * 1000)
            figures._build(previous)
            settle()
            started = time.perf_counter()
            figures._build(report)  # the view's own part: tables filled, charts painted
            figures.repaint()
            settle()
            view.append((time.perf_counter() - started) * 1000)
        tables = len(figures.tables)
        print(f"{name:12} refresh (period → painted) {stats(refresh)}   {tables} tables")
        print(f"{'':12} floor: period_report      {stats(floor)}")
        print(f"{'':12} floor: one bare SQL count {stats(bare)}")
        print(f"{'':12} view alone (build+paint)  {stats(view)}")
        print(f"{'':12} refresh, counted before   {stats(again)}")

    # Another kind of period (a year has the five-year trend, a month not): a new page.
    year = period_report(Period.year(today.year), today)
    month = period_report(Period.month(today.year, today.month), today)
    new_page: list[float] = []
    for _ in range(rounds):
        for report in (month, year):
            figures._build(report)
            settle()
        started = time.perf_counter()
        figures._build(month)
        figures.repaint()
        settle()
        new_page.append((time.perf_counter() - started) * 1000)
    print(f"year → month: view alone, new page         {stats(new_page)}")

    # The GUI thread while a year is counted: the longest gap between 10 ms ticks.
    gaps = [
        longest_pause(figures, Period.year(today.year - 1), Period.year(today.year))
        for _ in range(rounds)
    ]
    print(f"GUI thread's longest pause while a year is counted   {stats(gaps)}")

    # A number clicked: its dossiers' ids, then the list showing them.
    report = period_report(Period.year(today.year), today)
    rows = [
        (table.title, row[0], row[1], selection)
        for table in report.tables
        for row, selection in zip(table.rows, table.selections, strict=False)
        if selection is not None and isinstance(row[1], int) and row[1] > 0
    ]
    rows.sort(key=lambda r: r[2])
    near_10k = min(rows, key=lambda r: abs(r[2] - 10_000))
    chosen = {"largest": rows[-1], "about 10,000": near_10k, "smallest": rows[0]}
    print("                                  min  median     max  (ms)")
    for name, (title, label, count, selection) in chosen.items():
        ids_ms = timed(lambda s=selection: selection_ids(s, today), rounds)  # type: ignore[misc]
        ids = selection_ids(selection, today)
        assert len(ids) == count, (title, label, count, len(ids))

        def show(ids: list[int] = ids, label: str = selection.label) -> None:
            window.show_only(ids, label)
            window.table.repaint()
            QApplication.processEvents()

        listed = timed(show, rounds)
        assert window.model.rowCount() == count
        print(f"{name} ({count} dossiers: {title} – {label})")
        print(f"{'':12} selection_ids             {stats(ids_ms)}")
        print(f"{'':12} list restricted, painted  {stats(listed)}")

    def year_filter() -> None:
        window.clear_restriction()
        window.model.set_filter(ListFilter(year=today.year))
        window.table.repaint()
        QApplication.processEvents()

    floor_list = timed(year_filter, rounds)
    print(f"floor: the list on its year filter ({window.model.rowCount()} dossiers)")
    print(f"{'':12} list filtered, painted    {stats(floor_list)}")

    figures.close()
    window.quitting = True
    window.watch.stop()
    window.close()
    register.close()
    QApplication.processEvents()


if __name__ == "__main__":
    main()
