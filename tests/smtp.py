"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), with a login."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

USER, PASSWORD = "klachtdesk", "juist-wachtwoord"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, EmailMessage]] = []

    async def handle_DATA(self, server: object, session: Session, envelope: Envelope) -> str:
        content = envelope.content
        assert isinstance(content, bytes)
        if "SMTPUTF8" in envelope.mail_options:  # headers in UTF-8 (RFC 6532)
            parsed = email.message_from_string(content.decode("utf-8"), policy=policy.default)
        else:
            parsed = email.message_from_bytes(content, policy=policy.default)
        self.messages.append((envelope, parsed))  # type: ignore[arg-type]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def authenticate(
    server: object, session: object, envelope: object, mechanism: str, data: object
) -> AuthResult:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == USER.encode()
        and data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


def serve(smtputf8: bool) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticate,
        auth_require_tls=False,
        auth_required=True,
        enable_SMTPUTF8=smtputf8,
    )
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """A server offering SMTPUTF8 (mail to jürgen@...), as most do today."""
    yield from serve(smtputf8=True)


@pytest.fixture
def smtp_server_without_smtputf8() -> Iterator[tuple[Inbox, int]]:
    """An older server: plain ASCII addresses only."""
    yield from serve(smtputf8=False)
