"""The bundle's entry point: the same `klachtdesk` command as the pip-installed one."""

import json
import os
import sys

from klachtdesk.cli import main

#: tests/bundle_smoke.py: with this set to a folder, the frozen program writes probe.docx
#: (python-docx on the bundled lxml, with a header and footer, which python-docx reads from
#: its own template files) and probe.json (what the trimmed phone data still know), then
#: stops. The bundle is trimmed (build/klachtdesk.spec): this proves that what is left still
#: works inside the frozen program, not only in the virtual environment.
PROBE_ENV = "KLACHTDESK_BUNDLE_PROBE"


def probe(folder: str) -> int:
    from docx import Document

    from klachtdesk.procedure.intake import phone_hint

    document = Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Gemeente Herent — jaarverslag klachten"
    section.footer.paragraphs[0].text = "pagina 1"
    document.add_heading("Jaarverslag klachtenbehandeling 2026", level=1)
    document.add_paragraph("Beoordeling en aanbevelingen van de algemeen directeur: …")
    table = document.add_table(rows=2, cols=2)
    for row, (label, count) in enumerate((("Ontvankelijk", "12"), ("Niet ontvankelijk", "3"))):
        table.cell(row, 0).text = label
        table.cell(row, 1).text = count
    document.save(os.path.join(folder, "probe.docx"))
    answers = {
        # Belgian zones stay in the slimmed geocoding data; the hint names the zone.
        "hint 03 123 45 67": phone_hint("03 123 45 67"),
        "hint +33 1 99 00 00 00": phone_hint("+33 1 99 00 00 00"),
    }
    with open(os.path.join(folder, "probe.json"), "w", encoding="utf-8") as file:
        json.dump(answers, file, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    folder = os.environ.get(PROBE_ENV)
    sys.exit(probe(folder) if folder else main())
