"""A register on a really full disk: a 3 MB tmpfs, mounted in a user namespace where the
kernel allows one without root (skipped elsewhere; ``test_faults.py`` fills the disk with
``PRAGMA max_page_count`` everywhere)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _namespaces_allowed(mount_point: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = f"mount -t tmpfs -o size=64k tmpfs '{mount_point}'"
    return (
        subprocess.run(["unshare", "-rm", "sh", "-c", probe], capture_output=True).returncode == 0
    )


def test_a_really_full_disk_is_told_in_dutch_and_loses_nothing(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _namespaces_allowed(disk):
        pytest.skip("no small file system can be mounted here without root")
    script = (
        f"mount -t tmpfs -o size=3m tmpfs '{disk}' && "
        f"exec '{sys.executable}' -m tests.db.small_disk_writer '{disk}'"
    )
    run = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    services, demo = (json.loads(line) for line in run.stdout.splitlines())
    # Registering until the disk is full: the refused one is rolled back, the others are kept.
    assert services["acknowledged"] >= 3
    assert services["dossiers"] == services["acknowledged"] and services["ok"]
    assert services["message"].startswith("De schijf is vol")
    assert "database or disk is full" in services["original"]
    # `klachtdesk demo` on the same full disk: a Dutch message, no traceback.
    assert demo["demo_exit"] == 1 and demo["demo_stderr"].startswith("De schijf is vol")
    assert "Traceback" not in demo["demo_stderr"] and "rollback" not in demo["demo_stderr"]
