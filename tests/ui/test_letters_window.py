"""Making and sending letters from the window: e-mail to a real local server, print to PDF."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from klachtdesk.models import Complaint, Register
from klachtdesk.procedure import Action, Channel, State
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.documents import document_content
from klachtdesk.services.mail import SmtpSettings, save_smtp_settings
from klachtdesk.ui.main_window import MainWindow

from ..db.helpers import intake
from ..smtp import PASSWORD, USER, Inbox, free_port
from .journey import Coordinator

MAKE = "De ontvangstmelding maken en versturen…"


def window_at_acknowledgement(
    qtbot: QtBot, ctx: ServiceContext, settings: QSettings, tmp_path: Path, channel: Channel
) -> tuple[Coordinator, QDialog]:
    """The dossier clicked in the list, and its acknowledgement step's dialog opened."""
    cid = svc.register_complaint(ctx, intake(channel=channel, email="marie@example.be"))
    svc.decide_admissibility(ctx, cid, [])
    person = Coordinator(qtbot, tmp_path)
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    person.activate(window)
    person.window = window
    person.list_row(Complaint.get_by_id(cid).reference)
    return person, person.step(Action.ACKNOWLEDGE.step.button)


def test_email_acknowledgement_is_sent_then_recorded(
    qtbot: QtBot,
    register: Register,
    ctx: ServiceContext,
    settings: QSettings,
    smtp_server: tuple[Inbox, int],
    tmp_path: Path,
) -> None:
    inbox, port = smtp_server
    save_smtp_settings(
        ctx, SmtpSettings("127.0.0.1", port, "none", USER, PASSWORD, "klachten@herent.example")
    )
    person, dialog = window_at_acknowledgement(qtbot, ctx, settings, tmp_path, Channel.EMAIL)
    assert person.sees("per e-mail", dialog)
    person.click(MAKE, dialog)
    preview = person.preview()
    assert person.sees("1 pagina", preview)
    with qtbot.waitSignal(preview.delivered, timeout=10_000):
        person.click("E-mailen", preview)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    row = Complaint.get()
    assert row.state is State.ACKNOWLEDGED and row.acknowledged_on == ctx.today()
    ((envelope, message),) = inbox.messages
    assert envelope.rcpt_tos == ["marie@example.be"]
    assert "Ontvangstmelding" in message["Subject"] and "2026-0001" in message["Subject"]
    (attachment,) = list(message.iter_attachments())
    assert person.window is not None
    detail = person.window.dossier.detail
    assert detail is not None
    stored = [d for d in detail.documents if d.title.startswith("Ontvangstmelding")]
    assert attachment.get_content() == document_content(stored[0].id)[1]  # the exact stored PDF
    assert (
        "Marie Peeters" in PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text()
    )


def test_refused_mail_server_records_nothing(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> None:
    save_smtp_settings(
        ctx,
        SmtpSettings("127.0.0.1", free_port(), "none", USER, PASSWORD, "klachten@herent.example"),
    )
    person, dialog = window_at_acknowledgement(qtbot, ctx, settings, tmp_path, Channel.EMAIL)
    person.click(MAKE, dialog)
    preview = person.preview()
    person.click("E-mailen", preview)
    qtbot.waitUntil(
        lambda: person.sees("Geen verbinding met de mailserver", preview), timeout=10_000
    )
    assert person.sees("Niet verstuurd.", preview)
    assert Complaint.get().state is State.ADMISSIBLE and Complaint.get().acknowledged_on is None
    person.click("Sluiten", preview)
    qtbot.waitUntil(lambda: not preview.isVisible())
    person.click("Annuleren", dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert Complaint.get().state is State.ADMISSIBLE


def test_printed_letter_counts_as_sent(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> None:
    person, dialog = window_at_acknowledgement(qtbot, ctx, settings, tmp_path, Channel.LETTER)
    assert person.sees("met de post", dialog)
    person.click(MAKE, dialog)
    preview = person.preview()
    person.print_to_file("Afdrukken…", preview, tmp_path / "afdruk.pdf")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert Complaint.get().state is State.ACKNOWLEDGED
    assert len(PdfReader(tmp_path / "afdruk.pdf").pages) == 1
