"""Fill the handler's report form with the form engines of free PDF viewers and read it back.

    .venv/bin/python tools/check_form_viewers.py

Needs (Debian): mupdf-tools (``mutool``: MuPDF, the engine of mupdf-gl, Zathura's MuPDF
plugin, SumatraPDF) and gir1.2-poppler-0.18 with python3-gi for the system ``python3``
(poppler-glib: the library Evince, and through poppler-qt Okular, fill and save forms with);
optional: qpdf (structure check) and pdftoppm (poppler-utils) to draw the pages.

For each engine: a form is made for a dossier of a fresh register in a temporary folder,
the engine fills its fields as a person would (texts typed, the first outcome and mate van
oplossing, one ombudsnorm, "ja") and saves it; klachtdesk then reads the saved file and
records steps 9-11. A missing engine is reported as skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from klachtdesk.models import Complaint, Department, create_register
from klachtdesk.procedure import Channel, Intake
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.correspondence import REPORT, generate
from klachtdesk.services.handler_form import read_returned, record_returned_form, side_by_side
from klachtdesk.services.organisation import HandlerData, add_department, save_handler
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup

TEXTS = {
    "contacts": "Gesprek met het diensthoofd op 10 maart; klager teruggebeld op 11 maart.",
    "summary": (
        "De ophaalronde in de Kerkstraat werd op 12 en 19 februari overgeslagen door een "
        "nieuwe chauffeur die de aangepaste route nog niet kende: één lange regel die het "
        "programma zelf afbreekt."
    ),
    "solution": "Extra ophaling deze week; de ophaalronde is aangepast.",
    "report_text": "Route van de ophaaldienst toegevoegd.",
    "reply_text": "Geachte heer Dewaele,\n\nUw straat werd twee keer overgeslagen. Onze excuses.",
}
#: The radio groups whose first (topmost) button is chosen, and the ombudsnorm ticked.
FIRST_OF = ("outcome", "resolution", "head_informed")
NORM = "norm_accuracy"

MUTOOL_SCRIPT = """
var doc = new PDFDocument(scriptArgs[0]);
var texts = %(texts)s, firstOf = %(first)s, seen = {};
// MuPDF 1.21 gives a widget's label (the field's tooltip), not its name: the tooltips are
// the form's Dutch labels, so the fields are found by them.
for (var i = 0; i < doc.countPages(); i++) {
  var widgets = doc.loadPage(i).getWidgets();
  for (var j = 0; j < widgets.length; j++) {
    var w = widgets[j], label = w.getLabel(), type = w.getFieldType();
    if (type == "text" && texts[label] !== undefined) { w.setTextValue(texts[label]); w.update(); }
    else if (type == "radiobutton" && firstOf.indexOf(label) >= 0 && !seen[label]) {
      seen[label] = 1; w.toggle(); w.update();
    } else if (type == "checkbox" && label == %(norm)s) { w.toggle(); w.update(); }
  }
}
doc.save(scriptArgs[1], "incremental");
"""

POPPLER_SCRIPT = """
import json, sys
from pathlib import Path
import gi
gi.require_version("Poppler", "0.18")
from gi.repository import Poppler
texts, first_of, norm = json.loads(sys.argv[3])
doc = Poppler.Document.new_from_file(Path(sys.argv[1]).resolve().as_uri(), None)
top = {}
for i in range(doc.get_n_pages()):
    for m in doc.get_page(i).get_form_field_mapping():
        name = m.field.get_name() or ""
        key = (i, -m.area.y2, m.area.x1)
        if name in first_of and (name not in top or key < top[name][0]):
            top[name] = (key, m.field.get_id())
for i in range(doc.get_n_pages()):
    for m in doc.get_page(i).get_form_field_mapping():
        f, name = m.field, m.field.get_name() or ""
        if f.get_field_type() == Poppler.FormFieldType.TEXT and name in texts:
            f.text_set_text(texts[name])
        elif name in top and top[name][1] == f.get_id() or name == norm:
            f.button_set_state(True)
doc.save(Path(sys.argv[2]).resolve().as_uri())
"""


def make_form(folder: Path, ctx: ServiceContext) -> tuple[int, bytes]:
    initial_setup(
        ctx,
        Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
        Coordinator("Ann Peeters", "Klachtencoördinator", "016 85 30 00", "klachten@herent.be"),
        [],
        [],
    )
    department = add_department(ctx, "Milieu en afval")
    Department.update(head_name="Jan Janssens").execute()
    handler = save_handler(ctx, HandlerData("Inge Claes", "inge.claes@herent.be", "", department))
    cid = svc.register_complaint(
        ctx,
        Intake(
            channel=Channel.LETTER,
            received_on=ctx.today(),
            description="Mijn container werd twee keer niet geledigd.",
            received_by="Onthaal",
            name="Sébastien Dewaele",
            street="Kerkstraat 12",
            postal_code="3020",
            city="Herent",
            department_id=department,
        ),
    )
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handler)
    return cid, generate(ctx, cid, REPORT)[1]


def fill_with(engine: str, form: Path, out: Path) -> bool:
    """Whether the engine was there and filled ``form`` into ``out``."""
    import json

    from klachtdesk.procedure.handler_answers import FORM_LABELS

    if engine == "MuPDF (mutool run)":
        mutool = shutil.which("mutool")
        if mutool is None:
            return False
        head = next(iter(FORM_LABELS["head_informed"].split("?")))  # the label starts so
        labels = {FORM_LABELS[k]: v for k, v in TEXTS.items()}
        script = MUTOOL_SCRIPT % {
            "texts": json.dumps(labels),
            "first": json.dumps([FORM_LABELS["outcome"], FORM_LABELS["resolution"]]),
            "norm": json.dumps("goede uitvoeringspraktijk en administratieve nauwkeurigheid"),
        }
        # The head question's tooltip names the head: matched by its start.
        script = script.replace(
            "firstOf.indexOf(label) >= 0",
            f"(firstOf.indexOf(label) >= 0 || label.indexOf({json.dumps(head)}) == 0)",
        )
        path = out.with_suffix(".js")
        path.write_text(script, encoding="utf-8")
        subprocess.run([mutool, "run", str(path), str(form), str(out)], check=True)
        return True
    python = shutil.which("python3", path="/usr/bin")
    probe = subprocess.run(
        [python or "python3", "-c", "import gi; gi.require_version('Poppler', '0.18')"],
        capture_output=True,
    )
    if python is None or probe.returncode != 0:
        return False
    subprocess.run(
        [python, "-c", textwrap.dedent(POPPLER_SCRIPT), str(form), str(out),
         json.dumps([TEXTS, list(FIRST_OF), NORM])],
        check=True,
    )  # fmt: skip
    return True


def main() -> int:
    failed = False
    for engine in ("MuPDF (mutool run)", "poppler-glib (Evince, Okular)"):
        work = Path(tempfile.mkdtemp(prefix="klachtdesk-viewers-"))
        now = datetime.combine(date(2026, 3, 4), datetime.min.time())
        ctx = ServiceContext(actor="Ann Peeters", clock=lambda now=now: now)
        try:
            with create_register(work / "data", "een lang wachtwoord voor de test"):
                cid, pdf = make_form(work, ctx)
                form, out = work / "formulier.pdf", work / "ingevuld.pdf"
                form.write_bytes(pdf)
                if not fill_with(engine, form, out):
                    print(f"{engine}: overgeslagen (niet geïnstalleerd)")
                    continue
                if qpdf := shutil.which("qpdf"):
                    check = subprocess.run([qpdf, "--check", str(out)], capture_output=True)
                    print(f"{engine}: qpdf --check {'ok' if check.returncode == 0 else 'FOUT'}")
                returned = read_returned(out.read_bytes(), out.name, complaint_id=cid)
                for label, _on_record, in_form in side_by_side(returned):
                    print(f"  {label}: {in_form!r}")
                if returned.problems:
                    print(f"{engine}: PROBLEMEN {returned.problems}")
                    failed = True
                    continue
                record_returned_form(ctx, returned)
                state = Complaint.get_by_id(cid).state
                print(f"{engine}: ingelezen, dossier nu ‘{state.label}’")
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
