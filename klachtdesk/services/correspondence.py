"""Making the procedure's documents for a dossier and keeping the exact PDF in it.

The PDF is generated once and stored inside the encrypted register (a reprint is identical,
nothing readable is left on disk); every generation is a document in the dossier and an
event in its timeline.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from klachtdesk.letters.texts import DEFAULT_TEXTS, TEXT_LABELS, check_text
from klachtdesk.models import Complaint, Department, database
from klachtdesk.procedure import (
    Outcome,
    State,
    UserError,
)
from klachtdesk.procedure.deadlines import LimitKind, closing_due, deadlines
from klachtdesk.procedure.dossier import original_closing_due
from klachtdesk.procedure.input_checks import check_fields

from .complaints import close_complaint
from .context import ServiceContext
from .documents import Attachment, store_documents
from .dossier_detail import handler_contact
from .dossiers import dossier_of, load_complaint
from .organisation import head_informed_text
from .settings import get_setting, set_setting, time_limits
from .setup import coordinator, envelope_window, municipality

# The documents are drawn with ReportLab, whose import (fonts registered, Arabic shaping set
# up) costs a quarter of a second: it is imported when the first letter is made, not when the
# window that offers letters opens (issue 14).
if TYPE_CHECKING:
    from klachtdesk.letters.documents import ComplaintFacts, HandlerFacts, Setup
    from klachtdesk.letters.layout import Letter

LETTER_TEXTS_KEY = "letter_texts"

ACKNOWLEDGEMENT = "acknowledgement"
REPORT = "report"
COMPLETED_REPORT = "completed_report"
REPLY = "reply"
#: The notice that the closing limit was extended (issue 15, services/extension.py).
EXTENSION = "extension_notice"

KIND_TITLES = {
    ACKNOWLEDGEMENT: "Ontvangstmelding",
    REPORT: "Rapport voor de behandelaar",
    COMPLETED_REPORT: "Afgewerkt rapport",
    REPLY: "Motiverende brief",
    EXTENSION: "Kennisgeving verlenging",
}


# Which document belongs to which step: the acknowledgement once admissibility is decided
# (step 7), the handler's report while the handler has the dossier (step 8-11), the reasoned
# reply once it came back (step 11-12), the completed report once the dossier is closed.
_DOCUMENTS_IN: dict[str, frozenset[State]] = {
    ACKNOWLEDGEMENT: frozenset({State.ADMISSIBLE, State.INADMISSIBLE}),
    REPORT: frozenset(
        {State.ACKNOWLEDGED, State.WITH_HANDLER, State.ASSESSED, State.REINVESTIGATION}
    ),
    REPLY: frozenset({State.REPLY_RETURNED, State.APPROVED, State.REPLY_SENT}),
    COMPLETED_REPORT: frozenset({State.CLOSED}),
}


def documents_for(state: State, *, admissible: bool | None) -> list[str]:
    """The documents that make sense to make for a dossier in ``state``, in step order."""
    kinds = [kind for kind, states in _DOCUMENTS_IN.items() if state in states]
    if admissible is not True and REPORT in kinds:
        kinds.remove(REPORT)
    return kinds


def letter_texts() -> dict[str, str]:
    """The standard texts in force: the coordinator's where changed, the defaults elsewhere."""
    stored = get_setting(LETTER_TEXTS_KEY, {})
    return {key: stored.get(key) or default for key, default in DEFAULT_TEXTS.items()}


def save_letter_text(ctx: ServiceContext, key: str, text: str) -> None:
    """Change one standard text; an unknown placeholder is refused with a clear message."""
    check_fields({"letter_text": text}, labels={"letter_text": TEXT_LABELS.get(key, key)})
    check_text(key, text)
    stored = dict(get_setting(LETTER_TEXTS_KEY, {}))
    stored[key] = text
    set_setting(ctx, LETTER_TEXTS_KEY, stored, f"Standaardtekst ‘{TEXT_LABELS[key]}’ gewijzigd")


def letter_setup() -> Setup:
    """The municipality's letterhead and the coordinator's signature, from the settings."""
    from klachtdesk.letters.documents import Setup
    from klachtdesk.letters.layout import Letterhead, Signatory

    town = municipality()
    me = coordinator()
    if town is None or me is None:
        raise UserError("Vul eerst het bestuur en de klachtencoördinator in bij Instellingen.")
    logo = None
    if town.logo_path:
        try:
            logo = Path(town.logo_path).read_bytes()
        except OSError:
            logo = None  # a moved logo file must not stop a letter
    head = Letterhead(
        town.name,
        town.street,
        town.postal_code,
        town.city,
        town.website,
        me.phone,
        me.email,
        logo,
        envelope_window(),
    )
    return Setup(
        head,
        Signatory(me.name, me.title, me.phone, me.email),
        town.city or town.name,
        letter_texts(),
    )


def facts_of(row: Complaint) -> ComplaintFacts:
    from klachtdesk.letters.documents import ComplaintFacts

    department = Department.get_or_none(Department.id == row.department_id)
    return ComplaintFacts(
        reference=row.reference,
        received_on=row.received_on,
        channel=row.channel,
        description=row.description,
        name=row.name,
        street=row.street,
        postal_code=row.postal_code,
        city=row.city,
        phone=row.phone,
        email=row.email,
        department=department.name if department else "",
        form_of_address=row.form_of_address,
    )


def _handler_facts(row: Complaint, *, required: bool = True) -> HandlerFacts:
    from klachtdesk.letters.documents import HandlerFacts

    contact = handler_contact(row.handler_id) if row.handler_id else None
    if contact is None:
        if required:
            raise UserError("Stuur het dossier eerst naar een klachtenbehandelaar.")
        return HandlerFacts("")
    return HandlerFacts(contact.name, contact.email, contact.phone, contact.department)


def build_letter(complaint_id: int, kind: str, day: date) -> Letter:
    """The document ``kind`` for this dossier as it stands now (not stored)."""
    from klachtdesk.letters.documents import Findings, acknowledgement, reasoned_reply, report

    row = load_complaint(complaint_id)
    dossier = dossier_of(row)
    setup = letter_setup()
    facts = facts_of(row)
    limits = time_limits()
    if kind == ACKNOWLEDGEMENT:
        if dossier.admissible is None:
            raise UserError("Beoordeel eerst de ontvankelijkheid; de ontvangstmelding vermeldt ze.")
        handler = handler_contact(row.handler_id) if row.handler_id else None
        return acknowledgement(
            setup, facts, day,
            admissible=dossier.admissible,
            answer_by=closing_due(dossier),
            handler=handler.name if handler else "",
            handler_department=handler.department if handler else "",
            grounds=sorted(dossier.grounds, key=lambda g: g.number),
            motivation=row.admissibility_motivation,
        )  # fmt: skip
    if kind in (REPORT, COMPLETED_REPORT):
        # The completed report also records a dossier the citizen stopped before step 8.
        if dossier.admissible is not True and kind == REPORT:
            raise UserError("Een rapport wordt enkel opgemaakt voor een ontvankelijke klacht.")
        due = next(
            (
                d.due_on
                for d in deadlines(dossier, day, limits)
                if d.kind is LimitKind.HANDLER_REPORT
            ),
            None,
        )
        findings = None
        if kind == COMPLETED_REPORT:
            outcome = row.outcome.label if row.outcome else ""
            if row.outcome is Outcome.NO_JUDGEMENT and row.no_judgement_reason is not None:
                outcome += f" ({row.no_judgement_reason.label})"
            findings = Findings(
                row.investigation_contacts, row.investigation_summary, outcome, row.solution,
                row.reply_text, row.report_text, row.withdrawal_reason,
                head_informed=head_informed_text(row.id, row.head_informed)
                if dossier.first_returned_on else "",
            )  # fmt: skip
        handler_facts = _handler_facts(row, required=kind == REPORT)
        if kind == REPORT:  # issue 15: the form the handler fills in and sends back
            from .handler_form import report_form

            return report_form(
                setup, facts, day, row.id, handler=handler_facts,
                acknowledged_on=dossier.acknowledged_on, handler_due=due,
            )  # fmt: skip
        return report(
            setup, facts, day, handler=handler_facts,
            acknowledged_on=dossier.acknowledged_on,
            handler_due=due if handler_facts.name else None,
            findings=findings, admissible=dossier.admissible,
        )  # fmt: skip
    if kind == REPLY:
        if dossier.outcome is None or dossier.state not in (
            State.REPLY_RETURNED, State.APPROVED, State.REPLY_SENT, State.CLOSED,
        ):  # fmt: skip
            raise UserError("De motiverende brief volgt op de beoordeling en het rapport.")
        return reasoned_reply(
            setup, facts, day, outcome=dossier.outcome.label, solution=row.solution,
            reply=row.reply_text,
            no_judgement=row.no_judgement_reason
            if dossier.outcome is Outcome.NO_JUDGEMENT
            else None,
        )  # fmt: skip
    if kind == EXTENSION:
        from klachtdesk.letters.documents import extension_notice

        if not dossier.extended:
            raise UserError("De termijn van dit dossier werd niet verlengd.")
        return extension_notice(
            setup, facts, day,
            original_due=original_closing_due(dossier),
            new_due=closing_due(dossier),
            motivation=row.extension_motivation,
        )  # fmt: skip
    raise UserError(f"Onbekend soort document: {kind}.")


def generate(ctx: ServiceContext, complaint_id: int, kind: str) -> tuple[int, bytes]:
    """Make the document, keep the exact PDF in the dossier; returns (document id, PDF)."""
    from klachtdesk.letters.layout import render

    letter = build_letter(complaint_id, kind, ctx.today())
    pdf = render(letter)
    reference = load_complaint(complaint_id).reference
    attachment = Attachment(
        f"{KIND_TITLES[kind].lower().replace(' ', '-')}-{reference}.pdf",
        "application/pdf",
        pdf,
        title=KIND_TITLES[kind],
    )
    with database.atomic():
        (document_id,) = store_documents(ctx, complaint_id, [attachment], kind=kind)
    return document_id, pdf


def intake_form_pdf(ctx: ServiceContext) -> bytes:
    """The blank intake form with the municipality's letterhead."""
    from klachtdesk.letters.documents import intake_form
    from klachtdesk.letters.layout import render

    return render(intake_form(letter_setup(), ctx.today()))


def close_with_report(ctx: ServiceContext, complaint_id: int, *, on: date | None = None) -> None:
    """Step 13: close the dossier and keep the completed report in it, together or not at all."""
    with database.atomic():
        close_complaint(ctx, complaint_id, on=on)
        if dossier_of(load_complaint(complaint_id)).admissible:
            generate(ctx, complaint_id, COMPLETED_REPORT)
