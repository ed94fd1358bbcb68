"""What the handler's report form costs (issue 15), each beside the same work done bare.

    python benchmarks/handler_form.py [--runs 15] [--work-dir D]

On a register with one dossier sent to the handler:
- making the form (``correspondence.build_letter`` + ``layout.render`` of the step-8 form)
  beside rendering the plain step-8 report of issue 5 (the same data, no fields);
- reading a filled form back (``handler_form.read_returned``: fields, check value, answers,
  problems) beside pypdf's bare ``PdfReader(...).get_fields()`` on the same bytes;
- the same for the ``.eml`` that carries it, beside the standard library's parser finding the
  attachment and pypdf reading its fields;
- the PDF drawn for printing (``for_printing``) beside QtPdf-free bare pypdf cloning.
Recording steps 9-11 changes the register, so it is timed once per run on a fresh dossier,
with no floor (printed as a plain figure). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import email
import io
import sys
import tempfile
from datetime import datetime
from email import policy
from email.message import EmailMessage
from functools import partial
from pathlib import Path

from pairs import measure_pairs, print_header, print_pairs, timed  # benchmarks/, beside this
from pypdf import PdfReader, PdfWriter

from klachtdesk.letters.documents import report
from klachtdesk.letters.handler_form_fields import CHECKED, FieldName, norm_field
from klachtdesk.letters.layout import render
from klachtdesk.models import create_register
from klachtdesk.procedure import Intake, Norm, Outcome, Resolution
from klachtdesk.procedure.vocabulary import Channel
from klachtdesk.services import complaints as svc
from klachtdesk.services import correspondence
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.dossiers import load_complaint
from klachtdesk.services.handler_form import (
    for_printing,
    read_returned,
    record_returned_form,
)
from klachtdesk.services.organisation import handlers
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup

ANSWERS = {
    str(FieldName.CONTACTS): "Gesprek met het diensthoofd op 10 maart.\nKlager teruggebeld.",
    str(FieldName.SUMMARY): "De ophaalronde sloeg de Kerkstraat twee keer over. " * 20,
    str(FieldName.OUTCOME): f"/{Outcome.WELL_FOUNDED.value}",
    str(FieldName.RESOLUTION): f"/{Resolution.RESOLVED.value}",
    str(FieldName.SOLUTION): "Extra ophaling deze week; de route is aangepast.",
    norm_field(Norm.ACCURACY): f"/{CHECKED}",
    str(FieldName.REPORT_TEXT): "Routeplan in bijlage bij het dossier.",
    str(FieldName.REPLY_TEXT): "Geachte mevrouw Peeters,\n\nUw straat werd overgeslagen. " * 10,
}


def fill(pdf: bytes) -> bytes:
    """The form as a viewer saves it (pypdf writes the values, the viewer draws them)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        writer.update_page_form_field_values(page, ANSWERS, auto_regenerate=False)
    writer.set_need_appearances_writer(True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def as_email(pdf: bytes) -> bytes:
    message = EmailMessage()
    message["From"] = "inge.claes@gemeente.example"
    message["To"] = "klachten@gemeente.example"
    message["Subject"] = "RE: Rapport klacht"
    message.set_content("Hierbij het ingevulde rapport.")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="rapport.pdf")
    return message.as_bytes()


def with_handler(ctx: ServiceContext) -> int:
    cid = svc.register_complaint(
        ctx,
        Intake(
            channel=Channel.PHONE,
            received_on=ctx.today(),
            coordinator_received_on=ctx.today(),
            received_by="Onthaal",
            name="Marleen Peeters",
            description="Mijn container werd twee keer niet geledigd.",
        ),
    )
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handlers()[0].id)
    return cid


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--work-dir", type=Path, default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="form-bench-", dir=args.work_dir))
    ctx = ServiceContext(actor="Benchmark", clock=lambda: datetime(2026, 3, 2, 10, 0))
    with create_register(work / "register", "een lang wachtwoord voor de meting"):
        initial_setup(
            ctx,
            Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
            Coordinator("Ann Peeters", email="klachten@herent.example"),
            ["Milieu en afval"],
            [("Inge Claes", "inge.claes@herent.example", "Milieu en afval")],
        )
        cid = with_handler(ctx)
        letter = correspondence.build_letter(cid, correspondence.REPORT, ctx.today())
        row_facts = correspondence.facts_of(load_complaint(cid))
        setup = correspondence.letter_setup()
        handler = correspondence._handler_facts(load_complaint(cid))

        def plain_report() -> bytes:
            plain = report(
                setup,
                row_facts,
                ctx.today(),
                handler=handler,
                acknowledged_on=ctx.today(),
                handler_due=None,
            )
            return render(plain)

        form = render(letter)
        filled = fill(form)
        mail = as_email(filled)
        print(f"form: {len(form) / 1024:.0f} KB, {len(PdfReader(io.BytesIO(form)).pages)} pages")
        print_header(f"The handler's report form ({args.runs} interleaved pairs)")
        print_pairs(
            "make the form vs the plain step-8 report",
            measure_pairs(lambda: render(letter), plain_report, runs=args.runs),
        )
        print_pairs(
            "read a returned PDF vs bare get_fields",
            measure_pairs(
                lambda: read_returned(filled, "rapport.pdf"),
                lambda: PdfReader(io.BytesIO(filled)).get_fields(),
                runs=args.runs,
            ),
        )

        def bare_email() -> object:
            message = email.message_from_bytes(mail, policy=policy.default)
            for part in message.iter_attachments():
                return PdfReader(io.BytesIO(part.get_content())).get_fields()
            return None

        print_pairs(
            "read a returned .eml vs stdlib parse + get_fields",
            measure_pairs(lambda: read_returned(mail, "antwoord.eml"), bare_email, runs=args.runs),
        )

        def bare_clone() -> bytes:
            out = io.BytesIO()
            PdfWriter(clone_from=PdfReader(io.BytesIO(filled))).write(out)
            return out.getvalue()

        print_pairs(
            "for_printing (answers drawn) vs bare clone",
            measure_pairs(lambda: for_printing(filled), bare_clone, runs=args.runs),
        )
        recorded: list[float] = []
        for _ in range(args.runs):
            fresh = with_handler(ctx)
            form_of_fresh = render(
                correspondence.build_letter(fresh, correspondence.REPORT, ctx.today())
            )
            returned = read_returned(fill(form_of_fresh), "rapport.pdf")
            recorded.append(timed(partial(record_returned_form, ctx, returned)))
        recorded.sort()
        print(
            f"record steps 9-11 (one transaction): min {recorded[0]:.1f} ms, "
            f"median {recorded[len(recorded) // 2]:.1f} ms, max {recorded[-1]:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
