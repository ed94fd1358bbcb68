"""Intake for letters and e-mails: the original is kept in the encrypted register."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from klachtdesk.models import Complaint, Document, Register, database
from klachtdesk.models.database import DB_FILENAME
from klachtdesk.procedure import Channel
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.documents import document_content
from klachtdesk.ui.intake_wizard import IntakeWizard
from klachtdesk.ui.main_window import MainWindow


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


def window_for(qtbot: QtBot, ctx: ServiceContext, settings: QSettings) -> MainWindow:
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    return window


def finish(wizard: IntakeWizard, qtbot: QtBot) -> None:
    while wizard.currentPage() is not wizard.summary:
        wizard.next()
        assert wizard.currentPage() is not None
    with qtbot.waitSignal(wizard.registered):
        wizard.button(IntakeWizard.WizardButton.FinishButton).click()


def test_dropping_an_eml_starts_a_prefilled_email_intake(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> None:
    window = window_for(qtbot, ctx, settings)
    eml = write_eml(tmp_path)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(eml))])
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    wizard = window.current_dialog
    assert isinstance(wizard, IntakeWizard) and wizard.channel is Channel.EMAIL
    assert wizard.person.name.text() == "Sébastien Dewaele"
    assert wizard.person.email.text() == "seb.dewaele@example.be"
    assert wizard.complaint.description.toPlainText().startswith(
        "Klacht over de afvalophaling\n\nBeste,"
    )
    assert wizard.attachments[0].content == eml.read_bytes()
    wizard.receipt.received_by.setText("Onthaal")
    finish(wizard, qtbot)
    row = Complaint.get()
    assert (row.channel, row.received_on.isoformat()) == (Channel.EMAIL, "2026-02-27")
    document = Document.get()
    assert document.mime_type == "message/rfc822"
    assert document_content(document.id) == ("klacht.eml", eml.read_bytes())
    assert window.dossier.documents.count() == 1
    assert "E-mail: Klacht over de afvalophaling" in window.dossier.documents.item(0).text()
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"PMD-zak" not in (register.folder / DB_FILENAME).read_bytes()


def test_letter_intake_keeps_the_scan(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> None:
    scan = tmp_path / "brief-scan.pdf"
    scan.write_bytes(b"%PDF-1.4 fictieve scan \xe9\x00" * 100)
    window = window_for(qtbot, ctx, settings)
    window.open_intake(Channel.LETTER)
    wizard = window.current_dialog
    assert isinstance(wizard, IntakeWizard)
    wizard.person.name.setText("Lies Claes")
    wizard.complaint.description.setPlainText("Geen antwoord op mijn brief van januari.")
    wizard.receipt.forwarded_by.setText("Diensthoofd Burgerzaken")
    wizard.originals.add_paths([scan, tmp_path / "bestaat-niet.pdf"])
    assert "bestaat-niet.pdf" in wizard.originals.errors.text()
    assert wizard.originals.files.count() == 1
    finish(wizard, qtbot)
    row = Complaint.get()
    assert (row.channel, row.forwarded_by) == (Channel.LETTER, "Diensthoofd Burgerzaken")
    assert document_content(Document.get().id) == ("brief-scan.pdf", scan.read_bytes())


def test_a_phone_intake_has_no_originals_page(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    window = window_for(qtbot, ctx, settings)
    wizard = window.open_intake(Channel.PHONE)
    assert wizard.originals not in [wizard.page(i) for i in wizard.pageIds()]
    wizard.done(0)
