"""Backups that are really there: made during work, killed midway, restored, encrypted, pruned."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from klachtdesk.models import (
    DB_FILENAME,
    KEY_FILENAME,
    SCHEMA_VERSION,
    Complaint,
    Register,
    RegisterInUse,
    connect_encrypted,
    create_register,
    open_register,
)
from klachtdesk.models.migrations import schema_version
from klachtdesk.services import complaints as svc
from klachtdesk.services.audit import last_hash, verify_audit_chain
from klachtdesk.services.backup import (
    DEFAULT_FOLDER_NAME,
    STATUS_FILENAME,
    TEMP_PREFIX,
    TEMP_SUFFIX,
    BackupFailed,
    BackupKeeper,
    BackupSettings,
    BackupStatus,
    backups_to_keep,
    folder_warnings,
    last_backup_folder,
    list_backups,
    make_backup,
    read_status,
    register_id_of,
    restore_backup,
    restore_with_passphrase,
    save_backup_settings,
    status_text,
    verify_backup,
    verify_with_passphrase,
)
from klachtdesk.services.check import check_register
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.demo import fill_with_demo
from klachtdesk.services.security import change_passphrase

from ..conftest import FakeClock
from .conftest import PASSPHRASE
from .helpers import intake
from .test_cli import run


def test_backup_during_registration_holds_everything_committed_before_it(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    fill_with_demo(ctx, 3000, seed=7)  # big enough that the copy takes a while
    committed: list[int] = []
    stop = threading.Event()
    failures: list[BaseException] = []

    def keep_registering() -> None:
        try:
            n = 0
            while not stop.is_set():
                n += 1
                committed.append(svc.register_complaint(ctx, intake(name=f"Parallel {n}")))
        except BaseException as exc:  # reported by the test below
            failures.append(exc)
        finally:
            register.db.close()  # this thread's own connection

    writer = threading.Thread(target=keep_registering)
    writer.start()
    try:
        while len(committed) < 20:
            time.sleep(0.01)
        before = list(committed)
        info = make_backup(register, ctx, tmp_path / "kopieën")
        during = len(committed) - len(before)
        time.sleep(0.05)
    finally:
        stop.set()
        writer.join()
    assert not failures, failures
    assert during > 0, "the writer should have kept registering while the backup ran"
    with closing(connect_encrypted(info.db_path, register.sqlcipher_key, read_only=True)) as conn:
        in_backup = {row[0] for row in conn.execute("SELECT id FROM complaint")}
        assert set(before) <= in_backup
        assert verify_audit_chain(conn).ok
        assert [r[0] for r in conn.execute("PRAGMA journal_mode")] == ["delete"]
    assert info.dossiers == len(in_backup) >= 3000 + len(before)
    assert not (info.path / f"{DB_FILENAME}-wal").exists()
    verify_backup(info.path, register.sqlcipher_key)


KILL_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from klachtdesk.models import open_register
    from klachtdesk.services.backup import make_backup
    from klachtdesk.services.context import ServiceContext

    folder, target, passphrase = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    with open_register(folder, passphrase) as register:
        print("open", flush=True)
        while True:
            make_backup(register, ServiceContext(), target)
            print("made", flush=True)
    """
)


@pytest.mark.slow
def test_kill_9_during_backups_leaves_earlier_backups_and_the_register_intact(
    data_dir: Path, tmp_path: Path
) -> None:
    ctx = ServiceContext()
    with create_register(data_dir, PASSPHRASE) as reg:
        fill_with_demo(ctx, 800, seed=3)
        # Many generations, so that kills also land in pruning the same day's older backups.
        save_backup_settings(ctx, BackupSettings(daily=2, weekly=1, monthly=1))
    target = tmp_path / "kopieën"
    rng = random.Random(11)
    made_total = interrupted = 0
    for _ in range(24):
        process = subprocess.Popen(
            [sys.executable, "-c", KILL_SCRIPT, str(data_dir), str(target), PASSPHRASE],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "open"
        time.sleep(rng.uniform(0.0, 0.6))
        process.send_signal(signal.SIGKILL)
        output, _ = process.communicate()
        made_total += output.count("made")
        # A leftover temporary folder is the trace of a kill in the middle of a backup.
        interrupted += any(p.name.startswith(TEMP_PREFIX) for p in target.glob(".*"))
        backups = list_backups(target)
        assert all(b.verified for b in backups)
        for backup in backups:
            verify_with_passphrase(backup.path, data_dir, PASSPHRASE)
        if made_total:
            assert backups, "a finished backup must still be there"
        with open_register(data_dir, PASSPHRASE):
            assert check_register(deep=False).ok
    assert made_total > 0
    assert interrupted >= 3, "the kills should land in the middle of backups too"
    leftovers = [p for p in target.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert all(p.name.endswith(TEMP_SUFFIX) for p in leftovers)
    # The next backup clears whatever an interrupted one left.
    with open_register(data_dir, PASSPHRASE) as reg:
        make_backup(reg, ctx, target)
    assert not [p for p in target.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_restore_after_the_register_file_is_destroyed(
    register: Register, ctx: ServiceContext, data_dir: Path, tmp_path: Path, clock: FakeClock
) -> None:
    fill_with_demo(ctx, 120, seed=5)
    info = make_backup(register, ctx, tmp_path / "kopieën")
    count, chain_events, chain_end = (
        Complaint.select().count(),
        verify_audit_chain().events,
        last_hash(),
    )
    svc.register_complaint(ctx, intake(name="Na de reservekopie"))  # lost by the restore
    register.close()
    destroyed = os.urandom(8192)
    (data_dir / DB_FILENAME).write_bytes(destroyed)
    stale_wal = b"stale WAL of another file"
    (data_dir / f"{DB_FILENAME}-wal").write_bytes(stale_wal)
    clock.advance(days=1)

    result = restore_with_passphrase(info.path, data_dir, PASSPHRASE, clock())
    assert result.key_file_kept

    assert sorted(p.read_bytes() for p in result.set_aside) == sorted([destroyed, stale_wal])
    assert all(p.parent == data_dir and "vervangen-20260303" in p.name for p in result.set_aside)
    assert not (data_dir / f"{DB_FILENAME}-wal").exists()
    with open_register(data_dir, PASSPHRASE):
        report = check_register()
        assert report.ok, report.problems
        assert report.complaints == count
        assert verify_audit_chain().events == chain_events
        assert last_hash() == chain_end
    checked = run("check", data_dir=data_dir)
    assert checked.returncode == 0, checked.stderr


def test_restore_refuses_a_bad_backup_and_changes_nothing(
    register: Register, ctx: ServiceContext, data_dir: Path, tmp_path: Path
) -> None:
    info = make_backup(register, ctx, tmp_path / "kopieën")
    key = register.sqlcipher_key
    with pytest.raises(RegisterInUse):
        restore_backup(info.path, data_dir, key, ctx.now())
    register.close()
    before = sorted(os.listdir(data_dir))
    with pytest.raises(BackupFailed, match="gaat niet open"):
        restore_backup(info.path, data_dir, "x'" + "00" * 48 + "'", ctx.now())
    with pytest.raises(BackupFailed, match="wachtwoord dat gold toen ze gemaakt werd"):
        restore_with_passphrase(info.path, data_dir, "een ander wachtwoord", ctx.now())
    data = bytearray(info.db_path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    info.db_path.write_bytes(bytes(data))
    with pytest.raises(BackupFailed):
        restore_backup(info.path, data_dir, key, ctx.now())
    assert sorted(os.listdir(data_dir)) == before


def test_key_file_kept_when_it_opens_the_backup_else_replaced(
    register: Register, ctx: ServiceContext, data_dir: Path, tmp_path: Path
) -> None:
    at_backup = (data_dir / KEY_FILENAME).read_bytes()
    info = make_backup(register, ctx, tmp_path / "kopieën")
    assert (info.path / KEY_FILENAME).read_bytes() == at_backup
    new_passphrase = "een nieuw en sterk wachtwoord voor later"
    change_passphrase(ctx, register, PASSPHRASE, new_passphrase)
    register.close()
    after_change = (data_dir / KEY_FILENAME).read_bytes()
    assert after_change != at_backup
    # The new passphrase wraps the same data key: its key file stays, the change is kept.
    kept = restore_with_passphrase(info.path, data_dir, new_passphrase, ctx.now())
    assert kept.key_file_kept
    assert (data_dir / KEY_FILENAME).read_bytes() == after_change
    with open_register(data_dir, new_passphrase):
        assert check_register().ok
    # A key file that does not give the backup's key is set aside for the backup's own.
    (data_dir / KEY_FILENAME).write_bytes(b"beschadigd")
    replaced = restore_with_passphrase(info.path, data_dir, PASSPHRASE, ctx.now())
    assert not replaced.key_file_kept
    assert (data_dir / KEY_FILENAME).read_bytes() == at_backup
    aside = [p for p in replaced.set_aside if p.name.startswith(KEY_FILENAME)]
    assert [p.read_bytes() for p in aside] == [b"beschadigd"]
    with open_register(data_dir, PASSPHRASE):
        assert check_register().ok


def test_backups_stay_encrypted(register: Register, ctx: ServiceContext, tmp_path: Path) -> None:
    name = "Zebediah Quakkelaar"
    svc.register_complaint(ctx, intake(name=name, description="Quakkelaar klaagt over geluid"))
    info = make_backup(register, ctx, tmp_path / "kopieën")
    with closing(connect_encrypted(info.db_path, register.sqlcipher_key, read_only=True)) as conn:
        assert conn.execute("SELECT count(*) FROM complaint WHERE name = ?", (name,)).fetchone()[0]
    for path in (tmp_path / "kopieën").rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            for needle in ("Quakkelaar", "Zebediah", "Kerkstraat"):
                assert needle.encode() not in content, path
                assert needle.encode("utf-16-le") not in content, path
    manifest = json.loads((info.path / "manifest.json").read_text())
    assert manifest["dossiers"] == 1 and manifest["audit_hash"] == last_hash()


def test_generations_kept() -> None:
    start = datetime(2025, 1, 1, 18, 0)
    every_day = [start + timedelta(days=d, hours=h) for d in range(400) for h in (0, 2)]
    keep = backups_to_keep(every_day, BackupSettings(daily=7, weekly=5, monthly=12))
    last = every_day[-1]  # 2026-02-04 20:00, a Wednesday
    daily = {last - timedelta(days=d) for d in range(7)}
    # Newest of each of the 5 newest ISO weeks: this week's is today's; the older weeks end
    # on their Sunday evening at 20:00.
    weekly = {last} | {datetime(2026, 2, 1, 20) - timedelta(weeks=w) for w in range(4)}
    monthly = {last} | {
        datetime(2026, 1, 31, 20),
        datetime(2025, 12, 31, 20),
        # the last evening of March to November 2025
        *(datetime(2025, m, 1, 20) - timedelta(days=1) for m in range(4, 13)),
    }
    assert keep == daily | weekly | monthly
    assert len(monthly) == 12


def test_pruning_after_each_backup(
    register: Register, ctx: ServiceContext, clock: FakeClock, tmp_path: Path
) -> None:
    save_backup_settings(ctx, BackupSettings(daily=3, weekly=2, monthly=2))
    target = tmp_path / "kopieën"
    for _ in range(40):
        make_backup(register, ctx, target)
        clock.advance(days=1)
    made = [datetime(2026, 3, 2, 9, 30) + timedelta(days=d) for d in range(40)]
    kept = [b.made_at for b in list_backups(target)]
    assert kept == sorted(
        backups_to_keep(made, BackupSettings(daily=3, weekly=2, monthly=2)), reverse=True
    )
    # 3 days (Apr 8-10), the Sunday before (Apr 5), and the end of March.
    assert [k.date().isoformat() for k in kept] == [
        "2026-04-10",
        "2026-04-09",
        "2026-04-08",
        "2026-04-05",
        "2026-03-31",
    ]


def test_unreachable_folder_recorded_and_said(
    register: Register, ctx: ServiceContext, data_dir: Path, tmp_path: Path, clock: FakeClock
) -> None:
    good = make_backup(register, ctx, tmp_path / "kopieën")
    not_a_folder = tmp_path / "bestand"
    not_a_folder.write_text("x")
    clock.advance(hours=2)
    with pytest.raises(BackupFailed, match="een deel van het pad is een bestand"):
        make_backup(register, ctx, not_a_folder / "kopieën")
    status = read_status(data_dir)
    assert status.last_good_path == str(good.path)
    assert "een deel van het pad is een bestand" in status.last_failure_reason
    text, warning = status_text(status, 7, clock())
    assert warning and text.startswith("⚠ Reservekopie mislukt") and "vandaag 09:30" in text
    assert (data_dir / STATUS_FILENAME).is_file()


def test_an_unplugged_disk_is_not_made_on_the_local_disk(
    register: Register, ctx: ServiceContext, data_dir: Path, tmp_path: Path
) -> None:
    """A folder on a USB disk that is not plugged in: its mount point is missing. The backup
    fails and says so; nothing is made in its place on the local disk."""
    unplugged = tmp_path / "media" / "usb-stick" / "reservekopie"
    assert folder_warnings(unplugged, data_dir) == [
        f"De map {unplugged.parent} bestaat niet: is de USB-schijf of de netwerkmap "
        "aangesloten? klachtdesk maakt alleen de laatste map zelf aan."
    ]
    with pytest.raises(BackupFailed, match="niet bereikbaar"):
        make_backup(register, ctx, unplugged)
    assert not (tmp_path / "media").exists()
    # The last folder itself is made when the disk is there.
    unplugged.parent.mkdir(parents=True)
    assert make_backup(register, ctx, unplugged).path.parent == unplugged


def test_status_warns_when_the_last_backup_is_old(
    register: Register, ctx: ServiceContext, data_dir: Path, clock: FakeClock, tmp_path: Path
) -> None:
    assert status_text(read_status(data_dir), 7, clock()) == ("⚠ Nog geen reservekopie.", True)
    make_backup(register, ctx, tmp_path / "kopieën")
    assert status_text(read_status(data_dir), 7, clock()) == (
        "Laatste reservekopie: vandaag 09:30",
        False,
    )
    clock.advance(days=8)
    text, warning = status_text(read_status(data_dir), 7, clock())
    assert warning and "8 dagen geleden" in text and "ouder dan 7 dagen" in text


def test_making_a_backup_does_not_change_the_register(
    register: Register, ctx: ServiceContext, data_dir: Path, tmp_path: Path
) -> None:
    svc.register_complaint(ctx, intake())
    register.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    chain_end = last_hash()
    before = (data_dir / DB_FILENAME).read_bytes()
    make_backup(register, ctx, tmp_path / "kopieën")
    register.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert (data_dir / DB_FILENAME).read_bytes() == before
    assert last_hash() == chain_end


def test_leftovers_are_not_backups(register: Register, ctx: ServiceContext, tmp_path: Path) -> None:
    target = tmp_path / "kopieën"
    made = make_backup(register, ctx, target)
    (target / f"{TEMP_PREFIX}20260302-093000{TEMP_SUFFIX}").mkdir()
    (target / "klachtdesk-20260101-000000").mkdir()  # no manifest, no database
    (target / "notities.txt").write_text("x")
    listed = list_backups(target)
    assert [b.path for b in listed if b.verified] == [made.path]
    assert not replace(listed[-1]).verified


def test_cli_backup_and_restore(data_dir: Path, tmp_path: Path) -> None:
    made = run("--data-dir", str(data_dir), "demo", "--count", "50")
    assert made.returncode == 0, made.stderr
    target = tmp_path / "usb"
    backup = run("backup", "--to", str(target), data_dir=data_dir)
    assert backup.returncode == 0, backup.stderr
    assert (
        "Reservekopie gemaakt en gecontroleerd" in backup.stdout and "50 dossiers" in backup.stdout
    )
    (path,) = list_backups(target)
    (data_dir / DB_FILENAME).write_bytes(b"kapot")
    restored = run("restore", str(path.path), data_dir=data_dir)
    assert restored.returncode == 0, restored.stderr
    assert "teruggezet" in restored.stdout and "50 dossiers" in restored.stdout
    assert "Opzij gezet" in restored.stdout
    wrong = run("restore", str(path.path), passphrase="niet het wachtwoord", data_dir=data_dir)
    # Neither the current key file nor the backup's opens with it: say which passphrase helps.
    assert wrong.returncode == 1 and "opent niet met dit wachtwoord" in wrong.stderr
    assert "wachtwoord dat gold toen ze gemaakt werd" in wrong.stderr
    missing = run("restore", str(tmp_path / "nergens"), data_dir=data_dir)
    assert missing.returncode == 1 and "bestaat niet" in missing.stderr
    blocked = run("backup", "--to", "/proc/geen-map", data_dir=data_dir)
    assert blocked.returncode == 1 and "niet bereikbaar" in blocked.stderr


def test_a_restore_that_fails_midway_puts_everything_back(
    register: Register,
    ctx: ServiceContext,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    info = make_backup(register, ctx, tmp_path / "kopieën")
    svc.register_complaint(ctx, intake())
    key = register.sqlcipher_key
    register.close()
    before = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()}
    real_replace = os.replace

    def refuse_the_last_step(source: object, target: object) -> None:
        if str(source).endswith(f"{DB_FILENAME}.terugzetten.tmp"):
            raise OSError(28, "No space left on device", str(target))  # a fault injected
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", refuse_the_last_step)
    with pytest.raises(BackupFailed, match=r"de schijf is vol.*bleef zoals het was"):
        restore_backup(info.path, data_dir, key, ctx.now(), current_key="x'00'")
    monkeypatch.undo()
    after = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()}
    assert after == before
    with open_register(data_dir, PASSPHRASE):
        assert check_register().complaints == 1


# -- review 11: shared folders, odd manifests and status files, the swap, pruning errors ---


def test_a_shared_folder_prunes_and_lists_only_this_registers_backups(
    register: Register, ctx: ServiceContext, clock: FakeClock, tmp_path: Path
) -> None:
    share = tmp_path / "gedeeld"
    of_a = make_backup(register, ctx, share)
    assert json.loads((of_a.path / "manifest.json").read_text())["register_id"] == (
        register.register_id
    )
    register.close()
    clock.advance(hours=1)
    with create_register(tmp_path / "ander", PASSPHRASE) as other:
        of_b = make_backup(other, ctx, share)  # 7 daily generations: one a day per register
        assert [b.path for b in list_backups(share)] == [of_b.path, of_a.path]
        assert [b.path for b in list_backups(share, other.register_id)] == [of_b.path]
        assert [b.path for b in BackupKeeper(other, ctx).backups(share)] == [of_b.path]
        # A register opened without its id (none stored with it) still knows its own.
        assert register_id_of(replace(other, register_id="")) == other.register_id
    assert of_a.path.is_dir(), "another register's backup was pruned"


@pytest.mark.parametrize(
    "change",
    [
        "geen json",
        "[1, 2]",
        {"dossiers": "veel"},
        {"dossiers": None},
        {"made_at": 5},
        {"made_at": "gisteren"},
        {"made_at": None, "audit_events": "3"},
        {"made_at": "2026-03-02T09:30:00+01:00"},
        "{}",
    ],
)
def test_an_odd_manifest_is_a_backup_not_verified_dated_by_its_name(
    register: Register,
    ctx: ServiceContext,
    clock: FakeClock,
    data_dir: Path,
    tmp_path: Path,
    change: str | dict[str, object],
) -> None:
    target = tmp_path / "kopieën"
    made = make_backup(register, ctx, target)
    odd = target / "klachtdesk-20260101-080000"
    shutil.copytree(made.path, odd)
    manifest = json.loads((made.path / "manifest.json").read_text())
    text = json.dumps({**manifest, **change}) if isinstance(change, dict) else change
    (odd / "manifest.json").write_text(text)
    listed = {b.path: b for b in list_backups(target)}
    assert not listed[odd].verified and listed[made.path].verified
    assert listed[odd].made_at == datetime(2026, 1, 1, 8, 0)
    checked = verify_backup(odd, register.sqlcipher_key)
    assert checked.made_at == datetime(2026, 1, 1, 8, 0) and checked.dossiers == made.dossiers
    clock.advance(days=1)
    make_backup(register, ctx, target)  # and pruning, which leaves the odd one alone
    assert odd.is_dir() and not read_status(data_dir).failed_last
    register.close()
    restored = restore_with_passphrase(odd, data_dir, PASSPHRASE, clock())
    assert restored.backup.made_at == datetime(2026, 1, 1, 8, 0)


def test_odd_entries_in_the_backup_folder_break_nothing(
    register: Register,
    ctx: ServiceContext,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "kopieën"
    made = make_backup(register, ctx, target)
    (target / "klachtdesk-20260102-000000").write_text("een bestand, geen map")
    (target / "klachtdesk-20260103-000000" / "manifest.json").mkdir(parents=True)
    assert [b.path.name for b in list_backups(target)] == [
        made.path.name,
        "klachtdesk-20260103-000000",
    ]
    register.close()
    with pytest.raises(BackupFailed, match="geen reservekopie"):
        restore_with_passphrase(
            target / "klachtdesk-20260102-000000", data_dir, PASSPHRASE, made.made_at
        )
    real_iterdir = Path.iterdir

    def unreadable(path: Path) -> object:
        if path == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_iterdir(path)

    monkeypatch.setattr(Path, "iterdir", unreadable)
    assert list_backups(target) == []


def test_cli_restore_of_a_backup_with_an_odd_manifest(
    register: Register, ctx: ServiceContext, data_dir: Path, tmp_path: Path
) -> None:
    made = make_backup(register, ctx, tmp_path / "kopieën")
    register.close()
    for text in ('{"made_at": "gisteren"}', '{"dossiers": null}'):
        (made.path / "manifest.json").write_text(text)
        restored = run("restore", str(made.path), data_dir=data_dir)
        assert restored.returncode == 0, restored.stderr
        assert "Reservekopie van 02/03/2026 09:30 teruggezet" in restored.stdout


@pytest.mark.parametrize(
    "stored",
    [
        "[]",
        '"tekst"',
        "5",
        '{"last_good_at": "gisteren", "last_good_path": "/ergens/klachtdesk-1"}',
        '{"last_good_at": 5}',
        '{"last_failure_at": 1}',
        '{"last_good_at": "2026-03-01T09:30:00", "last_good_path": 3}',
        '{"last_attempt_on": "morgen"}',
        '{"last_good_at": null}',
    ],
)
def test_an_odd_status_file_is_no_status(data_dir: Path, clock: FakeClock, stored: str) -> None:
    data_dir.mkdir()
    (data_dir / STATUS_FILENAME).write_text(stored)
    status = read_status(data_dir)
    assert status == BackupStatus()
    assert status_text(status, 7, clock()) == ("⚠ Nog geen reservekopie.", True)
    assert last_backup_folder(data_dir) == data_dir / DEFAULT_FOLDER_NAME


def test_a_pruning_error_is_a_warning_and_the_backup_counts(
    register: Register,
    ctx: ServiceContext,
    clock: FakeClock,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "kopieën"
    make_backup(register, ctx, target)
    clock.advance(hours=1)  # the same day: the first one is pruned
    real_rename = os.rename

    def refuse_pruning(source: object, dest: object) -> None:
        if str(dest).endswith(f"-weg{TEMP_SUFFIX}"):
            raise PermissionError(13, "Permission denied", str(source))
        real_rename(source, dest)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", refuse_pruning)
    newest = make_backup(register, ctx, target)
    status = read_status(data_dir)
    assert status.last_good_path == str(newest.path) and not status.failed_last
    text, warning = status_text(status, 7, clock())
    assert warning and text.startswith("⚠ Laatste reservekopie: vandaag 10:30.")
    assert "Oudere reservekopieën konden niet opgeruimd worden: geen toegang" in text
    assert "Permission" not in text
    monkeypatch.undo()
    clock.advance(hours=1)
    make_backup(register, ctx, target)
    assert len(list_backups(target)) == 1 and not read_status(data_dir).warning


def test_the_register_and_its_key_file_are_there_at_every_step_of_a_restore(
    register: Register,
    ctx: ServiceContext,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    info = make_backup(register, ctx, tmp_path / "kopieën")
    svc.register_complaint(ctx, intake())
    key = register.sqlcipher_key
    register.close()
    seen: list[tuple[str, bool, bool]] = []

    def watched(real: Callable[[object, object], None]) -> Callable[[object, object], None]:
        def step(source: object, dest: object) -> None:
            real(source, dest)
            db, key_file = data_dir / DB_FILENAME, data_dir / KEY_FILENAME
            seen.append((Path(str(dest)).name, db.is_file(), key_file.is_file()))

        return step

    monkeypatch.setattr(os, "rename", watched(os.rename))
    monkeypatch.setattr(os, "replace", watched(os.replace))
    # Another current key: the backup's own key file replaces it.
    result = restore_backup(info.path, data_dir, key, ctx.now(), current_key="x'00'")
    monkeypatch.undo()
    assert not result.key_file_kept
    assert seen and all(db and key_file for _name, db, key_file in seen), seen
    assert {p.name for p in result.set_aside} >= {
        f"{DB_FILENAME}.vervangen-20260302-093000",
        f"{KEY_FILENAME}.vervangen-20260302-093000",
    }
    assert not [p for p in data_dir.iterdir() if p.name.endswith(TEMP_SUFFIX)]
    with open_register(data_dir, PASSPHRASE):
        assert check_register().complaints == 0


def test_system_errors_are_said_in_dutch(
    register: Register,
    ctx: ServiceContext,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    info = make_backup(register, ctx, tmp_path / "kopieën")
    register.close()

    def fail(source: object, dest: object) -> None:
        raise OSError(errno.ENOTEMPTY, "Directory not empty", str(dest))

    monkeypatch.setattr(shutil, "copyfile", fail)
    with pytest.raises(BackupFailed) as failed:
        restore_with_passphrase(info.path, data_dir, PASSPHRASE, ctx.now())
    assert "Directory" not in failed.value.message
    assert f"foutcode {errno.ENOTEMPTY}" in failed.value.message


def test_a_backup_of_an_older_version_is_brought_up_to_date_when_restored_from_the_window(
    data_dir: Path, ctx: ServiceContext, tmp_path: Path
) -> None:
    with create_register(data_dir, PASSPHRASE, target_version=SCHEMA_VERSION - 1) as old:
        made = make_backup(old, ctx, tmp_path / "kopieën")
    assert made.schema_version == SCHEMA_VERSION - 1
    with open_register(data_dir, PASSPHRASE) as register:  # migrated on opening
        BackupKeeper(register, ctx).restore(made.path)
        assert schema_version(register.db) == SCHEMA_VERSION
        assert check_register().ok
        register.close()
    with open_register(data_dir, PASSPHRASE) as register:
        assert not register.migrated_to and check_register().ok
