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
