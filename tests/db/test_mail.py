"""E-mailing an acknowledgement to a real SMTP server on localhost (aiosmtpd)."""

from __future__ import annotations

import email
import io
from email import policy
from email.message import EmailMessage

import pytest
from pypdf import PdfReader

from klachtdesk.letters.mail import letter_email, unsent_draft
from klachtdesk.models import Register
from klachtdesk.procedure import Channel, UserError
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.correspondence import ACKNOWLEDGEMENT, REPORT, generate
from klachtdesk.services.mail import MailError, SmtpSettings, check_connection, send
from klachtdesk.services.outgoing import document_email
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup

from ..smtp import PASSWORD, USER, Inbox, free_port
from .helpers import handler, intake


def settings_for(port: int, password: str = PASSWORD) -> SmtpSettings:
    return SmtpSettings("127.0.0.1", port, "none", USER, password, "klachten@herent.example")


def set_up(ctx: ServiceContext) -> None:
    initial_setup(
        ctx,
        Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
        Coordinator("Ann Peeters", phone="016 85 30 00", email="klachten@herent.example"),
        [],
        [],
    )


def acknowledgement_mail(ctx: ServiceContext) -> tuple[EmailMessage, bytes]:
    set_up(ctx)
    cid = svc.register_complaint(ctx, intake(channel=Channel.EMAIL, email="marie@example.be"))
    svc.decide_admissibility(ctx, cid, [])
    _doc, pdf = generate(ctx, cid, ACKNOWLEDGEMENT)
    message = letter_email(
        sender="klachten@herent.example",
        sender_name="Gemeente Herent",
        recipient="marie@example.be",
        recipient_name="Marie Peeters",
        subject="Ontvangstmelding van uw klacht (2026-0001)",
        body="Geachte mevrouw Peeters,\n\nIn bijlage vindt u de ontvangstmelding van uw klacht.\n",
        pdf=pdf,
        filename="ontvangstmelding-2026-0001.pdf",
        sent_at=ctx.now(),
    )
    return message, pdf


def test_acknowledgement_arrives_with_its_pdf(
    register: Register, ctx: ServiceContext, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    message, pdf = acknowledgement_mail(ctx)
    check_connection(settings_for(port))
    send(settings_for(port), message)
    assert len(inbox.messages) == 1
    envelope, received = inbox.messages[0]
    assert envelope.rcpt_tos == ["marie@example.be"]
    assert received["Subject"] == "Ontvangstmelding van uw klacht (2026-0001)"
    assert "Marie Peeters" in received["To"]
    body = received.get_body(preferencelist=("plain",))
    assert body is not None and "In bijlage vindt u de ontvangstmelding" in body.get_content()
    (attachment,) = list(received.iter_attachments())
    assert attachment.get_filename() == "ontvangstmelding-2026-0001.pdf"
    assert attachment.get_content() == pdf
    text = " ".join(PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text().split())
    assert "Marie Peeters" in text and "2026-0001" in text and "16 april 2026" in text


def test_refused_connection_is_a_dutch_error(register: Register, ctx: ServiceContext) -> None:
    message, _pdf = acknowledgement_mail(ctx)
    with pytest.raises(MailError, match="Geen verbinding met de mailserver"):
        send(settings_for(free_port()), message)


def test_wrong_password_is_a_dutch_error(
    register: Register, ctx: ServiceContext, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    message, _pdf = acknowledgement_mail(ctx)
    with pytest.raises(MailError, match="weigert de aanmelding"):
        send(settings_for(port, "fout"), message)
    assert inbox.messages == []


def test_unsent_draft_for_the_mail_program(register: Register, ctx: ServiceContext) -> None:
    message, pdf = acknowledgement_mail(ctx)
    draft = email.message_from_bytes(unsent_draft(message), policy=policy.default)
    assert draft["X-Unsent"] == "1"
    assert draft["To"] == message["To"] and draft["Subject"] == message["Subject"]
    assert [a.get_content() for a in draft.iter_attachments()] == [pdf]


def test_report_goes_to_the_handler(
    register: Register, ctx: ServiceContext, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    set_up(ctx)
    handler_id = handler(ctx)
    cid = svc.register_complaint(ctx, intake())  # a phone complaint without e-mail address
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handler_id)
    _doc, pdf = generate(ctx, cid, REPORT)
    send(settings_for(port), document_email(ctx, cid, REPORT, pdf, "rapport.pdf"))
    ((envelope, message),) = inbox.messages
    assert envelope.rcpt_tos == ["inge.claes@gemeente.example"]
    assert message["Subject"] == "Rapport klacht 2026-0001"
    assert "Beste Inge Claes," in message.get_body(preferencelist=("plain",)).get_content()
    with pytest.raises(UserError, match="geen e-mailadres"):
        document_email(ctx, cid, ACKNOWLEDGEMENT, pdf, "ontvangstmelding.pdf")
