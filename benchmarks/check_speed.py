"""`klachtdesk check` beside its floor: the same checks done bare on a raw SQLCipher cursor.

    python benchmarks/check_speed.py [--sizes 10000 100000] [--runs 5]

For each size, on a copy of the kept demo register (``pairs.demo_register``), interleaved
pairs (``pairs.measure_pairs``) of two processes, each timed from start to exit:

- klachtdesk: ``python -m klachtdesk --data-dir COPY check``, as an administrator runs it;
- the floor: ``python benchmarks/check_speed.py --floor COPY``: the work no check of this
  register can avoid, in one process, on one thread, with as little Python as possible:

  1. opening: the key file's Argon2id key derivation with its own parameters (the key itself
     is handed over by the parent: unwrapping it is a few microseconds of AES), and a raw
     ``sqlcipher3`` connection opened read-only the way check opens it (``immutable=1``, or
     ``unix-none`` beside a WAL; ``query_only``; the same 32 MB page cache);
  2. the SQL checks check runs: ``PRAGMA cipher_integrity_check``, ``PRAGMA integrity_check``
     (which checks the FTS5 search index too), ``PRAGMA foreign_key_check``;
  3. the audit chain: every event with its content read in id order, and both sha256 hashes
     of every event recomputed over the same canonical JSON (written directly in an
     f-string, the cheapest way to make those bytes), compared with the stored ones;
  4. every document read and hashed, compared with its stored hash;
  5. every other row check reads to compare: every complaint row (all columns), the grounds,
     norms, erasures, person keys, reference counters, settings and the triggers.

  What klachtdesk's check adds to that is its own work: replaying every dossier's events
  through the procedure (procedure/dossier.py), comparing the replay with the rows, the
  documents, counters, settings and anchors, and recomputing every dossier's next time
  limit — and a Python process that imports klachtdesk.

Prints, per size: wall time of both processes (min/median/max) and their ratio pair by pair,
the CPU time (user + system, a helper process included) of both, their peak RSS, and the
growth from the smallest to the largest size. Asserts nothing. The machine is shared: trust
the ratios of the pairs more than the absolute figures.

The floor runs on one thread. klachtdesk's check runs SQLite's storage checks in a thread of
their own and, on a large register, forks a helper process that replays part of the
dossiers: with two free cores it waits for less than its CPU time. The CPU ratio shows the
work done; the wall ratio what a coordinator waits. On a machine whose cores are busy with
other work, the wall ratio comes close to the CPU ratio.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from common import PASSPHRASE
from pairs import (
    Pairs,
    Spread,
    demo_register,
    measure_pairs,
    print_growth,
    print_header,
    print_pairs,
    sizes,
)

#: Where the register copies are made (a folder of your own; the kept registers stay untouched).
BENCH = Path(os.environ.get("KLACHTDESK_BENCH_DIR", tempfile.gettempdir())) / "check-speed"

# The same statements as services/audit.py reads the chain with.
ERASURE_SQL = (
    'SELECT x."complaint_id", x."event_id", e."action", e."complaint_id" FROM "erasure" x '
    'LEFT JOIN "audit_event" e ON e."id" = x."event_id"'
)
CHAIN_SQL = (
    'SELECT e."id", e."at", e."actor", e."action", e."complaint_id", e."content_hash", '
    'e."hash", c."event_id" IS NOT NULL, c."summary", c."before", c."after", x."event_id" '
    'FROM "audit_event" e LEFT JOIN "audit_content" c ON c."event_id" = e."id" '
    'LEFT JOIN "erasure" x ON x."complaint_id" = e."complaint_id" ORDER BY e."id"'
)
GENESIS = "0" * 64
# Everything else check reads to compare, read bare.
OTHER_SQL = (
    'SELECT * FROM "complaint" ORDER BY "id"',
    'SELECT "complaint_id", "ground" FROM "complaint_ground"',
    'SELECT "complaint_id", "norm" FROM "complaint_norm"',
    'SELECT count(*) FROM "complaint"',
    'SELECT "complaint_id", "event_id", "kind" FROM "erasure"',
    'SELECT "complaint_id" FROM "person_key" WHERE "complaint_id" IN (SELECT "complaint_id" '
    'FROM "erasure")',
    'SELECT "year", "last" FROM "reference_counter"',
    'SELECT "key", "value" FROM "setting"',
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'",
)


def name_sort_key(name: str) -> str:
    """klachtdesk.procedure.intake.name_sort_key, copied: importing it imports klachtdesk."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", without_accents).split())


def floor(folder: Path, sqlcipher_key: str, kdf: dict[str, int | str]) -> None:
    """The bare work of a check (see the module docstring), in this process."""
    from argon2.low_level import Type, hash_secret_raw
    from sqlcipher3 import dbapi2 as sqlcipher

    hash_secret_raw(
        PASSPHRASE.encode("utf-8"),
        bytes.fromhex(str(kdf["salt"])),
        time_cost=int(kdf["time_cost"]),
        memory_cost=int(kdf["memory_cost_kib"]),
        parallelism=int(kdf["parallelism"]),
        hash_len=32,
        type=Type.ID,
    )
    path = folder / "klachtdesk.db"
    wal = path.with_name(path.name + "-wal")
    with_wal = wal.exists() and wal.stat().st_size > 0
    mode = "mode=ro&vfs=unix-none" if with_wal else "mode=ro&immutable=1"
    conn = sqlcipher.connect(f"file:{path}?{mode}", uri=True, isolation_level=None)
    conn.execute("PRAGMA key='{}'".format(sqlcipher_key.replace("'", "''")))
    if with_wal:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("PRAGMA query_only = 1")
    conn.execute("PRAGMA cache_size = -32000")
    # The index on the name's sort key: integrity_check computes it for every row.
    conn.create_function("klachtdesk_sort_key", 1, name_sort_key, deterministic=True)
    problems = 0
    for pragma in ("cipher_integrity_check", "integrity_check", "foreign_key_check"):
        problems += len([r for r in conn.execute(f"PRAGMA {pragma}") if r != ("ok",)])
    conn.execute(ERASURE_SQL).fetchall()
    quoted = json.encoder.encode_basestring
    sha = hashlib.sha256
    prev = GENESIS
    for row in conn.execute(CHAIN_SQL):
        _id, at, actor, action, cid, digest, stored, has_content, summary, before, after = row[:11]
        dossier = "null" if cid is None else cid
        link = (
            f"[{quoted(prev)},{quoted(at.replace(' ', 'T', 1))},{quoted(actor)},"
            f"{quoted(action)},{dossier},{quoted(digest)}]"
        )
        if sha(link.encode()).hexdigest() != stored:
            problems += 1
        if has_content:
            content = f"[{quoted(summary)},{quoted(before)},{quoted(after)}]"
            if sha(content.encode()).hexdigest() != digest:
                problems += 1
        prev = stored
    for content, stored in conn.execute('SELECT "content", "sha256" FROM "document"'):
        if sha(content).hexdigest() != stored:
            problems += 1
    for sql in OTHER_SQL:
        for _row in conn.execute(sql):
            pass
    conn.close()
    print(f"floor: {problems} problems")


@dataclass
class Runs:
    """What each process of one side used: CPU seconds (user + system), peak RSS in MB."""

    cpu: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)


def process(command: list[str], env: dict[str, str], runs: Runs) -> None:
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(child.pid, 0)
    out, err = child.communicate()
    if status != 0 or (b"problems" in out and b": 0 problems" not in out):
        raise SystemExit(f"{command} failed: {out.decode()} {err.decode()}")
    runs.cpu.append(usage.ru_utime + usage.ru_stime)
    runs.rss.append(usage.ru_maxrss / 1024)


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of each file (the lock file comes and stays, empty)."""
    return {
        p.name: (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.iterdir()
        if p.name != "klachtdesk.lock"
    }


def seconds(work: object) -> float:
    """The subprocess clock: wall seconds from starting the process to its exit."""
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


def measure(count: int, runs: int) -> tuple[Pairs, Runs, Runs]:
    from klachtdesk.models.keyfile import read_key_file

    folder = demo_register(count, BENCH / f"check-{count}")
    before = _files(folder)
    key_file = read_key_file(folder / "klachtdesk.key")
    slot = key_file.slots["passphrase"]
    kdf = {
        "salt": base64.b64decode(slot["salt"]).hex(),
        "time_cost": slot["time_cost"],
        "memory_cost_kib": slot["memory_cost_kib"],
        "parallelism": slot["parallelism"],
    }
    key = key_file.unwrap_with_passphrase(PASSPHRASE).sqlcipher_key
    env = {**os.environ, "KLACHTDESK_PASSPHRASE": PASSPHRASE}
    floor_env = {**env, "CHECK_FLOOR_KEY": key, "CHECK_FLOOR_KDF": json.dumps(kdf)}
    ours_runs, floor_runs = Runs(), Runs()
    ours_command = [sys.executable, "-m", "klachtdesk", "--data-dir", str(folder), "check"]
    floor_command = [sys.executable, str(Path(__file__).resolve()), "--floor", str(folder)]
    pairs = measure_pairs(
        lambda: process(ours_command, env, ours_runs),
        lambda: process(floor_command, floor_env, floor_runs),
        runs=runs,
        warmup=1,
        clock=seconds,
    )
    if _files(folder) != before:
        print(f"NOTE: the files in {folder} changed during the runs", flush=True)
    # The warm-up pair is in the CPU and RSS lists too: leave it out.
    return (
        pairs,
        Runs(ours_runs.cpu[1:], ours_runs.rss[1:]),
        Runs(floor_runs.cpu[1:], floor_runs.rss[1:]),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", help="10000 100000 unless told")
    parser.add_argument("--runs", type=int, default=5, help="measured pairs per size")
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor is not None:
        floor(args.floor, os.environ["CHECK_FLOOR_KEY"], json.loads(os.environ["CHECK_FLOOR_KDF"]))
        return
    measured: dict[int, tuple[Pairs, Runs, Runs]] = {}
    print_header("klachtdesk check beside its floor (processes, wall seconds)", "s")
    for count in sizes(args.sizes):
        measured[count] = result = measure(count, args.runs)
        pairs, ours, bare = result
        label = "check, " + f"{count:,}".replace(",", ".")
        print_pairs(label + " (wall)", pairs, "s")
        print_pairs(label + " (CPU user+sys)", cpu_pairs(result), "s")
        print(
            f"{'':44} peak RSS klachtdesk {max(ours.rss):.0f} MB, floor {max(bare.rss):.0f} MB",
            flush=True,
        )
    if len(measured) > 1:
        small, large = min(measured), max(measured)
        what = f"growth {small:,} → {large:,}".replace(",", ".")
        print_growth(what + " (wall)", measured[small][0], measured[large][0])
        print_growth(what + " (CPU)", cpu_pairs(measured[small]), cpu_pairs(measured[large]))


def cpu_pairs(result: tuple[Pairs, Runs, Runs]) -> Pairs:
    _wall, ours, bare = result
    return Pairs(Spread(tuple(ours.cpu)), Spread(tuple(bare.cpu)))


if __name__ == "__main__":
    main()
