"""Outgoing mail to international addresses and with hostile names, through a real SMTP
server on localhost (aiosmtpd), with and without SMTPUTF8; the received message is parsed
back and its headers checked."""

from __future__ import annotations

from datetime import datetime

import pytest

from klachtdesk.letters.mail import letter_email, unsent_draft
from klachtdesk.models import Register
from klachtdesk.procedure import Channel, InvalidInput, UserError
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.correspondence import ACKNOWLEDGEMENT, generate
from klachtdesk.services.mail import (
    SMTP_KEY,
    MailError,
    SmtpSettings,
    check_connection,
    international_address_remark,
    save_smtp_settings,
    send,
    smtp_settings,
)
from klachtdesk.services.outgoing import document_email
from klachtdesk.services.settings import set_setting

from ..smtp import PASSWORD, USER, Inbox
from .helpers import intake
from .test_mail import set_up

SENDER = "klachten@herent.example"


def configure(ctx: ServiceContext, port: int, **changes: object) -> SmtpSettings:
    settings = SmtpSettings("127.0.0.1", port, "none", USER, PASSWORD, SENDER)
    settings = SmtpSettings(**{**settings.__dict__, **changes})  # type: ignore[arg-type]
    return save_smtp_settings(ctx, settings)


def acknowledgement_to(ctx: ServiceContext, address: str, name: str = "Marie Peeters") -> int:
    cid = svc.register_complaint(
        ctx, intake(channel=Channel.EMAIL, email=address, name=name, phone="")
    )
    svc.decide_admissibility(ctx, cid, [])
    return cid


def send_acknowledgement(ctx: ServiceContext, cid: int) -> None:
    _doc, pdf = generate(ctx, cid, ACKNOWLEDGEMENT)
    settings = smtp_settings()
    assert settings is not None
    send(settings, document_email(ctx, cid, ACKNOWLEDGEMENT, pdf, "ontvangstmelding.pdf"))


def test_a_unicode_domain_goes_out_in_its_idna_form_on_any_server(
    register: Register, ctx: ServiceContext, smtp_server_without_smtputf8: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server_without_smtputf8
    set_up(ctx)
    configure(ctx, port)
    send_acknowledgement(ctx, acknowledgement_to(ctx, "jan@bücher.be"))
    ((envelope, message),) = inbox.messages
    assert envelope.rcpt_tos == ["jan@xn--bcher-kva.be"]
    assert "SMTPUTF8" not in envelope.mail_options
    (to,) = message["To"].addresses
    assert (to.username, to.domain, to.display_name) == ("jan", "xn--bcher-kva.be", "Marie Peeters")
    assert message["From"].addresses[0].addr_spec == SENDER


def test_a_non_ascii_local_part_goes_out_with_smtputf8_when_offered(
    register: Register, ctx: ServiceContext, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    set_up(ctx)
    assert check_connection(configure(ctx, port)) is True
    configure(ctx, port, smtputf8=True)
    assert international_address_remark("jürgen@bücher.be") == ("", "")
    send_acknowledgement(ctx, acknowledgement_to(ctx, "jürgen@bücher.be", "Jürgen Öztürk"))
    ((envelope, message),) = inbox.messages
    assert "SMTPUTF8" in envelope.mail_options
    assert envelope.rcpt_tos == ["jürgen@xn--bcher-kva.be"]
    (to,) = message["To"].addresses
    assert (to.username, to.display_name) == ("jürgen", "Jürgen Öztürk")
    assert message["Subject"].startswith("Ontvangstmelding")


def test_a_non_ascii_local_part_without_smtputf8_is_refused_in_dutch(
    register: Register, ctx: ServiceContext, smtp_server_without_smtputf8: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server_without_smtputf8
    set_up(ctx)
    configure(ctx, port)  # not tested yet: whether the server can is not known
    _problem, warning = international_address_remark("jürgen@example.be")
    assert warning.startswith("Let op: ‘jürgen@example.be’ heeft letters als ü of é vóór de @")
    cid = acknowledgement_to(ctx, "jürgen@example.be")  # a warning only: registered
    with pytest.raises(
        MailError, match=r"kan daar niet naar versturen \(hij biedt geen SMTPUTF8\)"
    ):
        send_acknowledgement(ctx, cid)
    assert inbox.messages == []
    # Once the connection test found out, the intake refuses such an address, and so does
    # the e-mail of a dossier registered before.
    assert check_connection(configure(ctx, port)) is False
    configure(ctx, port, smtputf8=False)
    with pytest.raises(InvalidInput, match="Vraag de klager een ander e-mailadres") as refused:
        acknowledgement_to(ctx, "jürgen@example.be")
    assert set(refused.value.errors) == {"email"}
    with pytest.raises(UserError, match=r"Uw mailserver \(127\.0\.0\.1\) kan daar niet naar"):
        send_acknowledgement(ctx, cid)
    send_acknowledgement(ctx, acknowledgement_to(ctx, "jan@bücher.be"))  # IDNA: fine
    assert [envelope.rcpt_tos for envelope, _ in inbox.messages] == [["jan@xn--bcher-kva.be"]]


HOSTILE_NAMES = [
    ("=?utf-8?q?Bob=0D=0ABcc:_evil@example.com?=", "= ?utf-8?q?Bob=0D=0ABcc:_evil@example.com? ="),
    ('Peeters, Jan "Jantje" <x@y.be>', 'Peeters, Jan "Jantje" <x@y.be>'),
    ("Jan\r\nBcc: evil@example.com", "Jan Bcc: evil@example.com"),
    ("Élise\x00\x1b Dubois\u2028", "Élise Dubois"),
    ("=?iso-8859-1?b?QQ==?= Smet", "= ?iso-8859-1?b?QQ==? = Smet"),
]


@pytest.mark.parametrize(("name", "shown"), HOSTILE_NAMES)
def test_hostile_display_names_stay_one_harmless_name(
    name: str, shown: str, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    message = letter_email(
        sender=SENDER, sender_name=name, recipient="marie@example.be", recipient_name=name,
        subject=f"Ontvangstmelding\r\nBcc: evil@example.com {name}", body="Tekst.\n",
        pdf=b"%PDF-1.4", filename="ontvangstmelding.pdf", sent_at=datetime(2026, 3, 2, 9, 30),
    )  # fmt: skip
    send(SmtpSettings("127.0.0.1", port, "none", USER, PASSWORD, SENDER), message)
    ((envelope, received),) = inbox.messages
    assert envelope.rcpt_tos == ["marie@example.be"]
    assert received["Bcc"] is None and len(received.get_all("To")) == 1
    for header in ("To", "From"):
        # The name as sent, one line, no encoded word (the email package may add a blank
        # inside a look-alike when folding).
        received_name = received[header].addresses[0].display_name
        assert received_name.replace(" ", "") == shown.replace(" ", "")
        assert "=?" not in received_name and "?=" not in received_name
    assert received["From"].addresses[0].addr_spec == SENDER
    assert "\n" not in received["Subject"] and "\r" not in received["Subject"]
    assert received["Subject"].startswith("Ontvangstmelding Bcc: evil@example.com")
    draft = unsent_draft(message)
    assert b"\nBcc" not in draft and b"\rBcc" not in draft


def test_a_complainant_named_like_an_encoded_word_gets_the_mail(
    register: Register, ctx: ServiceContext, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    set_up(ctx)
    configure(ctx, port)
    name = "=?utf-8?q?Marie=0D=0ABcc:_evil@example.com?="
    send_acknowledgement(ctx, acknowledgement_to(ctx, "marie@example.be", name))
    ((envelope, message),) = inbox.messages
    assert envelope.rcpt_tos == ["marie@example.be"]
    assert message["To"].addresses[0].display_name == name.replace("=?", "= ?").replace("?=", "? =")


def test_the_sender_is_trimmed_and_checked_when_saved(
    register: Register, ctx: ServiceContext, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    set_up(ctx)
    kept = configure(ctx, port, sender=f" {SENDER}\r\n", host=" 127.0.0.1\n", user=f" {USER} ")
    assert (kept.sender, kept.host, kept.user) == (SENDER, "127.0.0.1", USER)
    assert smtp_settings() == kept
    send_acknowledgement(ctx, acknowledgement_to(ctx, "marie@example.be"))
    ((envelope, message),) = inbox.messages
    assert envelope.mail_from == SENDER
    assert message["From"].addresses[0].addr_spec == SENDER
    assert "< " not in str(message["From"])
    for bad in (f"{SENDER}\r\nBcc: evil@example.com", "klachten@", "klachten herent@x.be"):
        with pytest.raises(InvalidInput, match="geen geldig e-mailadres") as refused:
            configure(ctx, port, sender=bad)
        assert set(refused.value.errors) == {"sender"}
    with pytest.raises(InvalidInput, match="geen naam van een mailserver"):
        configure(ctx, port, host="smtp.example\r\nX")
    assert smtp_settings() == kept


def test_a_sender_stored_before_it_was_checked_is_trimmed_when_sending(
    register: Register, ctx: ServiceContext, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    set_up(ctx)
    stored = SmtpSettings("127.0.0.1", port, "none", USER, PASSWORD, f" {SENDER}\r\n")
    set_setting(ctx, SMTP_KEY, stored.__dict__, "Mailserver (oude versie)", secret=("password",))
    send_acknowledgement(ctx, acknowledgement_to(ctx, "marie@example.be"))
    ((envelope, message),) = inbox.messages
    assert envelope.mail_from == SENDER and message["From"].addresses[0].addr_spec == SENDER
