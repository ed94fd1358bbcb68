"""Right of access (AVG/GDPR art. 15): export everything about the person of a dossier.

The person is matched like the earlier-complaints hint at intake: name + address, e-mail or
phone (their person keys). The export is one PDF with every dossier and its events, plus the
original documents, written into a new folder inside the one the coordinator chose.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from peewee import JOIN

from klachtdesk.models import (
    AuditContent,
    AuditEvent,
    Complaint,
    Department,
    Document,
    PersonKey,
    database,
)
from klachtdesk.procedure import UserError
from klachtdesk.procedure.dates import short_date
from klachtdesk.procedure.intake import matched_on_label

from .audit import append_event
from .complaints import norms_of
from .context import ServiceContext
from .correspondence import letter_setup
from .dossier_detail import ERASED
from .dossiers import load_complaint

if TYPE_CHECKING:  # the letters' ReportLab is imported when a PDF is made (issue 14)
    from klachtdesk.letters.access import AccessDossier


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return short_date(value)
    label = getattr(value, "label", None)
    return str(label) if label is not None else str(value)


#: What the PDF shows of a dossier, in this order (empty values are left out).
FACT_LABELS: list[tuple[str, Callable[[Complaint], Any]]] = [
    ("Naam", lambda c: c.name),
    ("Aanspreking", lambda c: c.form_of_address.shown),
    ("Straat en nummer", lambda c: c.street),
    ("Postcode en gemeente", lambda c: f"{c.postal_code} {c.city}".strip()),
    ("Telefoon", lambda c: c.phone),
    ("E-mail", lambda c: c.email),
    ("Ontvangen op", lambda c: c.received_on),
    ("Kanaal", lambda c: c.channel),
    ("Ingediend via", lambda c: c.route.label if c.route else "niet ingevuld"),
    ("Ontvangen door", lambda c: c.received_by),
    ("Doorgegeven door", lambda c: c.forwarded_by),
    ("Omschrijving", lambda c: c.description),
    ("Datum van de feiten", lambda c: c.facts_on),
    ("Betrokken persoon", lambda c: c.person_concerned),
    ("Meteen opgelost", lambda c: c.immediate_solution),
    ("Stand van zaken", lambda c: c.state),
    ("Motivering ontvankelijkheid", lambda c: c.admissibility_motivation),
    ("Contacten (onderzoek)", lambda c: c.investigation_contacts),
    ("Samenvatting onderzoek", lambda c: c.investigation_summary),
    ("Beoordeling", lambda c: c.outcome),
    ("Mate van oplossing", lambda c: c.resolution),
    ("Ombudsnormen", lambda c: "; ".join(norm.numbered for norm in norms_of(c.id))),
    ("Oplossing", lambda c: c.solution),
    ("Rapport", lambda c: c.report_text),
    ("Antwoord", lambda c: c.reply_text),
    ("Reden neutraliteitstoets", lambda c: c.review_failed_reason),
    ("Reden stopzetting", lambda c: c.withdrawal_reason),
    ("Motivering verlenging", lambda c: c.extension_motivation),
    ("Afgesloten op", lambda c: c.closed_on),
]


@dataclass(frozen=True)
class AccessExport:
    folder: Path
    pdf: Path
    documents: list[Path]
    references: list[str]


def dossiers_about(complaint_id: int) -> tuple[list[int], set[str]]:
    """Every dossier sharing a person key with this one (itself first), and the kinds of
    key that matched ('email', 'phone', 'person')."""
    own = PersonKey.select(PersonKey.key).where(PersonKey.complaint == complaint_id).tuples()
    keys = [str(k) for (k,) in cast(Iterable[tuple[str]], own)]
    if not keys:
        raise UserError(
            "Van dit dossier zijn geen naam en adres, e-mailadres of telefoonnummer bekend: "
            "er is geen persoon om gegevens over op te zoeken."
        )
    pairs = cast(
        Iterable[tuple[int, str]],
        PersonKey.select(PersonKey.complaint, PersonKey.key)
        .where(PersonKey.key.in_(keys))
        .tuples(),
    )
    ids: set[int] = set()
    kinds: set[str] = set()
    for other, key in pairs:
        ids.add(int(other))
        kinds.add(key)
    return [complaint_id, *sorted(ids - {complaint_id})], kinds


def export_person(ctx: ServiceContext, complaint_id: int, target: Path) -> AccessExport:
    """Write the PDF and the original documents about the dossier's person into a new folder
    inside ``target``; recorded as an event in the dossier."""
    from klachtdesk.letters.access import AccessDossier, access_report
    from klachtdesk.letters.layout import render

    row = load_complaint(complaint_id)
    ids, kinds = dossiers_about(complaint_id)
    person = row.name or row.email or row.phone
    folder = _new_folder(target, f"inzage {row.reference} {ctx.today().isoformat()}")
    dossiers: list[AccessDossier] = []
    written: list[Path] = []
    references: list[str] = []
    for cid in ids:
        dossier_row = load_complaint(cid)
        references.append(dossier_row.reference)
        facts = [(label, _text(get(dossier_row))) for label, get in FACT_LABELS]
        department = Department.get_or_none(Department.id == dossier_row.department_id)
        if department is not None:  # after how it came in
            after = [label for label, _ in facts].index("Ingediend via") + 1
            facts.insert(after, ("Dienst", department.name))
        events = cast(
            Iterable[tuple[datetime, str | None]],
            AuditEvent.select(AuditEvent.at, AuditContent.summary)
            .join(AuditContent, JOIN.LEFT_OUTER, on=AuditContent.event == AuditEvent.id)
            .where(AuditEvent.complaint_id == cid)
            .order_by(AuditEvent.id)
            .tuples(),
        )
        names = []
        for document in Document.select().where(Document.complaint == cid).order_by(Document.id):
            name = f"{dossier_row.reference} {document.id} {_safe(document.filename)}"
            path = folder / name
            _write(path, bytes(document.content))
            written.append(path)
            names.append(f"{name} ({document.title})")
        dossiers.append(
            AccessDossier(
                dossier_row.reference,
                [(label, value) for label, value in facts if value],
                [(at.strftime("%d/%m/%Y %H:%M"), summary or ERASED) for at, summary in events],
                names,
            )
        )
    matched = matched_on_label(kinds)
    pdf_bytes = render(access_report(letter_setup(), ctx.today(), person, matched, dossiers))
    pdf = folder / f"inzage {row.reference}.pdf"
    _write(pdf, pdf_bytes)
    # One event in each dossier, naming no other: anonymising one of them later erases its
    # own event, and no event left behind ties its reference to the person.
    others = len(ids) - 1
    summary = "Inzage (AVG art. 15) uitgevoerd over dit dossier" + (
        "" if others == 0
        else " en 1 ander dossier over dezelfde persoon" if others == 1
        else f" en {others} andere dossiers over dezelfde persoon"
    )  # fmt: skip
    with database.atomic():
        for cid in ids:
            append_event(
                ctx,
                "access_export",
                summary,
                complaint_id=cid,
                after={"dossiers": len(ids), "documents": len(written)},
            )
    return AccessExport(folder, pdf, written, references)


def _safe(filename: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", Path(filename).name) or "document"


def _new_folder(target: Path, name: str) -> Path:
    try:
        for n in range(1, 1000):
            folder = target / (name if n == 1 else f"{name} ({n})")
            if not folder.exists():
                folder.mkdir(parents=True, mode=0o700)
                return folder
    except OSError as exc:
        raise UserError(
            f"In de map {target} kan niets bewaard worden ({exc.strerror}). Kies een andere map."
        ) from exc
    raise UserError(f"In de map {target} staan al te veel inzage-mappen.")


def _write(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise UserError(f"‘{path.name}’ kon niet bewaard worden ({exc.strerror}).") from exc
