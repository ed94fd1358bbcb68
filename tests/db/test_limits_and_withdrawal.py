"""A dossier keeps its own time limits; a withdrawal closes it with its report (real register)."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from klachtdesk.models import AuditEvent, Complaint, Document, Register, create_register, database
from klachtdesk.models import open_register as open_existing
from klachtdesk.procedure import Action, LimitKind, LimitStatus, Outcome, State, TimeLimits
from klachtdesk.services import complaints as svc
from klachtdesk.services.audit import verify_audit_chain
from klachtdesk.services.check import check_register
from klachtdesk.services.complaint_list import ListFilter, SortKey, ordered_ids, rows
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.correspondence import COMPLETED_REPORT
from klachtdesk.services.dossier_detail import complaint_detail
from klachtdesk.services.settings import (
    apply_time_limits_to_open,
    set_time_limits,
    time_limits,
)
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup
from klachtdesk.services.watch import current_alerts
from klachtdesk.services.withdrawal import withdraw_with_report

from ..conftest import FakeClock
from .conftest import PASSPHRASE
from .helpers import handler, intake, row


def closing(complaint_id: int, today: date) -> tuple[date, LimitStatus]:
    detail = complaint_detail(complaint_id, today)
    (limit,) = [d for d in detail.deadlines if d.kind is LimitKind.CLOSING]
    return limit.due_on, limit.status


def close_on_day_40(ctx: ServiceContext, clock: FakeClock, handler_id: int) -> int:
    """A complaint received on 2 March and closed 40 days later, within 45 days."""
    cid = svc.register_complaint(ctx, intake())
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handler_id)
    svc.record_assessment(ctx, cid, Outcome.UNFOUNDED)
    svc.record_returned(ctx, cid, report_text="Rapport.", reply_text="Geachte, ...")
    svc.review_neutrality(ctx, cid, True)
    svc.record_reply_sent(ctx, cid)
    clock.advance(40)
    svc.close_complaint(ctx, cid)
    return cid


def test_changed_limits_never_regrade_a_closed_dossier(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    cid = close_on_day_40(ctx, clock, handler(ctx))
    today = clock().date()
    assert closing(cid, today) == (date(2026, 4, 16), LimitStatus.MET)
    # The council shortens the closing limit from 45 to 35 days, and asks for it on open ones.
    set_time_limits(ctx, TimeLimits(closing_days=35))
    apply_time_limits_to_open(ctx, time_limits())
    assert closing(cid, today) == (date(2026, 4, 16), LimitStatus.MET)  # not 'te laat gehaald'
    # A complaint registered now gets the new limit.
    new = svc.register_complaint(ctx, intake(received_on=today))
    assert closing(new, today)[0] == date(2026, 5, 16)
    assert check_register().ok


def test_open_dossiers_get_new_limits_only_when_asked(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    open_id = svc.register_complaint(ctx, intake())  # acknowledgement due 12 March
    closed_id = close_on_day_40(ctx, clock, handler(ctx))
    closed_before = dict(row(closed_id).__data__)
    set_time_limits(ctx, TimeLimits(acknowledgement_days=7))
    assert row(open_id).next_due_on == date(2026, 3, 12)
    events = AuditEvent.select().count()

    assert apply_time_limits_to_open(ctx, time_limits()) == 1
    opened = row(open_id)
    assert (opened.acknowledgement_days, opened.next_due_on) == (7, date(2026, 3, 9))
    assert dict(row(closed_id).__data__) == closed_before
    # One event in the dossier's timeline, one for the register; the chain holds.
    new_events = list(AuditEvent.select().where(AuditEvent.id > events).order_by(AuditEvent.id))
    assert [e.complaint_id for e in new_events] == [open_id, None]
    assert new_events[0].summary == (
        "Termijnen van de instellingen toegepast: ontvangstmelding versturen 10 → 7 dagen"
    )
    assert json.loads(new_events[0].after)["next_due_on"] == "2026-03-09"
    assert verify_audit_chain().ok and check_register().ok
    # Asking again changes nothing more.
    assert apply_time_limits_to_open(ctx, time_limits()) == 0


def test_watch_and_list_follow_each_dossiers_own_limits(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    old = svc.register_complaint(ctx, intake())  # acknowledgement within 10 days
    set_time_limits(ctx, TimeLimits(acknowledgement_days=3))
    new = svc.register_complaint(ctx, intake())  # acknowledgement within 3 days
    clock.advance(4)
    today = clock().date()
    alerts = current_alerts(today)
    assert [(a.complaint_id, a.status) for a in alerts] == [(new, LimitStatus.OVERDUE)]
    settings = time_limits()
    shown = {
        r.id: r.next_deadline
        for r in rows(
            ordered_ids(ListFilter(), SortKey.REFERENCE, False, today, settings), today, settings
        )
    }
    assert shown[new] is not None and shown[new].status is LimitStatus.OVERDUE
    assert shown[old] is not None and shown[old].status is LimitStatus.OPEN
    assert shown[old].due_on == date(2026, 3, 12)


def test_withdrawal_closes_the_dossier_and_keeps_the_completed_report(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    initial_setup(
        ctx,
        Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
        Coordinator("Ann Coördinator", email="klachten@herent.example"),
        [],
        [],
    )
    cid = svc.register_complaint(ctx, intake())
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handler(ctx))
    svc.record_investigation(ctx, cid, contacts="", summary="Klager gebeld.")
    clock.advance(5)
    withdraw_with_report(ctx, cid, "Klager belde: container geledigd.")
    r = row(cid)
    assert (r.state, r.outcome, r.closed_on, r.withdrawn_on) == (
        State.CLOSED,
        Outcome.STOPPED_BY_CITIZEN,
        date(2026, 3, 7),
        date(2026, 3, 7),
    )
    assert r.next_due_on is None
    (report,) = Document.select().where(Document.complaint == cid)
    assert report.kind == COMPLETED_REPORT
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(report.content)).pages)
    assert "stopzetting procedure door burger" in " ".join(text.split())
    summaries = [e.summary for e in AuditEvent.select().where(AuditEvent.complaint_id == cid)]
    assert summaries[-2].startswith(Action.WITHDRAW.step.done)
    # Counted as handled: within the closing limit, nothing left running.
    detail = complaint_detail(cid, clock().date())
    assert {d.kind: d.status for d in detail.deadlines} == {
        LimitKind.ACKNOWLEDGEMENT: LimitStatus.MET,
        LimitKind.HANDLER_REPORT: LimitStatus.LAPSED,  # was running: no longer applies
        LimitKind.CLOSING: LimitStatus.MET,
    }
    # The report still gives the handler's limit as it was (30 days after 2 March).
    assert "Rapport en antwoord terug uiterlijk 1 april 2026" in " ".join(text.split())
    assert detail.actions == [Action.EDIT]


def test_withdrawal_right_after_sending_to_the_handler_keeps_the_report(
    register: Register, ctx: ServiceContext
) -> None:
    initial_setup(ctx, Municipality("Gemeente Herent"), Coordinator("Ann"), [], [])
    cid = svc.register_complaint(ctx, intake())
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handler(ctx))
    withdraw_with_report(ctx, cid)
    assert Document.select().where(Document.kind == "completed_report").count() == 1


def test_withdrawal_right_after_registration_closes_with_the_report(
    register: Register, ctx: ServiceContext
) -> None:
    initial_setup(ctx, Municipality("Gemeente Herent"), Coordinator("Ann"), [], [])
    cid = svc.register_complaint(ctx, intake())
    withdraw_with_report(ctx, cid, "Opgelost aan de telefoon.")
    assert row(cid).state is State.CLOSED
    [report] = Document.select().where(Document.complaint == cid)
    assert report.kind == "completed_report"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(report.content)).pages)
    assert "stopzetting" in text.lower()


def test_register_of_schema_4_keeps_its_configured_limits_and_closes_withdrawn_dossiers(
    data_dir: Path,
) -> None:
    # An older klachtdesk: limits configured in Settings, one dossier left 'withdrawn'.
    old = create_register(data_dir, PASSPHRASE, target_version=4)
    configured = {
        "acknowledgement_days": 14,
        "handler_days": 21,
        "reinvestigation_days": 5,
        "closing_days": 60,
        "due_soon_days": 3,
    }
    database.execute_sql(
        "INSERT INTO setting (key, value) VALUES ('time_limits', ?)", [json.dumps(configured)]
    )
    for reference, state, withdrawn_on, next_due in (
        ("2026-0001", "registered", None, "2026-03-16"),
        ("2026-0002", "withdrawn", "2026-03-05", None),
    ):
        database.execute_sql(
            """INSERT INTO complaint (reference, registered_at, updated_at, channel, received_on,
               coordinator_received_on, received_by, forwarded_by, name, street, postal_code,
               city, phone, email, description, person_concerned, solved_immediately,
               immediate_solution, state, admissibility_motivation, investigation_contacts,
               investigation_summary, solution, report_text, reply_text, review_failed_reason,
               failed_reviews, withdrawal_reason, withdrawn_on, outcome, next_due_on)
               VALUES (?, '2026-03-02 10:00:00', '2026-03-02 10:00:00', 'phone', '2026-03-02',
               '2026-03-02', 'Onthaal', '', 'Jef Oud', '', '', '', '', '', 'Klacht', '', 0, '',
               ?, '', '', '', '', '', '', '', 0, '', ?, ?, ?)""",
            [
                reference,
                state,
                withdrawn_on,
                "stopped_by_citizen" if withdrawn_on else None,
                next_due,
            ],
        )
    # As that version wrote them too: the counter, and each registration's event.
    database.execute_sql("INSERT INTO reference_counter (year, last) VALUES (2026, 2)")
    prev = "0" * 64
    for complaint_id in (1, 2):
        at = "2026-03-02 10:00:00"
        payload = [prev, at.replace(" ", "T"), "coördinator", "register", complaint_id,
                   "Klacht geregistreerd", "{}", "{}"]  # fmt: skip
        prev = hashlib.sha256(
            json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        ).hexdigest()
        database.execute_sql(
            "INSERT INTO audit_event VALUES (?, ?, 'coördinator', 'register', ?, "
            "'Klacht geregistreerd', '{}', '{}', ?)",
            (complaint_id, at, complaint_id, prev),
        )
    old.close()

    with open_existing(data_dir, PASSPHRASE):
        first, second = Complaint.select().order_by(Complaint.id)
        for dossier in (first, second):
            assert (
                dossier.acknowledgement_days,
                dossier.handler_days,
                dossier.reinvestigation_days,
                dossier.closing_days,
            ) == (14, 21, 5, 60)
        assert first.state is State.REGISTERED and first.next_due_on == date(2026, 3, 16)
        assert (second.state, second.outcome, second.closed_on) == (
            State.CLOSED,
            Outcome.STOPPED_BY_CITIZEN,
            date(2026, 3, 5),
        )
        assert check_register().ok
        assert complaint_detail(second.id, date(2026, 6, 1)).actions == [Action.EDIT]
