"""The coordinator's actions on a complaint, one function per step of the procedure.

Each action loads the dossier, lets :mod:`klachtdesk.procedure` check and make the move, writes
the result in ONE transaction and appends an audit event with what changed. A refused move or
bad input raises a :class:`~klachtdesk.procedure.UserError` and leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import fields
from datetime import date
from typing import Any, cast

from klachtdesk.models import (
    Complaint,
    ComplaintNorm,
    Department,
    Handler,
    PersonKey,
    ReferenceCounter,
    database,
)
from klachtdesk.procedure import (
    Action,
    Dossier,
    EarlierComplaint,
    Ground,
    Intake,
    InvalidInput,
    NoJudgementReason,
    Norm,
    Outcome,
    Resolution,
    Suggestion,
    UserError,
    day_count,
    person_keys,
    suggest_grounds,
    validate_intake,
)
from klachtdesk.procedure import dossier as moves
from klachtdesk.procedure.assessment import check_assessment_record, sorted_norms
from klachtdesk.procedure.dates import short_date
from klachtdesk.procedure.input_checks import check_fields

from .audit import append_event
from .context import ServiceContext
from .documents import HANDLER_REPORT, Attachment, store_documents
from .dossiers import (
    diff,
    dossier_of,
    load_complaint,
    next_complaint_id,
    snapshot,
    write_dossier,
)
from .mail import international_address_remark
from .settings import time_limits

INTAKE_FIELDS = [f.name for f in fields(Intake)]


def next_reference(year: int) -> str:
    """The next reference number of ``year``, e.g. ``2026-0042``; call inside a transaction."""
    counter = ReferenceCounter.get_or_none(ReferenceCounter.year == year)
    number = (counter.last if counter else 0) + 1
    ReferenceCounter.replace(year=year, last=number).execute()
    return f"{year}-{number:04d}"


def intake_of(row: Complaint) -> Intake:
    values: dict[str, Any] = {
        name: getattr(row, name) for name in INTAKE_FIELDS if name != "department_id"
    }
    values["department_id"] = row.department_id
    return Intake(**values)


def _check_references(intake: Intake) -> None:
    if intake.department_id is not None and not Department.get_or_none(
        Department.id == intake.department_id
    ):
        raise InvalidInput({"department_id": "Deze dienst bestaat niet (meer)."})


def _store_person_keys(complaint_id: int, intake: Intake) -> None:
    PersonKey.delete().where(PersonKey.complaint == complaint_id).execute()
    keys = sorted(person_keys(intake))
    if keys:
        PersonKey.insert_many([{"complaint": complaint_id, "key": k} for k in keys]).execute()


def register_complaint(
    ctx: ServiceContext, intake: Intake, attachments: list[Attachment] | None = None
) -> int:
    """Steps 2-5: register a received complaint with its originals; returns its id."""
    today = ctx.today()
    intake = validate_intake(intake, today)
    assert intake.coordinator_received_on is not None
    if problem := international_address_remark(intake.email)[0]:  # jürgen@, no SMTPUTF8
        raise InvalidInput({"email": problem})
    with database.atomic():
        # The dossier keeps the limits in force on the day it is registered.
        dossier = moves.start(
            intake.channel,
            intake.received_on,
            intake.coordinator_received_on,
            solved_immediately=intake.solved_immediately,
            today=today,
            limits=time_limits().for_dossier(),
        )
        _check_references(intake)
        now = ctx.now()
        row = Complaint(
            id=next_complaint_id(),
            reference=next_reference(today.year),
            registered_at=now,
            updated_at=now,
        )
        for name in INTAKE_FIELDS:
            setattr(row, name, getattr(intake, name))
        write_dossier(row, dossier)
        row.save(force_insert=True)
        _store_person_keys(row.id, intake)
        detail = f": {row.reference} ({intake.channel.label})"
        if intake.solved_immediately:
            detail += ", meteen opgelost"
        append_event(
            ctx,
            Action.REGISTER.value,
            Action.REGISTER.step.summary(detail),
            complaint_id=row.id,
            after=snapshot(row),
        )
        store_documents(ctx, row.id, attachments or [])
        return int(row.id)


def edit_complaint(ctx: ServiceContext, complaint_id: int, intake: Intake) -> None:
    """Correct the intake data of a dossier (any state); the procedure dates stay consistent."""
    today = ctx.today()
    intake = validate_intake(intake, today)
    assert intake.coordinator_received_on is not None
    with database.atomic():
        row = load_complaint(complaint_id)
        _check_references(intake)
        dossier = moves.amend_intake(
            dossier_of(row),
            intake.channel,
            intake.received_on,
            intake.coordinator_received_on,
            solved_immediately=intake.solved_immediately,
            today=today,
        )
        before = snapshot(row)
        for name in INTAKE_FIELDS:
            setattr(row, name, getattr(intake, name))
        write_dossier(row, dossier)
        row.updated_at = ctx.now()
        row.save()
        _store_person_keys(row.id, intake)
        changed_before, changed_after = diff(before, snapshot(row))
        if changed_after:
            append_event(
                ctx,
                Action.EDIT.value,
                Action.EDIT.step.summary(": " + ", ".join(sorted(changed_after))),
                complaint_id=row.id,
                before=changed_before,
                after=changed_after,
            )


def earlier_complaints(intake: Intake, *, exclude_id: int | None = None) -> list[EarlierComplaint]:
    """Complaints already in the register from (probably) the same person."""
    keys = person_keys(intake)
    if not keys:
        return []
    query = (
        PersonKey.select(
            PersonKey.complaint, PersonKey.key, Complaint.reference, Complaint.received_on
        )
        .join(Complaint)
        .where(PersonKey.key.in_(sorted(keys)))
        .tuples()
    )
    found: dict[int, tuple[str, date, set[str]]] = {}
    rows = cast(Iterable[tuple[int, str, str, date]], query)
    for complaint_id, key, reference, received_on in rows:
        if complaint_id == exclude_id:
            continue
        found.setdefault(complaint_id, (reference, received_on, set()))[2].add(key)
    return [
        EarlierComplaint(cid, ref, received, frozenset(matched))
        for cid, (ref, received, matched) in sorted(found.items())
    ]


def admissibility_suggestions(complaint_id: int) -> list[Suggestion]:
    """Step 6: the grounds the register hints at for this dossier (the coordinator decides)."""
    row = load_complaint(complaint_id)
    intake = intake_of(row)
    earlier = [e for e in earlier_complaints(intake, exclude_id=row.id) if e.complaint_id < row.id]
    return suggest_grounds(intake, earlier)


def _move(
    ctx: ServiceContext,
    complaint_id: int,
    action: Action,
    move: Callable[[Dossier, date], Dossier],
    detail: Callable[[Complaint, Dossier], str],
    on: date | None = None,
    **columns: Any,
) -> None:
    """Make the move, write it and record it; the audit summary is the step's own
    (:attr:`Action.step`) followed by ``detail``. A column's value may be a callable, asked
    for after the move (for a value the move itself settles)."""
    with database.atomic():
        row = load_complaint(complaint_id)
        before = snapshot(row)
        dossier = move(dossier_of(row), on or ctx.today())
        write_dossier(row, dossier)
        for name, value in columns.items():
            setattr(row, name, value() if callable(value) else value)
        row.updated_at = ctx.now()
        row.save()
        changed_before, changed_after = diff(before, snapshot(row))
        append_event(
            ctx,
            action.value,
            action.step.summary(detail(row, dossier)),
            complaint_id=row.id,
            before=changed_before,
            after=changed_after,
        )


def decide_admissibility(
    ctx: ServiceContext,
    complaint_id: int,
    grounds: Iterable[Ground],
    motivation: str = "",
    *,
    on: date | None = None,
) -> None:
    """Step 6: admissible when no ground is chosen; inadmissible grounds need a motivation."""
    chosen = frozenset(grounds)
    check_fields({"admissibility_motivation": motivation})
    today = ctx.today()

    def summary(_row: Complaint, d: Dossier) -> str:
        if d.admissible:
            return ": ontvankelijk"
        return (
            ": niet ontvankelijk ("
            + ", ".join(g.label for g in sorted(chosen, key=lambda g: g.number))
            + ")"
        )

    _move(
        ctx,
        complaint_id,
        Action.DECIDE_ADMISSIBILITY,
        lambda d, day: moves.decide_admissibility(
            d, chosen, motivation=motivation, on=day, today=today
        ),
        summary,
        on,
        admissibility_motivation=motivation.strip(),
    )


def record_acknowledgement(
    ctx: ServiceContext, complaint_id: int, *, on: date | None = None
) -> None:
    """Step 7: the acknowledgement went out (by e-mail for e-mail complaints, else by letter)."""
    today = ctx.today()
    _move(
        ctx,
        complaint_id,
        Action.ACKNOWLEDGE,
        lambda d, day: moves.acknowledge(d, on=day, today=today),
        lambda _r, d: (
            f" {d.delivery.label} op {short_date(d.acknowledged_on)}"
            + ("; dossier afgesloten (niet ontvankelijk)" if d.admissible is False else "")
        ),
        on,
    )


def send_to_handler(
    ctx: ServiceContext, complaint_id: int, handler_id: int, *, on: date | None = None
) -> None:
    """Step 8: the report goes to the handler."""
    handler = Handler.get_or_none(Handler.id == handler_id)
    if handler is None or not handler.active:
        raise InvalidInput({"handler": "Kies een actieve klachtenbehandelaar."})
    today = ctx.today()
    _move(
        ctx,
        complaint_id,
        Action.SEND_TO_HANDLER,
        lambda d, day: moves.send_to_handler(d, handler_id, on=day, today=today),
        lambda _r, d: f" op {short_date(d.sent_to_handler_on)}: {handler.name}",
        on,
    )


def record_investigation(
    ctx: ServiceContext, complaint_id: int, *, contacts: str, summary: str
) -> None:
    """Step 9: the handler's contacts with department and complainant, and the summary."""
    check_fields({"investigation_contacts": contacts, "investigation_summary": summary})
    if not (contacts.strip() or summary.strip()):
        raise InvalidInput(
            {"summary": "Noteer de contacten of een samenvatting van het onderzoek."}
        )
    _move(
        ctx,
        complaint_id,
        Action.RECORD_INVESTIGATION,
        lambda d, _day: moves.record_investigation(d),
        lambda _r, _d: "",
        None,
        investigation_contacts=contacts.strip(),
        investigation_summary=summary.strip(),
    )


def record_assessment(
    ctx: ServiceContext,
    complaint_id: int,
    outcome: Outcome,
    *,
    solution: str = "",
    no_judgement_reason: NoJudgementReason | None = None,
    resolution: Resolution | None = None,
    norms: Iterable[Norm] = (),
    on: date | None = None,
) -> None:
    """Step 10: the handler's assessment; (partly) well-founded needs a solution and a mate
    van oplossing, and the outcomes that find the complaint right need at least one
    ombudsnorm (:mod:`klachtdesk.procedure.assessment`).

    Outcome, mate van oplossing and norms are written together, in one transaction and one
    audit event; assessing again (after a failed neutrality review) replaces the norms.
    """
    check_fields({"solution": solution})
    today = ctx.today()
    norms = tuple(norms)
    found: dict[str, Any] = {}  # what the checks settled, for the row and the summary

    def assess(d: Dossier, day: date) -> Dossier:
        # Both rule sets are checked first, so that the dialog shows every problem at once.
        try:
            checked: tuple[Resolution | None, frozenset[Norm]] | None = check_assessment_record(
                outcome, resolution, norms
            )
            record_errors: dict[str, str] = {}
        except InvalidInput as exc:
            checked, record_errors = None, exc.errors
        try:
            assessed = moves.assess(
                d,
                outcome,
                solution=solution,
                no_judgement_reason=no_judgement_reason,
                on=day,
                today=today,
            )
        except InvalidInput as exc:
            raise InvalidInput({**exc.errors, **record_errors}) from exc
        if checked is None:
            raise InvalidInput(record_errors)
        chosen_resolution, chosen_norms = checked
        _store_norms(complaint_id, chosen_norms)
        found.update(resolution=chosen_resolution, norms=chosen_norms)
        return assessed

    def summary(_row: Complaint, d: Dossier) -> str:
        text = f": {outcome.label}"
        if no_judgement_reason is not None:
            text += f" ({no_judgement_reason.label})"
        if found.get("resolution") is not None:
            text += f", {found['resolution'].label}"
        if found.get("norms"):
            text += "; ombudsnormen " + ", ".join(
                str(n.number) for n in sorted_norms(found["norms"])
            )
        return text

    _move(
        ctx,
        complaint_id,
        Action.ASSESS,
        assess,
        summary,
        on,
        solution=solution.strip(),
        resolution=lambda: found["resolution"],
    )


def _store_norms(complaint_id: int, norms: frozenset[Norm]) -> None:
    """Replace the dossier's ombudsnormen (inside the action's transaction)."""
    ComplaintNorm.delete().where(ComplaintNorm.complaint == complaint_id).execute()
    if norms:
        ComplaintNorm.insert_many(
            [{"complaint": complaint_id, "norm": n} for n in sorted_norms(norms)]
        ).execute()


def norms_of(complaint_id: int) -> list[Norm]:
    """The ombudsnormen recorded for a dossier, in the Ombudsdienst's order."""
    return sorted_norms(
        n.norm for n in ComplaintNorm.select().where(ComplaintNorm.complaint == complaint_id)
    )


def record_returned(
    ctx: ServiceContext,
    complaint_id: int,
    *,
    report_text: str,
    reply_text: str,
    attachments: list[Attachment] | None = None,
    head_informed: bool | None = None,
    on: date | None = None,
) -> None:
    """Step 11: the completed report and the draft reasoned reply are back from the handler,
    as text or as attached files (kept in the dossier, in the same transaction).
    ``head_informed``: whether the head of department heard of it (None: not asked, the
    handler is the head or no head is known; see organisation.head_in_copy)."""
    check_fields({"report_text": report_text, "reply_text": reply_text})
    if not reply_text.strip() and not attachments:
        raise InvalidInput(
            {
                "reply_text": "Vul de motiverende brief in of voeg het bestand van de behandelaar toe."
            }
        )
    today = ctx.today()
    with database.atomic():
        _move(
            ctx,
            complaint_id,
            Action.RECORD_RETURNED,
            lambda d, day: moves.record_returned(d, on=day, today=today),
            lambda _r, d: f" op {short_date(d.last_returned_on)}",
            on,
            report_text=report_text.strip(),
            reply_text=reply_text.strip(),
            head_informed=head_informed,
        )
        store_documents(ctx, complaint_id, attachments or [], kind=HANDLER_REPORT)


def review_neutrality(
    ctx: ServiceContext,
    complaint_id: int,
    neutral: bool,
    reason: str = "",
    *,
    on: date | None = None,
) -> None:
    """Step 12: approve the reply, or send the dossier back to the handler for the dossier's
    re-investigation limit."""
    if not neutral:
        check_fields({"review_failed_reason": reason})
    today = ctx.today()
    columns: dict[str, Any] = {} if neutral else {"review_failed_reason": reason.strip()}
    _move(
        ctx,
        complaint_id,
        Action.REVIEW_NEUTRALITY,
        lambda d, day: moves.review_neutrality(d, neutral, reason=reason, on=day, today=today),
        lambda _r, d: (
            ": goedgekeurd"
            if neutral
            else f": niet neutraal, terug naar behandelaar voor {day_count(d.reinvestigation_days)}"
            f" ({reason.strip()})"
        ),
        on,
        **columns,
    )


def record_reply_sent(ctx: ServiceContext, complaint_id: int, *, on: date | None = None) -> None:
    """Step 12: the reasoned reply went out to the complainant."""
    today = ctx.today()
    _move(
        ctx,
        complaint_id,
        Action.RECORD_REPLY_SENT,
        lambda d, day: moves.record_reply_sent(d, on=day, today=today),
        lambda _r, d: f" {d.delivery.label} op {short_date(d.reply_sent_on)}",
        on,
    )


def close_complaint(ctx: ServiceContext, complaint_id: int, *, on: date | None = None) -> None:
    """Step 13: the complaint is handled."""
    today = ctx.today()
    _move(
        ctx,
        complaint_id,
        Action.CLOSE,
        lambda d, day: moves.close(d, on=day, today=today),
        lambda _r, d: f" op {short_date(d.closed_on)}",
        on,
    )


def withdraw_complaint(
    ctx: ServiceContext, complaint_id: int, reason: str = "", *, on: date | None = None
) -> None:
    """The citizen stops the procedure (at any open step): the dossier is closed with the
    outcome 'stopzetting'. :func:`klachtdesk.services.withdrawal.withdraw_with_report` also
    keeps the completed report. A mate van oplossing from an earlier assessment goes (it
    belongs to (deels) gegrond only); the ombudsnormen it found stay."""
    check_fields({"withdrawal_reason": reason})
    today = ctx.today()
    _move(
        ctx,
        complaint_id,
        Action.WITHDRAW,
        lambda d, day: moves.withdraw(d, on=day, today=today),
        lambda _r, d: (
            f" op {short_date(d.withdrawn_on)}; dossier afgesloten ({Outcome.STOPPED_BY_CITIZEN.label})"
        ),
        on,
        withdrawal_reason=reason.strip(),
        resolution=None,
    )


__all__ = [
    "UserError",
    "admissibility_suggestions",
    "close_complaint",
    "decide_admissibility",
    "earlier_complaints",
    "edit_complaint",
    "intake_of",
    "norms_of",
    "record_acknowledgement",
    "record_assessment",
    "record_investigation",
    "record_reply_sent",
    "record_returned",
    "register_complaint",
    "review_neutrality",
    "send_to_handler",
    "withdraw_complaint",
]
