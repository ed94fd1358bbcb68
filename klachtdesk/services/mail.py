"""Sending documents by e-mail over SMTP, with settings kept in the encrypted register.

The password is stored only inside the register. Every failure (refused connection, wrong
login, recipient refused, time-out) becomes a Dutch :class:`MailError`; the caller marks a
step as sent only when :func:`send` returned.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import asdict, dataclass, fields, replace
from email.message import EmailMessage
from typing import Literal

from klachtdesk.procedure import InvalidInput, UserError
from klachtdesk.procedure.intake import needs_smtputf8, normalize_email
from klachtdesk.procedure.text_limits import SHORT_TEXT, text_problem

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
    #: Whether the server offers SMTPUTF8 (mail to jürgen@...), as the last connection test
    #: found; None when not tested with these host, port and security.
    smtputf8: bool | None = None


_SECURITIES = ("starttls", "ssl", "none")


def smtp_settings() -> SmtpSettings | None:
    """The stored mail server settings; what the settings screen did not write (a field
    unknown to this version, a value of the wrong type) is left out, so the screen can show
    and correct them. :func:`send` checks them again before it connects."""
    stored = get_setting(SMTP_KEY)
    if not isinstance(stored, dict):
        return None
    known = {f.name for f in fields(SmtpSettings)}
    values = {k: v for k, v in stored.items() if k in known}
    try:
        return SmtpSettings(**values)
    except TypeError:  # no host
        return None


def stored_settings_problem(settings: SmtpSettings) -> str:
    """Why settings that did not come through :func:`save_smtp_settings` (stored directly in
    the register, or by an older version) cannot be used; empty when they can."""
    if not isinstance(settings.host, str) or not settings.host.strip():
        return "geen mailserver"
    if _one_line_problem(settings.host) or " " in settings.host.strip():
        return "de naam van de mailserver bevat spaties, regeleinden of stuurtekens"
    if type(settings.port) is not int or not 1 <= settings.port <= 65535:
        return "de poort ligt niet tussen 1 en 65535"
    if settings.security not in _SECURITIES:
        return "de beveiliging van de verbinding is onbekend"
    for name, value in (("gebruikersnaam", settings.user), ("wachtwoord", settings.password)):
        if not isinstance(value, str) or "\x00" in value or _one_line_problem(value.strip()):
            return f"de {name} bevat regeleinden of stuurtekens"
    if not isinstance(settings.sender, str):
        return "het afzenderadres is geen tekst"
    return ""


def _technical(exc: BaseException) -> str:
    """The server's own (English) words, marked as meant for the informaticadienst."""
    return f" (technische melding van de server: {exc})" if str(exc) else ""


def _one_line_problem(text: str) -> bool:
    """A line break, tab, control character or lone surrogate: the shared limits' judgement
    of a one-line field (a host or user name is far shorter than its 500 characters)."""
    return bool(text_problem(text, SHORT_TEXT))


def save_smtp_settings(ctx: ServiceContext, settings: SmtpSettings) -> SmtpSettings:
    """Check and keep the mail server settings, trimmed; returns them as kept.

    The sender goes into the From header of every mail: it is trimmed and must be a valid
    address on one line (a stray line break once broke every send).
    """
    errors: dict[str, str] = {}
    host, user = settings.host.strip(), settings.user.strip()
    if not host:
        errors["host"] = "Geef de naam van de mailserver."
    elif _one_line_problem(host) or " " in host:
        errors["host"] = f"‘{host}’ is geen naam van een mailserver (geen spaties of regeleinden)."
    if not 1 <= settings.port <= 65535:
        errors["port"] = "De poort ligt tussen 1 en 65535."
    if settings.security not in _SECURITIES:
        errors["security"] = "Kies de beveiliging van de verbinding: STARTTLS, SSL of geen."
    if _one_line_problem(user):
        errors["user"] = "De gebruikersnaam moet op één regel passen, zonder stuurtekens."
    sender = ""
    if not settings.sender.strip():
        errors["sender"] = "Geef het e-mailadres waarmee klachtdesk verstuurt."
    else:
        try:
            sender = normalize_email(settings.sender)
        except ValueError as exc:
            errors["sender"] = f"Afzender: {exc}"
    if errors:
        raise InvalidInput(errors)
    cleaned = replace(settings, host=host, user=user, sender=sender)
    # The audit trail records the change, never the password itself.
    set_setting(
        ctx,
        SMTP_KEY,
        asdict(cleaned),
        f"Mailserver: {cleaned.host}:{cleaned.port}",
        secret=("password",),
    )
    return cleaned


def international_address_remark(address: str) -> tuple[str, str]:
    """What the intake says about an address whose local part is not ASCII (jürgen@...):
    ``(problem, warning)``, both Dutch, empty when there is nothing to say.

    The problem (the address is refused) when the mail server is known not to offer SMTPUTF8,
    the warning when it is not known (no connection test yet): klachtdesk could not send
    the acknowledgement or the reply to such an address.
    """
    if not address.strip() or not needs_smtputf8(address.strip()):
        return "", ""
    settings = smtp_settings()
    offered = settings.smtputf8 if settings is not None else None
    if offered is False:
        assert settings is not None
        return (
            f"‘{address.strip()}’ heeft letters als ü of é vóór de @. Uw mailserver "
            f"({settings.host}) kan daar niet naar versturen (hij biedt geen SMTPUTF8). "
            "Vraag de klager een ander e-mailadres, of noteer geen e-mailadres en antwoord "
            "per brief.",
            "",
        )
    if offered is None:
        return "", (
            f"Let op: ‘{address.strip()}’ heeft letters als ü of é vóór de @. Niet elke "
            "mailserver kan daarnaar versturen; test de verbinding bij Instellingen (tabblad "
            "E-mail) om te weten of de uwe het kan."
        )
    return "", ""


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    problem = stored_settings_problem(settings)
    if problem:  # never connect without the encryption asked for, nor send a broken command
        raise MailError(
            f"De instellingen van de mailserver zijn ongeldig: {problem}. Vul ze opnieuw in "
            "bij Instellingen (tabblad E-mail)."
        )
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
            raise MailError(f"De mailserver gaf een fout{_technical(exc)}.") from exc
        if isinstance(exc, OSError):  # refused, unknown host, time-out
            raise MailError(
                f"Geen verbinding met de mailserver {settings.host}:{settings.port} ({exc})."
            ) from exc
        raise


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Deliver ``message`` to the server; returns only when the server accepted it.

    A message to or from an address whose local part is not ASCII goes out with SMTPUTF8,
    which smtplib asks for itself; a server that does not offer it refuses in Dutch.
    """
    client = _connect(settings)
    try:
        refused = client.send_message(message)
        if refused:
            raise MailError("De mailserver weigerde de ontvanger: " + ", ".join(refused) + ".")
    except smtplib.SMTPNotSupportedError as exc:
        raise MailError(
            f"Niet verstuurd: het adres heeft letters als ü of é vóór de @, en de mailserver "
            f"{settings.host} kan daar niet naar versturen (hij biedt geen SMTPUTF8). Stuur "
            "een brief, of vraag de klager een ander e-mailadres."
        ) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError("De mailserver weigerde de ontvanger.") from exc
    except smtplib.SMTPException as exc:
        raise MailError(f"Het bericht werd niet verstuurd{_technical(exc)}.") from exc
    finally:
        _hang_up(client)


def _hang_up(client: smtplib.SMTP) -> None:
    """Say goodbye to the server; close the line when it no longer answers."""
    try:
        client.quit()
    except smtplib.SMTPException:
        client.close()


def check_connection(settings: SmtpSettings) -> bool:
    """Connect and log in, send nothing (the 'test' button in Settings); returns whether the
    server offers SMTPUTF8 (mail to addresses like jürgen@...)."""
    client = _connect(settings)
    try:
        client.ehlo_or_helo_if_needed()
        return bool(client.has_extn("smtputf8"))
    except smtplib.SMTPException as exc:
        raise MailError(f"De mailserver gaf een fout{_technical(exc)}.") from exc
    finally:
        _hang_up(client)
