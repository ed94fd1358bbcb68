"""Decrypted copies for other programs (services.viewing_copies): private, and gone again."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from klachtdesk.procedure import UserError
from klachtdesk.services.viewing_copies import (
    base_folder,
    remove_copies,
    remove_copy,
    remove_leftovers,
    write_copy,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture(autouse=True)
def own_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A runtime folder (0700, as the system makes it) and a temp folder of the test's own."""
    remove_copies()  # a run folder an earlier test of this process made elsewhere
    runtime, temp = tmp_path / "run", tmp_path / "tmp"
    runtime.mkdir(mode=0o700)
    temp.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    yield runtime
    remove_copies()


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077, 0o277])
def test_a_copy_is_0600_in_folders_only_i_can_enter_whatever_the_umask(
    umask: int, own_folders: Path
) -> None:
    before = os.umask(umask)
    try:
        path = write_copy("scan.pdf", b"%PDF- Zyxwerda")
    finally:
        os.umask(before)
    assert path.read_bytes() == b"%PDF- Zyxwerda"
    assert path.name == "scan.pdf" and mode(path) == 0o600
    assert path.is_relative_to(own_folders / "klachtdesk")
    for folder in (path.parent, path.parent.parent, own_folders / "klachtdesk"):
        assert mode(folder) == 0o700, folder


def test_the_same_name_twice_gives_two_files_and_a_name_cannot_leave_the_folder() -> None:
    first = write_copy("brief.eml", b"1")
    second = write_copy("brief.eml", b"2")
    assert first != second and (first.read_bytes(), second.read_bytes()) == (b"1", b"2")
    escaped = write_copy("../../../etc/evil", b"3")
    assert escaped.name == "evil" and escaped.parent.parent == first.parent.parent
    assert write_copy("..", b"4").name == "document"


def test_without_a_private_runtime_folder_the_copies_go_to_a_folder_of_mine_in_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.chmod(tmp_path / "run", 0o755)  # not private: not a runtime folder to trust
    path = write_copy("scan.pdf", b"x")
    assert base_folder() == tmp_path / "tmp" / f"klachtdesk-{os.getuid()}"
    assert path.is_relative_to(base_folder()) and mode(base_folder()) == 0o700
    remove_copies()
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert base_folder() == tmp_path / "tmp" / f"klachtdesk-{os.getuid()}"


def test_a_link_planted_where_the_folder_goes_is_refused(tmp_path: Path) -> None:
    """Someone who made the folder (or a link by its name) in a shared temp directory first
    would read every copy: nothing is written, a Dutch message says why."""
    os.chmod(tmp_path / "run", 0o755)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "tmp" / f"klachtdesk-{os.getuid()}").symlink_to(elsewhere)
    with pytest.raises(UserError, match="geen gewone map"):
        write_copy("scan.pdf", b"Zyxwerda")
    assert list(elsewhere.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_a_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    os.chmod(tmp_path / "run", 0o755)
    foreign = tmp_path / "tmp" / f"klachtdesk-{os.getuid()}"
    foreign.mkdir(mode=0o777)
    os.chown(foreign, 4321, 4321)
    with pytest.raises(UserError, match="andere gebruiker"):
        write_copy("scan.pdf", b"Zyxwerda")
    assert list(foreign.iterdir()) == []


def test_removing_the_copies_takes_them_all_and_the_next_one_gets_a_new_folder() -> None:
    first = write_copy("a.pdf", b"a")
    write_copy("b.eml", b"b")
    run = first.parent.parent
    remove_copies()
    assert not run.exists()
    again = write_copy("a.pdf", b"a")
    assert again.parent.parent != run and again.read_bytes() == b"a"


HOLD = """
import sys, time
from klachtdesk.services.viewing_copies import write_copy
print(write_copy("scan.pdf", b"Zyxwerda"), flush=True)
time.sleep(120)
"""


def test_leftovers_of_a_killed_run_go_at_the_next_start_and_a_running_ones_stay(
    tmp_path: Path,
) -> None:
    env = os.environ | {"XDG_RUNTIME_DIR": str(tmp_path / "run"), "TMPDIR": str(tmp_path / "tmp")}
    holders = [
        subprocess.Popen(
            [sys.executable, "-c", HOLD],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    try:
        killed, running = (Path(h.stdout.readline().strip()) for h in holders)  # type: ignore[union-attr]
        holders[0].send_signal(signal.SIGKILL)
        holders[0].wait(timeout=30)
        assert killed.exists() and running.exists()
        # A folder tempfile.mkdtemp(prefix="klachtdesk-") made for an older version.
        legacy = Path(tempfile.mkdtemp(prefix="klachtdesk-"))
        (legacy / "3-klacht Zyxwerda.pdf").write_bytes(b"Zyxwerda")
        unrelated = tmp_path / "tmp" / "klachtdesk-notes"
        unrelated.mkdir()
        removed = remove_leftovers()
        assert sorted(removed) == sorted([killed.parent.parent, legacy])
        assert not killed.exists() and not legacy.exists()
        assert running.read_bytes() == b"Zyxwerda" and unrelated.exists()
    finally:
        for holder in holders:
            holder.kill()
            holder.wait(timeout=30)
            holder.stdout.close()  # type: ignore[union-attr]
    assert remove_leftovers() == [running.parent.parent]  # its process is gone now too


def test_a_folder_left_before_its_lock_was_taken_is_judged_by_its_process_id() -> None:
    base = base_folder()
    base.mkdir(mode=0o700)
    mine = base / f"run-{os.getpid()}-{'a' * 16}"
    gone = base / f"run-{2**22 + 12345}-{'b' * 16}"  # above any Linux pid_max
    for folder in (mine, gone):
        folder.mkdir(mode=0o700)
    elsewhere = base.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep").write_bytes(b"")
    (base / f"run-{2**22 + 12346}-{'c' * 16}").symlink_to(elsewhere)  # never followed
    assert remove_leftovers() == [gone]
    assert mine.exists() and (elsewhere / "keep").exists()


def test_remove_copy_takes_one_copy_at_once_and_leaves_the_others(tmp_path: Path) -> None:
    """A copy no program took goes at once; the others stay until the lock or the exit, and
    a file that is not one of this run's copies is never touched."""
    first = write_copy("brief.pdf", b"Jan Peeters")
    second = write_copy("brief.pdf", b"Marie Peeters")
    stranger = tmp_path / "elders" / "1" / "brief.pdf"
    stranger.parent.mkdir(parents=True)
    stranger.write_bytes(b"van iemand anders")
    remove_copy(first)
    remove_copy(stranger)
    assert not first.parent.exists()
    assert second.read_bytes() == b"Marie Peeters"
    assert stranger.exists()
    remove_copies()
    remove_copy(second)  # after the lock: nothing left to remove, no error
