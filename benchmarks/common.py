"""What the benchmark scripts share: running the pip-installed klachtdesk command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PASSPHRASE = os.environ.get("KLACHTDESK_PASSPHRASE", "benchmark-wachtwoord")


def run_klachtdesk(data: Path, *args: str, quiet: bool = False) -> None:
    """`klachtdesk --data-dir DATA ARGS…` in its own process, on the benchmark passphrase."""
    subprocess.run(
        [sys.executable, "-m", "klachtdesk", "--data-dir", str(data), *args],
        check=True,
        env={**os.environ, "KLACHTDESK_PASSPHRASE": PASSPHRASE},
        capture_output=quiet,
    )
