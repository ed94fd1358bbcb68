"""Render every document as klachtdesk makes it into docs/letters/ (PDF and PNG pages).

QT_QPA_PLATFORM=offscreen .venv/bin/python tools/render_letters.py
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pypdf import PdfReader, PdfWriter
from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication

from klachtdesk.letters.handler_form_fields import CHECKED, YES, FieldName, norm_field
from klachtdesk.models import create_register
from klachtdesk.procedure import Channel, FormOfAddress, Ground, Intake, Norm, Outcome, Resolution
from klachtdesk.services import complaints as svc
from klachtdesk.services import correspondence
from klachtdesk.services.access import export_person
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.extension import ExtensionRule, extend_closing_limit, set_extension_rule
from klachtdesk.services.handler_form import read_returned, record_returned_form, viewing_copy
from klachtdesk.services.organisation import handlers, rename_department
from klachtdesk.services.security import propose_recovery_key, recovery_sheet
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup
from klachtdesk.ui.printing import load_pdf

OUT = Path(__file__).resolve().parent.parent / "docs" / "letters"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 10, 0)

    def __call__(self) -> datetime:
        return self.now


def to_png(pdf: bytes, stem: str) -> None:
    document = load_pdf(pdf)
    (OUT / f"{stem}.pdf").write_bytes(pdf)
    for page in range(document.pageCount()):
        size = document.pagePointSize(page)
        image = document.render(page, QSize(int(size.width() * 1.4), int(size.height() * 1.4)))
        image.save(str(OUT / f"{stem}-{page + 1}.png"))
        print(f"docs/letters/{stem}-{page + 1}.png")


#: What the handler fills in on the report form; lines broken as a person types them (pypdf,
#: which fills the sample, does not wrap the text it draws; a PDF viewer does).
HANDLER_ANSWERS = {
    FieldName.CONTACTS: (
        "Gesprek met het diensthoofd op 10 maart.\nKlager teruggebeld op 11 maart."
    ),
    FieldName.SUMMARY: (
        "De ophaalronde in de Kerkstraat werd op 12 en 19 februari overgeslagen door\n"
        "een nieuwe chauffeur die de aangepaste route nog niet kende."
    ),
    FieldName.OUTCOME: f"/{Outcome.WELL_FOUNDED.value}",
    FieldName.RESOLUTION: f"/{Resolution.RESOLVED.value}",
    FieldName.SOLUTION: (
        "De container wordt deze week extra geledigd en de ophaalronde is aangepast."
    ),
    norm_field(Norm.ACCURACY): f"/{CHECKED}",
    FieldName.REPORT_TEXT: "Het rapport werd aangevuld met de route van de ophaaldienst.",
    FieldName.REPLY_TEXT: (
        "Geachte heer Dewaele,\n\n"
        "Na onderzoek blijkt dat uw straat op 12 en 19 februari uit de ophaalronde viel\n"
        "door een fout in de planning van een nieuwe chauffeur. Wij bieden u daarvoor\n"
        "onze excuses aan."
    ),
    FieldName.HEAD_INFORMED: f"/{YES}",
}


def fill_form(pdf: bytes, values: dict[str, str]) -> bytes:
    """The form filled with pypdf, with the appearance of each filled field drawn (so that
    every renderer shows it, not only those that draw fields anew)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        writer.update_page_form_field_values(
            page, {str(k): v for k, v in values.items()}, auto_regenerate=True
        )
    writer.set_need_appearances_writer(False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def to_png_filled(pdf: bytes, stem: str) -> None:
    """Like :func:`to_png` for a filled form: the PDF as filled, its pages drawn from the
    viewing copy (QtPdf leaves form fields out; services.handler_form.viewing_copy)."""
    to_png(viewing_copy(pdf), stem)
    (OUT / f"{stem}.pdf").write_bytes(pdf)


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="klachtdesk-letters-"))
    clock = Clock()
    ctx = ServiceContext(actor="Ann Peeters", clock=clock)
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
        # The head of department gets the report in copy and is asked about at step 11.
        rename_department(
            ctx, 1, "Milieu en afval", True, head_name="Jan Vermeulen",
            head_email="jan.vermeulen@herent.be",
        )  # fmt: skip
        complaint = Intake(
            channel=Channel.LETTER,
            received_on=clock.now.date(),
            description=(
                "Mijn restafvalcontainer werd op 12 en 19 februari niet geledigd. Ik belde "
                "twee keer naar de dienst, maar niemand belde terug. Ik betaalde wel € 45 "
                "voor het ophaalabonnement."
            ),
            received_by="Onthaal",
            name="Sébastien Dewaele",
            form_of_address=FormOfAddress.SIR,
            street="Kerkstraat 12",
            postal_code="3020",
            city="Herent",
            phone="0478 12 34 56",
            email="s.dewaele@example.be",
            department_id=1,
        )
        cid = svc.register_complaint(ctx, complaint)
        svc.decide_admissibility(ctx, cid, [])
        clock.now += timedelta(days=2)
        to_png(
            correspondence.generate(ctx, cid, correspondence.ACKNOWLEDGEMENT)[1],
            "ontvangstmelding-ontvankelijk",
        )
        svc.record_acknowledgement(ctx, cid)
        svc.send_to_handler(ctx, cid, handlers()[0].id)
        form = correspondence.generate(ctx, cid, correspondence.REPORT)[1]
        to_png(form, "rapport-behandelaar")
        clock.now += timedelta(days=12)
        # Issue 15: the closing limit extended once, with the notice to the complainant.
        set_extension_rule(ctx, ExtensionRule(True, 45))
        extend_closing_limit(
            ctx,
            cid,
            "Voor het onderzoek hebben wij het advies nodig van de intercommunale die het afval "
            "ophaalt. Zij bezorgt ons dat advies pas eind april.",
        )
        to_png(
            correspondence.generate(ctx, cid, correspondence.EXTENSION)[1],
            "kennisgeving-verlenging",
        )
        # Issue 15: the handler fills the form in and sends it back; klachtdesk reads it in.
        filled = fill_form(form, HANDLER_ANSWERS)
        to_png_filled(filled, "rapport-behandelaar-ingevuld")
        returned = read_returned(filled, "rapport-behandelaar-ingevuld.pdf", complaint_id=cid)
        record_returned_form(ctx, returned)
        svc.review_neutrality(ctx, cid, True)
        to_png(correspondence.generate(ctx, cid, correspondence.REPLY)[1], "motiverende-brief")
        svc.record_reply_sent(ctx, cid)
        correspondence.close_with_report(ctx, cid)
        from klachtdesk.models import Document

        completed = Document.select().where(Document.kind == correspondence.COMPLETED_REPORT).get()
        to_png(bytes(completed.content), "afgewerkt-rapport")

        other = svc.register_complaint(
            ctx,
            Intake(
                channel=Channel.EMAIL,
                received_on=clock.now.date(),
                description="Ik ben het niet eens met de nieuwe parkeerregeling in het centrum.",
                received_by="Website",
                name="Marie Janssens",
                form_of_address=FormOfAddress.MADAM,
                email="marie.janssens@example.be",
                street="Molenstraat 3",
                postal_code="3020",
                city="Herent",
            ),
        )
        svc.decide_admissibility(
            ctx,
            other,
            [Ground.POLICY],
            "Uw klacht gaat over het parkeerreglement dat de gemeenteraad goedkeurde.",
        )
        to_png(
            correspondence.generate(ctx, other, correspondence.ACKNOWLEDGEMENT)[1],
            "ontvangstmelding-niet-ontvankelijk",
        )
        to_png(correspondence.intake_form_pdf(ctx), "klachtenformulier")
        # Issue 11: the recovery-key sheet for the safe, and the right-of-access export.
        to_png(
            recovery_sheet(
                propose_recovery_key(), register.register_id, work / "data", clock.now.date()
            ),
            "herstelsleutel",
        )
        export = export_person(ctx, other, work)
        to_png(export.pdf.read_bytes(), "inzage-persoonsgegevens")
        register.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
