"""Texts no file can carry (control characters, a lone surrogate) are refused where a person
types them: an improvement action's description, a department's name."""

from __future__ import annotations

from datetime import date

import pytest

from klachtdesk.models import AuditEvent, Department, ImprovementAction, Register
from klachtdesk.procedure import ActionStatus, InvalidInput
from klachtdesk.procedure.improvements import DESCRIPTION_MAX, Improvement
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.improvements import (
    add_improvement,
    improvement_action,
    update_improvement,
)
from klachtdesk.services.organisation import add_department, rename_department

from ..conftest import FakeClock
from .helpers import intake

HOSTILE = ["Kleur\x1b[31m rood", "Bel\x07", "Nul\x00", "Half \ud800 teken", "Half \udfff"]


def refusal(text: str) -> str:
    """What the shared text limits say about ``text`` (procedure.text_limits.text_problem)."""
    if "\ud800" in text or "\udfff" in text:
        return "deze tekst bevat een ongeldig teken (een losse surrogaat); typ hem opnieuw."
    return "deze tekst bevat onzichtbare stuurtekens; verwijder ze of typ hem opnieuw."


@pytest.mark.parametrize("text", HOSTILE)
def test_an_action_with_control_characters_or_a_lone_surrogate_is_refused(
    register: Register, ctx: ServiceContext, text: str
) -> None:
    department = add_department(ctx, "Milieu en afval")
    cid = svc.register_complaint(ctx, intake())
    before = AuditEvent.select().count()
    with pytest.raises(InvalidInput) as refused:
        add_improvement(ctx, cid, Improvement(text, department))
    assert refused.value.errors == {"description": f"Omschrijving: {refusal(text)}"}
    action = add_improvement(ctx, cid, Improvement("Nieuwe kalender.", department))
    with pytest.raises(InvalidInput):
        update_improvement(ctx, action, Improvement(text, department))
    assert improvement_action(action).description == "Nieuwe kalender."
    assert ImprovementAction.select().count() == 1
    assert AuditEvent.select().count() == before + 1


def test_the_longest_description_with_tabs_and_line_breaks_is_kept(
    register: Register, ctx: ServiceContext
) -> None:
    department = add_department(ctx, "Milieu en afval")
    cid = svc.register_complaint(ctx, intake())
    text = ("Eerst dit.\tDan\r\ndat. " * 200)[: DESCRIPTION_MAX - 1] + "."
    action = add_improvement(ctx, cid, Improvement(text, department))
    assert improvement_action(action).description == text.strip()


def test_a_planned_action_keeps_no_date_of_execution(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    department = add_department(ctx, "Milieu en afval")
    cid = svc.register_complaint(ctx, intake())
    action = add_improvement(
        ctx, cid, Improvement("A.", department, ActionStatus.PLANNED, done_on=ctx.today())
    )
    assert improvement_action(action).done_on is None
    clock.advance(3)
    update_improvement(
        ctx, action, Improvement("A.", department, ActionStatus.ONGOING, done_on=date(2026, 1, 2))
    )
    assert improvement_action(action).done_on is None


@pytest.mark.parametrize("text", HOSTILE)
def test_a_department_name_with_control_characters_is_refused(
    register: Register, ctx: ServiceContext, text: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        add_department(ctx, text)
    assert refused.value.errors == {"name": f"Naam van de dienst: {refusal(text)}"}
    department = add_department(ctx, "Burgerzaken")
    with pytest.raises(InvalidInput):
        rename_department(ctx, department, text, True)
    assert [d.name for d in Department.select()] == ["Burgerzaken"]
