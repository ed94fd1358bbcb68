"""Taking a complaint: a wizard in the order a phone call goes, usable by keyboard alone.

Who is calling and how to reach them, what happened and about whom, then how it was
received. Every page checks its own fields with the procedure's rules; nothing is written
before Finish.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from enum import Enum
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from klachtdesk.procedure import (
    ActKind,
    Channel,
    EarlierComplaint,
    FormOfAddress,
    Intake,
    InvalidInput,
    Nature,
    Route,
    Subject,
    UserError,
    validate_intake,
)
from klachtdesk.procedure.dates import short_date
from klachtdesk.procedure.intake import (
    matched_on_label,
    normalize_email,
    normalize_phone,
    phone_hint,
)
from klachtdesk.services import complaints as svc
from klachtdesk.services import drafts, mail
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.documents import Attachment
from klachtdesk.services.organisation import departments
from klachtdesk.services.setup import coordinator

from .character_counter import CharacterCounter, add_counted_row, counter_problems
from .formatting import breakable
from .messages import confirm, show_error
from .widgets import (
    RoomForWrappedText,
    ValueComboBox,
    attempt,
    choice,
    date_edit,
    error_label,
    set_button_texts,
    text_edit,
    to_date,
)

HINT_DELAY_MS = 300
DRAFT_DELAY_MS = 500

CHANNEL_TITLES = {
    Channel.PHONE: "Nieuwe telefonische klacht",
    Channel.EMAIL: "Nieuwe klacht per e-mail",
    Channel.LETTER: "Nieuwe klacht per brief of fax",
    Channel.WEBSITE: "Nieuwe klacht via de website",
    Channel.IN_PERSON: "Nieuwe mondelinge klacht",
}


class IntakePage(QWizardPage):
    """A page that shows, inline, the errors of the fields it holds."""

    fields: tuple[str, ...] = ()

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.intake_wizard = wizard
        self.errors = error_label()
        self.counters: list[CharacterCounter] = []

    def add_counted(
        self, form: QFormLayout, label: str, edit: QLineEdit | QPlainTextEdit, field: str
    ) -> None:
        """A form row with the field's character counter."""
        self.counters.append(add_counted_row(form, label, edit, field))

    def validatePage(self) -> bool:
        # The counters' refusals first: said before the procedure is asked.
        if problems := counter_problems(self.counters):
            self.errors.setText(problems)
            self.errors.show()
            return False
        try:
            validate_intake(self.intake_wizard.intake(), self.intake_wizard.ctx.today())
        except InvalidInput as exc:
            mine = [message for name, message in exc.errors.items() if name in self.fields]
            if mine:
                self.errors.setText("\n".join(mine))
                self.errors.show()
                return False
        self.errors.hide()
        return True


def _normalized(normalize: Callable[[str], str], text: str) -> str:
    try:
        return normalize(text) if text.strip() else ""
    except ValueError:
        return ""


class PersonPage(IntakePage):
    fields = ("name", "street", "postal_code", "city", "phone", "email")

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Wie klaagt?")
        self.setSubTitle("Naam en adres, en hoe de klager te bereiken is.")
        self.name = QLineEdit()
        self.form_of_address = ValueComboBox((f.label, f) for f in FormOfAddress)
        self.form_of_address.setToolTip("Voor de aanspreking in de brieven: Geachte mevrouw …")
        self.street = QLineEdit()
        self.street.setPlaceholderText("straat en huisnummer")
        self.postal_code = QLineEdit()
        self.postal_code.setMaximumWidth(90)
        self.city = QLineEdit()
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("bv. 0478 12 34 56")
        self.email = QLineEdit()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setOpenExternalLinks(False)
        form = QFormLayout()
        self.add_counted(form, "&Naam", self.name, "name")
        self.add_counted(form, "&Straat", self.street, "street")
        self.add_counted(form, "&Postcode", self.postal_code, "postal_code")
        self.add_counted(form, "&Gemeente", self.city, "city")
        self.add_counted(form, "&Telefoon", self.phone, "phone")
        self.add_counted(form, "&E-mail", self.email, "email")
        # Last, so that typing a phone call with Tab goes from name to address as before.
        form.addRow("&Aanspreking", self.form_of_address)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.errors)
        self.earlier: list[EarlierComplaint] = []
        self.name_left = False
        self.hint_timer = QTimer(self, singleShot=True, interval=HINT_DELAY_MS)
        self.hint_timer.timeout.connect(self.update_hint)
        self.phone.editingFinished.connect(lambda: self._format(self.phone, normalize_phone))
        self.email.editingFinished.connect(lambda: self._format(self.email, normalize_email))
        for edit in (self.name, self.street, self.postal_code, self.phone, self.email):
            edit.textChanged.connect(lambda _text: self.hint_timer.start())
            edit.editingFinished.connect(self.update_hint)
        self.name.installEventFilter(self)

    def validatePage(self) -> bool:
        problem, _warning = mail.international_address_remark(self.email.text())
        if problem:
            self.errors.setText(problem)
            self.errors.show()
            return False
        return super().validatePage()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.name and event.type() == QEvent.Type.FocusOut:
            self.name_left = True
            self.update_hint()
        return super().eventFilter(watched, event)

    def _format(self, edit: QLineEdit, normalize: Callable[[str], str]) -> None:
        """Show a phone number or address the way it will be stored, or say what is wrong."""
        if not edit.text().strip():
            return
        try:
            edit.setText(normalize(edit.text()))
            note = (  # accepted, but unusual; or an address the mail server cannot reach
                phone_hint(edit.text())
                if edit is self.phone
                else "".join(mail.international_address_remark(edit.text()))
            )
            self.errors.setText(note)
            self.errors.setVisible(bool(note))
        except ValueError as exc:
            self.errors.setText(str(exc))
            self.errors.show()

    def update_hint(self) -> None:
        """While typing: did this person complain before, or is the complaint anonymous?"""
        # The rest of the intake is not typed yet: only normalise how to reach the person.
        intake = replace(
            self.intake_wizard.intake(),
            phone=_normalized(normalize_phone, self.phone.text()),
            email=_normalized(normalize_email, self.email.text()),
        )
        lines = []
        # When correcting a dossier, the dossier itself is no earlier complaint.
        earlier = svc.earlier_complaints(intake, exclude_id=self.intake_wizard.editing)
        if earlier:
            listed = ", ".join(
                f"<b>{escape(e.reference)}</b> ({short_date(e.received_on)}, zelfde "
                f"{matched_on_label(e.matched_on)})"
                for e in earlier[:5]
            )
            more = f" en nog {len(earlier) - 5}" if len(earlier) > 5 else ""
            lines.append(f"ℹ Deze persoon klaagde eerder: {listed}{more}.")
        if not self.name.text().strip() and self.name_left:
            lines.append("ℹ Zonder naam is de klacht anoniem en dus niet ontvankelijk.")
        self.hint.setText("<br>".join(lines))
        self.earlier = earlier


class ComplaintPage(IntakePage):
    fields = ("description", "facts_on", "department_id")

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Wat is er gebeurd?")
        self.setSubTitle("De klacht in een paar zinnen, en over wie of welke dienst ze gaat.")
        self.description = text_edit()
        self.description.setMinimumHeight(110)
        self.facts_known = QCheckBox("Datum van de &feiten gekend")
        self.facts_on = date_edit(wizard.ctx.today())
        self.facts_on.setEnabled(False)
        self.facts_on.setAccessibleName("Datum van de feiten")  # its label is the check box
        self.facts_known.toggled.connect(self.facts_on.setEnabled)
        self.subject = choice([(s.label, s) for s in Subject])
        self.department = choice([(d.name, d.id) for d in departments()])
        self.person = QLineEdit()
        self.nature = choice([(n.label, n) for n in Nature])
        self.act_kind = choice([(a.label, a) for a in ActKind])
        form = QFormLayout(self)
        self.add_counted(form, "&Omschrijving", self.description, "description")
        form.addRow(self.facts_known, self.facts_on)
        form.addRow("Ov&er", self.subject)  # Alt+O is Omschrijving
        form.addRow("&Dienst", self.department)
        self.add_counted(form, "Betrokken &persoon", self.person, "person_concerned")
        form.addRow("&Aard", self.nature)
        form.addRow("Soort &handeling", self.act_kind)
        form.addRow(self.errors)


class ReceiptPage(IntakePage):
    fields = (
        "received_on",
        "coordinator_received_on",
        "received_by",
        "forwarded_by",
        "route",
        "immediate_solution",
    )

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Ontvangst")
        self.setSubTitle(
            "Wanneer en door wie werd de klacht ontvangen? Kon ze meteen opgelost worden?"
        )
        today = wizard.ctx.today()
        self.received_on = date_edit(today)
        self.coordinator_received_on = date_edit(today)
        me = coordinator()
        self.received_by = QLineEdit(me.name if me else "Klachtencoördinator")
        self.forwarded_by = QLineEdit()
        # Who brought the complaint in; most come from the citizen, so that is proposed.
        self.route = ValueComboBox(IntakeWizard._route_items())
        self.route.setToolTip(
            "Rechtstreeks door de burger, of namens de burger via een mandataris, een "
            "organisatie of een derde (los van het kanaal)."
        )
        self.solved = QCheckBox("Meteen op&gelost (stap 3)")
        self.solution = text_edit("", "Welke oplossing werd meteen geboden?")
        self.solution.setEnabled(False)
        self.solved.toggled.connect(self.solution.setEnabled)
        form = QFormLayout(self)
        form.addRow("Ontvangen &op", self.received_on)
        form.addRow("Bij de coördinator op", self.coordinator_received_on)
        self.add_counted(form, "Ontvangen &door", self.received_by, "received_by")
        self.add_counted(form, "Doo&rgestuurd door", self.forwarded_by, "forwarded_by")
        form.addRow("&Ingediend via", self.route)
        form.addRow(self.solved)
        self.add_counted(form, "Oplossing", self.solution, "immediate_solution")
        form.addRow(self.errors)


class OriginalsPage(QWizardPage):
    """The original complaint: a scanned letter (PDF or image) or the e-mail (.eml)."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.intake_wizard = wizard
        self.setTitle("Het origineel")
        self.setSubTitle(
            "Voeg de ingescande brief (PDF of afbeelding) of de e-mail (.eml) toe. Het bestand "
            "wordt versleuteld in het register bewaard."
        )
        self.files = QListWidget()
        self.files.setAccessibleName("Originelen")
        add = self.add_button = QPushButton("&Bestand toevoegen…")  # Alt+T is Terug
        add.clicked.connect(self.choose_files)
        remove = QPushButton("Ve&rwijderen")  # Alt+V is Volgende
        remove.clicked.connect(self.remove_selected)
        self.errors = error_label()
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.files)
        layout.addLayout(buttons)
        layout.addWidget(self.errors)

    def refresh(self) -> None:
        self.files.clear()
        for attachment in self.intake_wizard.attachments:
            kb = max(1, len(attachment.content) // 1024)
            self.files.addItem(f"{attachment.title or attachment.filename} ({kb} kB)")

    def add_paths(self, paths: list[Path]) -> None:
        for path in paths:
            try:
                self.intake_wizard.attachments.append(Attachment.from_file(path))
            except UserError as exc:
                self.errors.setText(exc.message)
                self.errors.show()
        self.refresh()

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            "Origineel toevoegen",
            str(Path.home()),
            "Brieven en e-mails (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.eml);;Alle bestanden (*)",
        )
        self.add_paths([Path(name) for name in names])

    def remove_selected(self) -> None:
        row = self.files.currentRow()
        if 0 <= row < len(self.intake_wizard.attachments):
            del self.intake_wizard.attachments[row]
            self.refresh()


class SummaryPage(QWizardPage):
    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.intake_wizard = wizard
        self.setTitle("Samenvatting")
        self.setSubTitle("Klopt alles? Met Voltooien wordt de klacht geregistreerd.")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.errors = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.errors)
        layout.addStretch(1)

    def initializePage(self) -> None:
        i = validate_intake(self.intake_wizard.intake(), self.intake_wizard.ctx.today())
        department = self.intake_wizard.complaint.department
        rows = [
            ("Kanaal", i.channel.label),
            ("Ingediend via", i.route.label if i.route else "niet ingevuld"),
            ("Naam", i.name or "anoniem"),
            ("Aanspreking", i.form_of_address.shown),
            ("Adres", i.address),
            ("Telefoon", i.phone),
            ("E-mail", i.email),
            ("Omschrijving", i.description),
            ("Over", i.subject.label if i.subject else ""),
            ("Dienst", department.currentText() if department.value() is not None else ""),
            ("Betrokken persoon", i.person_concerned),
            ("Aard", i.nature.label if i.nature else ""),
            ("Soort handeling", i.act_kind.label if i.act_kind else ""),
            ("Feiten op", short_date(i.facts_on)),
            ("Ontvangen op", short_date(i.received_on)),
            ("Bij de coördinator op", short_date(i.coordinator_received_on)),
            ("Ontvangen door", i.received_by),
            ("Meteen opgelost", i.immediate_solution if i.solved_immediately else "nee"),
            ("Originelen", ", ".join(a.filename for a in self.intake_wizard.attachments)),
        ]
        self.summary.setText(
            "<table cellspacing='3'>"
            + "".join(
                f"<tr><td><b>{escape(k)}</b></td><td>{escape(breakable(v))}</td></tr>"
                for k, v in rows
                if v
            )
            + "</table>"
        )

    def validatePage(self) -> bool:
        return attempt(self.errors, self.intake_wizard.register)


class IntakeWizard(QWizard):
    """Registers one complaint on Finish and emits ``registered`` with its id.

    What is typed is saved as a draft in the register half a second after each change, so a
    crash or a closed window loses nothing; ``restore`` puts a draft back.

    With ``editing`` (a dossier's id) the same pages correct that dossier's data instead;
    no draft is kept then.
    """

    registered = Signal(int)

    def __init__(
        self,
        ctx: ServiceContext,
        channel: Channel,
        parent: QWidget | None = None,
        *,
        editing: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.channel = channel
        self.editing = editing
        self.complaint_id: int | None = None
        self.attachments: list[Attachment] = []
        self.draft_timer = QTimer(self, singleShot=True, interval=DRAFT_DELAY_MS)
        self.draft_timer.timeout.connect(self.save_draft)
        self.draft_failed = False
        self.setWindowTitle(CHANNEL_TITLES[channel])
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        set_button_texts(self)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.person = PersonPage(self)
        self.complaint = ComplaintPage(self)
        self.receipt = ReceiptPage(self)
        self.originals = OriginalsPage(self)
        self.summary = SummaryPage(self)
        pages: list[QWizardPage] = [self.person, self.complaint, self.receipt]
        if channel is not Channel.PHONE and editing is None:
            pages.append(self.originals)
        self.room = RoomForWrappedText(self)  # a message under a page pushes nothing over
        for page in [*pages, self.summary]:
            self.addPage(page)
            page.installEventFilter(self.room)
        self.resize(640, 560)
        for widget in self._draft_widgets().values():
            for signal in ("textChanged", "currentIndexChanged", "toggled", "dateChanged"):
                if hasattr(widget, signal):
                    getattr(widget, signal).connect(lambda *_: self.draft_timer.start())
                    break

    def _draft_widgets(self) -> dict[str, QWidget]:
        p, c, r = self.person, self.complaint, self.receipt
        return {
            "name": p.name, "form_of_address": p.form_of_address, "street": p.street,
            "postal_code": p.postal_code, "city": p.city,
            "phone": p.phone, "email": p.email, "description": c.description,
            "facts_known": c.facts_known, "facts_on": c.facts_on, "subject": c.subject,
            "department": c.department, "person": c.person, "nature": c.nature,
            "act_kind": c.act_kind, "received_on": r.received_on,
            "coordinator_received_on": r.coordinator_received_on,
            "received_by": r.received_by, "forwarded_by": r.forwarded_by,
            "route": r.route, "solved": r.solved, "solution": r.solution,
        }  # fmt: skip

    def to_draft(self) -> dict[str, Any]:
        values: dict[str, Any] = {"channel": self.channel.value}
        for key, widget in self._draft_widgets().items():
            if isinstance(widget, QLineEdit):
                values[key] = widget.text()
            elif isinstance(widget, QPlainTextEdit):
                values[key] = widget.toPlainText()
            elif isinstance(widget, QCheckBox):
                values[key] = widget.isChecked()
            elif isinstance(widget, ValueComboBox):
                data = widget.value()
                values[key] = data.value if isinstance(data, Enum) else data
            elif isinstance(widget, QDateEdit):
                values[key] = to_date(widget).isoformat()
        return values

    def restore(self, values: dict[str, Any]) -> None:
        for key, widget in self._draft_widgets().items():
            if key not in values:
                continue
            value = values[key]
            if isinstance(widget, QLineEdit):
                widget.setText(str(value))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(str(value))
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, ValueComboBox):
                for data in widget.values():
                    if (data.value if isinstance(data, Enum) else data) == value:
                        widget.set_value(data)
            elif isinstance(widget, QDateEdit):
                day = date.fromisoformat(str(value))
                widget.setDate(QDate(day.year, day.month, day.day))

    def mark_restored(self) -> None:
        """Say in the title that this is an unfinished intake brought back (after a crash or
        a closed window), not a new one."""
        if self.editing is None:
            self.setWindowTitle(f"{CHANNEL_TITLES[self.channel]} (hersteld)")

    def done(self, result: int) -> None:
        """Finished, cancelled or closed: no timer may touch the register afterwards."""
        self.draft_timer.stop()
        self.person.hint_timer.stop()
        super().done(result)

    def flush_draft(self) -> None:
        """Save what was typed now, not after the usual pause (the program is closing)."""
        if self.draft_timer.isActive():
            self.draft_timer.stop()
            self.save_draft()

    def save_draft(self) -> None:
        """Keep what was typed in the register. When that fails (a full disk), say so once,
        until a later save succeeds: the draft timer fires after every pause in typing."""
        if self.complaint_id is None and self.editing is None:
            try:
                drafts.save_draft(self.to_draft())
            except UserError as exc:
                if not self.draft_failed:
                    self.draft_failed = True
                    show_error(
                        self,
                        f"{exc.message}\n\nWat u hier typte, staat nog in het venster.",
                        "Concept niet bewaard",
                    )
                return
            self.draft_failed = False

    def has_input(self) -> bool:
        p, c = self.person, self.complaint
        texts = (p.name, p.street, p.phone, p.email, c.person)
        return any(w.text().strip() for w in texts) or bool(c.description.toPlainText().strip())

    def reject(self) -> None:
        if self.editing is not None:
            super().reject()
            return
        if self.has_input() and not confirm(
            self,
            "Klacht niet registreren?",
            "Wat u intikte, gaat verloren. De klacht niet registreren?",
            safe_no=True,  # Enter by reflex must not throw away a call
        ):
            return
        self.draft_timer.stop()
        drafts.discard_draft()
        super().reject()

    def intake(self) -> Intake:
        p, c, r = self.person, self.complaint, self.receipt
        return Intake(
            channel=self.channel,
            received_on=to_date(r.received_on),
            coordinator_received_on=to_date(r.coordinator_received_on),
            description=c.description.toPlainText(),
            received_by=r.received_by.text(),
            forwarded_by=r.forwarded_by.text(),
            route=r.route.value(),
            name=p.name.text(),
            form_of_address=p.form_of_address.value(),
            street=p.street.text(),
            postal_code=p.postal_code.text(),
            city=p.city.text(),
            phone=p.phone.text(),
            email=p.email.text(),
            facts_on=to_date(c.facts_on) if c.facts_known.isChecked() else None,
            subject=c.subject.value(),
            department_id=c.department.value(),
            person_concerned=c.person.text(),
            nature=c.nature.value(),
            act_kind=c.act_kind.value(),
            solved_immediately=r.solved.isChecked(),
            immediate_solution=r.solution.toPlainText(),
        )

    def register(self) -> int:
        if self.editing is not None:
            svc.edit_complaint(self.ctx, self.editing, self.intake())
            self.complaint_id = self.editing
            self.registered.emit(self.editing)
        elif self.complaint_id is None:
            self.complaint_id = svc.register_complaint(self.ctx, self.intake(), self.attachments)
            self.draft_timer.stop()
            drafts.discard_draft()
            self.registered.emit(self.complaint_id)
        return self.complaint_id

    @staticmethod
    def _route_items() -> list[tuple[str, Route | None]]:
        return [(route.label, route) for route in Route]

    def fill_from(self, intake: Intake) -> None:
        """Show an existing dossier's data, for correcting it."""
        values: dict[str, Any] = {
            "name": intake.name, "form_of_address": intake.form_of_address,
            "street": intake.street, "postal_code": intake.postal_code,
            "city": intake.city, "phone": intake.phone, "email": intake.email,
            "description": intake.description, "facts_known": intake.facts_on is not None,
            "subject": intake.subject, "department": intake.department_id,
            "person": intake.person_concerned, "nature": intake.nature,
            "act_kind": intake.act_kind, "received_on": intake.received_on.isoformat(),
            "coordinator_received_on": (
                intake.coordinator_received_on or intake.received_on
            ).isoformat(),
            "received_by": intake.received_by, "forwarded_by": intake.forwarded_by,
            "route": intake.route,
            "solved": intake.solved_immediately, "solution": intake.immediate_solution,
        }  # fmt: skip
        if intake.route is None:  # a dossier from before the route was asked: left as it is
            self.receipt.route.set_items([("(niet ingevuld)", None), *self._route_items()])
        if intake.facts_on is not None:
            values["facts_on"] = intake.facts_on.isoformat()
        self.restore({k: v.value if isinstance(v, Enum) else v for k, v in values.items()})
