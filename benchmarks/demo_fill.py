"""How long filling, checking and searching a large register take.

    python benchmarks/demo_fill.py [--count 100000]

Prints figures; asserts nothing (the machines are shared and noisy). Uses a temp folder.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from common import PASSPHRASE, run_klachtdesk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="klachtdesk-bench-"))
    try:
        started = time.perf_counter()
        run_klachtdesk(folder, "demo", "--count", str(args.count))
        fill = time.perf_counter() - started
        started = time.perf_counter()
        run_klachtdesk(folder, "check")
        check = time.perf_counter() - started
        size = (folder / "klachtdesk.db").stat().st_size

        from klachtdesk.models import open_register
        from klachtdesk.services.queries import search_complaints

        with open_register(folder, PASSPHRASE):
            timings = []
            for text in ["peeters", "leuven container", "2026-00", "snoeiafval"]:
                started = time.perf_counter()
                found = search_complaints(text)
                timings.append((text, (time.perf_counter() - started) * 1000, len(found)))
        print(f"complaints            {args.count}")
        print(f"demo fill (process)   {fill:.1f} s")
        print(f"check (process)       {check:.1f} s")
        print(f"register file         {size / 1e6:.0f} MB")
        for text, ms, hits in timings:
            print(f"search {text!r:20} {ms:.1f} ms ({hits} shown)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
