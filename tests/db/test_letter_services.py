"""The letters as the services make them from a real register: form of address recorded at
intake (stored, audited, migrated) and used in letters and e-mails; the completed report kept
at closing whatever was (not) recorded."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from klachtdesk.models import (
    SCHEMA_VERSION,
    AuditEvent,
    Complaint,
    Document,
    Register,
    create_register,
    database,
    open_register,
)
from klachtdesk.procedure import Channel, FormOfAddress, InvalidInput, NoJudgementReason, Outcome
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.correspondence import (
    ACKNOWLEDGEMENT,
    COMPLETED_REPORT,
    REPLY,
    close_with_report,
    generate,
)
from klachtdesk.services.dossier_detail import complaint_detail
from klachtdesk.services.outgoing import document_email
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup

from .conftest import PASSPHRASE
from .helpers import handler, intake, row, walk_to_returned


def set_up(ctx: ServiceContext) -> None:
    initial_setup(
        ctx,
        Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
        Coordinator("Ann Peeters", phone="016 85 30 00", email="klachten@herent.example"),
        [],
        [],
    )


def pdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_form_of_address_is_stored_audited_and_greets(
    register: Register, ctx: ServiceContext
) -> None:
    set_up(ctx)
    cid = svc.register_complaint(
        ctx,
        intake(
            name="Marleen De Smet", form_of_address=FormOfAddress.MADAM,
            channel=Channel.EMAIL, email="marleen@example.be",
        ),
    )  # fmt: skip
    assert row(cid).form_of_address is FormOfAddress.MADAM
    registered = AuditEvent.select().where(AuditEvent.complaint_id == cid).get()
    assert json.loads(registered.after)["form_of_address"] == "madam"
    assert complaint_detail(cid, ctx.today()).intake.form_of_address is FormOfAddress.MADAM
    svc.decide_admissibility(ctx, cid, [])
    _doc, pdf = generate(ctx, cid, ACKNOWLEDGEMENT)
    assert "Geachte mevrouw De Smet," in pdf_text(pdf)
    message = document_email(ctx, cid, ACKNOWLEDGEMENT, pdf, "ontvangstmelding.pdf")
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content().startswith("Geachte mevrouw De Smet,")
    # Corrected to "meneer" (a screen may hand the plain code back): audited and used.
    svc.edit_complaint(ctx, cid, replace(svc.intake_of(row(cid)), form_of_address="sir"))
    assert row(cid).form_of_address is FormOfAddress.SIR
    edit = AuditEvent.select().where(AuditEvent.complaint_id == cid).order_by(-AuditEvent.id).get()
    assert json.loads(edit.before) == {"form_of_address": "madam"}
    assert json.loads(edit.after) == {"form_of_address": "sir"}
    assert "Geachte heer De Smet," in pdf_text(generate(ctx, cid, ACKNOWLEDGEMENT)[1])


def test_without_form_of_address_the_full_name_is_greeted(
    register: Register, ctx: ServiceContext
) -> None:
    set_up(ctx)
    cid = svc.register_complaint(ctx, intake(name="Marleen De Smet"))
    assert row(cid).form_of_address is FormOfAddress.NONE
    svc.decide_admissibility(ctx, cid, [])
    assert "Geachte Marleen De Smet," in pdf_text(generate(ctx, cid, ACKNOWLEDGEMENT)[1])


def test_unknown_form_of_address_is_refused_in_dutch(
    register: Register, ctx: ServiceContext
) -> None:
    with pytest.raises(InvalidInput, match="aanspreking"):
        svc.register_complaint(ctx, intake(form_of_address="professor"))
    assert Complaint.select().count() == 0


def _close(ctx: ServiceContext, cid: int) -> str:
    svc.review_neutrality(ctx, cid, True)
    svc.record_reply_sent(ctx, cid)
    close_with_report(ctx, cid)
    kept = Document.get(
        (Document.complaint == cid) & (Document.kind == COMPLETED_REPORT)
    )  # one kept report
    return pdf_text(bytes(kept.content))


def test_closing_without_investigation_notes_keeps_the_completed_report(
    register: Register, ctx: ServiceContext
) -> None:
    set_up(ctx)
    cid = svc.register_complaint(ctx, intake())
    walk_to_returned(ctx, cid, handler(ctx))  # no investigation notes recorded
    text = _close(ctx, cid)
    assert "afgewerkt rapport klacht" in text and "Contacten niet ingevuld" in text
    assert row(cid).state.value == "closed"


def test_closing_with_very_long_texts_keeps_the_completed_report(
    register: Register, ctx: ServiceContext
) -> None:
    set_up(ctx)
    long = ("Het onderzoek verliep in vele stappen. " * 600)[:19_990] + " SLOT"
    cid = svc.register_complaint(ctx, intake())
    hid = handler(ctx)
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, hid)
    svc.record_investigation(ctx, cid, contacts=long, summary=long)
    svc.record_assessment(
        ctx, cid, Outcome.NO_JUDGEMENT, no_judgement_reason=NoJudgementReason.TOO_SMALL
    )
    svc.record_returned(ctx, cid, report_text=long, reply_text=long)
    reply = pdf_text(generate(ctx, cid, REPLY)[1])
    assert "de fout is te klein om in aanmerking te nemen" in reply
    assert "Vlaamse Ombudsdienst" in reply
    text = _close(ctx, cid)
    assert text.count("SLOT") == 4
    assert "geen oordeel (fout te klein om in aanmerking te nemen)" in text


def test_older_register_gets_the_form_of_address_column(data_dir: Path) -> None:
    # Version 4 is the schema before the form of address was added.
    with create_register(data_dir, PASSPHRASE, target_version=4):
        database.execute_sql(
            """INSERT INTO complaint (reference, registered_at, updated_at, channel, received_on,
               coordinator_received_on, received_by, forwarded_by, name, street, postal_code,
               city, phone, email, description, person_concerned, solved_immediately,
               immediate_solution, state, admissibility_motivation, investigation_contacts,
               investigation_summary, solution, report_text, reply_text, review_failed_reason,
               failed_reviews, withdrawal_reason)
               VALUES ('2026-0001', '2026-03-01 10:00:00', '2026-03-01 10:00:00', 'phone',
               '2026-03-01', '2026-03-01', 'Onthaal', '', 'Jef Oudeschema', '', '', '', '', '',
               'Klacht van voor de aanspreking', '', 0, '', 'registered', '', '', '', '', '',
               '', '', 0, '')"""
        )
    with open_register(data_dir, PASSPHRASE) as reg:
        assert reg.migrated_to[-1] == SCHEMA_VERSION
        assert Complaint.get().form_of_address is FormOfAddress.NONE
