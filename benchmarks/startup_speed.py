"""Start-up beside its floor: process start → unlocked, painted window, and → the deadline
watch's result on screen, at 10,000 and 100,000 dossiers (issue 14).

    python benchmarks/startup_speed.py [--sizes 10000 100000] [--runs 9]

Each sample is a whole process, started on a copy of a kept demo register
(pairs.demo_register) with the passphrase from KLACHTDESK_PASSPHRASE, offscreen:

- klachtdesk: ``python -m klachtdesk --data-dir COPY`` with KLACHTDESK_REPORT_STARTUP=1; the
  time until it says "window shown" on stderr (unlocked, window painted), and until it says
  "deadline watch shown" (the watch's summary in the banner or the tray's tooltip);
- the floor: benchmarks/startup_floor.py on the same copy: import PySide6, show and paint a
  bare QMainWindow, unwrap the key as klachtdesk does (the Argon2id key derivation is part of
  both sides), key a raw SQLCipher connection and run the first query (the list's first
  screenful); then, for the second figure, the watch's query bare.

Samples alternate (pairs.measure_pairs); the ratios are taken pair by pair. Prints figures,
asserts nothing. On a shared machine trust the ratios, not the absolute times.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import cast

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
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

FLOOR = Path(__file__).with_name("startup_floor.py")
WINDOW = "window shown"
WATCH = "deadline watch shown"


def start_until(command: list[str], signals: tuple[str, ...]) -> tuple[float, ...]:
    """Milliseconds from starting ``command`` until each of ``signals`` appears on its
    stderr (in that order); then the process is ended as a coordinator's logout would."""
    env = {
        **os.environ,
        "KLACHTDESK_PASSPHRASE": PASSPHRASE,
        "KLACHTDESK_REPORT_STARTUP": "1",
        "QT_QPA_PLATFORM": "offscreen",
    }
    started = time.perf_counter()
    # Not started in the source tree: ``-m klachtdesk`` would import the package found there.
    process = subprocess.Popen(
        command, env=env, stderr=subprocess.PIPE, text=True, cwd=tempfile.gettempdir()
    )
    assert process.stderr is not None
    seen: list[float] = []
    try:
        for wanted in signals:
            while True:
                line = process.stderr.readline()
                if not line:
                    raise RuntimeError(f"{command} ended before saying {wanted!r}")
                if line.startswith(wanted):
                    seen.append((time.perf_counter() - started) * 1000)
                    break
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.stderr.read()
        process.wait(timeout=120)
    return tuple(seen)


class TwoFigures:
    """One process per sample, two figures from it: the clock hands measure_pairs the first
    (window shown) and keeps the second (watch shown) in the same order, for its own Pairs."""

    def __init__(self) -> None:
        self.watch: dict[str, list[float]] = {"ours": [], "floor": []}

    def side(self, name: str, command: list[str]) -> Callable[[], tuple[str, float, float]]:
        def run() -> tuple[str, float, float]:
            window, watch = start_until(command, (WINDOW, WATCH))
            return name, window, watch

        return run

    def clock(self, work: Callable[[], object]) -> float:
        name, window, watch = cast(tuple[str, float, float], work())
        self.watch[name].append(watch)
        return float(window)

    def watch_pairs(self) -> Pairs:
        return Pairs(Spread(tuple(self.watch["ours"])), Spread(tuple(self.watch["floor"])))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--work", default=None, help="folder for the register copies (default: a temp folder)"
    )
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="klachtdesk-startup-speed-"))
    results: dict[int, tuple[Pairs, Pairs]] = {}
    print_header(
        "Start-up: process start → unlocked painted window / → deadline watch shown "
        "(floor: bare QMainWindow + key unwrapping incl. Argon2id + first query)"
    )
    for count in sizes(args.sizes):
        copy = demo_register(count, work / f"startup-{count}")
        timing = TwoFigures()
        ours = timing.side("ours", [sys.executable, "-m", "klachtdesk", "--data-dir", str(copy)])
        floor = timing.side("floor", [sys.executable, str(FLOOR), str(copy), "--watch"])
        window = measure_pairs(ours, floor, runs=args.runs, warmup=1, clock=timing.clock)
        watch = timing.watch_pairs()
        label = f"{count:,}".replace(",", ".")
        print_pairs(f"start → painted window, {label}", window)
        print_pairs(f"start → deadline watch shown, {label}", watch)
        results[count] = (window, watch)
    if len(results) >= 2:
        small, large = sorted(results)[0], sorted(results)[-1]
        print_growth("start → painted window", results[small][0], results[large][0])
        print_growth("start → deadline watch shown", results[small][1], results[large][1])


if __name__ == "__main__":
    main()
