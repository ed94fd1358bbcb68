"""Run inside a small tmpfs (see ``test_small_disk.py``): fill it through the services and
through ``klachtdesk demo``, and print what happened as JSON lines."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path

from klachtdesk import cli
from klachtdesk.models import Complaint, DiskFull, create_register, keyfile, open_register
from klachtdesk.services.check import check_register
from klachtdesk.services.complaints import register_complaint
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.documents import Attachment

from .conftest import PASSPHRASE
from .helpers import intake


def main() -> None:
    disk = Path(sys.argv[1])
    keyfile.DEFAULT_ARGON2 = keyfile.Argon2Params(1, 8 * 1024, 1)  # as in the tests' process
    folder = disk / "register"
    ctx = ServiceContext(actor="schrijver")
    acknowledged = 0
    with create_register(folder, PASSPHRASE):
        try:
            while True:
                scan = Attachment("scan.pdf", "application/pdf", os.urandom(100_000), "Scan")
                register_complaint(ctx, intake(), [scan])
                acknowledged += 1
        except DiskFull as exc:
            message, original = exc.message, repr(exc.original)
    with open_register(folder, PASSPHRASE):
        report = check_register()
        dossiers = Complaint.select().count()
    print(
        json.dumps(
            {
                "acknowledged": acknowledged,
                "dossiers": dossiers,
                "ok": report.ok,
                "message": message,
                "original": original,
            }
        )
    )
    os.environ["KLACHTDESK_PASSPHRASE"] = PASSPHRASE
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["--data-dir", str(disk / "demo"), "demo", "--count", "5000"])
    print(json.dumps({"demo_exit": code, "demo_stderr": stderr.getvalue()}))


if __name__ == "__main__":
    main()
