"""Sending documents by e-mail over SMTP, with settings kept in the encrypted register.

The password is stored only inside the register. Every failure (refused connection, wrong
login, recipient refused, time-out) becomes a Dutch :class:`MailError`; the caller marks a
step as sent only when :func:`send` returned.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from typing import Literal

from klachtdesk.procedure import InvalidInput, UserError
from klachtdesk.procedure.intake import normalize_email

from .context import ServiceContext
from .settings import get_setting, set_setting

SMTP_KEY = "smtp"
TIMEOUT_SECONDS = 20

Security = Literal["starttls", "ssl", "none"]


class MailError(UserError):
    pass


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    security: Security = "starttls"
    user: str = ""
    password: str = ""
    sender: str = ""


def smtp_settings() -> SmtpSettings | None:
    stored = get_setting(SMTP_KEY)
    return SmtpSettings(**stored) if stored else None


def save_smtp_settings(ctx: ServiceContext, settings: SmtpSettings) -> None:
    errors: dict[str, str] = {}
    if not settings.host.strip():
        errors["host"] = "Geef de naam van de mailserver."
    if not 1 <= settings.port <= 65535:
        errors["port"] = "De poort ligt tussen 1 en 65535."
    try:
        normalize_email(settings.sender)
    except ValueError:
        errors["sender"] = "Geef het e-mailadres waarmee klachtdesk verstuurt."
    if errors:
        raise InvalidInput(errors)
    # The audit trail records the change, never the password itself.
    set_setting(
        ctx,
        SMTP_KEY,
        asdict(settings),
        f"Mailserver: {settings.host}:{settings.port}",
        secret=("password",),
    )


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    client: smtplib.SMTP | None = None
    try:
        if settings.security == "ssl":
            client = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
            if settings.security == "starttls":
                client.starttls(context=context)
        if settings.user:
            client.login(settings.user, settings.password)
        return client
    except BaseException as exc:
        if client is not None:
            client.close()
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            raise MailError(
                "De mailserver weigert de aanmelding: controleer gebruikersnaam en wachtwoord."
            ) from exc
        if isinstance(exc, smtplib.SMTPException):
            raise MailError(f"De mailserver gaf een fout: {exc}.") from exc
        if isinstance(exc, OSError):  # refused, unknown host, time-out
            raise MailError(
                f"Geen verbinding met de mailserver {settings.host}:{settings.port} ({exc})."
            ) from exc
        raise


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Deliver ``message`` to the server; returns only when the server accepted it."""
    client = _connect(settings)
    try:
        refused = client.send_message(message)
        if refused:
            raise MailError("De mailserver weigerde de ontvanger: " + ", ".join(refused) + ".")
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError("De mailserver weigerde de ontvanger.") from exc
    except smtplib.SMTPException as exc:
        raise MailError(f"Het bericht werd niet verstuurd: {exc}.") from exc
    finally:
        try:
            client.quit()
        except smtplib.SMTPException:
            client.close()


def check_connection(settings: SmtpSettings) -> None:
    """Connect and log in, send nothing (the 'test' button in Settings)."""
    _connect(settings).quit()
