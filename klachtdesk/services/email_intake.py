"""Pre-filling an e-mail intake from the citizen's message (an .eml file)."""

from __future__ import annotations

from datetime import date
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from html.parser import HTMLParser
from typing import Any

from klachtdesk.procedure import Channel, UserError
from klachtdesk.procedure.intake import DESCRIPTION_MAX

from .documents import Attachment


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p", "div", "li", "tr"):
            self.parts.append("\n")


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = str(part.get_content())
    if part.get_content_type() == "text/html":
        parser = _TextOfHtml()
        parser.feed(text)
        text = "".join(parser.parts)
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def intake_from_email(raw: bytes, filename: str, today: date) -> tuple[dict[str, Any], Attachment]:
    """Values for the intake wizard (sender, date, subject and text) and the message itself."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as exc:  # the parser is lenient; this is only for truly broken input
        raise UserError(f"‘{filename}’ is geen leesbaar e-mailbericht.") from exc
    if not isinstance(message, EmailMessage) or not (message["from"] or message["subject"]):
        raise UserError(f"‘{filename}’ is geen e-mailbericht (geen afzender of onderwerp).")
    values: dict[str, Any] = {"channel": Channel.EMAIL.value}
    sender = message["from"]
    addresses = getattr(sender, "addresses", ()) if sender is not None else ()
    if addresses:
        values["name"] = addresses[0].display_name
        values["email"] = addresses[0].addr_spec
    sent = message["date"]
    sent_on = getattr(sent, "datetime", None) if sent is not None else None
    received = sent_on.date() if sent_on is not None else today
    values["received_on"] = min(received, today).isoformat()
    values["coordinator_received_on"] = today.isoformat()
    subject = str(message["subject"] or "").strip()
    body = _body_text(message)
    description = f"{subject}\n\n{body}".strip() if subject else body
    values["description"] = description[:DESCRIPTION_MAX]
    return values, Attachment(filename, "message/rfc822", raw, title=f"E-mail: {subject}"[:200])
