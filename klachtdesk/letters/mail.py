"""The e-mails that carry a document: plain-text body, the PDF attached."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid


def letter_email(
    *,
    sender: str,
    sender_name: str,
    recipient: str,
    recipient_name: str,
    subject: str,
    body: str,
    pdf: bytes,
    filename: str,
    sent_at: datetime,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((sender_name, sender))
    message["To"] = formataddr((recipient_name, recipient)) if recipient_name else recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(sent_at.astimezone())
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] or None)
    message.set_content(body)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return message


def unsent_draft(message: EmailMessage) -> bytes:
    """The message as an .eml the coordinator's mail program opens as a draft to review."""
    draft = EmailMessage()
    for key in ("From", "To", "Subject"):
        if message[key]:
            draft[key] = message[key]
    draft["X-Unsent"] = "1"
    draft.set_content(message.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]
    for part in message.iter_attachments():
        draft.add_attachment(
            part.get_content(), maintype=part.get_content_maintype(),
            subtype=part.get_content_subtype(), filename=part.get_filename(),
        )  # fmt: skip
    return bytes(draft)
