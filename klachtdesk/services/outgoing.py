"""Composing the e-mail that carries a document to the complainant or the handler."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

from klachtdesk.letters.mail import letter_email
from klachtdesk.procedure import UserError, salutation
from klachtdesk.procedure.intake import needs_smtputf8, normalize_email

from .context import ServiceContext
from .correspondence import ACKNOWLEDGEMENT, EXTENSION, KIND_TITLES, REPLY, REPORT
from .dossier_detail import handler_contact
from .dossiers import load_complaint
from .mail import SmtpSettings, international_address_remark, smtp_settings
from .organisation import head_in_copy
from .setup import coordinator, municipality

BODIES = {
    ACKNOWLEDGEMENT: "In bijlage vindt u de ontvangstmelding van uw klacht met kenmerk {reference}.",
    REPLY: "In bijlage vindt u ons antwoord op uw klacht met kenmerk {reference}.",
    EXTENSION: (
        "In bijlage vindt u onze kennisgeving: de termijn om uw klacht met kenmerk {reference} "
        "te beantwoorden, wordt verlengd."
    ),
    REPORT: (
        "In bijlage vindt u het rapport van klacht {reference}. Vul het formulier in, bewaar "
        "het en stuur het als bijlage terug aan de klachtencoördinator (een antwoord in Word "
        "of in deze e-mail kan ook)."
    ),
}


@dataclass(frozen=True)
class Sender:
    """Who klachtdesk's e-mails come from, checked (:func:`sender`)."""

    address: str
    name: str
    signature: str
    smtp: SmtpSettings | None

    def check_recipients(self, *addresses: str) -> None:
        """UserError (Dutch) for an international address the mail server cannot take."""
        for address in addresses:
            if needs_smtputf8(address) and self.smtp is not None and self.smtp.smtputf8 is False:
                raise UserError(international_address_remark(address)[0])


def sender() -> Sender:
    """The sender of every e-mail klachtdesk composes; UserError (Dutch) when Settings lack
    the municipality, the coordinator or a valid sender address."""
    town, me, smtp = municipality(), coordinator(), smtp_settings()
    if town is None or me is None:
        raise UserError("Vul eerst het bestuur en de klachtencoördinator in bij Instellingen.")
    address = (smtp.sender if smtp else "") or me.email
    if not address:
        raise UserError("Geef bij Instellingen het e-mailadres waarmee klachtdesk verstuurt.")
    try:
        address = normalize_email(address)  # kept before trimming was enforced: '… \r\n'
    except ValueError as exc:
        raise UserError(
            f"Het afzenderadres bij Instellingen (tabblad E-mail) is ongeldig: {exc}"
        ) from exc
    signature = f"Met vriendelijke groeten,\n\n{me.name}\n{me.title}\n{town.name}" + (
        f"\n{me.phone}" if me.phone else ""
    )
    return Sender(address, f"{town.name} – {me.title}", signature, smtp)


def document_email(
    ctx: ServiceContext, complaint_id: int, kind: str, pdf: bytes, filename: str
) -> EmailMessage:
    """The message for ``kind``: to the complainant, or for a report to the handler."""
    row = load_complaint(complaint_id)
    me = sender()
    cc: tuple[str, str] | None = None
    copy_line = ""
    if kind == REPORT:
        handler = handler_contact(row.handler_id) if row.handler_id else None
        if handler is None or not handler.email:
            raise UserError("Deze behandelaar heeft geen e-mailadres; druk het rapport af.")
        recipient, name, greeting = handler.email, handler.name, f"Beste {handler.name},"
        head = head_in_copy(complaint_id)
        if head is not None and head.email:
            cc = (head.name, head.email)
            copy_line = (
                f"{head.name}, diensthoofd van {head.department}, krijgt een kopie van dit "
                "bericht. Laat ons bij het terugbezorgen weten of het diensthoofd op de hoogte "
                "is van uw rapport."
            )
        elif head is not None:  # no address known: the handler passes it on
            copy_line = (
                f"Breng ook {head.name}, diensthoofd van {head.department}, op de hoogte van "
                "dit rapport."
            )
    else:
        if not row.email:
            raise UserError("Deze klager heeft geen e-mailadres; stuur een brief.")
        recipient, name = row.email, row.name
        greeting = f"Geachte {salutation(row.form_of_address, row.name)},"
    body = "\n\n".join(
        [
            greeting,
            BODIES[kind].format(reference=row.reference),
            *([copy_line] if copy_line else []),
            me.signature,
        ]
    )
    me.check_recipients(recipient, cc[1] if cc else "")
    try:
        return letter_email(
            sender=me.address, sender_name=me.name, recipient=recipient,
            recipient_name=name, subject=f"{KIND_TITLES[kind]} – uw kenmerk {row.reference}"
            if kind != REPORT else f"Rapport klacht {row.reference}",
            body=body + "\n", pdf=pdf, filename=filename, sent_at=ctx.now(), cc=cc,
        )  # fmt: skip
    except ValueError as exc:  # an address from before intake checked it
        raise UserError(f"Deze e-mail kan niet opgesteld worden: {exc}") from exc
