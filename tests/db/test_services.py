"""The coordinator's actions on a real encrypted register: transactions, audit, search."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from peewee import IntegrityError

from klachtdesk.models import AuditEvent, Complaint, PersonKey, ReferenceCounter, Register, database
from klachtdesk.procedure import (
    Channel,
    ForbiddenMove,
    Ground,
    InvalidInput,
    NoJudgementReason,
    Norm,
    Outcome,
    Resolution,
    State,
    TimeLimits,
    UserError,
)
from klachtdesk.services import complaints as svc
from klachtdesk.services.audit import verify_audit_chain
from klachtdesk.services.check import check_register
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.queries import search_complaints
from klachtdesk.services.settings import set_time_limits, time_limits

from ..conftest import FakeClock
from .helpers import handler, intake, row, walk_to_returned


def summaries(complaint_id: int) -> list[str]:
    return [
        e.summary
        for e in AuditEvent.select()
        .where(AuditEvent.complaint_id == complaint_id)
        .order_by(AuditEvent.id)
    ]


def test_phone_complaint_through_all_steps_to_closed(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    handler_id = handler(ctx)
    cid = svc.register_complaint(ctx, intake())
    r = row(cid)
    assert (r.reference, r.state, r.phone) == ("2026-0001", State.REGISTERED, "+32 478 12 34 56")
    assert r.next_due_on == date(2026, 3, 12)  # acknowledgement, 10 days

    clock.advance(1)
    svc.decide_admissibility(ctx, cid, [])
    clock.advance(1)
    svc.record_acknowledgement(ctx, cid)
    assert row(cid).state is State.ACKNOWLEDGED and row(cid).acknowledged_on == date(2026, 3, 4)
    assert row(cid).next_due_on == date(2026, 4, 1)  # handler's 30 days from coordinator receipt
    svc.send_to_handler(ctx, cid, handler_id)
    clock.advance(5)
    svc.record_investigation(ctx, cid, contacts="Diensthoofd gebeld.", summary="Ronde vergeten.")
    svc.record_assessment(
        ctx,
        cid,
        Outcome.PARTLY_WELL_FOUNDED,
        solution="Extra ronde.",
        resolution=Resolution.PARTLY_RESOLVED,
        norms=[Norm.ACCURACY, Norm.ACTIVE_SERVICE],
    )
    clock.advance(10)
    svc.record_returned(ctx, cid, report_text="Rapport klaar.", reply_text="Geachte mevrouw, ...")
    assert row(cid).next_due_on == date(2026, 4, 16)  # only the 45-day closing limit runs
    svc.review_neutrality(ctx, cid, True)
    svc.record_reply_sent(ctx, cid)
    clock.advance(1)
    svc.close_complaint(ctx, cid)

    r = row(cid)
    assert r.state is State.CLOSED and r.closed_on == date(2026, 3, 20)
    assert r.next_due_on is None
    assert (r.solution, r.reply_text) == ("Extra ronde.", "Geachte mevrouw, ...")
    assert summaries(cid) == [
        "Klacht geregistreerd: 2026-0001 (telefoon)",
        "Ontvankelijkheid beoordeeld: ontvankelijk",
        "Ontvangstmelding verstuurd per brief op 04/03/2026",
        "Rapport naar behandelaar gestuurd op 04/03/2026: Inge Claes",
        "Onderzoek genoteerd",
        "Beoordeling genoteerd: deels gegrond, deels opgelost; ombudsnormen 7, 11",
        "Rapport en motiverende brief ontvangen op 19/03/2026",
        "Neutraliteitstoets uitgevoerd: goedgekeurd",
        "Motiverende brief verstuurd per brief op 19/03/2026",
        "Dossier afgesloten op 20/03/2026",
    ]
    events = list(AuditEvent.select().where(AuditEvent.complaint_id == cid).order_by(AuditEvent.id))
    assert all(e.actor == "coördinator" for e in events)
    ack = events[2]
    assert json.loads(ack.before) == {
        "acknowledged_on": None,
        "state": "admissible",
        "next_due_on": "2026-03-12",
    }
    assert json.loads(ack.after)["state"] == "acknowledged"
    assert events[-1].at == datetime(2026, 3, 20, 9, 30)
    assert verify_audit_chain().ok


def test_immediately_solved_complaint_is_registered_then_closed(
    register: Register, ctx: ServiceContext
) -> None:
    cid = svc.register_complaint(
        ctx, intake(solved_immediately=True, immediate_solution="Container meteen geledigd.")
    )
    assert summaries(cid) == ["Klacht geregistreerd: 2026-0001 (telefoon), meteen opgelost"]
    svc.close_complaint(ctx, cid)
    assert row(cid).state is State.CLOSED and row(cid).next_due_on is None


def test_inadmissible_complaint_closes_with_its_acknowledgement(
    register: Register, ctx: ServiceContext
) -> None:
    cid = svc.register_complaint(ctx, intake(channel=Channel.EMAIL, email="m@example.be"))
    with pytest.raises(InvalidInput):
        svc.decide_admissibility(ctx, cid, [Ground.POLICY], motivation="")
    svc.decide_admissibility(
        ctx, cid, [Ground.POLICY, Ground.NO_INTEREST], motivation="Gaat over het reglement."
    )
    r = row(cid)
    assert (
        r.state is State.INADMISSIBLE and r.admissibility_motivation == "Gaat over het reglement."
    )
    assert {g.ground for g in r.ground_rows} == {Ground.POLICY, Ground.NO_INTEREST}
    svc.record_acknowledgement(ctx, cid)
    assert row(cid).state is State.CLOSED
    assert summaries(cid)[1] == (
        "Ontvankelijkheid beoordeeld: niet ontvankelijk "
        "(geen belang, klacht over beleid en regelgeving)"
    )
    assert "per e-mail" in summaries(cid)[2] and "niet ontvankelijk" in summaries(cid)[2]


def test_failed_neutrality_review_and_reinvestigation(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    cid = svc.register_complaint(ctx, intake())
    walk_to_returned(ctx, cid, handler(ctx))
    with pytest.raises(InvalidInput):
        svc.review_neutrality(ctx, cid, False, "")
    clock.advance(3)
    svc.review_neutrality(ctx, cid, False, "Klager niet gehoord.")
    r = row(cid)
    assert r.state is State.REINVESTIGATION and r.review_failed_reason == "Klager niet gehoord."
    assert r.next_due_on == date(2026, 3, 12)  # 7 days after the review of 5 March
    clock.advance(2)
    svc.record_assessment(
        ctx, cid, Outcome.NO_JUDGEMENT, no_judgement_reason=NoJudgementReason.DOUBT
    )
    svc.record_returned(ctx, cid, report_text="Herzien.", reply_text="Herziene brief.")
    assert row(cid).state is State.REPLY_RETURNED and row(cid).outcome is Outcome.NO_JUDGEMENT
    svc.review_neutrality(ctx, cid, True)
    assert row(cid).state is State.APPROVED


def test_withdrawal_at_an_open_step(register: Register, ctx: ServiceContext) -> None:
    cid = svc.register_complaint(ctx, intake())
    svc.decide_admissibility(ctx, cid, [])
    svc.withdraw_complaint(ctx, cid, "Klager belde: probleem opgelost.")
    r = row(cid)
    assert (r.state, r.outcome, r.withdrawal_reason, r.closed_on) == (
        State.CLOSED,
        Outcome.STOPPED_BY_CITIZEN,
        "Klager belde: probleem opgelost.",
        r.withdrawn_on,
    )
    assert r.next_due_on is None
    with pytest.raises(ForbiddenMove):
        svc.withdraw_complaint(ctx, cid)


def test_forbidden_move_writes_nothing(register: Register, ctx: ServiceContext) -> None:
    cid = svc.register_complaint(ctx, intake())
    before_row = dict(row(cid).__data__)
    events = AuditEvent.select().count()
    with pytest.raises(ForbiddenMove) as err:
        svc.record_reply_sent(ctx, cid)
    assert "motiverende brief versturen" in err.value.message
    assert dict(row(cid).__data__) == before_row
    assert AuditEvent.select().count() == events


def test_bad_input_registers_nothing_and_uses_no_reference(
    register: Register, ctx: ServiceContext
) -> None:
    with pytest.raises(InvalidInput) as err:
        svc.register_complaint(ctx, intake(phone="12", email="geen-adres"))
    assert set(err.value.errors) == {"phone", "email"}
    with pytest.raises(InvalidInput):
        svc.register_complaint(ctx, intake(department_id=999))
    assert Complaint.select().count() == 0 and AuditEvent.select().count() == 0
    assert ReferenceCounter.select().count() == 0
    assert svc.register_complaint(ctx, intake()) and row(1).reference == "2026-0001"


def test_failure_inside_the_transaction_rolls_everything_back(
    register: Register, ctx: ServiceContext
) -> None:
    cid = svc.register_complaint(ctx, intake())
    svc.decide_admissibility(ctx, cid, [])
    # The disk refuses the audit event, after the dossier row was already updated.
    database.execute_sql(
        """CREATE TEMP TRIGGER refuse_audit BEFORE INSERT ON audit_event
           WHEN NEW.action = 'acknowledge' BEGIN SELECT RAISE(ABORT, 'schijf vol'); END"""
    )
    events = AuditEvent.select().count()
    with pytest.raises(IntegrityError, match="schijf vol"):
        svc.record_acknowledgement(ctx, cid)
    r = row(cid)
    assert r.state is State.ADMISSIBLE and r.acknowledged_on is None
    assert r.next_due_on == date(2026, 3, 12)
    assert AuditEvent.select().count() == events
    database.execute_sql("DROP TRIGGER temp.refuse_audit")
    svc.record_acknowledgement(ctx, cid)
    assert row(cid).state is State.ACKNOWLEDGED


def test_references_count_per_year_and_are_never_reused(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    first = svc.register_complaint(ctx, intake())
    second = svc.register_complaint(ctx, intake())
    clock.current = datetime(2027, 1, 2, 8, 0)
    third = svc.register_complaint(ctx, intake(received_on=date(2026, 12, 30)))
    assert [row(i).reference for i in (first, second, third)] == [
        "2026-0001",
        "2026-0002",
        "2027-0001",
    ]
    # Even if the newest row vanished (it cannot through the program), its number stays used.
    with database.atomic():
        database.execute_sql("DELETE FROM complaint WHERE id = ?", (third,))
    fourth = svc.register_complaint(ctx, intake(received_on=date(2027, 1, 2)))
    assert row(fourth).reference == "2027-0002"


def test_full_text_search_follows_every_write(register: Register, ctx: ServiceContext) -> None:
    cid = svc.register_complaint(ctx, intake(name="Sébastien Dewaele", email="seb@example.be"))
    svc.register_complaint(ctx, intake(name="Jan Janssens", description="Lawaai van de kermis."))
    assert [c.id for c in search_complaints("sebastien")] == [cid]
    assert [c.id for c in search_complaints("SÉB")] == [cid]
    assert [c.id for c in search_complaints("2026-0001")] == [cid]
    assert [c.id for c in search_complaints("seb@example")] == [cid]
    assert {c.id for c in search_complaints("kerkstraat")} == {cid, cid + 1}
    assert [c.name for c in search_complaints("kermis lawaai")] == ["Jan Janssens"]
    assert search_complaints('"); DROP TABLE complaint; --') == []
    assert search_complaints("  ") == []
    svc.edit_complaint(ctx, cid, intake(name="Sébastien Van Aken", email="seb@example.be"))
    assert search_complaints("dewaele") == []
    assert [c.id for c in search_complaints("aken")] == [cid]
    assert summaries(cid)[-1] == "Gegevens gewijzigd: name"


def test_edit_keeps_dates_consistent(register: Register, ctx: ServiceContext) -> None:
    cid = svc.register_complaint(ctx, intake())
    svc.decide_admissibility(ctx, cid, [])
    with pytest.raises(InvalidInput):
        svc.edit_complaint(
            ctx, cid, intake(received_on=date(2026, 3, 2), coordinator_received_on=date(2026, 3, 3))
        )


def test_earlier_complaints_by_the_same_person_are_suggested(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    first = svc.register_complaint(ctx, intake(email="marie@example.be"))
    svc.register_complaint(ctx, intake(name="Iemand Anders", street="Elders 1", phone="", email=""))
    clock.advance(20)
    later = svc.register_complaint(
        ctx, intake(name="MARIE PEETERS", phone="", email="", received_on=date(2026, 3, 20))
    )
    suggestions = svc.admissibility_suggestions(later)
    assert [s.ground for s in suggestions] == [Ground.FILED_BEFORE]
    assert [e.complaint_id for e in suggestions[0].earlier] == [first]
    assert "naam en adres" in suggestions[0].reason
    # The first complaint has no earlier one: later complaints are not "filed before" it.
    assert svc.admissibility_suggestions(first) == []
    anonymous = svc.register_complaint(ctx, intake(name="", street="", phone="", email=""))
    assert [s.ground for s in svc.admissibility_suggestions(anonymous)] == [Ground.ANONYMOUS]
    assert PersonKey.select().where(PersonKey.complaint == anonymous).count() == 0


def test_changed_time_limits_hold_for_new_dossiers_only(
    register: Register, ctx: ServiceContext
) -> None:
    cid = svc.register_complaint(ctx, intake())
    assert row(cid).next_due_on == date(2026, 3, 12)
    set_time_limits(ctx, TimeLimits(acknowledgement_days=14))
    assert time_limits().acknowledgement_days == 14
    # The dossier keeps the limits in force when it was registered; a new one gets the new.
    assert row(cid).next_due_on == date(2026, 3, 12)
    assert row(svc.register_complaint(ctx, intake())).next_due_on == date(2026, 3, 16)
    assert check_register().ok


def test_tampered_audit_event_is_detected(register: Register, ctx: ServiceContext) -> None:
    for _ in range(3):
        svc.register_complaint(ctx, intake())
    assert verify_audit_chain().ok and verify_audit_chain().events == 3
    # Someone with the passphrase drops the guard and rewrites history.
    database.execute_sql("DROP TRIGGER audit_event_no_update")
    database.execute_sql("UPDATE audit_event SET actor = 'iemand anders' WHERE id = 2")
    report = verify_audit_chain()
    assert not report.ok and report.broken_at == 2
    assert "gebeurtenis 2" in report.problem
    assert not check_register().ok


def test_deleted_audit_event_is_detected(register: Register, ctx: ServiceContext) -> None:
    for _ in range(3):
        svc.register_complaint(ctx, intake())
    database.execute_sql("DROP TRIGGER audit_event_no_delete")
    database.execute_sql("DROP TRIGGER audit_content_erase_only")
    database.execute_sql("DELETE FROM audit_content WHERE event_id = 2")
    database.execute_sql("DELETE FROM audit_event WHERE id = 2")
    assert verify_audit_chain().broken_at == 3


def test_unknown_dossier_gives_a_dutch_error(register: Register, ctx: ServiceContext) -> None:
    with pytest.raises(UserError, match="bestaat niet"):
        svc.close_complaint(ctx, 12345)


def test_setup_refuses_a_handler_of_an_unknown_department(
    register: Register, ctx: ServiceContext
) -> None:
    from klachtdesk.procedure import UserError
    from klachtdesk.services.setup import Coordinator, Municipality, initial_setup

    with pytest.raises(UserError, match="Brandweer"):
        initial_setup(
            ctx, Municipality("Gemeente Herent"), Coordinator("Ann"), ["Burgerzaken"],
            [("Jan Smet", "jan@herent.example", "Brandweer")],
        )  # fmt: skip
