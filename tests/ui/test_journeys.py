"""Whole journeys through the real windows, as a coordinator walks them with keyboard and mouse.

Each starts at the first-run wizard on a real encrypted register in a temp folder. Any
exception or Qt warning that reaches the event loop fails the test (pytest-qt's exception
capture and ``qt_log_level_fail``; see ``test_person.py`` for proof that they do).
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from klachtdesk.models import Complaint, Document, database
from klachtdesk.models.database import DB_FILENAME
from klachtdesk.procedure import Action, Channel, State
from klachtdesk.services.audit import verify_audit_chain
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.documents import document_content
from klachtdesk.ui.unlock_dialog import UnlockDialog

from .journey import HANDLER, PASSPHRASE, Coordinator, coordinator_at_work, drop_files
from .person import text_of
from .test_channels import write_eml


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
    person.choose("Aanspreking", "mevrouw", wizard)
    person.next(wizard)
    person.type_into("Omschrijving", description or "De container werd niet geledigd.")
    person.check("Datum van de feiten gekend")
    person.choose("Over", "dienst")
    person.choose("Dienst", "Milieu en afval")
    person.type_into("Betrokken persoon", "ophaaldienst")
    person.choose("Aard", "niet uitgevoerd")
    person.choose("Soort handeling", "beslissing")
    person.snap("intake-complaint")
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
    saved = tmp_path / "bewaard" / "ontvangstmelding-bewaard.pdf"
    saved.parent.mkdir()
    person.in_file_dialog("Opslaan als PDF…", preview, saved)
    person.qtbot.waitUntil(saved.exists)
    assert "Geachte mevrouw De Smet" in PdfReader(saved).pages[0].extract_text()
    printed = tmp_path / "ontvangstmelding.pdf"
    person.print_to_file("Afdrukken…", preview, printed)
    person.qtbot.waitUntil(lambda: not dialog.isVisible())
    # Printed to a PDF file, the letter stays the real PDF (text, not a picture of it).
    text = "".join(page.extract_text() for page in PdfReader(printed).pages)
    assert "Geachte mevrouw De Smet" in text and "Vlaamse Ombudsdienst" in text


def test_phone_complaint_walked_to_closing_without_investigation_notes(
    qtbot: QtBot, tmp_path: Path, ctx: ServiceContext
) -> None:
    with coordinator_at_work(qtbot, tmp_path / "data", ctx) as person:
        reference = take_phone_call(person)
        row = Complaint.get(Complaint.reference == reference)
        assert (row.subject, row.nature, row.act_kind) == ("department", "not_done", "decision")
        assert row.form_of_address == "madam"
        admissible_and_acknowledged_on_paper(person, tmp_path)
        assert Complaint.get().state == State.ACKNOWLEDGED

        dialog = person.step(Action.SEND_TO_HANDLER.step.button)
        person.choose("Behandelaar", HANDLER, dialog)
        person.ok(dialog)
        dialog = person.step(Action.ASSESS.step.button)
        person.check("gegrond", dialog)
        person.type_into("Oplossing", "De container wordt morgen geledigd.", dialog)
        person.choose("Mate van oplossing", "opgelost", dialog)
        person.check("11. goede uitvoeringspraktijk en administratieve nauwkeurigheid", dialog)
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
        person.snap("closed-dossier")
        report = Document.get(Document.kind == "completed_report")
        assert report is not None
        assert verify_audit_chain().ok


def walk_from_handler_to_closing(person: Coordinator, tmp_path: Path, texts: str = "") -> None:
    """Handler, assessment, report and reply returned, review approved, reply sent, closed."""
    dialog = person.step(Action.SEND_TO_HANDLER.step.button)
    person.choose("Behandelaar", HANDLER, dialog)
    person.ok(dialog)
    assert person.window is not None
    # Step 8: the report for the handler, made from the dossier's documents.
    person.tab("Documenten", person.window.dossier)
    person.menu_button("Document maken", "Rapport voor de behandelaar", person.window.dossier)
    preview = person.preview()
    person.click("Sluiten", preview)
    if texts:
        dialog = person.step(Action.RECORD_INVESTIGATION.step.button)
        person.type_into("Contacten", texts, dialog)
        person.type_into("Samenvatting", texts, dialog)
        person.ok(dialog)
    dialog = person.step(Action.ASSESS.step.button)
    person.check("deels gegrond", dialog)
    person.type_into("Oplossing", texts or "Excuses en een nieuwe afspraak.", dialog)
    person.choose("Mate van oplossing", "deels opgelost", dialog)
    person.check("6. correcte bejegening", dialog)
    person.ok(dialog)
    dialog = person.step(Action.RECORD_RETURNED.step.button)
    person.type_into("Rapport", texts or "Het rapport.", dialog)
    person.type_into("Motiverende brief", texts or "De brief.", dialog)
    person.ok(dialog)
    approve_and_send_reply(person, tmp_path)


def approve_and_send_reply(person: Coordinator, tmp_path: Path) -> None:
    dialog = person.step(Action.REVIEW_NEUTRALITY.step.button)
    person.check("Ja:", dialog)
    person.ok(dialog)
    dialog = person.step(Action.RECORD_REPLY_SENT.step.button)
    person.click("De motiverende brief maken en versturen…", dialog)
    preview = person.preview()
    person.print_to_file("Afdrukken…", preview, tmp_path / "antwoord.pdf")
    person.qtbot.waitUntil(lambda: not dialog.isVisible())
    dialog = person.step(Action.CLOSE.step.button)
    person.ok(dialog)
    assert Complaint.get().state == State.CLOSED


def test_every_field_filled_to_its_limit(qtbot: QtBot, tmp_path: Path, ctx: ServiceContext) -> None:
    # 20,000 characters in every free text; a name, street or city as long as it may be.
    long = ("Een lange tekst met woorden " * 800)[:20_000]
    name, city = long[:199] + "N", long[:99] + "G"
    with coordinator_at_work(qtbot, tmp_path / "data", ctx) as person:
        wizard = person.new_phone_complaint()
        person.fill_person(
            wizard, Naam=name, Straat=name, Postcode="3000", Gemeente=city, Telefoon="016 12 34 56"
        )
        person.next(wizard)
        person.type_into("Omschrijving", long)
        person.type_into("Betrokken persoon", name)
        person.next(wizard)
        person.type_into("Ontvangen door", name)
        person.type_into("Doorgestuurd door", name)
        person.next(wizard)
        person.finish_intake(wizard)
        row = Complaint.get()
        assert (len(row.name), len(row.city), len(row.description)) == (200, 100, 20_000)
        dialog = person.step(Action.DECIDE_ADMISSIBILITY.step.button)
        person.type_into("Motivering", long, dialog)
        person.ok(dialog)
        dialog = person.step(Action.ACKNOWLEDGE.step.button)
        person.click("De ontvangstmelding maken en versturen…", dialog)
        preview = person.preview()
        person.print_to_file("Afdrukken…", preview, tmp_path / "ontvangst.pdf")
        qtbot.waitUntil(lambda: not dialog.isVisible())
        walk_from_handler_to_closing(person, tmp_path, long)
        titles = {d.kind for d in Document.select(Document.kind)}
        assert {"acknowledgement", "report", "reply", "completed_report"} <= titles, titles
        assert verify_audit_chain().ok


def test_inadmissible_complaint(qtbot: QtBot, tmp_path: Path, ctx: ServiceContext) -> None:
    with coordinator_at_work(qtbot, tmp_path / "data", ctx) as person:
        take_phone_call(person)
        dialog = person.step(Action.DECIDE_ADMISSIBILITY.step.button)
        person.check("6. kennelijk ongegrond", dialog)
        person.type_into("Motivering", "De container staat op privéterrein.", dialog)
        person.ok(dialog)
        assert "niet ontvankelijk" in person.state_text()
        dialog = person.step(Action.ACKNOWLEDGE.step.button)
        person.click("De ontvangstmelding maken en versturen…", dialog)
        preview = person.preview()
        person.print_to_file("Afdrukken…", preview, tmp_path / "brief.pdf")
        qtbot.waitUntil(lambda: not dialog.isVisible())
        row = Complaint.get()
        assert row.state == State.CLOSED and row.admissible is False


def test_failed_neutrality_review_and_reinvestigation(
    qtbot: QtBot, tmp_path: Path, ctx: ServiceContext
) -> None:
    with coordinator_at_work(qtbot, tmp_path / "data", ctx) as person:
        take_phone_call(person)
        admissible_and_acknowledged_on_paper(person, tmp_path)
        dialog = person.step(Action.SEND_TO_HANDLER.step.button)
        person.choose("Behandelaar", HANDLER, dialog)
        person.ok(dialog)
        dialog = person.step(Action.ASSESS.step.button)
        person.check("ongegrond", dialog)
        person.ok(dialog)
        dialog = person.step(Action.RECORD_RETURNED.step.button)
        person.type_into("Motiverende brief", "Uw klacht is ongegrond.", dialog)
        person.ok(dialog)
        dialog = person.step(Action.REVIEW_NEUTRALITY.step.button)
        person.check("Nee:", dialog)
        person.type_into("Reden", "De behandelaar sprak de klager niet.", dialog)
        person.ok(dialog)
        assert Complaint.get().state == State.REINVESTIGATION
        assert "heronderzoek" in person.state_text()
        dialog = person.step(Action.RECORD_RETURNED.step.button)
        person.type_into("Motiverende brief", "Na gesprek: ongegrond.", dialog)
        person.ok(dialog)
        approve_and_send_reply(person, tmp_path)
        assert Complaint.get().failed_reviews == 1


def test_withdrawal_ends_with_the_report_kept_and_the_dossier_closed(
    qtbot: QtBot, tmp_path: Path, ctx: ServiceContext
) -> None:
    with coordinator_at_work(qtbot, tmp_path / "data", ctx) as person:
        take_phone_call(person)
        admissible_and_acknowledged_on_paper(person, tmp_path)
        dialog = person.step(Action.WITHDRAW.step.button)
        person.type_into("Reden", "De klager belde: de container is geledigd.", dialog)
        person.ok(dialog)
        row = Complaint.get()
        assert row.state == State.CLOSED and row.outcome == "stopped_by_citizen"
        assert Document.select().where(Document.kind == "completed_report").count() == 1
        assert "afgehandeld" in person.state_text()


def test_email_intake_from_a_dropped_eml(qtbot: QtBot, tmp_path: Path, ctx: ServiceContext) -> None:
    eml = write_eml(tmp_path)
    with coordinator_at_work(qtbot, tmp_path / "data", ctx) as person:
        assert person.window is not None
        drop_files(person.window, [eml])
        wizard = person.wizard()
        assert wizard.windowTitle().startswith("Nieuwe klacht per e-mail")
        assert text_of(person.field("Naam", QLineEdit, wizard)) == "Sébastien Dewaele"
        assert text_of(person.field("E-mail", QLineEdit, wizard)) == "seb.dewaele@example.be"
        person.next(wizard)
        person.choose("Over", "medewerker")
        person.next(wizard)
        person.type_into("Ontvangen door", "Onthaal", wizard)
        person.next(wizard)
        assert person.sees_item("E-mail: Klacht over de afvalophaling", wizard)
        person.next(wizard)
        person.finish_intake(wizard)
        row = Complaint.get()
        assert (row.channel, row.received_on.isoformat()) == (Channel.EMAIL, "2026-02-27")
        assert document_content(Document.get().id) == ("klacht.eml", eml.read_bytes())
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        assert b"PMD-zak" not in (tmp_path / "data" / DB_FILENAME).read_bytes()


def test_letter_intake_with_a_scan(qtbot: QtBot, tmp_path: Path, ctx: ServiceContext) -> None:
    scan = tmp_path / "brief-scan.pdf"
    scan.write_bytes(b"%PDF-1.4 fictieve scan \xe9\x00" * 100)
    with coordinator_at_work(qtbot, tmp_path / "data", ctx) as person:
        person.menu("Bestand", "Nieuwe klacht per brief of fax…")
        wizard = person.wizard()
        person.fill_person(wizard, Naam="Lies Claes", Straat="Markt 1", Postcode="3020")
        person.next(wizard)
        person.type_into("Omschrijving", "Geen antwoord op mijn brief van januari.")
        person.next(wizard)
        person.type_into("Doorgestuurd door", "Diensthoofd Burgerzaken", wizard)
        person.next(wizard)
        person.in_file_dialog("Bestand toevoegen…", wizard, scan)
        qtbot.waitUntil(lambda: person.sees_item("brief-scan.pdf", wizard))
        person.next(wizard)
        person.finish_intake(wizard)
        row = Complaint.get()
        assert (row.channel, row.forwarded_by) == (Channel.LETTER, "Diensthoofd Burgerzaken")
        assert document_content(Document.get().id) == ("brief-scan.pdf", scan.read_bytes())


def test_restart_wrong_then_right_passphrase(
    qtbot: QtBot, tmp_path: Path, ctx: ServiceContext
) -> None:
    folder = tmp_path / "data"
    with coordinator_at_work(qtbot, folder, ctx) as person:
        reference = take_phone_call(person)
    person = Coordinator(qtbot, folder)
    unlock = UnlockDialog(folder)
    qtbot.addWidget(unlock)
    unlock.show()
    person.activate(unlock)
    person.type_into("Wachtwoord", "verkeerd wachtwoord", unlock)
    person.click("Openen", unlock)
    assert person.sees("niet juist", unlock) and unlock.isVisible()
    person.type_into("Wachtwoord", PASSPHRASE, unlock)
    person.click("Openen", unlock)
    qtbot.waitUntil(lambda: not unlock.isVisible())
    assert unlock.register is not None
    try:
        person.start(unlock.register, ctx)
        assert person.window is not None
        person.list_row(reference)
        assert person.dossier_reference() == reference
    finally:
        person.stop()
