"""Reminders by e-mail to the handler before the handler's limit and once it is exceeded.

Which reminders are due is the pure rule of :mod:`klachtdesk.procedure.reminders`; this module
reads the dossiers it needs through an index, composes the message (the report attached
again, the head of department in copy), and records a reminder sent — a :class:`Reminder` row
and an event in the dossier's timeline, in one transaction — only after the server accepted
it. A failed send records nothing, so the next check tries again. Without a mail server the
coordinator sends a draft (``.eml``) from their own mail program and records that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any, cast

from babel.dates import format_date
from peewee import IntegrityError, fn

from klachtdesk.letters.mail import letter_email, unsent_draft
from klachtdesk.models import Complaint, Document, Handler, Reminder, database
from klachtdesk.models.id_sets import id_set
from klachtdesk.procedure import InvalidInput, UserError, day_count
from klachtdesk.procedure.reminders import (
    MAX_DAYS_BEFORE,
    WITH_HANDLER_STATES,
    ReminderKind,
    ReminderSettings,
    due_reminders,
    handler_due_on,
)

from .audit import append_event
from .context import ServiceContext
from .correspondence import REPORT, generate
from .mail import SmtpSettings, send
from .organisation import head_in_copy
from .outgoing import sender
from .settings import get_setting, set_setting
from .watch import dossier_query, dossiers_of

REMINDERS_KEY = "handler_reminders"
#: The audit action of a reminder sent (or drafted) to the handler.
REMINDER_ACTION = "reminder"

SUBJECTS = {
    ReminderKind.BEFORE: "Herinnering: rapport klacht {reference} uiterlijk {due}",
    ReminderKind.OVERDUE: "Termijn overschreden: rapport klacht {reference}",
}


def long_date(day: date) -> str:
    """'1 april 2026'."""
    return str(format_date(day, "d MMMM y", locale="nl_BE"))


# -- settings ------------------------------------------------------------------------------


def reminder_settings() -> ReminderSettings:
    """The configured reminders; off until the coordinator switches them on."""
    stored = get_setting(REMINDERS_KEY, {})
    if not isinstance(stored, dict):
        return ReminderSettings()
    try:
        return ReminderSettings(
            enabled=bool(stored.get("enabled", False)),
            days_before=int(stored.get("days_before", ReminderSettings.days_before)),
            on_overdue=bool(stored.get("on_overdue", True)),
        )
    except (TypeError, ValueError):  # not as this version writes it: the defaults
        return ReminderSettings()


def settings_words(settings: ReminderSettings) -> str:
    """The reminders in words, for the audit trail: 'aan, 5 dagen vooraf en bij overschrijding'."""
    if not settings.enabled:
        return "uit"
    before = (
        "op de vervaldag"
        if settings.days_before == 0
        else f"{day_count(settings.days_before)} vooraf"
    )
    return f"aan, {before}" + (" en bij overschrijding" if settings.on_overdue else "")


def set_reminder_settings(ctx: ServiceContext, settings: ReminderSettings) -> None:
    """Store the reminders' settings (their own audit event) when they changed."""
    if not 0 <= settings.days_before <= MAX_DAYS_BEFORE:
        raise InvalidInput({"days_before": f"Kies tussen 0 en {MAX_DAYS_BEFORE} dagen."})
    if settings == reminder_settings():
        return
    set_setting(
        ctx,
        REMINDERS_KEY,
        asdict(settings),
        f"Herinneringen aan behandelaars: {settings_words(settings)}",
    )


# -- which reminders are due -----------------------------------------------------------------


@dataclass(frozen=True)
class DueReminder:
    """A reminder to send today."""

    complaint_id: int
    reference: str
    kind: ReminderKind
    handler_id: int
    handler_name: str
    handler_email: str
    due_on: date

    @property
    def problem(self) -> str:
        """Why it cannot go by e-mail (empty when it can), with what to do instead."""
        if not self.handler_email.strip():
            return (
                f"{self.handler_name} heeft geen e-mailadres: druk het rapport af en bezorg "
                "het, of bel."
            )
        return ""

    def describe(self) -> str:
        """E.g. 'Termijn overschreden (uiterlijk 01/04/2026) aan Inge Claes (2026-0001)'."""
        label = self.kind.label
        return (
            f"{label[:1].upper()}{label[1:]} (uiterlijk {self.due_on.strftime('%d/%m/%Y')}) "
            f"aan {self.handler_name} ({self.reference})"
        )


def candidates_query(horizon: date) -> Any:
    """The dossiers with the handler whose next limit falls on ``horizon`` or before, not yet
    reminded of an exceeded limit (the statement :func:`reminders_due` runs)."""
    done = Reminder.select(Reminder.id).where(
        (Reminder.complaint == Complaint.id) & (Reminder.kind == str(ReminderKind.OVERDUE))
    )
    return dossier_query(
        Complaint.next_due_on <= horizon,
        Complaint.state.in_([str(s) for s in WITH_HANDLER_STATES]),
        Complaint.handler.is_null(False),
        ~fn.EXISTS(done),
    )


def reminders_due(today: date, settings: ReminderSettings | None = None) -> list[DueReminder]:
    """The reminders to send on ``today``, by due date then reference.

    The dossiers with the handler whose next limit falls before the reminder window's end are
    found with the list's index on the stored next due date (a running handler's limit is never
    later than it), leaving out those reminded of the exceeded limit already; what was sent is
    read through the reminders' own (complaint, kind) index.
    """
    settings = settings or reminder_settings()
    if not settings.enabled:
        return []
    query = candidates_query(today + timedelta(days=settings.days_before))
    found = dossiers_of(query)
    if not found:
        return []
    ids = [complaint_id for complaint_id, _r, _d in found]
    sent: dict[int, set[str]] = {}
    kinds_sent = Reminder.select(Reminder.complaint, Reminder.kind).where(
        Reminder.complaint.in_(id_set(ids))
    )
    for complaint_id, kind in cast(Iterable[tuple[int, str]], kinds_sent.tuples()):
        sent.setdefault(int(complaint_id), set()).add(str(kind))
    handler_ids = {d.handler_id for _c, _r, d in found}
    handlers = {
        h.id: (h.name, h.email)
        for h in Handler.select(Handler.id, Handler.name, Handler.email).where(
            Handler.id.in_(list(handler_ids))
        )
    }
    due: list[DueReminder] = []
    for complaint_id, reference, dossier in found:
        kinds = due_reminders(dossier, today, settings, sent.get(complaint_id, ()))
        due_on = handler_due_on(dossier)
        assert dossier.handler_id is not None
        name, email = handlers.get(dossier.handler_id, ("(onbekende behandelaar)", ""))
        for kind in kinds:
            assert due_on is not None
            due.append(
                DueReminder(complaint_id, reference, kind, dossier.handler_id, name, email, due_on)
            )
    due.sort(key=lambda r: (r.due_on, r.reference))
    return due


# -- the message ----------------------------------------------------------------------------


def report_pdf(ctx: ServiceContext, complaint_id: int) -> tuple[str, bytes]:
    """The latest stored report for the handler (step 8), made and kept now if none is."""
    document = (
        Document.select(Document.filename, Document.content)
        .where((Document.complaint == complaint_id) & (Document.kind == REPORT))
        .order_by(Document.created_at.desc(), Document.id.desc())
        .first()
    )
    if document is not None:
        return str(document.filename), bytes(document.content)
    document_id, pdf = generate(ctx, complaint_id, REPORT)
    filename = Document.get_by_id(document_id).filename
    return str(filename), pdf


def reminder_body(due: DueReminder, sent_on: date | None, signature: str) -> str:
    """The reminder's text, in Dutch."""
    sent = f"Op {long_date(sent_on)} bezorgden wij u" if sent_on else "U ontving"
    lines = [
        f"Beste {due.handler_name},",
        f"{sent} het rapport van klacht {due.reference}. Het aangevulde rapport en het "
        "ontwerp van de motiverende brief moeten uiterlijk op "
        f"{long_date(due.due_on)} terug zijn bij de klachtencoördinator.",
    ]
    if due.kind is ReminderKind.OVERDUE:
        lines.append(
            "Die termijn is verstreken. Bezorg ze zo snel mogelijk, of laat ons weten wanneer "
            "u ze kunt bezorgen."
        )
    else:
        lines.append("Dit is een herinnering: wij ontvangen ze graag tijdig.")
    lines.append("In bijlage vindt u het rapport opnieuw.")
    lines.append(signature)
    return "\n\n".join(lines) + "\n"


def reminder_email(ctx: ServiceContext, due: DueReminder) -> EmailMessage:
    """The reminder to the handler, with the report attached again and the head of
    department in copy when :func:`head_in_copy` names one. UserError (Dutch) when it cannot
    be composed (no e-mail address, no sender)."""
    if due.problem:
        raise UserError(due.problem)
    me = sender()
    head = head_in_copy(due.complaint_id)
    cc = (head.name, head.email) if head is not None and head.email.strip() else None
    me.check_recipients(due.handler_email, cc[1] if cc else "")
    row = Complaint.get_or_none(Complaint.id == due.complaint_id)
    if row is None:
        raise UserError(f"Dossier {due.reference} bestaat niet (meer).")
    filename, pdf = report_pdf(ctx, due.complaint_id)
    subject = SUBJECTS[due.kind].format(reference=due.reference, due=long_date(due.due_on))
    try:
        return letter_email(
            sender=me.address, sender_name=me.name,
            recipient=due.handler_email, recipient_name=due.handler_name, subject=subject,
            body=reminder_body(due, row.sent_to_handler_on, me.signature), pdf=pdf,
            filename=filename, sent_at=ctx.now(), cc=cc,
        )  # fmt: skip
    except ValueError as exc:  # an address from before the checks
        raise UserError(f"Deze herinnering kan niet opgesteld worden: {exc}") from exc


def reminder_draft(ctx: ServiceContext, due: DueReminder) -> bytes:
    """The reminder as an ``.eml`` draft for the coordinator's own mail program."""
    return unsent_draft(reminder_email(ctx, due))


# -- recording -----------------------------------------------------------------------------


def record_reminder(ctx: ServiceContext, due: DueReminder, *, by_mail: bool) -> bool:
    """Record the reminder as sent today: a reminder row and an event in the dossier's
    timeline, in one transaction. False (nothing written) when this kind was recorded for the
    dossier already."""
    today = ctx.today()
    how = "per e-mail" if by_mail else "als concept uit het eigen mailprogramma"
    summary = (
        f"Herinnering aan behandelaar verstuurd: {due.kind.label} "
        f"(uiterlijk {due.due_on.strftime('%d/%m/%Y')}), {how}, aan {due.handler_name}"
    )
    try:
        with database.atomic():
            Reminder.create(
                complaint=due.complaint_id, kind=str(due.kind), sent_on=today, by_mail=by_mail
            )
            append_event(
                ctx,
                REMINDER_ACTION,
                summary,
                complaint_id=due.complaint_id,
                after={
                    "reminder": str(due.kind),
                    "sent_on": today,
                    "by_mail": by_mail,
                    "handler": due.handler_id,
                    "due_on": due.due_on,
                },
            )
    except IntegrityError:  # the unique (complaint, kind): sent once already
        return False
    return True


def record_reminder_drafted(ctx: ServiceContext, due: DueReminder) -> bool:
    """The coordinator sent the draft from their own mail program: record it."""
    return record_reminder(ctx, due, by_mail=False)


@dataclass
class SendOutcome:
    """What one round of sending did."""

    sent: list[DueReminder] = field(default_factory=list)
    #: Not sent, with the reason in Dutch (tried again at the next check).
    failed: list[tuple[DueReminder, str]] = field(default_factory=list)


def prepared_reminders(
    ctx: ServiceContext, today: date, limit: int | None = None
) -> tuple[list[tuple[DueReminder, EmailMessage]], list[tuple[DueReminder, str]]]:
    """The reminders due on ``today`` composed for sending (the first ``limit`` of them, if
    given), and those that cannot be (with the reason). Reads and may store a missing report:
    on the register's thread."""
    ready: list[tuple[DueReminder, EmailMessage]] = []
    problems: list[tuple[DueReminder, str]] = []
    for due in reminders_due(today):
        if limit is not None and len(ready) >= limit:
            break
        try:
            ready.append((due, reminder_email(ctx, due)))
        except UserError as exc:
            problems.append((due, exc.message))
    return ready, problems


def send_due_reminders(
    ctx: ServiceContext,
    smtp: SmtpSettings,
    today: date,
    deliver: Callable[[SmtpSettings, EmailMessage], None] = send,
) -> SendOutcome:
    """Send every reminder due on ``today``; each one accepted by the server is recorded at
    once (its own transaction), each refused one is not and comes back at the next check."""
    outcome = SendOutcome()
    ready, outcome.failed = prepared_reminders(ctx, today)
    for due, message in ready:
        try:
            deliver(smtp, message)
        except UserError as exc:
            outcome.failed.append((due, exc.message))
            continue
        record_reminder(ctx, due, by_mail=True)
        outcome.sent.append(due)
    return outcome


__all__ = [
    "REMINDERS_KEY",
    "DueReminder",
    "ReminderKind",
    "ReminderSettings",
    "SendOutcome",
    "prepared_reminders",
    "record_reminder",
    "record_reminder_drafted",
    "reminder_draft",
    "reminder_email",
    "reminder_settings",
    "reminders_due",
    "send_due_reminders",
    "set_reminder_settings",
]
