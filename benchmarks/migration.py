"""How long opening a register of schema 9 takes to bring it to schema 10 (the list's
indexes, issue 14), including the copy aside made before migrating.

    python benchmarks/migration.py [--sizes 10000 100000] [--runs 3] [--work DIR]

Each sample starts from a fresh copy of the kept demo register (benchmarks/pairs.py; made by
a klachtdesk of schema 9). klachtdesk: what opening does once the key is known
(models/database.py ``_open``): the checkpoint and the fsynced copy aside, then every
migration step up to the current schema, each in its transaction. Floor, in the same run on
an identical fresh copy: a plain file copy of the register (fsynced) and migration 10's own
statements on a raw SQLCipher cursor in one transaction. Interleaved pairs; min/median/max
and the ratio; growth from the smallest size to the largest. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import PASSPHRASE
from pairs import Pairs, demo_register, measure_pairs, print_growth, print_header, print_pairs
from pairs import sizes as chosen_sizes


def measure(count: int, work: Path, runs: int) -> Pairs:
    from klachtdesk.models import SORT_KEY_FUNCTION, connect_encrypted, open_register
    from klachtdesk.models.database import PRAGMAS, KlachtdeskDatabase, _backup
    from klachtdesk.models.migrations import _V10, migrate, schema_version
    from klachtdesk.models.tables import database
    from klachtdesk.procedure.intake import name_sort_key

    kept = demo_register(count, work / f"kept-{count}")
    with open_register(demo_register(count, work / f"key-{count}"), PASSPHRASE) as register:
        key = register.sqlcipher_key  # every copy of the kept register has the same data key
    copy = work / f"copy-{count}"
    version = 0

    def fresh() -> Path:
        nonlocal version
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(kept, copy)
        path = copy / "klachtdesk.db"
        db = KlachtdeskDatabase(str(path), passphrase=key, key_proven=True)
        db.connect()
        version = schema_version(db)
        db.close()
        return path

    def ours() -> None:
        path = copy / "klachtdesk.db"
        db = KlachtdeskDatabase(str(path), passphrase=key, pragmas=PRAGMAS, key_proven=True)
        db.connect()
        started = time.perf_counter()
        _backup(db, path, f"schema{version}")
        database.initialize(db)
        made = migrate(db)
        timings["ours"] = (time.perf_counter() - started) * 1000
        assert made, "the copy was already migrated?"
        db.close()

    def floor() -> None:
        path = copy / "klachtdesk.db"
        conn = connect_encrypted(path, key)
        conn.execute("PRAGMA cache_size = -32000")
        conn.create_function(SORT_KEY_FUNCTION, 1, name_sort_key, deterministic=True)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        started = time.perf_counter()
        target = path.with_name("plain-copy.db")
        shutil.copyfile(path, target)
        with target.open("rb+") as file:
            os.fsync(file.fileno())
        conn.execute("BEGIN")
        for sql in _V10:
            conn.execute(sql)
        conn.execute("COMMIT")
        timings["floor"] = (time.perf_counter() - started) * 1000
        conn.close()

    timings: dict[str, float] = {}

    def clock(work: Callable[[], object]) -> float:
        fresh()
        work()
        return timings["ours" if work is ours else "floor"] / 1000  # seconds

    fresh()
    print(f"{count:,} dossiers (copies of schema {version})".replace(",", "."), flush=True)
    return measure_pairs(ours, floor, runs=runs, warmup=0, clock=clock)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default=None, help="folder for the register copies")
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="klachtdesk-migration-bench-"))
    measured = {count: measure(count, work, args.runs) for count in chosen_sizes(args.sizes)}
    print_header("\nmigration to schema 10 with its copy aside (seconds)", unit="s")
    for count, pairs in measured.items():
        print_pairs(f"{count:,} dossiers".replace(",", "."), pairs, unit="s")
    counts = sorted(measured)
    if len(counts) > 1:
        print_growth(
            f"growth {counts[0]:,} → {counts[-1]:,}".replace(",", "."),
            measured[counts[0]],
            measured[counts[-1]],
        )


if __name__ == "__main__":
    main()
