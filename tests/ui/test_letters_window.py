"""Making and sending letters from the window: e-mail to a real local server, print to PDF."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from klachtdesk.models import Complaint, Register
from klachtdesk.procedure import Action, Channel, State
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.documents import document_content
from klachtdesk.services.mail import SmtpSettings, save_smtp_settings
from klachtdesk.ui import action_dialogs as dialogs
from klachtdesk.ui.main_window import MainWindow

from ..db.helpers import intake
from ..smtp import PASSWORD, USER, Inbox, free_port


def window_at_acknowledgement(
    qtbot: QtBot, ctx: ServiceContext, settings: QSettings, channel: Channel
) -> tuple[MainWindow, dialogs.AcknowledgementDialog]:
    cid = svc.register_complaint(ctx, intake(channel=channel, email="marie@example.be"))
    svc.decide_admissibility(ctx, cid, [])
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    assert window.select_complaint(cid)
    button = window.dossier.action_button(Action.ACKNOWLEDGE)
    assert button is not None
    button.click()
    dialog = window.current_dialog
    assert isinstance(dialog, dialogs.AcknowledgementDialog)
    return window, dialog


def test_email_acknowledgement_is_sent_then_recorded(
    qtbot: QtBot,
    register: Register,
    ctx: ServiceContext,
    settings: QSettings,
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_server
    save_smtp_settings(
        ctx, SmtpSettings("127.0.0.1", port, "none", USER, PASSWORD, "klachten@herent.example")
    )
    window, dialog = window_at_acknowledgement(qtbot, ctx, settings, Channel.EMAIL)
    assert "per e-mail" in dialog.how.text()
    dialog.make_button.click()
    preview = dialog.preview
    assert preview is not None and preview.document.pageCount() == 1
    assert preview.mail_button is not None
    with qtbot.waitSignal(preview.delivered, timeout=10_000):
        preview.mail_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    row = Complaint.get()
    assert row.state is State.ACKNOWLEDGED and row.acknowledged_on == ctx.today()
    ((envelope, message),) = inbox.messages
    assert envelope.rcpt_tos == ["marie@example.be"]
    assert "Ontvangstmelding" in message["Subject"] and "2026-0001" in message["Subject"]
    (attachment,) = list(message.iter_attachments())
    stored = [d for d in window.dossier.detail.documents if d.title.startswith("Ontvangstmelding")]  # type: ignore[union-attr]
    assert attachment.get_content() == document_content(stored[0].id)[1]  # the exact stored PDF
    assert (
        "Marie Peeters" in PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text()
    )


def test_refused_mail_server_records_nothing(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    save_smtp_settings(
        ctx,
        SmtpSettings("127.0.0.1", free_port(), "none", USER, PASSWORD, "klachten@herent.example"),
    )
    _window, dialog = window_at_acknowledgement(qtbot, ctx, settings, Channel.EMAIL)
    dialog.make_button.click()
    preview = dialog.preview
    assert preview is not None and preview.mail_button is not None
    preview.mail_button.click()
    qtbot.waitUntil(lambda: preview.error.isVisible(), timeout=10_000)
    assert "Geen verbinding met de mailserver" in preview.error.text()
    assert preview.info.text() == "Niet verstuurd."
    assert Complaint.get().state is State.ADMISSIBLE and Complaint.get().acknowledged_on is None
    preview.done(0)
    dialog.done(0)


def test_printed_letter_counts_as_sent(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> None:
    _window, dialog = window_at_acknowledgement(qtbot, ctx, settings, Channel.LETTER)
    assert "per brief" in dialog.how.text()
    dialog.make_button.click()
    preview = dialog.preview
    assert preview is not None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "afdruk.pdf"))
    assert preview.print_on(printer) == 1
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert Complaint.get().state is State.ACKNOWLEDGED
    assert len(PdfReader(tmp_path / "afdruk.pdf").pages) == 1
