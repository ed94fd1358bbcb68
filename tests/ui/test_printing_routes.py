"""Which way a stored PDF goes to the printer, and that it stays a real PDF on the way.

A PDF file gets the stored bytes; a CUPS queue gets the stored PDF through ``lp`` (tested
against a private cupsd with a capturing backend when CUPS is installed); anything else gets
the pages rendered by QtPdf.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from klachtdesk.letters.documents import report
from klachtdesk.letters.layout import render
from klachtdesk.ui.printing import PrintRoute, _render, load_pdf, print_pdf, print_route

from ..unit.test_letters import FACTS, HANDLER, SETUP


def letter_pdf() -> bytes:
    return render(
        report(
            SETUP, FACTS, date(2026, 3, 6), handler=HANDLER, acknowledged_on=None,
            handler_due=date(2026, 4, 1),
        )
    )  # fmt: skip


def test_print_to_pdf_file_keeps_the_letter_as_it_is(qtbot: QtBot, tmp_path: Path) -> None:
    content = letter_pdf()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "afdruk.pdf"))
    assert print_route(printer) is PrintRoute.FILE
    assert print_pdf(content, printer) == 1
    printed = (tmp_path / "afdruk.pdf").read_bytes()
    assert printed == content  # the same small PDF, text and all
    assert "Kerkstraat 12" in PdfReader(tmp_path / "afdruk.pdf").pages[0].extract_text()
    # Rendered as pictures (the old way) the same page is many times larger and has no text.
    raster = QPrinter(QPrinter.PrinterMode.HighResolution)
    raster.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    raster.setOutputFileName(str(tmp_path / "raster.pdf"))
    _render(load_pdf(content), raster)
    assert (tmp_path / "raster.pdf").stat().st_size > 10 * len(printed)
    assert "Kerkstraat" not in PdfReader(tmp_path / "raster.pdf").pages[0].extract_text()


def test_a_printer_without_a_queue_name_gets_rendered_pages(qtbot: QtBot) -> None:
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.NativeFormat)
    if printer.printerName():
        pytest.skip("this machine has a default printer")
    assert print_route(printer) is PrintRoute.RASTER


# --- a real CUPS -------------------------------------------------------------------------

CUPSD = "/usr/sbin/cupsd"
BACKEND = """#!/bin/sh
# Test backend: writes the job exactly as received to the path after "capture:".
if [ $# -eq 0 ]; then echo 'direct capture "Unknown" "klachtdesk test"'; exit 0; fi
out="${DEVICE_URI#capture:}"
if [ -n "$6" ]; then cat "$6" > "$out.part"; else cat > "$out.part"; fi
mv "$out.part" "$out"
"""


@pytest.fixture
def cups_queue() -> Iterator[tuple[dict[str, str], Path]]:
    """A private cupsd (own socket, own config) with queue "kantoor" that captures jobs."""
    if not (os.path.exists(CUPSD) and shutil.which("lpadmin") and shutil.which("lp")):
        pytest.skip("CUPS is not installed (Debian: cups)")
    if os.geteuid() != 0:
        pytest.skip("a private cupsd needs root here")
    root = Path(tempfile.mkdtemp(prefix="klachtdesk-cups-"))
    root.chmod(0o755)
    for name in ("spool", "tmp", "cache", "state", "log", "ppd", "bin/backend"):
        (root / name).mkdir(parents=True)
    (root / "out").mkdir(mode=0o777)
    (root / "out").chmod(0o777)
    # The scheduler starts backends through its own helpers (cups-exec) under ServerBin.
    for helpers in ("filter", "daemon"):
        (root / "bin" / helpers).symlink_to(f"/usr/lib/cups/{helpers}")
    backend = root / "bin" / "backend" / "capture"
    backend.write_text(BACKEND)
    backend.chmod(0o755)
    socket = root / "cups.sock"
    (root / "cupsd.conf").write_text(
        textwrap.dedent(f"""\
            Listen {socket}
            LogLevel warn
            WebInterface No
            Browsing No
            DefaultAuthType None
            <Location />
              Order allow,deny
              Allow all
            </Location>
            <Location /admin>
              Order allow,deny
              Allow all
            </Location>
            """)
    )
    (root / "cups-files.conf").write_text(
        "\n".join(
            [
                f"ServerRoot {root}",
                f"ServerBin {root / 'bin'}",
                f"RequestRoot {root / 'spool'}",
                f"TempDir {root / 'tmp'}",
                f"CacheDir {root / 'cache'}",
                f"StateDir {root / 'state'}",
                f"ErrorLog {root / 'log' / 'error_log'}",
                f"AccessLog {root / 'log' / 'access_log'}",
                f"PageLog {root / 'log' / 'page_log'}",
                "User daemon",
                "Group daemon",
                "Sandboxing Relaxed",
                "",
            ]
        )
    )
    env = {**os.environ, "CUPS_SERVER": str(socket), "QT_QPA_PLATFORM": "offscreen"}
    cupsd = subprocess.Popen(
        [CUPSD, "-f", "-c", str(root / "cupsd.conf"), "-s", str(root / "cups-files.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while not socket.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        out = root / "out" / "job.pdf"
        subprocess.run(
            ["lpadmin", "-p", "kantoor", "-E", "-v", f"capture:{out}", "-m", "raw"],
            env=env, check=True, capture_output=True, timeout=30,
        )  # fmt: skip
        yield env, out
    finally:
        cupsd.send_signal(signal.SIGTERM)
        cupsd.wait(timeout=15)
        shutil.rmtree(root, ignore_errors=True)


# Qt's CUPS plugin (libcups) settles on a server once per process, so the printing runs in a
# child process that sees only the private cupsd.
CHILD = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from klachtdesk.procedure import UserError
from klachtdesk.ui.printing import print_pdf, print_route
app = QApplication([])
printer = QPrinter(QPrinterInfo.printerInfo("kantoor"))
printer.setCopyCount(2)
print(print_route(printer).value)
try:
    print(print_pdf(Path(sys.argv[1]).read_bytes(), printer))
except UserError as exc:
    print("UserError:", exc.message)
"""


def _print_in_child(env: dict[str, str], content: bytes, folder: Path) -> list[str]:
    source = folder / "brief.pdf"
    source.write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(source)],
        env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return done.stdout.splitlines()


def test_a_cups_printer_gets_the_stored_pdf_itself(
    cups_queue: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, out = cups_queue
    content = letter_pdf()
    assert _print_in_child(env, content, tmp_path) == ["cups", "1"]
    deadline = time.monotonic() + 20
    while not out.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert out.read_bytes() == content  # the printer received the PDF, not pictures of it


def test_a_cups_queue_that_refuses_gives_a_dutch_message(
    cups_queue: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, out = cups_queue
    subprocess.run(["cupsreject", "kantoor"], env=env, check=True, timeout=30)
    lines = _print_in_child(env, letter_pdf(), tmp_path)
    assert lines[0] == "cups"
    assert lines[1].startswith("UserError: De printer ‘kantoor’ weigerde het document")
    assert not out.exists()
