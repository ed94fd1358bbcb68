"""No complainant's name left on disk in plain text by opening documents (issue 13).

klachtdesk runs in a process of its own (``plaintext_driver.py``) with every per-user folder
(home, temp, runtime, data, config, cache) inside one made-up account folder, which is
searched byte by byte for the complainant's name: while documents are open (the search must
find them, or it proves nothing), after Vergrendelen, after Afsluiten, and after a ``kill -9``
of a klachtdesk that had documents open, once klachtdesk has started again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .journey import PASSPHRASE
from .plaintext import account_env, holding_the_name
from .plaintext_driver import READY

ROOT = Path(__file__).resolve().parents[2]
DRIVER = "tests/ui/plaintext_driver.py"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and signals")


def environment(account: Path, report: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KLACHTDESK_", "XDG_"))}
    return (
        env
        | account_env(account)
        | {
            "QT_QPA_PLATFORM": "offscreen",
            "KLACHTDESK_PASSPHRASE": PASSPHRASE,
            "KLACHTDESK_PLAINTEXT_ACCOUNT": str(account),
            "KLACHTDESK_PLAINTEXT_REPORT": str(report),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )


def driver(test: str) -> list[str]:
    return [
        sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "-x",
        f"{DRIVER}::{test}",
    ]  # fmt: skip


def assert_handed_over_privately(handed_over: list[dict[str, object]], count: int) -> None:
    """Each file the viewer or mail program got: there, 0600, this user's, holding the name,
    in folders only this user can enter, none named after the complainant."""
    assert len(handed_over) == count, handed_over
    for seen in handed_over:
        assert seen["regular"] and seen["mine"] and seen["holds_name"], seen
        assert seen["mode"] == "0o600", seen
        folders = seen["folders"]
        assert isinstance(folders, dict) and len(folders) >= 3, seen  # copy, run, klachtdesk
        assert set(folders.values()) == {"0o700"}, seen
        assert "Qualmbeck" not in str(seen["path"]), seen
    suffixes = [Path(str(seen["path"])).suffix for seen in handed_over[:3]]
    assert suffixes == [".pdf", ".eml", ".eml"], suffixes


@pytest.mark.slow
def test_no_name_on_disk_after_lock_and_after_quit(tmp_path: Path) -> None:
    account, report_file = tmp_path / "account", tmp_path / "report.json"
    done = subprocess.run(
        driver("test_open_lock_unlock_and_quit"),
        cwd=ROOT, env=environment(account, report_file), capture_output=True, text=True,
        stdin=subprocess.DEVNULL, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    report = json.loads(report_file.read_text())
    # The scan, the .eml and the draft for the mail program; then the scan again after
    # Vergrendelen, and again after the idle lock.
    handed_over = [str(seen["path"]) for seen in report["handed_over"]]
    assert_handed_over_privately(report["handed_over"], 5)

    def files(found: list[str]) -> list[str]:
        return sorted(line.split(": ")[0] for line in found)

    # While open: those copies hold the name, and nothing else does.
    assert files(report["before_lock"]) == sorted(handed_over[:3])
    assert report["after_lock"] == []  # Vergrendelen
    assert files(report["before_idle_lock"]) == [handed_over[3]]
    assert report["after_idle_lock"] == []  # the idle lock
    assert files(report["before_quit"]) == [handed_over[4]]
    assert report["exit_status"] == 0
    assert report["after_quit"] == []  # Afsluiten, before the process ended
    assert holding_the_name(account) == []  # and after it
    assert (account / "home/.local/share/klachtdesk/klachtdesk.db").stat().st_size > 0


@pytest.mark.slow
def test_no_name_on_disk_after_kill_9_and_a_restart(tmp_path: Path) -> None:
    account, report_file = tmp_path / "account", tmp_path / "report.json"
    env = environment(account, report_file)
    with subprocess.Popen(
        driver("test_open_and_wait_to_be_killed"),
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, text=True,
    ) as running:  # fmt: skip
        stuck = threading.Timer(180, running.kill)  # a driver that never gets ready
        stuck.start()
        try:
            assert running.stderr is not None
            while READY not in (line := running.stderr.readline()):
                assert line, (running.stdout.read() if running.stdout else "")[-4000:]
            handed_over = json.loads(report_file.read_text())["handed_over"]
            assert_handed_over_privately(handed_over, 3)
            assert len(holding_the_name(account)) == 3
            running.send_signal(signal.SIGKILL)
            assert running.wait(timeout=30) == -signal.SIGKILL
        finally:
            stuck.cancel()
            if running.poll() is None:
                running.kill()
    # Nothing ran after the kill: the copies are still there ...
    left = holding_the_name(account)
    assert sorted(line.split(": ")[0] for line in left) == sorted(
        str(seen["path"]) for seen in handed_over
    )
    # ... until klachtdesk starts again (as the command starts it, then ends by SIGTERM).
    env["KLACHTDESK_REPORT_STARTUP"] = "1"
    with subprocess.Popen(
        [sys.executable, "-m", "klachtdesk"],
        cwd=tmp_path, env=env, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
    ) as restarted:  # fmt: skip
        try:
            assert restarted.stderr is not None
            while "window shown" not in (line := restarted.stderr.readline()):
                assert line, "klachtdesk ended before its window was shown"
            assert holding_the_name(account) == []  # at the start, before anything is opened
            restarted.send_signal(signal.SIGTERM)
            assert restarted.wait(timeout=30) == 0
        finally:
            if restarted.poll() is None:
                restarted.kill()
    assert holding_the_name(account) == []
