"""Timing klachtdesk beside its floor: the same work done bare, measured in the same run.

Every speed benchmark of issue 14 uses this: a sample of klachtdesk and a sample of the floor
are taken in turn (A B A B …, the first of each pair alternating), so a machine that slows down
during the run slows both; the ratio is taken pair by pair and printed as min/median/max.

    pairs = measure_pairs(ours, floor, runs=9)
    print_header()
    print_pairs("filter overdue, 100.000", pairs)

Large demo registers are made once and kept (``demo_register``), so a benchmark at 100,000
dossiers does not spend a minute filling one each time; each benchmark works on its own copy.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from common import run_klachtdesk

#: Where demo registers are kept between runs (override with KLACHTDESK_BENCH_CACHE).
CACHE = Path(
    os.environ.get("KLACHTDESK_BENCH_CACHE", str(Path.home() / ".cache" / "klachtdesk-bench"))
)


@dataclass(frozen=True)
class Spread:
    """Samples of one measurement (milliseconds, or seconds for whole commands)."""

    samples: tuple[float, ...]

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)

    def percentile(self, p: float) -> float:
        """The p-th percentile (0-100), nearest rank."""
        ordered = sorted(self.samples)
        rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[rank]

    def text(self, unit: str = "ms") -> str:
        return f"{self.min:8.1f} {self.median:8.1f} {self.max:8.1f} {unit}"


@dataclass(frozen=True)
class Pairs:
    """klachtdesk's samples, the floor's, and their ratios pair by pair."""

    ours: Spread
    floor: Spread

    @property
    def ratios(self) -> Spread:
        return Spread(
            tuple(
                o / f if f > 0 else float("inf")
                for o, f in zip(self.ours.samples, self.floor.samples, strict=True)
            )
        )


def timed(work: Callable[[], object]) -> float:
    """Milliseconds ``work`` takes."""
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def measure_pairs(
    ours: Callable[[], object],
    floor: Callable[[], object],
    runs: int = 9,
    warmup: int = 1,
    clock: Callable[[Callable[[], object]], float] = timed,
) -> Pairs:
    """``runs`` interleaved pairs of klachtdesk and its floor, after ``warmup`` unmeasured
    pairs; who goes first alternates, so neither always meets a warm or a cold cache."""
    for _ in range(warmup):
        floor()
        ours()
    mine: list[float] = []
    bare: list[float] = []
    for run in range(runs):
        if run % 2:
            bare.append(clock(floor))
            mine.append(clock(ours))
        else:
            mine.append(clock(ours))
            bare.append(clock(floor))
    return Pairs(Spread(tuple(mine)), Spread(tuple(bare)))


def print_header(title: str = "", unit: str = "ms") -> None:
    if title:
        print(title)
    print(
        f"{'what':44} {'klachtdesk min/med/max':>28} {'floor min/med/max':>28} "
        f"{'ratio min/med/max':>20}"
    )


def print_pairs(label: str, pairs: Pairs, unit: str = "ms") -> None:
    ratio = pairs.ratios
    print(
        f"{label:44} {pairs.ours.text(unit):>28} {pairs.floor.text(unit):>28} "
        f"{ratio.min:6.2f} {ratio.median:6.2f} {ratio.max:6.2f}",
        flush=True,
    )


def print_growth(label: str, small: Pairs, large: Pairs) -> None:
    """How a median grew from the small register to the large one (goal: ≤ 12× for 10×)."""
    print(
        f"{label:44} klachtdesk ×{large.ours.median / small.ours.median:5.1f}   "
        f"floor ×{large.floor.median / small.floor.median:5.1f}",
        flush=True,
    )


def demo_register(count: int, copy_to: Path) -> Path:
    """A fresh copy, in ``copy_to``, of a demo register of ``count`` dossiers.

    The demo register itself is made once and kept in :data:`CACHE` (never opened there, so
    it stays as ``demo`` made it); a copy made by an older klachtdesk is migrated when the
    benchmark opens it, like a coordinator's own. Delete the cache folder to start anew.
    """
    kept = CACHE / f"demo-{count}"
    if not (kept / "klachtdesk.db").exists():
        shutil.rmtree(kept, ignore_errors=True)
        kept.parent.mkdir(parents=True, exist_ok=True)
        run_klachtdesk(kept, "demo", "--count", str(count), quiet=True)
    shutil.rmtree(copy_to, ignore_errors=True)
    shutil.copytree(kept, copy_to)
    return copy_to


def sizes(argv_sizes: Sequence[int] | None) -> list[int]:
    """The register sizes a benchmark measures: 10,000 and 100,000 unless told otherwise."""
    return list(argv_sizes) if argv_sizes else [10_000, 100_000]
