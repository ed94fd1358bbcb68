"""'Termijn verlengen…' on the dossier view (issue 15): the motivation and the date, the new
closing date, and the notice to the complainant, made and sent as the acknowledgement is.

Not one of the 13 steps of the procedure: extending changes no state and is optional (off by
default in Settings), so it is a button of the dossier view beside the steps, as a
verbeteractie is. The dialog reuses the step dialogs' :class:`SendsDocument` (the notice is
made, kept in the dossier and printed or e-mailed from the same preview).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QWidget

from klachtdesk.procedure import UserError, day_count
from klachtdesk.procedure.dates import short_date
from klachtdesk.procedure.dossier import original_closing_due
from klachtdesk.services import correspondence
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.dossier_detail import ComplaintDetail, complaint_detail
from klachtdesk.services.extension import extend_closing_limit, extended_due, extension_rule

from .action_dialogs import SendsDocument
from .character_counter import counter_problems
from .messages import show_error
from .widgets import attempt, text_edit, to_date

TITLE = "Termijn verlengen"


class ExtensionDialog(SendsDocument):
    """OK records the extension; 'Kennisgeving maken en versturen…' records it first and
    then makes the notice (with the new date) to print or e-mail."""

    kind = correspondence.EXTENSION
    what = "Kennisgeving"

    def __init__(
        self, ctx: ServiceContext, detail: ComplaintDetail, parent: QWidget | None = None
    ) -> None:
        self.extended = False
        super().__init__(ctx, detail, parent)

    @property
    def title(self) -> str:
        return TITLE

    def build(self) -> None:
        dossier = self.detail.dossier
        rule = extension_rule()
        self.new_due = extended_due(dossier, rule)
        intro = QLabel(
            "De termijn om te antwoorden en het dossier af te sluiten wordt één keer verlengd "
            f"met {day_count(rule.days)}: van {short_date(original_closing_due(dossier))} tot "
            f"{short_date(self.new_due)}. De klager moet de gemotiveerde kennisgeving krijgen "
            "vóór de oorspronkelijke termijn afloopt."
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.motivation = text_edit(placeholder="Waarom het onderzoek meer tijd vraagt")
        self.add_counted(
            "&Motivering (de klager leest dit)", self.motivation, "extension_motivation"
        )
        super().build()
        date_label = self.form.labelForField(self.on)
        assert isinstance(date_label, QLabel)
        date_label.setText("&Datum van de verlenging")
        date_label.setBuddy(self.on)
        self.new_date = QLabel(f"Nieuwe uiterste datum: <b>{short_date(self.new_due)}</b>")
        self.form.insertRow(self.form.rowCount() - 3, self.new_date)
        self.how.setText(self.how.text().replace("Kennisgeving gaat", "De kennisgeving gaat"))

    def perform(self) -> None:
        if not self.extended:
            extend_closing_limit(
                self.ctx, self.detail.id, self.motivation.toPlainText(), on=to_date(self.on)
            )
            self.extended = True

    def make_document(self) -> None:
        """Extend first (the notice states the new date), then make and send the notice."""
        if problems := counter_problems(self.counters):
            self.error.setText(problems)
            self.error.show()
            return
        if not self.extended:
            if not attempt(self.error, self.perform):
                return
            # Recorded: what the notice says can no longer change here.
            self.motivation.setReadOnly(True)
            self.on.setEnabled(False)
        self.error.hide()
        super().make_document()


def open_extension_dialog(
    parent: QWidget, ctx: ServiceContext, complaint_id: int, changed: Callable[[int], None]
) -> ExtensionDialog | None:
    """Open the dialog for the dossier; ``changed`` is called once it was extended."""
    try:
        detail = complaint_detail(complaint_id, ctx.today())
    except UserError as exc:
        show_error(parent, exc)
        return None
    dialog = ExtensionDialog(ctx, detail, parent)
    dialog.finished.connect(lambda _result: changed(complaint_id) if dialog.extended else None)
    dialog.open()
    return dialog
