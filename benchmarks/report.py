"""How long the yearly report takes: its figures, the Cijfers view's refresh, the three files.

    python benchmarks/report.py [--counts 10000 100000] [--runs 5] [--keep MAP]

A demo register of COUNT dossiers received over ten years, plus what the demo does not make
(route, mate van oplossing, ombudsnormen, improvement actions, inhabitants), written in bulk.
Beside klachtdesk's own figures it times a *floor*: the bare SQL aggregate queries for the
same figures, written by hand on the same register in the same run. "Cold" means a freshly
opened register (no page decrypted yet, as the Cijfers view's worker connection has it);
"warm" the same connection again. Prints min / median / max; asserts nothing (the machines
are shared and noisy). Uses a temp folder unless --keep names one to reuse.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from common import PASSPHRASE

YEAR = date.today().year - 1
TEN_YEARS = 10


def fill(folder: Path, count: int) -> None:
    """A new register with ``count`` demo dossiers over ten years and the issue 12 extras."""
    from klachtdesk.models import create_register, database
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.demo import fill_with_demo

    with create_register(folder, PASSPHRASE):
        fill_with_demo(ServiceContext(), count, years=TEN_YEARS)
        with database.atomic():
            for sql in EXTRAS:
                database.execute_sql(sql)


EXTRAS = [
    # Most complaints come from the citizen directly; some through a politician or a third.
    "UPDATE complaint SET route = CASE abs(random()) % 10 WHEN 0 THEN 'politician' "
    "WHEN 1 THEN 'organisation' ELSE 'direct' END",
    "UPDATE complaint SET resolution = CASE abs(random()) % 3 WHEN 0 THEN 'resolved' "
    "WHEN 1 THEN 'partly_resolved' ELSE 'not_resolved' END "
    "WHERE outcome IN ('well_founded', 'partly_well_founded')",
    # One or two ombudsnormen for two assessed complaints in three.
    "INSERT INTO complaint_norm (complaint_id, norm) SELECT id, CASE abs(random()) % 5 "
    "WHEN 0 THEN 'courtesy' WHEN 1 THEN 'reasonable_time' WHEN 2 THEN 'correspondence' "
    "WHEN 3 THEN 'information' ELSE 'accuracy' END FROM complaint "
    "WHERE outcome IS NOT NULL AND abs(random()) % 3 > 0",
    "INSERT OR IGNORE INTO complaint_norm (complaint_id, norm) SELECT id, 'lawfulness' "
    "FROM complaint WHERE outcome = 'unfounded' AND abs(random()) % 4 = 0",
    # An improvement action for one (partly) well-founded complaint in twenty.
    "INSERT INTO improvement_action (complaint_id, description, department_id, status, "
    "created_on, due_on, done_on, updated_at) SELECT id, 'Werkwijze aanpassen na klacht', "
    "department_id, CASE abs(random()) % 3 WHEN 0 THEN 'planned' WHEN 1 THEN 'ongoing' "
    "ELSE 'done' END, assessed_on, NULL, NULL, registered_at FROM complaint "
    "WHERE outcome IN ('well_founded', 'partly_well_founded') AND abs(random()) % 20 = 0",
    "INSERT INTO population (year, inhabitants) WITH RECURSIVE y(n) AS "
    "(SELECT 2010 UNION ALL SELECT n + 1 FROM y WHERE n < 2030) SELECT n, 26000 + n FROM y",
]


def letterhead(folder: Path) -> None:
    """The municipality and the coordinator, which the PDF's letterhead needs."""
    from klachtdesk.models import open_register
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.setup import (
        Coordinator,
        Municipality,
        municipality,
        save_coordinator,
        save_municipality,
    )

    with open_register(folder, PASSPHRASE):
        if municipality() is None:
            ctx = ServiceContext()
            save_municipality(ctx, Municipality("Gemeente Herent", "Wijgmaalsesteenweg 3", "3020"))
            save_coordinator(ctx, Coordinator("Klachtencoördinator", phone="016 85 30 00"))


COVERING_INDEX = (
    "CREATE INDEX IF NOT EXISTS complaint_figures ON complaint (received_on, admissible, "
    "outcome, no_judgement_reason, resolution, channel, route, department_id, subject, nature, "
    "act_kind, closed_on, acknowledged_on, withdrawn_on, coordinator_received_on, "
    "first_returned_on, acknowledgement_days, handler_days, closing_days)"
)


def add_covering_index(folder: Path) -> None:
    """An experiment: every column the figures read, in one index, so that a year's figures
    read (and decrypt) index pages of ~60 bytes per dossier instead of whole rows."""
    from klachtdesk.models import database, open_register

    with open_register(folder, PASSPHRASE):
        started = time.perf_counter()
        database.execute_sql(COVERING_INDEX)
        print(f"covering index made in {time.perf_counter() - started:.1f} s (experiment)")


def floor_queries(year: int, as_of: date) -> Callable[[], None]:
    """The same figures as bare SQL aggregates: one GROUP BY per dimension, the limits with
    SQLite's date functions, the five-year trend; fetched, nothing else."""
    from klachtdesk.models import database

    where = f"received_on BETWEEN '{year}-01-01' AND '{year}-12-31'"
    day = as_of.isoformat()
    dimensions = ["admissible", "outcome, no_judgement_reason", "channel", "route"]
    dimensions += ["department_id", "subject", "nature", "act_kind", "resolution"]
    queries = [
        f"SELECT {d}, COUNT(*) FROM complaint WHERE {where} GROUP BY {d}" for d in dimensions
    ]
    queries += [
        "SELECT g.ground, COUNT(*) FROM complaint_ground g JOIN complaint c "
        f"ON c.id = g.complaint_id WHERE c.{where} GROUP BY g.ground",
        "SELECT n.norm, c.outcome, COUNT(*) FROM complaint_norm n JOIN complaint c "
        f"ON c.id = n.complaint_id WHERE c.{where} GROUP BY n.norm, c.outcome",
        # Acknowledgement, handler's report, answer: met, late, or still due (and overdue).
        "SELECT acknowledged_on <= date(received_on, '+' || acknowledgement_days || ' days'), "
        "first_returned_on <= date(coordinator_received_on, '+' || handler_days || ' days'), "
        "closed_on <= date(received_on, '+' || closing_days || ' days'), "
        f"date(received_on, '+' || closing_days || ' days') < '{day}', "
        f"closed_on IS NULL OR closed_on > '{year}-12-31', COUNT(*) "
        f"FROM complaint WHERE {where} GROUP BY 1, 2, 3, 4, 5",
        "SELECT julianday(closed_on) - julianday(received_on) FROM complaint "
        f"WHERE {where} AND closed_on IS NOT NULL",
        "SELECT substr(received_on, 1, 4), COUNT(*), SUM(admissible = 1), SUM(admissible = 0), "
        "SUM(outcome IN ('well_founded', 'partly_well_founded', 'corrected')), "
        "SUM(outcome IS NOT NULL AND outcome != 'stopped_by_citizen'), "
        "SUM(closed_on <= date(received_on, '+' || closing_days || ' days')) FROM complaint "
        f"WHERE received_on BETWEEN '{year - 4}-01-01' AND '{year}-12-31' GROUP BY 1",
        "SELECT status, COUNT(*) FROM improvement_action "
        f"WHERE created_on BETWEEN '{year}-01-01' AND '{year}-12-31' GROUP BY status",
    ]

    def run() -> None:
        for sql in queries:
            database.execute_sql(sql).fetchall()

    return run


def timed(
    what: str, action: Callable[[], object], runs: int, setup: Callable[[], object] | None = None
) -> None:
    seconds = []
    for _ in range(runs):
        if setup is not None:
            setup()
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    ms = [s * 1000 for s in seconds]
    print(f"  {what:<58} {min(ms):7.0f} {statistics.median(ms):7.0f} {max(ms):7.0f} ms")


def measure(folder: Path, count: int, runs: int) -> None:
    from klachtdesk.models import open_register
    from klachtdesk.procedure.periods import Period
    from klachtdesk.services.figures import figures
    from klachtdesk.services.report import period_report, selection_ids
    from klachtdesk.services.report_files import render_files, report_content

    as_of = date.today()
    year = Period.year(YEAR)
    print(f"\n{count:,} dossiers over ten years; figures of {YEAR} (min / median / max)")

    # Cold: a register opened anew before each run (its pages not yet decrypted).
    def cold(action: Callable[[], object], what: str) -> None:
        seconds = []
        for _ in range(runs):
            with open_register(folder, PASSPHRASE):
                started = time.perf_counter()
                action()
                seconds.append(time.perf_counter() - started)
        ms = [s * 1000 for s in seconds]
        print(f"  {what:<58} {min(ms):7.0f} {statistics.median(ms):7.0f} {max(ms):7.0f} ms")

    cold(floor_queries(YEAR, as_of), "floor: bare SQL aggregates, cold")
    cold(lambda: period_report(year, as_of), "period_report(year), cold")
    with open_register(folder, PASSPHRASE):
        floor = floor_queries(YEAR, as_of)
        floor()
        timed("floor: bare SQL aggregates, warm", floor, runs)
        timed("figures(year), warm", lambda: figures(year, as_of), runs)
        timed(
            "period_report(year), warm (Cijfers view, same connection)",
            lambda: period_report(year, as_of),
            runs,
        )
        quarter = Period.quarter(YEAR, 2)
        timed("period_report(2nd quarter), warm", lambda: period_report(quarter, as_of), runs)
        report = period_report(year, as_of)
        selections = [s for t in report.tables for s in t.selections if s is not None]
        timed(
            f"selection_ids of all {len(selections)} rows of the year",
            lambda: [selection_ids(s, as_of) for s in selections],
            runs,
        )
        content = report_content(year, as_of)
        from klachtdesk.letters.report import report_docx, report_pdf, report_xlsx

        timed("PDF", lambda: report_pdf(content.report, content.letterhead), runs)
        timed("DOCX", lambda: report_docx(content.report), runs)
        timed("XLSX", lambda: report_xlsx(content.report), runs)
        timed("all three files (render_files)", lambda: render_files(content), runs)
        timed(
            "figures and all three files (klachtdesk report)",
            lambda: render_files(report_content(year, as_of)),
            runs,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None, help="reuse (or make) registers here")
    parser.add_argument(
        "--covering-index",
        action="store_true",
        help="experiment: first add an index holding every column the figures read (not in "
        "the schema; for deciding whether a migration should add it)",
    )
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="klachtdesk-bench-"))
    try:
        for count in args.counts:
            folder = base / f"register-{count}"
            if not (folder / "klachtdesk.db").exists():
                started = time.perf_counter()
                fill(folder, count)
                print(f"{count:,} dossiers made in {time.perf_counter() - started:.0f} s")
            letterhead(folder)
            if args.covering_index:
                add_covering_index(folder)
            measure(folder, count, args.runs)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
