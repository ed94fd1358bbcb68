"""A generated document on screen (QtPdf), then printed, saved as PDF, or e-mailed."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.letters.mail import unsent_draft
from klachtdesk.procedure import UserError
from klachtdesk.procedure.words import counted
from klachtdesk.services import correspondence, mail, outgoing
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.dossier_detail import complaint_detail
from klachtdesk.services.saving import save_file

from . import mail_job
from .mail_draft import hand_over_draft
from .printing import load_pdf, print_pdf
from .widgets import error_label


class LetterPreviewDialog(QDialog):
    """Shows ``pdf``; ``delivered`` is emitted once it was printed (or sent by the caller)."""

    delivered = Signal()

    def __init__(
        self, title: str, filename: str, pdf: bytes, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.filename = filename
        self.pdf = pdf
        self.mail_button: QPushButton | None = None
        self.job: mail_job.MailJob | None = None
        from PySide6.QtPdfWidgets import QPdfView  # loaded with the first preview (issue 14)

        self.document = load_pdf(pdf, self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        pages = self.document.pageCount()
        self.info = QLabel(counted(pages, "pagina"))
        self.error = error_label()
        self.print_button = QPushButton("&Afdrukken…")
        # Slots without parameters: clicked(bool) must not land in an argument.
        self.print_button.clicked.connect(self.choose_printer)
        self.save_button = QPushButton("Opslaan als &PDF…")
        self.save_button.clicked.connect(self.choose_file)
        close = QPushButton("Sluiten")
        close.clicked.connect(self.reject)
        # The info takes the room beside the buttons and no more: "Bewaard als <long path>"
        # must not widen the window (the whole text is its tooltip).
        self.info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.info, 1)
        self.buttons.addWidget(self.print_button)
        self.buttons.addWidget(self.save_button)
        self.buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error)
        layout.addLayout(self.buttons)
        self.resize(760, 900)

    def add_button(self, button: QPushButton) -> None:
        """Room for a way out that the caller provides (e-mail)."""
        self.buttons.insertWidget(1, button)  # after the info, before Afdrukken

    def choose_printer(self) -> None:
        """Print through the system's print dialog."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            self.print_on(printer)

    def print_on(self, printer: QPrinter) -> int:
        """Print on ``printer``; the step counts as sent. Returns the pages printed."""
        try:
            pages = print_pdf(self.pdf, printer)
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return 0
        self.delivered.emit()
        return pages

    def choose_file(self) -> None:
        """Save the PDF where the coordinator says, through the file dialog."""
        target, _ = QFileDialog.getSaveFileName(
            self, "Opslaan als PDF", str(Path.home() / self.filename), "PDF (*.pdf)"
        )
        if target:
            self.save_to(Path(target))

    def save_to(self, target: Path, data: bytes | None = None) -> bool:
        """Save ``data`` (the PDF by default) as ``target``; the reason shown when it fails."""
        try:
            save_file(target, self.pdf if data is None else data)
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return False
        self.error.hide()
        self.info.setText(f"Bewaard als {target}.")
        self.info.setToolTip(self.info.text())
        return True


def document_preview(
    ctx: ServiceContext, complaint_id: int, kind: str, parent: QWidget | None = None
) -> LetterPreviewDialog:
    """Make the document (kept in the dossier) and show it with every way to send it."""
    _document_id, pdf = correspondence.generate(ctx, complaint_id, kind)
    reference = complaint_detail(complaint_id, ctx.today()).reference
    filename = f"{correspondence.KIND_TITLES[kind].lower().replace(' ', '-')}-{reference}.pdf"
    dialog = LetterPreviewDialog(
        f"{correspondence.KIND_TITLES[kind]} – {reference}", filename, pdf, parent
    )
    if kind in outgoing.BODIES:
        _add_mail_buttons(dialog, ctx, complaint_id, kind)
    return dialog


def _add_mail_buttons(
    dialog: LetterPreviewDialog, ctx: ServiceContext, complaint_id: int, kind: str
) -> None:
    send_button = QPushButton("&E-mailen")
    draft_button = QPushButton("In &mailprogramma…")
    dialog.add_button(draft_button)
    dialog.add_button(send_button)
    dialog.mail_button = send_button

    def compose() -> EmailMessage | None:
        try:
            return outgoing.document_email(ctx, complaint_id, kind, dialog.pdf, dialog.filename)
        except UserError as exc:
            dialog.error.setText(exc.message)
            dialog.error.show()
            return None

    def finished(problem: str) -> None:
        send_button.setEnabled(True)
        if problem:
            dialog.error.setText(problem)
            dialog.error.show()
            dialog.info.setText("Niet verstuurd.")
            return
        dialog.error.hide()
        dialog.info.setText("Verstuurd.")
        dialog.delivered.emit()

    def send_now() -> None:
        message = compose()
        settings = mail.smtp_settings()
        if message is None:
            return
        if settings is None:
            dialog.error.setText("Stel eerst de mailserver in bij Instellingen (tabblad E-mail).")
            dialog.error.show()
            return
        send_button.setEnabled(False)
        dialog.info.setText(f"Bezig met versturen naar {message['To']}…")
        dialog.job = mail_job.start(lambda: mail.send(settings, message), finished)

    def open_draft() -> None:
        message = compose()
        if message is None:
            return
        draft = unsent_draft(message)

        def complain(text: str) -> None:
            dialog.error.setText(text)
            dialog.error.show()

        hand_over_draft(
            dialog, f"{Path(dialog.filename).stem}.eml", draft, dialog.info.setText, complain
        )

    send_button.clicked.connect(send_now)
    draft_button.clicked.connect(open_draft)
