"""Every text a step, a setting or a document takes is held to its limit by the services,
refused in Dutch with nothing written (no change, no audit event)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from klachtdesk.models import AuditEvent, Complaint, Document, Register
from klachtdesk.procedure import Ground, InvalidInput, Outcome, State
from klachtdesk.procedure.text_limits import FREE_TEXT, NAME
from klachtdesk.services import complaints as svc
from klachtdesk.services import correspondence
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.documents import Attachment, attach
from klachtdesk.services.organisation import HandlerData, add_department, save_handler
from klachtdesk.services.setup import Coordinator, Municipality, save_coordinator, save_municipality

from ..ui.test_crawler import dossier_in
from .helpers import handler

TOO_LONG = "x" * (FREE_TEXT.max_chars + 1)


@pytest.fixture
def letterhead(register: Register, ctx: ServiceContext) -> None:
    """The letters of the steps need a municipality and a coordinator."""
    save_municipality(ctx, Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"))
    save_coordinator(ctx, Coordinator("Ann Peeters"))


Step = Callable[[ServiceContext, int, str], object]
STEPS: dict[str, tuple[State, Step, str]] = {
    "motivering": (
        State.REGISTERED,
        lambda ctx, cid, t: svc.decide_admissibility(ctx, cid, [Ground.ANONYMOUS], t),
        "Motivering: ",
    ),
    "onderzoek": (
        State.WITH_HANDLER,
        lambda ctx, cid, t: svc.record_investigation(ctx, cid, contacts=t, summary="Kort."),
        "Contacten: ",
    ),
    "beoordeling": (
        State.WITH_HANDLER,
        lambda ctx, cid, t: svc.record_assessment(ctx, cid, Outcome.UNFOUNDED, solution=t),
        "Oplossing: ",
    ),
    "rapport": (
        State.ASSESSED,
        lambda ctx, cid, t: svc.record_returned(ctx, cid, report_text=t, reply_text="Goed."),
        "Rapport: ",
    ),
    "motiverende brief": (
        State.ASSESSED,
        lambda ctx, cid, t: svc.record_returned(ctx, cid, report_text="", reply_text=t),
        "Motiverende brief: ",
    ),
    "neutraliteit": (
        State.REPLY_RETURNED,
        lambda ctx, cid, t: svc.review_neutrality(ctx, cid, False, t),
        "Reden: ",
    ),
    "stopzetting": (
        State.ACKNOWLEDGED,
        lambda ctx, cid, t: svc.withdraw_complaint(ctx, cid, t),
        "Reden: ",
    ),
}


@pytest.mark.parametrize("bad", ["te lang", "NUL", "surrogaat"])
@pytest.mark.parametrize("step", STEPS)
def test_each_step_text_is_held_to_its_limit(
    letterhead: None, ctx: ServiceContext, step: str, bad: str
) -> None:
    state, act, label = STEPS[step]
    cid = dossier_in(ctx, state, handler(ctx), 1)
    text = {"te lang": TOO_LONG, "NUL": "Fout\x00", "surrogaat": "Half \udc80"}[bad]
    before = (Complaint.get_by_id(cid).state, AuditEvent.select().count())
    with pytest.raises(InvalidInput) as refused:
        act(ctx, cid, text)
    assert refused.value.message.startswith(label)
    expected = {"te lang": "te lang: 20.001 tekens", "NUL": "stuurtekens", "surrogaat": "surrogaat"}
    assert expected[bad] in refused.value.message
    assert (Complaint.get_by_id(cid).state, AuditEvent.select().count()) == before
    act(ctx, cid, "x" * FREE_TEXT.max_chars)  # at the limit it is accepted


def test_departments_handlers_and_settings_are_held_to_their_limits(
    register: Register, ctx: ServiceContext
) -> None:
    events = AuditEvent.select().count()
    with pytest.raises(InvalidInput, match="Naam van de dienst: deze tekst is te lang"):
        add_department(ctx, "D" * (NAME.max_chars + 1))
    with pytest.raises(InvalidInput, match="Naam van de behandelaar: deze tekst is te lang"):
        save_handler(ctx, HandlerData("H" * (NAME.max_chars + 1)))
    with pytest.raises(InvalidInput, match="E-mail: deze tekst bevat"):
        save_handler(ctx, HandlerData("Inge", email="inge\x00@example.be"))
    with pytest.raises(InvalidInput, match="Naam van het bestuur: deze tekst is te lang"):
        save_municipality(ctx, Municipality("G" * (NAME.max_chars + 1)))
    with pytest.raises(InvalidInput, match="Straat: deze tekst bevat een ongeldig teken"):
        save_municipality(ctx, Municipality("Gemeente Herent", street="Straat \ud800"))
    with pytest.raises(InvalidInput, match="Functie: deze tekst is te lang"):
        save_coordinator(ctx, Coordinator("Ann", title="T" * (NAME.max_chars + 1)))
    with pytest.raises(InvalidInput, match="Slot: deze tekst is te lang"):
        correspondence.save_letter_text(ctx, "slot", TOO_LONG)
    assert AuditEvent.select().count() == events
    # A name with a line break is tidied to one line, as before.
    assert add_department(ctx, "Milieu\nen afval")


def test_a_document_whose_file_name_holds_a_lone_surrogate_is_refused(
    register: Register, ctx: ServiceContext
) -> None:
    cid = dossier_in(ctx, State.REGISTERED, handler(ctx), 1)
    # A file name with bytes that are no UTF-8 comes from the disk as lone surrogates.
    scan = Attachment("brief\udcff.pdf", "application/pdf", b"%PDF-1.4")
    with pytest.raises(InvalidInput, match="Bestandsnaam: deze tekst bevat een ongeldig teken"):
        attach(ctx, cid, [scan])
    assert Document.select().where(Document.complaint == cid).count() == 0
    attach(ctx, cid, [replace(scan, filename="brief.pdf")])
    assert Document.select().where(Document.complaint == cid).count() == 1
