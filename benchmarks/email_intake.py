"""How long reading a hostile .eml takes: 85 MB, 10,000 senders, 10 MB of HTML.

    python benchmarks/email_intake.py [--before REV]

With ``--before REV`` the e-mail intake of that git revision is measured as well (loaded from
``git show``), for a before/after comparison. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import base64
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

TODAY = date(2026, 3, 2)
HEAD = b"Subject: Klacht\r\nDate: Fri, 27 Feb 2026 18:04:00 +0100\r\nMIME-Version: 1.0\r\n"


def cases(folder: Path) -> dict[str, Path]:
    made: dict[str, Path] = {}

    def write(name: str, data: bytes) -> None:
        made[name] = folder / f"{name}.eml"
        made[name].write_bytes(data)

    for megabytes in (85, 49):  # over and just under the cap; base64 takes 4/3 and lines
        chunk = b"\x89PNG fictief"
        data = chunk * int(megabytes * 1024 * 1024 / 1.351 / len(chunk))
        write(
            f"{megabytes} MB (attachment)",
            b"From: Jan <jan@example.be>\r\n" + HEAD
            + b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
            b"Content-Type: text/plain\r\n\r\nZie bijlage.\r\n--B\r\n"
            b"Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + base64.encodebytes(data) + b"--B--\r\n",
        )  # fmt: skip
    senders = b", ".join(b"burger%d@example.be" % i for i in range(10_000))
    write("10,000 senders (From)", b"From: " + senders + b"\r\n" + HEAD + b"\r\nTekst\r\n")
    write(
        "10,000 recipients (To)",
        b"From: Jan <jan@example.be>\r\nTo: " + senders + b"\r\n" + HEAD + b"\r\nTekst\r\n",
    )
    html = b"<p>Mijn klacht gaat over <b>lawaai</b> &amp; stof.</p>\r\n" * 200_000
    write(
        "10 MB HTML",
        b"From: Jan <jan@example.be>\r\n" + HEAD
        + b"Content-Type: text/html; charset=utf-8\r\n\r\n" + html,
    )  # fmt: skip
    return made


def old_reader(revision: str) -> Callable[[Path], Any]:
    source = subprocess.run(
        ["git", "show", f"{revision}:klachtdesk/services/email_intake.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType("klachtdesk.services._email_intake_before")
    module.__package__ = "klachtdesk.services"
    sys.modules[module.__name__] = module
    exec(compile(source, "email_intake_before.py", "exec"), module.__dict__)
    if hasattr(module, "intake_from_eml_file"):
        return lambda path: module.intake_from_eml_file(path, TODAY)
    return lambda path: module.intake_from_email(path.read_bytes(), path.name, TODAY)


def measure(read: Callable[[Path], Any], path: Path) -> str:
    from klachtdesk.procedure import UserError

    started = time.perf_counter()
    try:
        values, _original = read(path)
        outcome = f"filled ({len(values.get('description', ''))} characters of description)"
    except UserError as exc:
        outcome = f"refused: {exc.message[:70]}…"
    except Exception as exc:  # the old code raised; say so
        outcome = f"{type(exc).__name__}"
    return f"{time.perf_counter() - started:7.2f} s  {outcome}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", help="a git revision to compare with")
    args = parser.parse_args()
    from klachtdesk.services.email_intake import intake_from_eml_file

    readers = {"now": lambda path: intake_from_eml_file(path, TODAY)}
    if args.before:
        readers = {f"before ({args.before})": old_reader(args.before), **readers}
    with tempfile.TemporaryDirectory() as folder:
        for name, path in cases(Path(folder)).items():
            for label, read in readers.items():
                print(f"{name:24} {label:18} {measure(read, path)}")


if __name__ == "__main__":
    main()
