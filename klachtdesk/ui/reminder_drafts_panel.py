"""The reminders to handlers in 'Vandaag' (issue 15).

Without a mail server, each reminder due gets a button that makes it as a draft (``.eml``) for
the coordinator's own mail program and records it as sent. A reminder that cannot go by
e-mail (the handler has no address) is listed with what to do instead, mail server or not.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import UserError
from klachtdesk.services import mail
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.reminders import (
    DueReminder,
    record_reminder_drafted,
    reminder_draft,
    reminder_settings,
    reminders_due,
)

from .mail_draft import hand_over_draft
from .widgets import error_label


def draft_button_text(due: DueReminder) -> str:
    """The button of one reminder, unique in the list (one reminder per dossier)."""
    return f"Concept {due.reference}…"


class ReminderDraftsPanel(QGroupBox):
    """The reminders due today that the coordinator sends (or handles) by hand."""

    #: A reminder was recorded as sent from the mail program (its dossier's id).
    recorded = Signal(int)

    def __init__(
        self,
        ctx: ServiceContext,
        due: list[DueReminder],
        by_hand: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Herinneringen aan behandelaars", parent)
        self.ctx = ctx
        self.due = due
        self.info = QLabel(
            "Er is geen mailserver ingesteld: maak elke herinnering als concept, verstuur het "
            "vanuit uw eigen mailprogramma. klachtdesk noteert ze als verstuurd."
            if by_hand
            else "Deze herinneringen kunnen niet per e-mail vertrekken."
        )
        self.info.setWordWrap(True)
        self.error = error_label()
        self.buttons: dict[int, QPushButton] = {}
        grid = QGridLayout()
        for row, reminder in enumerate(due):
            what = QLabel(
                f"{reminder.reference}: {reminder.kind.label}, uiterlijk "
                f"{reminder.due_on:%d/%m/%Y}, aan {reminder.handler_name}"
            )
            what.setWordWrap(True)
            grid.addWidget(what, row, 0)
            if reminder.problem:
                problem = QLabel(reminder.problem)
                problem.setWordWrap(True)
                grid.addWidget(problem, row, 1)
                continue
            button = QPushButton(draft_button_text(reminder))
            button.setToolTip(
                "Maakt de herinnering met het rapport in bijlage als concept voor uw "
                "mailprogramma, en noteert ze in het dossier."
            )
            button.clicked.connect(lambda _checked=False, r=reminder: self.make_draft(r))
            self.buttons[reminder.complaint_id] = button
            grid.addWidget(button, row, 1)
        grid.setColumnStretch(0, 1)
        rows = QWidget()
        rows.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(rows)
        scroll.setMaximumHeight(220)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(scroll)
        layout.addWidget(self.error)

    def _complain(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def make_draft(self, due: DueReminder) -> None:
        """Make the draft, hand it to the mail program (or save it), and record it."""
        self.error.hide()
        try:
            draft = reminder_draft(self.ctx, due)
        except UserError as exc:
            self._complain(exc.message)
            return
        name = f"herinnering-{due.reference}.eml"
        if not hand_over_draft(self, name, draft, self.info.setText, self._complain, ""):
            return
        self.error.hide()  # saved: the "no mail program" explanation has done its work
        try:
            record_reminder_drafted(self.ctx, due)
        except UserError as exc:
            self._complain(exc.message)
            return
        button = self.buttons[due.complaint_id]
        button.setEnabled(False)
        button.setText(f"{due.reference}: genoteerd")
        self.recorded.emit(due.complaint_id)


def reminders_for_today(ctx: ServiceContext) -> tuple[list[DueReminder], bool]:
    """The reminders 'Vandaag' lists, and whether they are sent by hand (no mail server):
    all of those due then; with a mail server, only those that cannot go by e-mail."""
    if not reminder_settings().enabled:
        return [], False
    due = reminders_due(ctx.today())
    smtp = mail.smtp_settings()
    by_hand = smtp is None or not smtp.host
    return (due if by_hand else [r for r in due if r.problem]), by_hand


def add_reminders_to_today(
    dialog: QDialog, ctx: ServiceContext, recorded: Callable[[int], None]
) -> ReminderDraftsPanel | None:
    """Put the reminders due today in the 'Vandaag' dialog, above its buttons (if any)."""
    try:
        due, by_hand = reminders_for_today(ctx)
    except UserError:
        return None
    if not due:
        return None
    panel = ReminderDraftsPanel(ctx, due, by_hand, dialog)
    panel.recorded.connect(recorded)
    layout = dialog.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(layout.count() - 1, panel)
    dialog.resize(dialog.width(), dialog.height() + 160)
    return panel
