"""How long each letter kind takes to render with the longest input the register accepts,
beside the same letter with ordinary data (the floor).

    python benchmarks/letters_worst_case.py [--repeat 3]

Every field at its limit (procedure/text_limits.py), in three shapes: words, one unbroken
word, and as many lines as a free text may hold. Prints the best of ``--repeat`` runs in
milliseconds; asserts nothing (the issue's aim: under a second for any accepted input).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from klachtdesk.letters.layout import render
from tests.unit.worst_case_letters import LETTERS, SHAPES


def best_ms(kind: str, shape: str, repeat: int) -> tuple[float, int]:
    letter = LETTERS[kind](shape)
    times = []
    size = 0
    for _ in range(repeat):
        started = time.perf_counter()
        size = len(render(letter))
        times.append((time.perf_counter() - started) * 1000)
    return min(times), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    render(LETTERS["klachtenformulier"]("gewoon"))  # fonts loaded before timing
    print(f"{'brief':36} " + " ".join(f"{shape:>16}" for shape in SHAPES) + "  (ms, beste van "
          f"{args.repeat})")  # fmt: skip
    worst = 0.0
    for kind in LETTERS:
        cells = []
        for shape in SHAPES:
            ms, _size = best_ms(kind, shape, args.repeat)
            if shape != "gewoon":
                worst = max(worst, ms)
            cells.append(f"{ms:16.0f}")
        print(f"{kind:36} " + " ".join(cells))
    print(f"traagste brief met de langste invoer: {worst:.0f} ms")


if __name__ == "__main__":
    main()
