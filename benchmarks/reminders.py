"""How long the deadline watch's question "which reminders to handlers are due today?" takes,
and what the list's page pays for "herinnerd op" (issue 15).

    python benchmarks/reminders.py [--sizes 10000 100000] [--runs 20] [--work-dir D]

A demo register of each size (``fill_with_demo``: dossiers received over two years, many of
them with a handler and past the handler's limit), reminders switched on, then a reminder
recorded for every tenth dossier found due (so the reminders table is not empty). Timed:
``reminders_due(today)`` (the candidates through the list's due index, then the reminders'
own index), and ``complaint_list.rows`` for a page of 50 ids with and without the extra
statement that reads when each was reminded. The query plan of the candidates is printed.
Prints figures; asserts nothing (2 shared cores: trust the ratios, not the milliseconds).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from klachtdesk.models import create_register, database, list_queries
from klachtdesk.procedure.reminders import ReminderSettings
from klachtdesk.services import complaint_list
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.demo import fill_with_demo
from klachtdesk.services.dossiers import DOSSIER_COLUMNS
from klachtdesk.services.reminder_marks import last_reminded
from klachtdesk.services.reminders import (
    candidates_query,
    record_reminder,
    reminders_due,
    set_reminder_settings,
)
from klachtdesk.services.settings import time_limits
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup


def ms(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return f"p50 {statistics.median(samples) * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms"


def timed(work: object, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        out.append(time.perf_counter() - start)
    return out


def measure(size: int, runs: int, folder: Path) -> None:
    ctx = ServiceContext("benchmark", lambda: datetime(2026, 11, 30, 9, 0))
    register = create_register(folder / f"reg-{size}", "benchmark wachtwoord lang genoeg")
    try:
        initial_setup(
            ctx,
            Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
            Coordinator("Ann Peeters", email="klachten@herent.example"),
            [],
            [],
        )
        started = time.perf_counter()
        fill_with_demo(ctx, size)
        print(f"\n{size:,} dossiers (demo made in {time.perf_counter() - started:.0f} s)")
        set_reminder_settings(ctx, ReminderSettings(True, 5, True))
        today = ctx.today()
        due = reminders_due(today)
        for reminder in due[::10]:
            record_reminder(ctx, reminder, by_mail=True)
        print(f"  reminders due today: {len(due)} ({len(due[::10])} recorded beforehand)")
        print(f"  reminders_due(today):        {ms(timed(lambda: reminders_due(today), runs))}")
        sql, params = candidates_query(today + timedelta(days=5)).sql()
        plan = database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        for row in plan:
            print(f"    plan: {row[-1]}")
        ids = [i for (i,) in database.execute_sql("SELECT id FROM complaint LIMIT 50")]
        reminded_ids = [r.complaint_id for r in due[::10]][:50] or ids
        limits = time_limits()
        print(
            "  list page of 50, rows only:  "
            + ms(timed(lambda: list_queries.list_rows(ids, DOSSIER_COLUMNS), runs))
        )
        print(
            "  list page of 50, as shown:   "
            + ms(timed(lambda: complaint_list.rows(ids, today, limits), runs))
        )
        print(f"  last_reminded(50 ids):       {ms(timed(lambda: last_reminded(ids), runs))}")
        print(
            "  last_reminded(reminded ids): " + ms(timed(lambda: last_reminded(reminded_ids), runs))
        )
    finally:
        register.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--work-dir", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.work_dir) as tmp:
        for size in args.sizes:
            measure(size, args.runs, Path(tmp))


if __name__ == "__main__":
    main()
