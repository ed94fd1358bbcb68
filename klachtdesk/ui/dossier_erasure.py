"""A dossier's 'Meer' actions: everything about the person (AVG art. 15), and deleting a
dossier registered by mistake."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import UserError
from klachtdesk.procedure.words import counted
from klachtdesk.services.access import export_person
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.erasure import delete_complaint

from .messages import confirm, show_error
from .widgets import attempt, error_label, text_edit


def export_about_person(parent: QWidget, ctx: ServiceContext, complaint_id: int) -> Path | None:
    """Ask for a folder, write the PDF and the originals there; returns the new folder."""
    target = QFileDialog.getExistingDirectory(
        parent, "Alles over deze persoon: kies een map", str(Path.home())
    )
    if not target:
        return None
    try:
        export = export_person(ctx, complaint_id, Path(target))
    except UserError as exc:
        show_error(parent, exc)
        return None
    QMessageBox.information(
        parent,
        "Alles over deze persoon",
        f"{counted(len(export.references), 'dossier')} ({', '.join(export.references)}) en "
        f"{counted(len(export.documents), 'document')} werden bewaard in de map {export.folder}.",
    )
    return export.folder


class DeleteDossierDialog(QDialog):
    """Delete a dossier registered by mistake (a duplicate), with the reason."""

    def __init__(
        self, ctx: ServiceContext, complaint_id: int, reference: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.complaint_id = complaint_id
        self.reference = reference
        self.setWindowTitle(f"Dossier {reference} verwijderen")
        note = QLabel(
            f"Verwijder dossier {reference} alleen als het verkeerdelijk geregistreerd werd, "
            "bijvoorbeeld een klacht die twee keer ingevoerd werd. De persoonsgegevens, teksten "
            "en documenten worden gewist en het dossier telt nergens meer mee. Het kenmerk "
            f"{reference} wordt niet opnieuw gebruikt. Het logboek vermeldt de reden."
        )
        note.setWordWrap(True)
        self.reason = text_edit()
        label = QLabel("&Reden (zonder persoonsgegevens)")
        label.setBuddy(self.reason)
        form = QFormLayout()
        form.addRow(label, self.reason)
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.delete_button = buttons.addButton(
            "&Verwijderen", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.delete_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        reason = self.reason.toPlainText()
        # Without a reason the service says what is missing; with one, ask before it is final.
        if reason.strip() and not confirm(
            self,
            self.windowTitle(),
            f"Dossier {self.reference} definitief verwijderen? Dit kan niet ongedaan gemaakt "
            "worden.",
            safe_no=True,
        ):
            return
        if attempt(self.error, lambda: delete_complaint(self.ctx, self.complaint_id, reason)):
            super().accept()
