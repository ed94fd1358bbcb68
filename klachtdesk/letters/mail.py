"""The e-mails that carry a document: plain-text body, the PDF attached.

Every header is built from parts, never from a string the email package would parse again:
a display name is one line without control characters, and a name that merely looks like an
encoded word (``=?utf-8?q?...?=``) is kept as text instead of being decoded into the header.
A domain in Unicode is written in its IDNA form (works on every server); an address whose
local part is not ASCII makes the message an SMTPUTF8 one (RFC 6532), which the sending side
may only hand to a server that offers it.
"""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from klachtdesk.procedure.intake import address_parts, needs_smtputf8
from klachtdesk.procedure.text_limits import one_line

#: A display name is cut at this many characters (a municipality's name and a title fit).
NAME_CHARS = 200


def header_text(text: str, limit: int = 998) -> str:
    """``text`` fit for a header: one line, no control characters, blanks collapsed, and no
    ``=?`` or ``?=`` that a mail program would read as the edge of an encoded word."""
    return one_line(text).replace("=?", "= ?").replace("?=", "? =")[:limit].strip()


def mail_address(name: str, address: str) -> Address:
    """The header address for ``name`` <``address``>; ValueError (Dutch) when the address is
    not valid."""
    local, domain = address_parts(address)
    return Address(display_name=header_text(name, NAME_CHARS), username=local, domain=domain)


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
    """The message; ValueError (Dutch) when the sender or the recipient is not an address."""
    from_address = mail_address(sender_name, sender)
    to_address = mail_address(recipient_name, recipient)
    international = needs_smtputf8(sender) or needs_smtputf8(recipient)
    message = EmailMessage(
        policy=policy.default.clone(utf8=True) if international else policy.default
    )
    message["From"] = from_address
    message["To"] = to_address
    message["Subject"] = header_text(subject)
    message["Date"] = format_datetime(sent_at.astimezone())
    message["Message-ID"] = make_msgid(domain=from_address.domain)
    message.set_content(body)
    message.add_attachment(
        pdf, maintype="application", subtype="pdf", filename=header_text(filename, 200)
    )
    return message


def unsent_draft(message: EmailMessage) -> bytes:
    """The message as an .eml the coordinator's mail program opens as a draft to review."""
    draft = EmailMessage(policy=message.policy)
    for key in ("From", "To", "Cc", "Subject"):
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
