"""One verbeteractie (improvement action): added from a dossier, or opened to follow it up."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import ActionStatus, UserError
from klachtdesk.procedure.improvements import Improvement
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.improvements import (
    ImprovementEntry,
    add_improvement,
    dossier_department,
    improvement_action,
    update_improvement,
)
from klachtdesk.services.organisation import departments

from .character_counter import add_counted_row, counter_problems
from .messages import show_error
from .widgets import ValueComboBox, attempt, date_edit, error_label, text_edit, to_date

NO_NAMES = (
    "Beschrijf wat de organisatie verandert, niet wie klaagde: een verbeteractie bevat geen "
    "persoonsgegevens. Schrijf dus geen namen (van de klager, een medewerker of derden); ze "
    "komt in het jaarverslag aan de gemeenteraad."
)


class ImprovementDialog(QDialog):
    """A new action for the dossier ``complaint_id``, or the existing ``entry`` to change."""

    def __init__(
        self,
        ctx: ServiceContext,
        *,
        complaint_id: int | None = None,
        reference: str = "",
        entry: ImprovementEntry | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        assert (complaint_id is None) != (entry is None), "a dossier for a new action, or one"
        self.ctx = ctx
        self.complaint_id = complaint_id
        self.entry = entry
        reference = entry.reference if entry is not None else reference
        title = "Verbeteractie" if entry is not None else "Nieuwe verbeteractie"
        self.setWindowTitle(f"{title} – {reference}" if reference else title)
        today = ctx.today()
        intro = QLabel(NO_NAMES)
        intro.setWordWrap(True)
        self.description = text_edit("", "Bijvoorbeeld: de ophaalkalender vermeldt voortaan …")
        choices: list[tuple[str, int | None]] = [(d.name, d.id) for d in departments()]
        known = [value for _, value in choices]
        if entry is not None and entry.department_id not in (None, *known):
            choices.append((f"{entry.department} (niet meer actief)", entry.department_id))
        self.department = ValueComboBox([("(kies een dienst)", None), *choices])
        self.status = ValueComboBox((s.label, s) for s in ActionStatus)
        self.has_due = QCheckBox("&Streefdatum")
        self.due_on = date_edit(today)
        self.due_on.setAccessibleName("Streefdatum")  # its label is the check box
        self.due_on.setEnabled(False)
        self.has_due.toggled.connect(self.due_on.setEnabled)
        self.done_on = date_edit(today)
        self.status.currentIndexChanged.connect(self._update)
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        self.counter = add_counted_row(form, "&Omschrijving", self.description, "improvement")
        form.addRow("&Dienst", self.department)
        form.addRow("S&tatus", self.status)
        form.addRow(self.has_due, self.due_on)
        form.addRow("&Uitgevoerd op", self.done_on)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if entry is not None:
            self._fill(entry)
        elif complaint_id is not None:  # most actions belong to the dossier's own department
            self.department.set_value(dossier_department(complaint_id))
        self._update()
        self.setMinimumWidth(520)

    def _fill(self, entry: ImprovementEntry) -> None:
        self.description.setPlainText(entry.description)
        self.department.set_value(entry.department_id)
        self.status.set_value(entry.status)
        if entry.due_on is not None:
            self.has_due.setChecked(True)
            self.due_on.setDate(QDate(entry.due_on.year, entry.due_on.month, entry.due_on.day))
        if entry.done_on is not None:
            done = entry.done_on
            self.done_on.setDate(QDate(done.year, done.month, done.day))

    def _update(self) -> None:
        """The date of execution belongs to 'uitgevoerd' only."""
        self.done_on.setEnabled(self.status.value() is ActionStatus.DONE)

    def improvement(self) -> Improvement:
        status = self.status.value()
        return Improvement(
            description=self.description.toPlainText(),
            department_id=self.department.value(),
            status=status,
            due_on=to_date(self.due_on) if self.has_due.isChecked() else None,
            done_on=to_date(self.done_on) if status is ActionStatus.DONE else None,
        )

    def perform(self) -> None:
        if self.entry is not None:
            update_improvement(self.ctx, self.entry.id, self.improvement())
        else:
            assert self.complaint_id is not None
            add_improvement(self.ctx, self.complaint_id, self.improvement())

    def accept(self) -> None:
        if problems := counter_problems([self.counter]):  # before the service is asked
            self.error.setText(problems)
            self.error.show()
            return
        if attempt(self.error, self.perform):
            super().accept()


def open_improvement_dialog(
    parent: QWidget,
    ctx: ServiceContext,
    complaint_id: int,
    action_id: int | None,
    reference: str,
    saved: Callable[[], object],
) -> ImprovementDialog | None:
    """Open the dialog for a new action of a dossier (``action_id`` None) or an existing one;
    ``saved`` is called once it is stored."""
    try:
        if action_id is None:
            dialog = ImprovementDialog(
                ctx, complaint_id=complaint_id, reference=reference, parent=parent
            )
        else:
            entry = improvement_action(action_id)
            dialog = ImprovementDialog(ctx, entry=entry, parent=parent)
    except UserError as exc:
        show_error(parent, exc)
        return None
    dialog.accepted.connect(saved)
    dialog.open()
    return dialog
