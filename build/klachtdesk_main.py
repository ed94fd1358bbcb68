"""The bundle's entry point: the same `klachtdesk` command as the pip-installed one."""

import os
import sys

from klachtdesk.cli import main

#: tests/bundle_smoke.py: write a DOCX with the bundled python-docx (and lxml) into this
#: folder and stop. The bundle is trimmed (build/klachtdesk.spec); this proves what is left
#: still makes a Word document inside the frozen program, before any command makes one.
DOCX_PROBE_ENV = "KLACHTDESK_BUNDLE_DOCX_PROBE"


def docx_probe(folder: str) -> int:
    from docx import Document

    document = Document()
    document.add_heading("Jaarverslag klachtenbehandeling 2026", level=1)
    document.add_paragraph("Beoordeling en aanbevelingen van de algemeen directeur: …")
    table = document.add_table(rows=2, cols=2)
    for row, (label, count) in enumerate((("Ontvankelijk", "12"), ("Niet ontvankelijk", "3"))):
        table.cell(row, 0).text = label
        table.cell(row, 1).text = count
    document.save(os.path.join(folder, "probe.docx"))
    return 0


if __name__ == "__main__":
    probe = os.environ.get(DOCX_PROBE_ENV)
    sys.exit(docx_probe(probe) if probe else main())
