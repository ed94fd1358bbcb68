"""``kill -9`` of a process writing to the register, at many random moments.

A writer (``fault_writer.py``) registers complaints through the services and prints each
reference once its transaction has committed; it is killed with SIGKILL at a random moment
(after a random number of acknowledged complaints, plus a random fraction of a transaction),
sometimes in the middle of a demo filling of 25 complaints in one transaction. After each
kill the register opens, ``check`` finds nothing wrong, and every complaint that was
acknowledged is there.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from klachtdesk.models import Complaint, create_register, open_register
from klachtdesk.services.check import check_register

from .conftest import PASSPHRASE

KILLS = 30
ROOT = Path(__file__).resolve().parents[2]


class Writer:
    """The forking writer process and its output, line by line."""

    def __init__(self, folder: Path, errors: IO[str]) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KLACHTDESK_")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.db.fault_writer", str(folder)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=env,
        )

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def line(self) -> str:
        assert self.process.stdout is not None
        read = self.process.stdout.readline()
        assert read, "the writer process ended"
        return read.strip()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[Writer]:
    with (tmp_path / "writer-stderr.txt").open("w") as errors:
        started = Writer(tmp_path / "register", errors)
        try:
            yield started
        finally:
            started.close()


def _kill_at_a_random_moment(writer: Writer, rng: random.Random, what: str) -> list[str]:
    """Start a writer, kill it; returns the lines it printed (its acknowledgements)."""
    writer.send(what)
    first = writer.line()
    assert first.startswith("writer "), first
    pid = int(first.split()[1])
    printed: list[str] = []
    for _ in range(rng.randint(0, 5)):
        line = writer.line()
        assert line != "reaped", "the writer stopped by itself (see writer-stderr.txt)"
        printed.append(line)
    # Not waiting for anything: this puts the kill at a random point of the next
    # transaction (a registration takes a few to a few tens of milliseconds).
    time.sleep(rng.uniform(0, 0.03))
    os.kill(pid, signal.SIGKILL)
    while (line := writer.line()) != "reaped":
        printed.append(line)  # printed before the kill reached it: committed too
    return printed


def test_every_acknowledged_complaint_survives_kill_9_and_the_check_passes(
    tmp_path: Path, writer: Writer
) -> None:
    folder = tmp_path / "register"
    create_register(folder, PASSPHRASE).close()  # the test's quick key derivation, recorded
    rng = random.Random(20261206)
    acknowledged: set[str] = set()
    dossiers = 0
    demo_rounds = 0
    for kill in range(KILLS):
        what = "demo" if kill % 6 == 3 else "register"
        printed = _kill_at_a_random_moment(writer, rng, what)
        acknowledged |= {line.split()[1] for line in printed if line.startswith("ack ")}
        demo_done = [int(line.split()[1]) for line in printed if line.startswith("demo ")]
        demo_rounds += bool(demo_done)
        with open_register(folder, PASSPHRASE):
            report = check_register()
            assert report.ok, (kill, report.problems)
            references = {c.reference for c in Complaint.select(Complaint.reference)}
            assert acknowledged <= references, (kill, sorted(acknowledged - references))
            count = len(references)
            assert count >= dossiers  # nothing committed earlier went missing
            if demo_done:
                assert count >= demo_done[0]
            dossiers = count
    print(
        f"{KILLS} kills, {len(acknowledged)} acknowledged, {dossiers} dossiers, {demo_rounds} demos"
    )
    assert len(acknowledged) >= KILLS  # the kills did not all land before any commit
    assert demo_rounds >= 1 or KILLS < 6
