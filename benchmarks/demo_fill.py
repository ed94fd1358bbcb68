"""`klachtdesk demo` beside its floor: the same rows inserted bare, in one transaction.

    python benchmarks/demo_fill.py [--sizes 10000 100000] [--runs 5] [--folder DIR]
                                   [--source OTHER_CHECKOUT]   # e.g. "before" figures

klachtdesk's sample: ``klachtdesk demo --count N`` as a process into a new data folder, timed
from start to exit (Python start-up, imports, making the register and its key file included).

The floor's sample: the same rows, inserted by a process of this script (``--floor-worker``)
into a fresh register made by klachtdesk (same schema, same kind of key), on a raw sqlcipher
connection with the register's pragmas and the demo's page cache, with executemany per table
in ONE transaction, the FTS triggers and every index in place (they are the schema). The rows
are read back from a demo register made in the same run (every table, raw SELECT) before the
clock starts; the floor's time is connect + key + pragmas + insert + commit + close (the close
folds the WAL into the file, as klachtdesk's close does), reported by the worker itself.

Pairs are interleaved (benchmarks/pairs.py); the first pair is a warm-up that also makes the
register the floor reads. Peak RSS is each process's own (os.wait4). The floor's peak includes
the rows it holds in memory before its clock starts; its growth while inserting is printed
apart. Prints figures; asserts nothing (2 shared cores: trust the ratios, not the seconds).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from common import PASSPHRASE
from pairs import Pairs, measure_pairs, print_growth, print_header, print_pairs, sizes

from klachtdesk.services.demo import DEMO_CACHE_KIB

#: The page cache the floor gets: the one klachtdesk's demo fills with.
FLOOR_CACHE_KIB = DEMO_CACHE_KIB


#: Another klachtdesk source tree to run the demo from (--source: "before" figures).
SOURCE: list[str] = []


def _child(args: list[str]) -> tuple[float, int, str]:
    """Run ``args`` as a child and collect its own rusage: (wall s, peak RSS MB, stdout)."""
    read_end, write_end = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: its stdout to the pipe, then the command
        os.close(read_end)
        os.dup2(write_end, 1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        env = {**os.environ, "KLACHTDESK_PASSPHRASE": PASSPHRASE}
        if SOURCE and "--floor-worker" not in args:
            env["PYTHONPATH"] = SOURCE[0]
        os.execve(args[0], args, env)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        out = pipe.read()
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(args[:6])} failed: exit {os.waitstatus_to_exitcode(status)}")
    return seconds, usage.ru_maxrss // 1024, out


class Samples:
    """The peak RSS and extra figures of every sample, beside the times pairs.py keeps."""

    def __init__(self) -> None:
        self.rss: list[int] = []
        self.extra: list[dict[str, float]] = []


def _demo(count: int, folder: Path, samples: Samples) -> float:
    shutil.rmtree(folder, ignore_errors=True)
    seconds, rss, _ = _child(
        [sys.executable, "-m", "klachtdesk", "--data-dir", str(folder), "demo",
         "--count", str(count)]
    )  # fmt: skip
    samples.rss.append(rss)
    return seconds


def _floor(source: Path, folder: Path, samples: Samples) -> float:
    shutil.rmtree(folder, ignore_errors=True)
    _, rss, out = _child(
        [sys.executable, __file__, "--floor-worker", str(source), str(folder)]
    )  # fmt: skip
    figures = json.loads(out.strip().splitlines()[-1])
    samples.rss.append(rss)
    samples.extra.append(figures)
    return float(figures["seconds"])


# ---------------------------------------------------------------------------------------------
# The floor worker (its own process).


def _primary_key(conn: object, table: str) -> list[str]:
    info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()  # type: ignore[attr-defined]
    keys = sorted((row[5], row[1]) for row in info if row[5])
    return [name for _, name in keys] or ["rowid"]


#: Tables the floor fills, parents first (foreign keys are on, as in klachtdesk).
_ORDER = [
    "department",
    "handler",
    "complaint",
    "complaint_ground",
    "complaint_norm",
    "improvement_action",
    "population",
    "person_key",
    "audit_event",
    "audit_content",
    "erasure",
    "document",
    "setting",
    "reference_counter",
]


def floor_worker(source: Path, target: Path) -> None:
    """Read every row the demo wrote, make a fresh register, then time their bare insert."""
    from klachtdesk.models import SORT_KEY_FUNCTION, create_register, open_register
    from klachtdesk.models.database import PRAGMAS, connect_encrypted
    from klachtdesk.procedure.intake import name_sort_key

    with create_register(target, PASSPHRASE) as fresh:
        target_key = fresh.sqlcipher_key
        made = fresh.db.connection()
        present: dict[str, set[tuple[object, ...]]] = {}
        for (table,) in made.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            key_list = ", ".join(f'"{k}"' if k != "rowid" else k for k in _primary_key(made, table))
            present[table] = set(made.execute(f'SELECT {key_list} FROM "{table}"').fetchall())
    tables = [t for t in present if not t.startswith("complaint_fts") and t != "sqlite_stat1"]
    missing = set(tables) - set(_ORDER)
    if missing:
        raise SystemExit(f"floor worker: tables it does not know: {sorted(missing)}")
    rows: dict[str, tuple[str, list[tuple[object, ...]]]] = {}
    with open_register(source, PASSPHRASE) as demo:
        conn = demo.db.connection()
        for table in _ORDER:
            columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
            keys = _primary_key(conn, table)
            key_at = [columns.index(k) for k in keys if k != "rowid"]
            names = ", ".join(f'"{c}"' for c in columns)
            fetched = conn.execute(f'SELECT {names} FROM "{table}"').fetchall()
            if key_at:  # leave out what the fresh register holds already (its settings)
                have = present[table]
                fetched = [r for r in fetched if tuple(r[i] for i in key_at) not in have]
            marks = ", ".join("?" for _ in columns)
            rows[table] = (f'INSERT INTO "{table}" ({names}) VALUES ({marks})', fetched)
    held_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    conn = connect_encrypted(target / "klachtdesk.db", target_key)
    conn.create_function(SORT_KEY_FUNCTION, 1, name_sort_key, deterministic=True)
    for name, value in PRAGMAS.items():
        conn.execute(f"PRAGMA {name} = {value}")
    conn.execute(f"PRAGMA cache_size = -{FLOOR_CACHE_KIB}")
    cursor = conn.cursor()
    cursor.execute("BEGIN")
    for sql, table_rows in rows.values():
        cursor.executemany(sql, table_rows)
    inserted = time.perf_counter()
    cursor.execute("COMMIT")
    committed = time.perf_counter()
    conn.close()
    closed = time.perf_counter()
    print(
        json.dumps(
            {
                "seconds": closed - started,
                "insert": inserted - started,
                "commit": committed - inserted,
                "close": closed - committed,
                "rows": sum(len(r) for _, r in rows.values()),
                "events": len(rows["audit_event"][1]),
                "held_mb": held_kib / 1024,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


# ---------------------------------------------------------------------------------------------


def _spread(values: Sequence[float]) -> str:
    ordered = sorted(values)
    return f"{ordered[0]:.0f}/{ordered[len(ordered) // 2]:.0f}/{ordered[-1]:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+")
    parser.add_argument("--runs", type=int, default=5, help="measured pairs per size")
    parser.add_argument("--folder", type=Path, default=Path("/tmp/klachtdesk-bench-demo"))
    parser.add_argument(
        "--source", type=Path, help="run the demo from this klachtdesk source tree instead"
    )
    parser.add_argument("--floor-worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.source:
        SOURCE.append(str(args.source.resolve()))
        print(f"demo run from {SOURCE[0]}")
    if args.floor_worker:
        floor_worker(*args.floor_worker)
        return
    results: dict[int, Pairs] = {}
    print_header("klachtdesk demo beside its floor (same rows, bare, one transaction)", "s")
    for count in sizes(args.sizes):
        work = args.folder / str(count)
        source = work / "source"
        ours_samples, floor_samples = Samples(), Samples()
        # The warm-up pair: its demo register is the one every floor sample reads.
        _demo(count, source, Samples())
        pairs = measure_pairs(
            lambda: _demo(count, work / "demo", ours_samples),  # noqa: B023
            lambda: _floor(source, work / "floor", floor_samples),  # noqa: B023
            runs=args.runs,
            warmup=0,
            clock=lambda run: float(run()),  # type: ignore[arg-type]
        )
        results[count] = pairs
        label = f"demo --count {count:,}".replace(",", ".")
        print_pairs(label, pairs, "s")
        extra = floor_samples.extra
        print(
            f"{'':44} peak RSS MB min/med/max: demo {_spread(ours_samples.rss)}, floor "
            f"{_spread(floor_samples.rss)} (rows held before its clock: "
            f"{_spread([e['held_mb'] for e in extra])}); floor = insert "
            f"{_spread([e['insert'] for e in extra])} s + commit "
            f"{_spread([e['commit'] for e in extra])} s + close "
            f"{_spread([e['close'] for e in extra])} s; "
            f"{extra[0]['rows']:,.0f} rows, {extra[0]['events']:,.0f} audit events",
            flush=True,
        )
        size = (work / "demo" / "klachtdesk.db").stat().st_size
        print(f"{'':44} register {size / 1e6:.0f} MB", flush=True)
    counts = sorted(results)
    for small, large in itertools.pairwise(counts):
        print_growth(
            f"demo {small:,} → {large:,}".replace(",", "."), results[small], results[large]
        )
    shutil.rmtree(args.folder, ignore_errors=True)


if __name__ == "__main__":
    main()
