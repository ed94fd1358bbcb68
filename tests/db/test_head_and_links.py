"""Issue 15: the head of department (copy of the report, informed at step 11) and linked
dossiers, on a real encrypted register; the report goes to a real local SMTP server."""

from __future__ import annotations

import email
import io
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from pypdf import PdfReader

from klachtdesk.letters.mail import unsent_draft
from klachtdesk.models import AuditContent, AuditEvent, Complaint, Department, Register
from klachtdesk.procedure import Channel, Ground, InvalidInput, Norm, Outcome, Resolution
from klachtdesk.services import complaints as svc
from klachtdesk.services.audit import verify_audit_chain
from klachtdesk.services.check import check_register
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.correspondence import COMPLETED_REPORT, REPORT, generate
from klachtdesk.services.dossier_detail import complaint_detail
from klachtdesk.services.erasure import anonymise_complaint, delete_complaint
from klachtdesk.services.export import ExportRequest, export_dossiers
from klachtdesk.services.links import (
    LinkRefused,
    decide_admissibility_and_link,
    link,
    link_by_reference,
    links_of,
    unlink,
)
from klachtdesk.services.mail import send
from klachtdesk.services.organisation import (
    HandlerData,
    add_department,
    head_in_copy,
    rename_department,
    save_handler,
)
from klachtdesk.services.outgoing import document_email

from ..conftest import FakeClock
from ..smtp import Inbox
from .helpers import intake
from .test_export import xlsx_rows
from .test_mail import set_up, settings_for


def summaries(complaint_id: int) -> list[str]:
    rows = (
        AuditContent.select(AuditContent.summary)
        .join(AuditEvent)
        .where(AuditEvent.complaint_id == complaint_id)
        .order_by(AuditEvent.id)
    )
    return [r.summary for r in rows]


# -- the head of department -------------------------------------------------------------


def test_a_department_keeps_its_head_checked_like_a_handler(
    register: Register, ctx: ServiceContext
) -> None:
    did = add_department(
        ctx, "Milieu", head_name="  Jan   Peeters ", head_email=" Jan.Peeters@Gemeente.example "
    )
    row = Department.get_by_id(did)
    assert (row.head_name, row.head_email) == ("Jan Peeters", "Jan.Peeters@gemeente.example")
    with pytest.raises(InvalidInput) as refused:
        rename_department(ctx, did, "Milieu", True, head_name="Jan", head_email="jan@")
    assert "head_email" in refused.value.errors
    assert "diensthoofd" in refused.value.message.lower()
    with pytest.raises(InvalidInput) as refused:
        add_department(ctx, "Wegen", head_email="an@gemeente.example")
    assert refused.value.errors == {"head_name": "Geef ook de naam van het diensthoofd."}
    # Renaming without a head keeps the head; the event has it before and after.
    rename_department(ctx, did, "Milieu en afval", True)
    assert Department.get_by_id(did).head_name == "Jan Peeters"
    rename_department(ctx, did, "Milieu en afval", True, head_name="An Claes", head_email="")
    row = Department.get_by_id(did)
    assert (row.name, row.head_name, row.head_email) == ("Milieu en afval", "An Claes", "")
    event = AuditContent.select().order_by(AuditContent.event.desc()).get()
    assert '"head_name": "Jan Peeters"' in event.before
    assert '"head_name": "An Claes"' in event.after
    assert Department.select().where(Department.name == "Wegen").count() == 0


def dossier_with_handler(ctx: ServiceContext, *, head_is_handler: bool = False) -> int:
    set_up(ctx)
    did = add_department(
        ctx,
        "Milieu en afval",
        head_name="Inge Claes" if head_is_handler else "Jan Peeters",
        head_email="jan.peeters@gemeente.example",
    )
    hid = save_handler(ctx, HandlerData("Inge Claes", "inge.claes@gemeente.example", "", did))
    cid = svc.register_complaint(ctx, intake(channel=Channel.EMAIL, email="marie@example.be"))
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, hid)
    return cid


def test_the_report_mail_to_the_handler_has_the_head_in_copy(
    register: Register, ctx: ServiceContext, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    cid = dossier_with_handler(ctx)
    _doc, pdf = generate(ctx, cid, REPORT)
    send(settings_for(port), document_email(ctx, cid, REPORT, pdf, "rapport.pdf"))
    ((envelope, received),) = inbox.messages
    assert sorted(envelope.rcpt_tos) == [
        "inge.claes@gemeente.example",
        "jan.peeters@gemeente.example",
    ]
    assert "inge.claes@gemeente.example" in received["To"]
    assert str(received["Cc"]) == "Jan Peeters <jan.peeters@gemeente.example>"
    body = received.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Jan Peeters, diensthoofd van Milieu en afval, krijgt een kopie" in " ".join(
        body.split()
    )


def test_the_draft_for_the_mail_program_keeps_the_copy_and_a_head_without_address_is_named(
    register: Register, ctx: ServiceContext
) -> None:
    cid = dossier_with_handler(ctx)
    _doc, pdf = generate(ctx, cid, REPORT)
    draft = email.message_from_bytes(
        unsent_draft(document_email(ctx, cid, REPORT, pdf, "rapport.pdf")), policy=policy.default
    )
    assert str(draft["Cc"]) == "Jan Peeters <jan.peeters@gemeente.example>"
    department = Department.get(Department.name == "Milieu en afval")
    rename_department(ctx, department.id, department.name, True, head_email="")
    message = document_email(ctx, cid, REPORT, pdf, "rapport.pdf")
    assert message["Cc"] is None
    body = " ".join(message.get_body().get_content().split())  # type: ignore[union-attr]
    assert "Breng ook Jan Peeters, diensthoofd van Milieu en afval, op de hoogte" in body


def test_no_copy_when_the_handler_is_the_head(
    register: Register, ctx: ServiceContext, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    cid = dossier_with_handler(ctx, head_is_handler=True)
    assert head_in_copy(cid) is None
    _doc, pdf = generate(ctx, cid, REPORT)
    send(settings_for(port), document_email(ctx, cid, REPORT, pdf, "rapport.pdf"))
    ((envelope, received),) = inbox.messages
    assert envelope.rcpt_tos == ["inge.claes@gemeente.example"]
    assert received["Cc"] is None
    assert "diensthoofd" not in received.get_body().get_content()  # type: ignore[union-attr]


def finish(ctx: ServiceContext, cid: int, head_informed: bool | None) -> None:
    svc.record_assessment(
        ctx,
        cid,
        Outcome.WELL_FOUNDED,
        solution="Extra ophaalronde.",
        resolution=Resolution.RESOLVED,
        norms=[Norm.ACCURACY],
    )
    svc.record_returned(
        ctx, cid, report_text="Rapport.", reply_text="Geachte...", head_informed=head_informed
    )


@pytest.mark.parametrize(
    ("answer", "shown"), [(True, "ja"), (False, "nee"), (None, "niet gevraagd")]
)
def test_whether_the_head_was_informed_shows_in_the_dossier_and_the_completed_report(
    register: Register, ctx: ServiceContext, answer: bool | None, shown: str, tmp_path: Path
) -> None:
    cid = dossier_with_handler(ctx)
    assert complaint_detail(cid, ctx.today()).head_informed == ""  # step 11 not done yet
    finish(ctx, cid, answer)
    assert Complaint.get_by_id(cid).head_informed is answer
    assert complaint_detail(cid, ctx.today()).head_informed == shown
    _doc, pdf = generate(ctx, cid, COMPLETED_REPORT)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert f"Diensthoofd op de hoogte {shown}" in text
    out = tmp_path / "export.xlsx"
    export_dossiers(ctx, ExportRequest(), out)
    header, row = xlsx_rows(out)
    exported = dict(zip(header, row, strict=True))["Diensthoofd op de hoogte"]
    assert exported == {True: "ja", False: "nee", None: None}[answer]


def test_no_head_line_when_the_handler_is_the_head(register: Register, ctx: ServiceContext) -> None:
    cid = dossier_with_handler(ctx, head_is_handler=True)
    finish(ctx, cid, None)
    assert complaint_detail(cid, ctx.today()).head_informed == ""
    _doc, pdf = generate(ctx, cid, COMPLETED_REPORT)
    assert "Diensthoofd" not in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


# -- linked dossiers ------------------------------------------------------------------------


def three_dossiers(ctx: ServiceContext, clock: FakeClock) -> tuple[int, int, int]:
    day = ctx.today() - timedelta(days=10)
    first = svc.register_complaint(ctx, intake(received_on=day))
    same_day = svc.register_complaint(ctx, intake(received_on=day))
    later = svc.register_complaint(ctx, intake(received_on=day + timedelta(days=7)))
    return first, same_day, later


def test_link_both_ways_and_unlink(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    first, same_day, later = three_dossiers(ctx, clock)
    link(ctx, later, first)
    link(ctx, later, same_day)
    link(ctx, same_day, first)  # same day: the one registered first is the earlier
    ref = {cid: Complaint.get_by_id(cid).reference for cid in (first, same_day, later)}
    assert [d.reference for d in links_of(later).earlier] == [ref[first], ref[same_day]]
    assert links_of(later).later == []
    assert [d.reference for d in links_of(first).later] == [ref[same_day], ref[later]]
    assert links_of(first).earlier == []
    (one,) = links_of(same_day).earlier
    assert (one.id, one.received_on) == (first, ctx.today() - timedelta(days=10))
    assert f"Gekoppeld aan het eerdere dossier {ref[first]}" in summaries(later)
    assert f"Het latere dossier {ref[later]} werd hieraan gekoppeld" in summaries(first)
    unlink(ctx, later, first)
    assert [d.id for d in links_of(later).earlier] == [same_day]
    assert f"Koppeling met het latere dossier {ref[later]} verwijderd" in summaries(first)
    assert verify_audit_chain().ok


def test_links_refused_in_dutch(register: Register, ctx: ServiceContext, clock: FakeClock) -> None:
    first, same_day, later = three_dossiers(ctx, clock)
    link(ctx, later, first)
    before = summaries(later)
    cases = [
        (lambda: link(ctx, first, first), "niet aan zichzelf"),
        (lambda: link(ctx, first, later), "is niet ouder dan"),
        (lambda: link(ctx, first, same_day), "is niet ouder dan"),
        (lambda: link(ctx, later, first), "is al gekoppeld aan"),
        (lambda: link(ctx, later, 9999), "bestaat niet (meer)"),
        (lambda: unlink(ctx, same_day, first), "is niet gekoppeld aan"),
        (lambda: link_by_reference(ctx, later, "2025-9999"), "geen dossier met referentienummer"),
        (lambda: link_by_reference(ctx, later, "  "), "Geef het referentienummer"),
    ]
    for attempt, words in cases:
        with pytest.raises(LinkRefused) as refused:
            attempt()
        assert words in refused.value.message
    assert summaries(later) == before
    assert len(links_of(first).later) == 1


def test_link_by_reference(register: Register, ctx: ServiceContext, clock: FakeClock) -> None:
    first, _same_day, later = three_dossiers(ctx, clock)
    reference = Complaint.get_by_id(first).reference
    assert link_by_reference(ctx, later, f" {reference} ") == first
    assert [d.id for d in links_of(later).earlier] == [first]


def test_the_admissibility_decision_and_its_links_are_one_transaction(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    first, same_day, later = three_dossiers(ctx, clock)
    with pytest.raises(LinkRefused):  # the second link is refused: nothing is recorded
        decide_admissibility_and_link(ctx, later, [], "", [first, later])
    assert Complaint.get_by_id(later).admissible is None
    assert links_of(later).earlier == []
    decide_admissibility_and_link(
        ctx, later, [Ground.FILED_BEFORE], "Zelfde feiten als eerder.", [first, same_day]
    )
    assert Complaint.get_by_id(later).admissible is False
    assert [d.id for d in links_of(later).earlier] == [first, same_day]


def test_deleting_or_anonymising_a_linked_dossier(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    first, same_day, later = three_dossiers(ctx, clock)
    link(ctx, later, first)
    link(ctx, later, same_day)
    delete_complaint(ctx, first, "Dubbel geregistreerd.")
    assert [d.id for d in links_of(later).earlier] == [same_day]  # the link went with it
    with pytest.raises(LinkRefused, match="bestaat niet"):
        link(ctx, later, first)
    svc.decide_admissibility(ctx, same_day, [Ground.ANONYMOUS], "Geen naam.")
    svc.record_acknowledgement(ctx, same_day)  # inadmissible: closed with the acknowledgement
    clock.advance(days=1)
    anonymise_complaint(ctx, same_day)
    assert [d.id for d in links_of(later).earlier] == [same_day]  # the reference stays
    with pytest.raises(LinkRefused, match="geanonimiseerd"):
        link(ctx, same_day, later)
    assert verify_audit_chain().ok
    report = check_register()
    assert report.ok, report


def test_the_register_check_accepts_a_recorded_answer_about_the_head(
    register: Register, ctx: ServiceContext
) -> None:
    cid = dossier_with_handler(ctx)
    finish(ctx, cid, True)
    report = check_register()
    assert report.ok, report.problems
    Complaint.update(head_informed=False).where(Complaint.id == cid).execute()
    assert not check_register().ok  # changed behind klachtdesk's back: the check sees it
