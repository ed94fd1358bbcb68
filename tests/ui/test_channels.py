"""Intake for letters and e-mails: the original is kept in the encrypted register."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from PySide6.QtWidgets import QLineEdit

from klachtdesk.models import Complaint, Document, Register, database
from klachtdesk.models.database import DB_FILENAME
from klachtdesk.procedure import Channel
from klachtdesk.services.documents import document_content
from klachtdesk.ui.intake_wizard import IntakeWizard

from .journey import Coordinator, drop_files
from .person import text_of


def write_eml(folder: Path) -> Path:
    message = EmailMessage()
    message["From"] = "Sébastien Dewaele <seb.dewaele@example.be>"
    message["To"] = "klachten@herent.example"
    message["Subject"] = "Klacht over de afvalophaling"
    message["Date"] = "Fri, 27 Feb 2026 18:04:00 +0100"
    message.set_content("Beste,\n\nMijn PMD-zak werd drie keer niet meegenomen.\n\nSébastien")
    message.add_alternative(
        "<p>Beste,</p><p>Mijn PMD-zak werd <b>drie keer</b> niet meegenomen.</p>", subtype="html"
    )
    path = folder / "klacht.eml"
    path.write_bytes(bytes(message))
    return path


def finish(person: Coordinator, wizard: IntakeWizard) -> None:
    """Volgende up to the summary, then Voltooien."""
    while wizard.currentPage() is not wizard.summary:
        person.next(wizard)
    person.finish_intake(wizard)


def test_dropping_an_eml_starts_a_prefilled_email_intake(
    person: Coordinator, register: Register, tmp_path: Path
) -> None:
    eml = write_eml(tmp_path)
    assert person.window is not None
    drop_files(person.window, [eml])
    wizard = person.wizard()
    assert wizard.channel is Channel.EMAIL
    assert wizard.windowTitle().startswith("Nieuwe klacht per e-mail")
    assert text_of(person.field("Naam", QLineEdit, wizard)) == "Sébastien Dewaele"
    assert text_of(person.field("E-mail", QLineEdit, wizard)) == "seb.dewaele@example.be"
    person.next(wizard)
    assert text_of(person.field("Omschrijving", within=wizard)).startswith(
        "Klacht over de afvalophaling\n\nBeste,"
    )
    person.choose("Over", "medewerker", wizard)
    person.next(wizard)
    person.type_into("Ontvangen door", "Onthaal", wizard)
    person.next(wizard)
    assert person.sees_item("E-mail: Klacht over de afvalophaling", wizard)
    assert wizard.attachments[0].content == eml.read_bytes()
    finish(person, wizard)
    row = Complaint.get()
    assert (row.channel, row.received_on.isoformat()) == (Channel.EMAIL, "2026-02-27")
    assert row.received_by == "Onthaal"
    document = Document.get()
    assert document.mime_type == "message/rfc822"
    assert document_content(document.id) == ("klacht.eml", eml.read_bytes())
    person.tab("Documenten", person.window.dossier)
    assert person.sees_item("E-mail: Klacht over de afvalophaling", person.window.dossier)
    assert person.window.dossier.documents.count() == 1
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"PMD-zak" not in (register.folder / DB_FILENAME).read_bytes()


def test_letter_intake_keeps_the_scan(person: Coordinator, tmp_path: Path) -> None:
    scan = tmp_path / "brief-scan.pdf"
    scan.write_bytes(b"%PDF-1.4 fictieve scan \xe9\x00" * 100)
    # A file that cannot be kept (over 50 MB; sparse, so it takes no room on disk).
    too_big = tmp_path / "te-groot.pdf"
    with too_big.open("wb") as f:
        f.truncate(51 * 1024 * 1024)
    person.menu("Bestand", "Nieuwe klacht per brief of fax…")
    wizard = person.wizard()
    person.fill_person(wizard, Naam="Lies Claes")
    person.next(wizard)
    person.type_into("Omschrijving", "Geen antwoord op mijn brief van januari.", wizard)
    person.next(wizard)
    person.type_into("Doorgestuurd door", "Diensthoofd Burgerzaken", wizard)
    person.next(wizard)
    person.in_file_dialog("Bestand toevoegen…", wizard, scan)
    person.qtbot.waitUntil(lambda: person.sees_item("brief-scan.pdf", wizard))
    person.in_file_dialog("Bestand toevoegen…", wizard, too_big)
    person.qtbot.waitUntil(lambda: person.sees("te-groot.pdf", wizard))
    assert not person.sees_item("te-groot.pdf", wizard)
    assert wizard.originals.files.count() == 1
    finish(person, wizard)
    row = Complaint.get()
    assert (row.channel, row.forwarded_by) == (Channel.LETTER, "Diensthoofd Burgerzaken")
    assert document_content(Document.get().id) == ("brief-scan.pdf", scan.read_bytes())


def test_a_phone_intake_has_no_originals_page(person: Coordinator) -> None:
    wizard = person.new_phone_complaint()
    assert wizard.originals not in [wizard.page(i) for i in wizard.pageIds()]
    person.click("Annuleren", wizard)
    person.qtbot.waitUntil(lambda: not wizard.isVisible())
