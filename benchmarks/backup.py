"""How long a verified backup of a big register takes, beside what a bare copy costs.

    python benchmarks/backup.py [--count 100000] [--runs 3] [--cache DIR]

Builds a demo register once and keeps it in ``--cache`` (default: a folder in the system's
temp folder) for the next run. Then, for a few runs each, measures:

- ``make_backup``: online backup API + fsync + verification (integrity_check,
  cipher_integrity_check, audit chain) + rename + pruning, as klachtdesk does it;
- the floor: the bare online backup API on the same open connection, without verification;
- a plain ``cp`` of the (checkpointed) register file;
- verifying a backup alone (``verify_backup``), and restoring it (``restore_backup``).

Prints min / median / max and the sizes; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import PASSPHRASE, run_klachtdesk


def timed(runs: int, work: Callable[[int], object]) -> list[float]:
    seconds = []
    for run in range(runs):
        started = time.perf_counter()
        work(run)
        seconds.append(time.perf_counter() - started)
    return seconds


def show(what: str, seconds: list[float], size: int | None = None) -> None:
    figures = f"{min(seconds):6.2f} / {statistics.median(seconds):6.2f} / {max(seconds):6.2f} s"
    extra = f"   {size / 1_000_000:7.1f} MB" if size is not None else ""
    print(f"{what:<48} {figures}{extra}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", default=None, help="folder that keeps the demo register")
    args = parser.parse_args()
    cache = Path(args.cache or Path(tempfile.gettempdir()) / f"klachtdesk-bench-{args.count}")
    data = cache / "data"
    if not (data / "klachtdesk.db").is_file():
        started = time.perf_counter()
        run_klachtdesk(data, "demo", "--count", str(args.count), quiet=True)
        print(
            f"demo register of {args.count} dossiers made in {time.perf_counter() - started:.0f} s"
        )
    work = Path(tempfile.mkdtemp(prefix="klachtdesk-backup-bench-"))
    try:
        measure(data, work, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(data: Path, work: Path, runs: int) -> None:
    from klachtdesk.models import DB_FILENAME, connect_encrypted, open_register
    from klachtdesk.services.backup import (
        BackupSettings,
        make_backup,
        prune_backups,
        restore_backup,
        verify_backup,
    )
    from klachtdesk.services.context import ServiceContext

    ctx = ServiceContext(actor="benchmark")
    with open_register(data, PASSPHRASE) as register:
        register.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        source_size = register.path.stat().st_size
        key = register.sqlcipher_key
        print(f"register: {source_size / 1_000_000:.1f} MB, {runs} runs, min / median / max")

        def bare(run: int) -> None:
            target = work / f"bare-{run}.db"
            conn = connect_encrypted(target, register.sqlcipher_key)
            register.db.connection().backup(conn, pages=-1)
            conn.close()

        show("bare online backup API, no verification", timed(runs, bare), source_size)

        def copy(run: int) -> None:
            subprocess.run(["cp", str(register.path), str(work / f"cp-{run}.db")], check=True)

        show("cp of the register file", timed(runs, copy), source_size)

        made = []

        def backup(run: int) -> None:
            made.append(make_backup(register, ctx, work / f"kopieën-{run}"))

        show("make_backup (backup, fsync, verify, prune)", timed(runs, backup), made[0].size)
        print(f"  {made[0].dossiers} dossiers, {made[0].audit_events} audit events in the backup")

    show("verify_backup alone", timed(runs, lambda run: verify_backup(made[run].path, key)))

    def restore(run: int) -> None:
        target = work / f"restore-{run}"
        target.mkdir()
        restore_backup(made[run].path, target, key, ctx.now())
        (target / DB_FILENAME).unlink()

    show("restore_backup (verify, copy, fsync, rename)", timed(runs, restore))
    prune_backups(work, BackupSettings(), made[0].register_id or "")
    gui_stalls(data, work)


def gui_stalls(data: Path, work: Path) -> None:
    """The longest the event loop waits while the window's background backup runs."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    from klachtdesk.models import open_register
    from klachtdesk.services.backup import BackupKeeper, BackupSettings, save_backup_settings
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.ui.backup_actions import BackupJob

    app = QApplication.instance() or QApplication([])
    ctx = ServiceContext(actor="benchmark")
    with open_register(data, PASSPHRASE) as register:
        save_backup_settings(ctx, BackupSettings(folder=str(work / "gui")))
        job = BackupJob(BackupKeeper(register, ctx))
        gaps: list[int] = []
        clock = QElapsedTimer()
        clock.start()
        last = [clock.elapsed()]

        def tick() -> None:
            now = clock.elapsed()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer(interval=10)
        timer.timeout.connect(tick)
        timer.start()
        job.signals.done.connect(lambda *_: app.quit())
        QThreadPool.globalInstance().start(job)
        app.exec()
        timer.stop()
        save_backup_settings(ctx, BackupSettings())
    gaps.sort()
    print(
        f"window during a background backup ({clock.elapsed() / 1000:.1f} s): a 10 ms timer "
        f"fired {len(gaps)} times, median gap {gaps[len(gaps) // 2]} ms, longest {gaps[-1]} ms"
    )


if __name__ == "__main__":
    main()
