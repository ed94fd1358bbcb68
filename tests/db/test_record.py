"""Issue 12 §1 in the register: the route at intake, the mate van oplossing and ombudsnormen
at assessment, and the verbeteracties — stored, audited, kept by anonymisation, shown."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from klachtdesk.models import (
    AuditEvent,
    Complaint,
    ComplaintNorm,
    ImprovementAction,
    Register,
)
from klachtdesk.procedure import (
    ActionStatus,
    InvalidInput,
    Norm,
    Outcome,
    Resolution,
    Route,
    State,
    UserError,
)
from klachtdesk.procedure.improvements import Improvement
from klachtdesk.services import complaints as svc
from klachtdesk.services.audit import verify_audit_chain
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.dossier_detail import complaint_detail
from klachtdesk.services.erasure import anonymise_complaint, delete_complaint
from klachtdesk.services.improvements import (
    add_improvement,
    improvement_action,
    improvement_actions,
    update_improvement,
)
from klachtdesk.services.organisation import add_department

from ..conftest import FakeClock
from .helpers import handler, intake, row, walk_to_returned


def events(cid: int | None = None) -> list[AuditEvent]:
    query = AuditEvent.select().order_by(AuditEvent.id)
    if cid is not None:
        query = query.where(AuditEvent.complaint_id == cid)
    return list(query)


def norms(cid: int) -> list[Norm]:
    return sorted(
        (n.norm for n in ComplaintNorm.select().where(ComplaintNorm.complaint == cid)),
        key=lambda n: n.number,
    )


def sent_to_handler(ctx: ServiceContext) -> int:
    handler_id = handler(ctx)
    cid = svc.register_complaint(ctx, intake())
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handler_id)
    return cid


# -- the route -----------------------------------------------------------------------------


def test_route_is_stored_at_intake_and_corrected_like_the_other_intake_data(
    register: Register, ctx: ServiceContext
) -> None:
    cid = svc.register_complaint(ctx, intake(route=Route.POLITICIAN))
    assert row(cid).route is Route.POLITICIAN
    assert json.loads(events(cid)[0].after)["route"] == "politician"
    assert svc.intake_of(row(cid)).route is Route.POLITICIAN

    svc.edit_complaint(ctx, cid, intake(route="organisation"))  # as a combo box hands it back
    assert row(cid).route is Route.ORGANISATION
    edit = events(cid)[-1]
    assert (json.loads(edit.before), json.loads(edit.after)) == (
        {"route": "politician"},
        {"route": "organisation"},
    )


def test_a_dossier_without_route_stays_not_filled_in_when_corrected(
    register: Register, ctx: ServiceContext
) -> None:
    cid = svc.register_complaint(ctx, intake())  # as dossiers from before issue 12
    assert row(cid).route is None
    svc.edit_complaint(ctx, cid, svc.intake_of(row(cid)))
    assert row(cid).route is None and len(events(cid)) == 1  # nothing changed, nothing logged
    with pytest.raises(InvalidInput) as refused:
        svc.edit_complaint(ctx, cid, intake(route="per duif"))
    assert refused.value.errors == {"route": "Kies via wie de klacht ingediend werd."}


# -- the assessment ------------------------------------------------------------------------


def test_well_founded_without_resolution_and_norm_is_refused_and_writes_nothing(
    register: Register, ctx: ServiceContext
) -> None:
    cid = sent_to_handler(ctx)
    before = len(events())
    with pytest.raises(InvalidInput) as refused:
        svc.record_assessment(ctx, cid, Outcome.WELL_FOUNDED)
    # Every problem at once: the procedure's own (the solution) and the record's.
    assert set(refused.value.errors) == {"solution", "resolution", "norms"}
    assert "mate van oplossing" in refused.value.message
    assert "minstens één ombudsnorm" in refused.value.message
    assert len(events()) == before and norms(cid) == []
    assert row(cid).state is State.WITH_HANDLER and row(cid).resolution is None


def test_assessment_outcome_resolution_and_norms_in_one_event(
    register: Register, ctx: ServiceContext
) -> None:
    cid = sent_to_handler(ctx)
    svc.record_assessment(
        ctx,
        cid,
        Outcome.PARTLY_WELL_FOUNDED,
        solution="Excuses en een extra ronde.",
        resolution=Resolution.PARTLY_RESOLVED,
        norms=[Norm.REASONABLE_TIME, Norm.COURTESY],
    )
    r = row(cid)
    assert (r.outcome, r.resolution) == (Outcome.PARTLY_WELL_FOUNDED, Resolution.PARTLY_RESOLVED)
    assert norms(cid) == [Norm.COURTESY, Norm.REASONABLE_TIME]
    event = events(cid)[-1]
    assert event.summary == (
        "Beoordeling genoteerd: deels gegrond, deels opgelost; ombudsnormen 6, 13"
    )
    after = json.loads(event.after)
    assert after["resolution"] == "partly_resolved"
    assert after["norms"] == ["courtesy", "reasonable_time"]
    detail = complaint_detail(cid, ctx.today())
    assert detail.resolution is Resolution.PARTLY_RESOLVED
    assert detail.norms == [Norm.COURTESY, Norm.REASONABLE_TIME]


@pytest.mark.parametrize("outcome", [Outcome.UNFOUNDED, Outcome.STOPPED_BY_CITIZEN])
def test_norms_are_optional_for_other_outcomes_and_a_resolution_refused(
    outcome: Outcome, register: Register, ctx: ServiceContext
) -> None:
    cid = sent_to_handler(ctx)
    with pytest.raises(InvalidInput) as refused:
        svc.record_assessment(ctx, cid, outcome, resolution=Resolution.RESOLVED)
    assert set(refused.value.errors) == {"resolution"}
    svc.record_assessment(ctx, cid, outcome)
    assert norms(cid) == [] and row(cid).resolution is None
    assert row(cid).outcome is outcome


def test_corrected_needs_a_norm(register: Register, ctx: ServiceContext) -> None:
    cid = sent_to_handler(ctx)
    with pytest.raises(InvalidInput) as refused:
        svc.record_assessment(ctx, cid, Outcome.CORRECTED)
    assert set(refused.value.errors) == {"norms"}
    svc.record_assessment(ctx, cid, Outcome.CORRECTED, norms=[Norm.ACCURACY])
    assert norms(cid) == [Norm.ACCURACY] and row(cid).resolution is None


def test_assessing_again_after_a_failed_review_replaces_the_norms(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    handler_id = handler(ctx)
    cid = svc.register_complaint(ctx, intake())
    walk_to_returned(ctx, cid, handler_id)  # gegrond, opgelost, norm 11
    assert norms(cid) == [Norm.ACCURACY] and row(cid).resolution is Resolution.RESOLVED
    clock.advance(1)
    svc.review_neutrality(ctx, cid, False, "Klager niet gehoord.")
    assert row(cid).state is State.REINVESTIGATION
    svc.record_assessment(
        ctx,
        cid,
        Outcome.WELL_FOUNDED,
        solution="Extra ophaalronde en een gesprek met de klager.",
        resolution=Resolution.NOT_RESOLVED,
        norms=[Norm.COURTESY, Norm.ACCURACY],
    )
    assert norms(cid) == [Norm.COURTESY, Norm.ACCURACY]
    assert ComplaintNorm.select().count() == 2  # replaced, not added to
    event = events(cid)[-1]
    assert json.loads(event.before)["norms"] == ["accuracy"]
    assert json.loads(event.after)["norms"] == ["accuracy", "courtesy"]
    svc.record_assessment(ctx, cid, Outcome.UNFOUNDED)  # and once more, now unfounded
    assert norms(cid) == [] and row(cid).resolution is None
    assert verify_audit_chain().ok


def test_withdrawal_after_a_well_founded_assessment_drops_the_resolution(
    register: Register, ctx: ServiceContext
) -> None:
    handler_id = handler(ctx)
    cid = svc.register_complaint(ctx, intake())
    walk_to_returned(ctx, cid, handler_id)
    svc.review_neutrality(ctx, cid, False, "Niet neutraal.")
    svc.withdraw_complaint(ctx, cid, "Klager stopt.")
    r = row(cid)
    assert (r.outcome, r.resolution) == (Outcome.STOPPED_BY_CITIZEN, None)
    assert norms(cid) == [Norm.ACCURACY]  # what the assessment found stays


# -- improvement actions -------------------------------------------------------------------


def test_improvement_action_added_from_any_dossier_with_one_event(
    register: Register, ctx: ServiceContext
) -> None:
    department = add_department(ctx, "Milieu en afval")
    cid = svc.register_complaint(ctx, intake())  # just registered: any state will do
    before = len(events())
    action_id = add_improvement(
        ctx,
        cid,
        Improvement(
            " Ophaalrondes overlopen na elke wijziging. ", department, due_on=date(2026, 5, 1)
        ),
    )
    assert len(events()) == before + 1
    event = events()[-1]
    assert event.complaint_id == cid and event.action == "improvement_add"
    assert event.summary == (
        "Verbeteractie toegevoegd (gepland): Ophaalrondes overlopen na elke wijziging."
    )
    entry = improvement_action(action_id)
    assert (entry.reference, entry.department, entry.status) == (
        "2026-0001",
        "Milieu en afval",
        ActionStatus.PLANNED,
    )
    assert (entry.created_on, entry.due_on, entry.done_on) == (
        date(2026, 3, 2),
        date(2026, 5, 1),
        None,
    )
    assert complaint_detail(cid, ctx.today()).improvements == [entry]


def test_refused_improvement_actions_write_nothing(register: Register, ctx: ServiceContext) -> None:
    department = add_department(ctx, "Milieu en afval")
    cid = svc.register_complaint(ctx, intake())
    before = len(events())
    for action, field in (
        (Improvement("", department), "description"),
        (Improvement("Iets.", None), "department_id"),
        (Improvement("Iets.", department, due_on=date(2026, 3, 1)), "due_on"),
        (Improvement("Iets.", 999), "department_id"),
    ):
        with pytest.raises(InvalidInput) as refused:
            add_improvement(ctx, cid, action)
        assert field in refused.value.errors
    with pytest.raises(UserError, match="bestaat niet"):
        add_improvement(ctx, 12345, Improvement("Iets.", department))
    assert ImprovementAction.select().count() == 0 and len(events()) == before


def test_status_runs_planned_ongoing_done_each_change_one_event(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    department = add_department(ctx, "Milieu en afval")
    cid = svc.register_complaint(ctx, intake())
    action_id = add_improvement(ctx, cid, Improvement("Nieuwe kalender.", department))
    clock.advance(10)
    update_improvement(
        ctx, action_id, Improvement("Nieuwe kalender.", department, ActionStatus.ONGOING)
    )
    clock.advance(20)
    update_improvement(
        ctx, action_id, Improvement("Nieuwe kalender.", department, ActionStatus.DONE)
    )
    entry = improvement_action(action_id)
    assert (entry.status, entry.done_on) == (ActionStatus.DONE, date(2026, 4, 1))
    update_improvement(ctx, action_id, entry.improvement)  # unchanged: no event
    assert [e.summary for e in events(cid)][-2:] == [
        "Verbeteractie gepland → lopend: Nieuwe kalender.",
        "Verbeteractie lopend → uitgevoerd op 01/04/2026: Nieuwe kalender.",
    ]
    last = events(cid)[-1]
    assert json.loads(last.after) == {
        "action": action_id,
        "status": "done",
        "done_on": "2026-04-01",
    }
    # Reopened: no longer done, so no date of execution.
    update_improvement(
        ctx, action_id, Improvement("Nieuwe kalender.", department, ActionStatus.ONGOING)
    )
    assert improvement_action(action_id).done_on is None
    with pytest.raises(UserError, match="bestaat niet"):
        update_improvement(ctx, 999, entry.improvement)


def test_improvement_list_filters_by_status_dossier_and_department(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    waste = add_department(ctx, "Milieu en afval")
    works = add_department(ctx, "Openbare werken")
    first = svc.register_complaint(ctx, intake())
    second = svc.register_complaint(ctx, intake(name="Jan Janssens"))
    a = add_improvement(ctx, first, Improvement("A.", waste))
    clock.advance(1)
    b = add_improvement(ctx, first, Improvement("B.", works, ActionStatus.ONGOING))
    clock.advance(1)
    c = add_improvement(ctx, second, Improvement("C.", waste, ActionStatus.DONE))

    def ids(**filters: object) -> list[int]:
        return [e.id for e in improvement_actions(**filters)]  # type: ignore[arg-type]

    assert ids() == [c, b, a]  # newest first
    assert ids(status=ActionStatus.PLANNED) == [a]
    assert ids(status="done") == [c]
    assert ids(complaint_id=first) == [b, a]
    assert ids(department_id=waste) == [c, a]
    assert ids(status=ActionStatus.ONGOING, department_id=waste) == []


# -- anonymisation, deletion and the access report ---------------------------------------------


def test_anonymising_keeps_route_resolution_norms_and_actions(
    register: Register, ctx: ServiceContext
) -> None:
    handler_id = handler(ctx)
    department = add_department(ctx, "Openbare werken")
    cid = svc.register_complaint(ctx, intake(route=Route.ORGANISATION))
    walk_to_returned(ctx, cid, handler_id)
    add_improvement(ctx, cid, Improvement("Signalisatieplan vóór elke werf.", department))
    svc.review_neutrality(ctx, cid, True)
    svc.record_reply_sent(ctx, cid)
    svc.close_complaint(ctx, cid)

    anonymise_complaint(ctx, cid)

    r = row(cid)
    assert r.name == "" and r.description == ""  # the personal data went
    assert (r.route, r.resolution) == (Route.ORGANISATION, Resolution.RESOLVED)
    assert norms(cid) == [Norm.ACCURACY]
    [entry] = improvement_actions()
    assert (entry.complaint_id, entry.description) == (cid, "Signalisatieplan vóór elke werf.")
    # Followed up after the anonymisation, and a new one added: not personal data.
    update_improvement(ctx, entry.id, Improvement(entry.description, department, ActionStatus.DONE))
    add_improvement(ctx, cid, Improvement("Werfbord met contactgegevens.", department))
    assert [e.status for e in improvement_actions(complaint_id=cid)] == [
        ActionStatus.PLANNED,
        ActionStatus.DONE,
    ]
    assert verify_audit_chain().ok


def test_deleting_a_mistaken_dossier_leaves_its_actions_without_a_dossier(
    register: Register, ctx: ServiceContext
) -> None:
    department = add_department(ctx, "Openbare werken")
    cid = svc.register_complaint(ctx, intake())
    add_improvement(ctx, cid, Improvement("Signalisatieplan.", department))
    delete_complaint(ctx, cid, "Dubbel geregistreerd.")
    assert Complaint.select().count() == 0 and ComplaintNorm.select().count() == 0
    [entry] = improvement_actions()
    assert (entry.complaint_id, entry.reference) == (None, "")


def test_access_report_lists_route_resolution_and_norms(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from klachtdesk.services.access import export_person
    from klachtdesk.services.setup import Coordinator, Municipality, initial_setup

    initial_setup(
        ctx,
        Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
        Coordinator("Ann Coördinator", email="klachten@herent.example"),
        ["Burgerzaken"],
        [],
    )
    handler_id = handler(ctx)
    cid = svc.register_complaint(ctx, intake(route=Route.POLITICIAN))
    walk_to_returned(ctx, cid, handler_id)
    older = svc.register_complaint(ctx, intake(description="Tweede klacht."))  # no route

    export = export_person(ctx, cid, tmp_path)

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(export.pdf).pages).split())
    assert "Ingediend via via een mandataris" in text
    assert "Ingediend via niet ingevuld" in text
    assert "Mate van oplossing opgelost" in text
    assert "Ombudsnormen 11. goede uitvoeringspraktijk en administratieve nauwkeurigheid" in text
    assert export.references == ["2026-0001", "2026-0002"] and older
