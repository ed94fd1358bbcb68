"""Whole journeys through the real windows, as a coordinator walks them with keyboard and mouse.

Each starts at the first-run wizard on a real encrypted register in a temp folder. Any
exception or Qt warning that reaches the event loop fails the test (pytest-qt's exception
capture and ``qt_log_level_fail``; see ``test_person.py`` for proof that they do).
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from klachtdesk.models import Complaint, Document
from klachtdesk.procedure import Action, State
from klachtdesk.services.audit import verify_audit_chain
from klachtdesk.services.context import ServiceContext

from .journey import HANDLER, Coordinator, coordinator_at_work


def take_phone_call(person: Coordinator, description: str = "") -> str:
    """A phone complaint with every choice made; returns its reference."""
    wizard = person.new_phone_complaint()
    person.fill_person(
        wizard,
        Naam="Marleen De Smet",
        Straat="Kerkstraat 12",
        Postcode="3000",
        Gemeente="Leuven",
        Telefoon="0478 12 34 56",
        **{"E-mail": "marleen.desmet@example.be"},
    )
    person.next(wizard)
    person.type_into("Omschrijving", description or "De container werd niet geledigd.")
    person.check("Datum van de feiten gekend")
    person.choose("Over", "dienst")
    person.choose("Dienst", "Milieu en afval")
    person.type_into("Betrokken persoon", "ophaaldienst")
    person.choose("Aard", "niet uitgevoerd")
    person.choose("Soort handeling", "beslissing")
    person.next(wizard)
    person.next(wizard)
    summary = wizard.summary.summary.text()
    assert "Milieu en afval" in summary and "dienst" in summary, summary
    return person.finish_intake(wizard)


def admissible_and_acknowledged_on_paper(person: Coordinator, tmp_path: Path) -> None:
    dialog = person.step(Action.DECIDE_ADMISSIBILITY.step.button)
    person.ok(dialog)
    assert "ontvankelijk" in person.state_text()
    dialog = person.step(Action.ACKNOWLEDGE.step.button)
    person.click("De ontvangstmelding maken en versturen…", dialog)
    preview = person.preview()
    printed = tmp_path / "ontvangstmelding.pdf"
    person.print_to_file("Afdrukken…", preview, printed)
    person.qtbot.waitUntil(lambda: not dialog.isVisible())
    assert len(PdfReader(printed).pages) >= 1


def test_phone_complaint_walked_to_closing_without_investigation_notes(
    qtbot: QtBot, tmp_path: Path, ctx: ServiceContext
) -> None:
    with coordinator_at_work(qtbot, tmp_path / "data", ctx) as person:
        reference = take_phone_call(person)
        row = Complaint.get(Complaint.reference == reference)
        assert (row.subject, row.nature, row.act_kind) == ("department", "not_done", "decision")
        admissible_and_acknowledged_on_paper(person, tmp_path)
        assert Complaint.get().state == State.ACKNOWLEDGED

        dialog = person.step(Action.SEND_TO_HANDLER.step.button)
        person.choose("Behandelaar", HANDLER, dialog)
        person.ok(dialog)
        dialog = person.step(Action.ASSESS.step.button)
        person.check("gegrond", dialog)
        person.type_into("Oplossing", "De container wordt morgen geledigd.", dialog)
        person.ok(dialog)
        dialog = person.step(Action.RECORD_RETURNED.step.button)
        person.type_into("Rapport", "De ophaling werd vergeten.", dialog)
        person.type_into("Motiverende brief", "Uw klacht is gegrond.", dialog)
        person.ok(dialog)
        dialog = person.step(Action.REVIEW_NEUTRALITY.step.button)
        person.ok(dialog)
        dialog = person.step(Action.RECORD_REPLY_SENT.step.button)
        person.click("De motiverende brief maken en versturen…", dialog)
        preview = person.preview()
        person.print_to_file("Afdrukken…", preview, tmp_path / "antwoord.pdf")
        qtbot.waitUntil(lambda: not dialog.isVisible())
        dialog = person.step(Action.CLOSE.step.button)
        person.ok(dialog)
        assert Complaint.get().state == State.CLOSED
        assert "afgehandeld" in person.state_text()
        report = Document.get(Document.kind == "completed_report")
        assert report is not None
        assert verify_audit_chain().ok
