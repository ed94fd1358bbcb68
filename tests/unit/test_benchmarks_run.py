"""The list benchmarks still run (benchmarks/list_speed.py, list_memory.py): a short run of
each on a small demo register, so a change in the window cannot leave them broken unnoticed.
Their figures are not checked here; what each must print is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
COUNT = "300"


@pytest.fixture(scope="module")
def bench_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A demo-register cache of this test's own (never the one in the home folder)."""
    cache = tmp_path_factory.mktemp("bench-cache")
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KLACHTDESK_BENCH_CACHE": str(cache),
    }


def run(script: str, env: dict[str, str], work: Path, *args: str) -> str:
    done = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / script),
            *("--sizes", COUNT, "--quick", "--work-dir", str(work)),
            *args,
        ],
        cwd=BENCHMARKS,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,  # ~25 s on a quiet machine; room for a busy one
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_list_speed_runs_every_part(bench_env: dict[str, str], tmp_path: Path) -> None:
    out = run("list_speed.py", bench_env, tmp_path, "--runs", "1")
    assert f"== {int(COUNT):,} dossiers in the list" in out
    for row in (
        "search 2 characters",
        "search longer",
        "debounce (key → search starts",
        "lists checked: klachtdesk showed exactly the FTS5 hits",
        "filter stand: Lopende dossiers",
        "filter termijn: Verstreken",
        "filter jaar: ",
        "filter kanaal: ",
        "filter dienst: ",
        "filter behandelaar: ",
        "sort Kenmerk ↑",
        "sort Dagen ↓",
        "Ctrl+End in the list",
        "scroll bar to its end",
    ):
        assert row in out, f"{row!r} missing from:\n{out}"
    assert "at the end: yes" in out
    # The bare floors give klachtdesk's own lists on today's code.
    assert "\n0 warning(s)" in out, out


def test_list_memory_runs_every_phase(bench_env: dict[str, str], tmp_path: Path) -> None:
    out = run("list_memory.py", bench_env, tmp_path)
    for phase in (
        "floor: bare PySide6 window, painted",
        "floor: + register opened, one query",
        "window open, list painted",
        "keys typed into Zoeken",
        "filter choices",
        "header clicks (every sort)",
        "Page Down and Ctrl+End",
        "dossiers opened",
        "end of the workout",
    ):
        assert phase in out, f"{phase!r} missing from:\n{out}"
    assert " MB" in out
