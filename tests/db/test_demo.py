"""The demo register is one a coordinator could have made: its data hang together."""

from __future__ import annotations

from klachtdesk.models import Complaint, Handler, Register
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.demo import fill_with_demo
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup


def _handled_by_own_department() -> tuple[int, list[str]]:
    sent = list(Complaint.select().where(Complaint.handler.is_null(False)))
    wrong = [
        f"{c.reference}: dienst {c.department_id}, behandelaar {c.handler_id} "
        f"van dienst {Handler.get_by_id(c.handler_id).department_id}"
        for c in sent
        if Handler.get_by_id(c.handler_id).department_id != c.department_id
    ]
    return len(sent), wrong


def test_each_dossier_goes_to_a_handler_of_its_own_department(
    register: Register, ctx: ServiceContext
) -> None:
    fill_with_demo(ctx, 300, seed=11)
    sent, wrong = _handled_by_own_department()
    assert sent > 100 and wrong == []


def test_also_in_a_register_that_has_handlers_for_some_departments_only(
    register: Register, ctx: ServiceContext
) -> None:
    initial_setup(
        ctx,
        Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
        Coordinator("Ann Coördinator", phone="016 85 30 00", email="klachten@herent.example"),
        ["Milieu en afval", "Burgerzaken"],
        [("Inge Claes", "inge.claes@herent.example", "Milieu en afval"),
         ("Jan Peeters", "jan.peeters@herent.example", "Milieu en afval")],
    )  # fmt: skip
    fill_with_demo(ctx, 300, seed=12)
    sent, wrong = _handled_by_own_department()
    assert sent > 100 and wrong == []
    own = {h.id for h in Handler.select().where(Handler.name.in_(["Inge Claes", "Jan Peeters"]))}
    used = {c.handler_id for c in Complaint.select().where(Complaint.handler.in_(list(own)))}
    assert used == own  # the register's own handlers are used, not replaced


def test_demo_records_route_resolution_norms_and_improvements_by_the_rules(
    register: Register, ctx: ServiceContext
) -> None:
    from klachtdesk.models import ComplaintNorm, ImprovementAction
    from klachtdesk.procedure import ActionStatus, Route
    from klachtdesk.procedure.assessment import requires_norm, requires_resolution
    from klachtdesk.services.audit import verify_audit_chain

    fill_with_demo(ctx, 1500, seed=13)
    rows = list(Complaint.select())
    assert {c.route for c in rows} == set(Route)  # every route occurs, none left empty
    norms: dict[int, int] = {}
    for n in ComplaintNorm.select():
        norms[n.complaint_id] = norms.get(n.complaint_id, 0) + 1
    assessed = [c for c in rows if c.assessed_on is not None]
    assert len(assessed) > 300
    for c in assessed:
        assert (c.resolution is not None) == requires_resolution(c.outcome), c.reference
        if requires_norm(c.outcome):
            assert norms.get(c.id, 0) >= 1, c.reference
    assert all(c.assessed_on is not None for c in rows if c.id in norms)
    actions = list(ImprovementAction.select())
    assert len(actions) > 10 and {a.status for a in actions} == set(ActionStatus)
    by_id = {c.id: c for c in rows}
    for a in actions:
        complaint = by_id[a.complaint_id]
        assert requires_norm(complaint.outcome) and a.department_id == complaint.department_id
        assert a.created_on >= complaint.assessed_on and a.created_on <= ctx.today()
        assert (a.done_on is not None) == (a.status is ActionStatus.DONE)
        assert a.done_on is None or a.created_on <= a.done_on <= ctx.today()
    assert verify_audit_chain().ok


def test_demo_trail_replays_and_register_stays_in_wal_mode(
    register: Register, ctx: ServiceContext
) -> None:
    """The demo writes its events day by day and its pages through a rollback journal: the
    chain holds, every dossier replays from its events, and the register is WAL again."""
    from klachtdesk.models import AuditEvent, database
    from klachtdesk.services.audit import verify_audit_chain
    from klachtdesk.services.demo import WRITTEN_ONCE_FROM
    from klachtdesk.services.tampering import counter_problems, dossier_problems

    fill_with_demo(ctx, WRITTEN_ONCE_FROM, seed=21)
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    first = AuditEvent.select().count()
    fill_with_demo(ctx, 300, seed=22)  # a second, small fill chains on after the first
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    chain = verify_audit_chain()
    assert chain.ok and chain.events == AuditEvent.select().count() > WRITTEN_ONCE_FROM * 6
    assert dossier_problems() == [] and counter_problems() == []
    moments = [e.at for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert moments[:first] == sorted(moments[:first])  # in order of time within a fill


def test_demo_inside_a_callers_transaction_leaves_the_journal_alone(
    register: Register, ctx: ServiceContext
) -> None:
    from klachtdesk.models import database
    from klachtdesk.services.audit import verify_audit_chain

    with database.atomic():
        fill_with_demo(ctx, 50, seed=23)
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert Complaint.select().count() == 50 and verify_audit_chain().ok


def test_demo_json_is_the_services_json() -> None:
    """The demo's one-encoder JSON is services/audit.to_json's text, for awkward values too."""
    from datetime import date

    from klachtdesk.procedure import Channel
    from klachtdesk.services.audit import to_json
    from klachtdesk.services.demo import _encode

    values = {
        "z": 'aan "haar" \\ é\u2028\n\t',
        "a": None,
        "channel": Channel.EMAIL,
        "n": 3,
        "ok": True,
        "grounds": ["x", "y"],
        "day": date(2026, 3, 2),
    }
    assert _encode(values) == to_json(values)


def test_demo_while_another_connection_is_open_goes_through_the_wal(
    register: Register, ctx: ServiceContext
) -> None:
    from klachtdesk.models import database
    from klachtdesk.models.database import connect_encrypted
    from klachtdesk.services.audit import verify_audit_chain
    from klachtdesk.services.demo import WRITTEN_ONCE_FROM

    other = connect_encrypted(register.path, register.sqlcipher_key)
    try:
        other.execute("SELECT count(*) FROM complaint").fetchone()
        fill_with_demo(ctx, WRITTEN_ONCE_FROM, seed=24)
        count = other.execute("SELECT count(*) FROM complaint").fetchone()[0]
        assert count == WRITTEN_ONCE_FROM
    finally:
        other.close()
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert verify_audit_chain().ok
