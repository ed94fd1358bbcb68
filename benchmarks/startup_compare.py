"""Process start to painted window: the frozen bundle beside the pip-installed program.

    python benchmarks/startup_compare.py dist/klachtdesk [--runs 3]

Same demo register, same machine, same run, offscreen. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import PASSPHRASE, run_klachtdesk


def start_to_window(command: list[str], data: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--data-dir", str(data)], env=env, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    while "window shown" not in process.stderr.readline():
        if process.poll() is not None:
            raise RuntimeError(f"{command} exited with {process.returncode}")
    elapsed = time.perf_counter() - started
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    return elapsed * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("bundle")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    frozen = [str(Path(args.bundle).resolve() / "klachtdesk")]
    installed = [sys.executable, "-m", "klachtdesk"]
    work = Path(tempfile.mkdtemp(prefix="klachtdesk-startup-"))
    env = {**os.environ, "KLACHTDESK_PASSPHRASE": PASSPHRASE, "QT_QPA_PLATFORM": "offscreen",
           "KLACHTDESK_REPORT_STARTUP": "1"}  # fmt: skip
    try:
        run_klachtdesk(work / "data", "demo", "--count", "2000", quiet=True)
        for label, command in (("pip-installed", installed), ("PyInstaller bundle", frozen)):
            start_to_window(command, work / "data", env)  # warm the file cache once
            times = [start_to_window(command, work / "data", env) for _ in range(args.runs)]
            print(f"{label:20} start to window: median {statistics.median(times):.0f} ms "
                  f"(runs: {', '.join(f'{t:.0f}' for t in times)})")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
