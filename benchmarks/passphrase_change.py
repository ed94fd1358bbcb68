"""How long changing the passphrase takes, on a small and on a 100,000-dossier register.

    python benchmarks/passphrase_change.py [--counts 1000 100000]

A change re-wraps the data key in the key file (one Argon2id derivation to check the old
passphrase, one for the new) and re-encrypts nothing, so it should not depend on the
register's size. Printed beside the floor: one Argon2id derivation with the parameters in
use. Asserts nothing (the machines are shared and noisy). Uses a temp folder.
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from common import PASSPHRASE, run_klachtdesk

OTHER = "een tweede wachtwoord voor de meting"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from klachtdesk.models import open_register
    from klachtdesk.models.keyfile import DEFAULT_ARGON2, _argon2
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.security import change_passphrase

    floor = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        _argon2(PASSPHRASE, secrets.token_bytes(16), DEFAULT_ARGON2)
        floor.append(time.perf_counter() - started)
    print(
        f"one Argon2id derivation (t={DEFAULT_ARGON2.time_cost}, "
        f"m={DEFAULT_ARGON2.memory_cost // 1024} MiB, p={DEFAULT_ARGON2.parallelism}): "
        f"median {statistics.median(floor) * 1000:.0f} ms"
    )
    for count in args.counts:
        folder = Path(tempfile.mkdtemp(prefix="klachtdesk-bench-"))
        try:
            run_klachtdesk(folder, "demo", "--count", str(count), quiet=True)
            size = (folder / "klachtdesk.db").stat().st_size
            changes, opens = [], []
            current, new = PASSPHRASE, OTHER
            for _ in range(args.repeat):
                started = time.perf_counter()
                register = open_register(folder, current)
                opens.append(time.perf_counter() - started)
                with register:
                    before = (folder / "klachtdesk.db").stat().st_mtime_ns
                    started = time.perf_counter()
                    change_passphrase(ServiceContext(actor="meting"), register, current, new)
                    changes.append(time.perf_counter() - started)
                    untouched = (folder / "klachtdesk.db").stat().st_mtime_ns == before
                current, new = new, current
            print(
                f"{count:>7} dossiers ({size / 1e6:.0f} MB): change passphrase median "
                f"{statistics.median(changes) * 1000:.0f} ms (slowest "
                f"{max(changes) * 1000:.0f} ms), open median "
                f"{statistics.median(opens) * 1000:.0f} ms; register file untouched by the "
                f"change: {untouched}"
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
