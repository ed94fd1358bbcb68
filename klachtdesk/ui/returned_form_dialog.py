"""A handler's returned report form beside what the register holds; confirming records
steps 9-11 at once (services/handler_form.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import UserError
from klachtdesk.procedure.handler_answers import ANSWER_LABELS
from klachtdesk.procedure.text_limits import file_size_problem
from klachtdesk.services import handler_form
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.handler_form import ReturnedForm

from .widgets import attempt, date_edit, error_label, to_date

#: What the file dialog offers: the form itself, or the e-mail it came with.
FILE_FILTER = "Ingevuld rapport (*.pdf *.eml);;PDF (*.pdf);;E-mails (*.eml)"

#: A row where the form differs from the register, and one with a problem.
CHANGED_FONT_WEIGHT = QFont.Weight.Bold
PROBLEM_BACKGROUND = QBrush(QColor("#f8d7da"))
#: How much of one answer a cell shows: a 100,000-character answer would make its row taller
#: than the table, hiding every other row (the full text is recorded, and kept in the form).
SHOWN_CHARACTERS = 600
#: How much a cell's tooltip shows (a longer answer is over its limit anyway, or in the form).
TOOLTIP_CHARACTERS = 5000


class ReturnedFormDialog(QDialog):
    """Shows the form's answers beside the register's; OK records steps 9-11 together."""

    def __init__(
        self, ctx: ServiceContext, returned: ReturnedForm, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.returned = returned
        self.setWindowTitle(f"Ingevuld rapport van de behandelaar – {returned.reference}")
        intro = QLabel(
            f"Dit formulier hoort bij dossier {returned.reference}. Links staat wat het register "
            "nu bevat, rechts wat de behandelaar invulde. Met ‘Stappen 9–11 noteren’ komen het "
            "onderzoek, de beoordeling, het rapport en de motiverende brief in het dossier, en "
            "wordt het formulier erin bewaard."
        )
        intro.setWordWrap(True)
        rows = handler_form.side_by_side(returned)
        self.table = QTableWidget(len(rows), 3)
        self.table.setAccessibleName("Formulier naast het register")
        self.table.setHorizontalHeaderLabels(["Onderdeel", "In het register", "In het formulier"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        problem_labels = {ANSWER_LABELS.get(key) for key in returned.problems}
        for row, (label, on_record, in_form) in enumerate(rows):
            for column, full in enumerate((label, on_record or "—", in_form or "—")):
                text = _shown(full)
                item = QTableWidgetItem(text)
                item.setToolTip(_shown(full, TOOLTIP_CHARACTERS))
                if column == 2 and in_form != on_record:
                    font = item.font()
                    font.setWeight(CHANGED_FONT_WEIGHT)
                    item.setFont(font)
                if label in problem_labels:
                    item.setBackground(PROBLEM_BACKGROUND)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self.problems = QLabel(_problems_text(returned))
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems.setVisible(bool(returned.problems))
        self.problems.setStyleSheet("color: #a00000;")
        self.on = date_edit(ctx.today())
        form = QFormLayout()
        form.addRow("&Ontvangen op", self.on)
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Stappen 9–11 &noteren")
        # Nothing is recorded half: a form with problems can only be looked at.
        self.ok_button.setEnabled(not returned.problems)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Annuleren")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(900, 620)

    def accept(self) -> None:
        if attempt(
            self.error,
            lambda: handler_form.record_returned_form(self.ctx, self.returned, on=to_date(self.on)),
        ):
            super().accept()


def _shown(text: str, at_most: int = SHOWN_CHARACTERS) -> str:
    """``text`` as a cell shows it: at most ``at_most`` characters, saying how much is left
    out."""
    if len(text) <= at_most:
        return text
    rest = f"{len(text) - at_most:,}".replace(",", ".")
    return f"{text[:at_most]}… (nog {rest} tekens, niet getoond; zie het formulier)"


def _problems_text(returned: ReturnedForm) -> str:
    if not returned.problems:
        return ""
    lines = "\n".join(f"• {message}" for message in returned.problems.values())
    return (
        "Het formulier is niet volledig of spreekt zichzelf tegen; er wordt niets genoteerd:\n"
        f"{lines}\n"
        "Vraag de behandelaar het formulier aan te vullen, of noteer de stappen zelf met de "
        "knoppen van het dossier."
    )


def read_form_file(path: Path, complaint_id: int | None = None) -> ReturnedForm:
    """The returned form in ``path`` (a PDF or an .eml), read; a UserError in Dutch when it
    cannot be taken (:class:`~klachtdesk.services.handler_form.NotAForm`: no form at all).

    ``complaint_id``: the dossier it was chosen for (a form of another one is refused).
    """
    try:
        size = path.stat().st_size
        if problem := file_size_problem(size, f"‘{path.name}’"):
            raise UserError(problem)  # said before a huge file is read into memory
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"‘{path.name}’ kan niet gelezen worden: {exc.strerror or exc}.") from exc
    return handler_form.read_returned(data, path.name, complaint_id=complaint_id)


def choose_form_file(parent: QWidget) -> Path | None:
    """Ask which returned form (or the e-mail it came with) to read."""
    name, _ = QFileDialog.getOpenFileName(
        parent, "Ingevuld rapport van de behandelaar", str(Path.home()), FILE_FILTER
    )
    return Path(name) if name else None
