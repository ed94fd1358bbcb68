"""How long exporting a big register takes (Bestand → Exporteren…, `klachtdesk export`).

    python benchmarks/export.py [--count 100000] [--runs 3] [--cache DIR]

Builds a demo register once and keeps it in ``--cache`` (default: a folder in the system's
temp folder) for the next run. Then exports every dossier, newest first as the list shows
them, as XLSX and CSV, without and with personal data, and prints min / median / max, the
file sizes and the peak memory the process reached; asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from common import PASSPHRASE, run_klachtdesk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", default=None, help="folder that keeps the demo register")
    args = parser.parse_args()
    cache = Path(args.cache or Path(tempfile.gettempdir()) / f"klachtdesk-bench-{args.count}")
    data = cache / "data"
    if not (data / "klachtdesk.db").is_file():
        started = time.perf_counter()
        run_klachtdesk(data, "demo", "--count", str(args.count), quiet=True)
        print(
            f"demo register of {args.count} dossiers made in {time.perf_counter() - started:.0f} s"
        )
    work = Path(tempfile.mkdtemp(prefix="klachtdesk-export-bench-"))
    try:
        measure(data, work, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(data: Path, work: Path, runs: int) -> None:
    from klachtdesk.models import open_register
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.export import ExportFormat, ExportRequest, export_dossiers

    ctx = ServiceContext(actor="benchmark")
    with open_register(data, PASSPHRASE):
        print(f"{runs} runs, min / median / max")
        for export_format in ExportFormat:
            for personal in (False, True):
                seconds = []
                size = dossiers = 0
                for run in range(runs):
                    out = work / f"export-{run}.{export_format.value}"
                    request = ExportRequest(
                        export_format=export_format, with_personal_data=personal
                    )
                    started = time.perf_counter()
                    result = export_dossiers(ctx, request, out)
                    seconds.append(time.perf_counter() - started)
                    size, dossiers = out.stat().st_size, result.dossiers
                    out.unlink()
                what = f"{export_format.value}, {'with' if personal else 'without'} personal data"
                print(
                    f"{what:<36} {min(seconds):6.2f} / {statistics.median(seconds):6.2f} / "
                    f"{max(seconds):6.2f} s   {dossiers} dossiers, {size / 1_000_000:6.1f} MB"
                )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
