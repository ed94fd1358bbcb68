"""Render the yearly report of a demo register into docs/report/ (PDF, DOCX, XLSX and PNG
pages), to look at every page as the council will.

QT_QPA_PLATFORM=offscreen .venv/bin/python tools/render_report.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication

from klachtdesk.models import create_register
from klachtdesk.procedure.periods import Period
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.demo import fill_with_demo
from klachtdesk.services.report_files import period_report_files
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup
from klachtdesk.ui.printing import load_pdf

OUT = Path(__file__).resolve().parent.parent / "docs" / "report"
#: Mid-February 2027: the report on 2026 is the one to make, with five years of history.
NOW = datetime(2027, 2, 15, 10, 0)
YEAR = 2026


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    work = Path(tempfile.mkdtemp(prefix="klachtdesk-report-"))
    ctx = ServiceContext(actor="Ann Peeters", clock=lambda: NOW)
    try:
        register = create_register(work / "data", "een lang wachtwoord")
        initial_setup(
            ctx,
            Municipality(
                "Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent", "www.herent.be"
            ),
            Coordinator("Ann Peeters", "Klachtencoördinator", "016 85 30 00", "klachten@herent.be"),
            ["Milieu en afval"],
            [("Inge Claes", "inge.claes@herent.be", "Milieu en afval")],
        )
        fill_with_demo(ctx, 2500, years=6)
        files = period_report_files(Period.year(YEAR), NOW.date())
        for extension in ("pdf", "docx", "xlsx"):
            (OUT / files.filename(extension)).write_bytes(getattr(files, extension))
            print(f"docs/report/{files.filename(extension)}")
        document = load_pdf(files.pdf)
        for page in range(document.pageCount()):
            size = document.pagePointSize(page)
            image = document.render(page, QSize(int(size.width() * 1.4), int(size.height() * 1.4)))
            image.save(str(OUT / f"{files.stem}-{page + 1}.png"))
            print(f"docs/report/{files.stem}-{page + 1}.png")
        register.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
