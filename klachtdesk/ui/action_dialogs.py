"""One dialog per step of the procedure. Each validates through the services and shows their
Dutch message inline; nothing is saved unless the whole step is accepted."""

from __future__ import annotations

from dataclasses import replace
from html import escape
from pathlib import Path

from PySide6.QtCore import QDate, QEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import (
    Action,
    DeliveryMethod,
    DossierLimits,
    Ground,
    NoJudgementReason,
    Norm,
    Outcome,
    Resolution,
    UserError,
    acknowledgement_due,
    answer_expected_by,
    day_count,
)
from klachtdesk.procedure.assessment import norms_by_group, requires_norm, requires_resolution
from klachtdesk.procedure.dates import short_date
from klachtdesk.services import complaints as svc
from klachtdesk.services import correspondence
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.documents import Attachment
from klachtdesk.services.dossier_detail import ComplaintDetail, handler_contact
from klachtdesk.services.links import decide_admissibility_and_link, is_earlier, links_of
from klachtdesk.services.organisation import DepartmentHead, handlers, head_in_copy
from klachtdesk.services.withdrawal import withdraw_with_report

from .character_counter import CharacterCounter, add_counted_row, counter_problems
from .letter_preview_dialog import LetterPreviewDialog, document_preview
from .messages import confirm
from .returned_form_dialog import ReturnedFormDialog, choose_form_file, read_form_file
from .widgets import (
    ValueComboBox,
    attempt,
    date_edit,
    error_label,
    text_edit,
    to_date,
    wrapped_text_minimum_height,
)


class ActionDialog(QDialog):
    """A form, an inline error line and OK/Cancel; ``perform`` calls the service.

    The title is the step's name from :data:`klachtdesk.procedure.STEPS`, as on its button.
    """

    action: Action
    intro = ""

    def __init__(
        self, ctx: ServiceContext, detail: ComplaintDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail = detail
        self.setWindowTitle(f"{self.title} – {detail.reference}")
        self.form = QFormLayout()
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        if self.intro:
            intro = QLabel(self.intro)
            intro.setWordWrap(True)
            layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.on = date_edit(ctx.today())
        self.counters: list[CharacterCounter] = []
        self.build()
        # At least as wide as the form needs (the assessment's norms), and never narrow.
        self.setMinimumWidth(max(520, layout.minimumSize().width()))

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # shown, a message came or went
            # Never so low that the rows overlap (wrapped labels, the counters under texts).
            needed = wrapped_text_minimum_height(self)
            if needed != self.minimumHeight():
                self.setMinimumHeight(needed)
        return handled

    @property
    def title(self) -> str:
        return self.action.step.title

    @property
    def limits(self) -> DossierLimits:
        """The time limits of this dossier (kept from its registration)."""
        return self.detail.dossier.limits

    def build(self) -> None:
        self.form.addRow("Datum", self.on)

    def perform(self) -> None:
        raise NotImplementedError

    def add_counted(self, label: str, edit: QPlainTextEdit, field: str) -> None:
        """A form row for a free text, with its character counter."""
        self.counters.append(add_counted_row(self.form, label, edit, field))

    def accept(self) -> None:
        # A text over its limit is refused here, before the service is called.
        if problems := counter_problems(self.counters):
            self.error.setText(problems)
            self.error.show()
            return
        if attempt(self.error, self.perform):
            super().accept()


class AdmissibilityDialog(ActionDialog):
    action = Action.DECIDE_ADMISSIBILITY
    intro = (
        "Vink de gronden aan waarom de klacht <b>niet</b> ontvankelijk is. Geen enkele grond "
        "aangevinkt: de klacht is ontvankelijk. Voorstellen van klachtdesk zijn al aangevinkt."
    )

    def build(self) -> None:
        super().build()
        suggested = {s.ground: s.reason for s in self.detail.suggestions}
        self.boxes: dict[Ground, QCheckBox] = {}
        for ground in Ground:
            box = QCheckBox(f"{ground.number}. {ground.label}")
            box.setChecked(ground in suggested or ground in self.detail.dossier.grounds)
            box.setToolTip(suggested.get(ground, ground.explanation))
            box.toggled.connect(self._update_result)
            self.boxes[ground] = box
            self.form.addRow(box)
            if ground in suggested:
                hint = QLabel(f"<i>Voorstel: {escape(suggested[ground])}</i>")
                hint.setWordWrap(True)
                self.form.addRow(hint)
            if ground is Ground.FILED_BEFORE:
                self._link_boxes()
        self.motivation = text_edit(
            self.detail.texts.get("admissibility_motivation", ""),
            "Verplicht bij een niet-ontvankelijke klacht; de klager leest dit.",
        )
        self.add_counted("Motivering", self.motivation, "admissibility_motivation")
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.form.addRow(self.verdict)
        self._update_result()

    def _link_boxes(self) -> None:
        """A check box per earlier dossier of (probably) the same person: linked to this one
        together with the decision (issue 15). Not ticked by klachtdesk: whether it is the
        same person or the same facts is the coordinator's call."""
        self.link_boxes: dict[int, QCheckBox] = {}
        intake = self.detail.intake
        linked = {d.id for d in links_of(self.detail.id).earlier}
        for suggestion in self.detail.suggestions:
            for earlier in suggestion.earlier:
                if not is_earlier(
                    earlier.received_on, earlier.complaint_id, intake.received_on, self.detail.id
                ):
                    continue
                box = QCheckBox(
                    f"Koppelen aan {earlier.reference} "
                    f"(ontvangen op {short_date(earlier.received_on)})"
                )
                if earlier.complaint_id in linked:
                    box.setText(f"Al gekoppeld aan {earlier.reference}")
                    box.setChecked(True)
                    box.setEnabled(False)
                else:
                    self.link_boxes[earlier.complaint_id] = box
                self.form.addRow(box)

    def linked(self) -> list[int]:
        """The earlier dossiers ticked to be linked to this one."""
        return [cid for cid, box in self.link_boxes.items() if box.isChecked()]

    def chosen(self) -> list[Ground]:
        return [g for g, box in self.boxes.items() if box.isChecked()]

    def _update_result(self) -> None:
        limits = self.limits
        received = self.detail.intake.received_on
        if self.chosen():
            self.verdict.setText(
                "<b>Niet ontvankelijk.</b> De ontvangstmelding met de motivering gaat uiterlijk "
                f"op {short_date(acknowledgement_due(received, limits))} weg; "
                "daarna is het dossier afgesloten."
            )
        else:
            self.verdict.setText(
                "<b>Ontvankelijk.</b> Ontvangstmelding uiterlijk op "
                f"{short_date(acknowledgement_due(received, limits))}; "
                f"antwoord aan de klager uiterlijk op {short_date(answer_expected_by(received, limits))}."
            )

    def perform(self) -> None:
        decide_admissibility_and_link(
            self.ctx,
            self.detail.id,
            self.chosen(),
            self.motivation.toPlainText(),
            self.linked(),
            on=to_date(self.on),
        )


class SendsDocument(ActionDialog):
    """A step that is a document going out: make it, print or e-mail it, then it is recorded.

    The date can also be filled in by hand for a letter that went out another way.
    """

    kind = ""
    what = ""

    def build(self) -> None:
        super().build()
        by_post = self.detail.dossier.delivery is DeliveryMethod.LETTER
        how = "met de post" if by_post else self.detail.dossier.delivery.label
        self.how = QLabel(f"{self.what} gaat {how} naar de klager.")
        self.make_button = QPushButton(f"{self.what} maken en versturen…")
        self.make_button.clicked.connect(self.make_document)
        self.preview: LetterPreviewDialog | None = None
        self.form.addRow(self.how)
        self.no_address = QLabel(self._no_address_text())
        self.no_address.setWordWrap(True)
        self.no_address.setVisible(bool(self.no_address.text()))
        self.form.addRow(self.no_address)
        self.form.addRow(self.make_button)

    def _no_address_text(self) -> str:
        """What the coordinator can do when a letter should go by post but no address is known."""
        intake = self.detail.intake
        if self.detail.dossier.delivery is not DeliveryMethod.LETTER:
            return ""
        if intake.street.strip() and (intake.postal_code.strip() or intake.city.strip()):
            return ""
        ways = []
        if intake.email.strip():
            ways.append(f"per e-mail sturen naar {intake.email} (knop E-mailen in het voorbeeld)")
        ways += [
            "afdrukken en laten afhalen of meegeven",
            "de verzending zelf noteren: vul de datum in en kies OK",
        ]
        return (
            "⚠ Er is geen volledig adres van de klager bekend: deze brief kan niet met de post. "
            "U kunt hem " + "; ".join(ways) + "."
        )

    def make_document(self) -> None:
        if self.no_address.text() and not confirm(
            self,
            "Geen adres bekend",
            self.no_address.text().removeprefix("⚠ ") + "\n\nDe brief nu maken?",
        ):
            return
        try:
            self.preview = document_preview(self.ctx, self.detail.id, self.kind, self)
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.preview.delivered.connect(self._delivered)
        self.preview.open()

    def _delivered(self) -> None:
        """Printed or e-mailed today: that is the date the step was done."""
        today = self.ctx.today()
        self.on.setDate(QDate(today.year, today.month, today.day))
        if self.preview is not None:
            self.preview.accept()
        self.accept()


class AcknowledgementDialog(SendsDocument):
    action = Action.ACKNOWLEDGE
    kind = correspondence.ACKNOWLEDGEMENT
    what = "De ontvangstmelding"

    def perform(self) -> None:
        svc.record_acknowledgement(self.ctx, self.detail.id, on=to_date(self.on))


class SendToHandlerDialog(ActionDialog):
    action = Action.SEND_TO_HANDLER

    def build(self) -> None:
        super().build()
        self.handler = ValueComboBox([(h.name, h.id) for h in handlers()])
        if self.detail.handler is not None:
            self.handler.set_value(self.detail.handler.id)
        self.contact = QLabel()
        self.contact.setWordWrap(True)
        self.handler.currentIndexChanged.connect(self._show_contact)
        self.copy = QLabel()
        self.copy.setWordWrap(True)
        self.form.addRow("Behandelaar", self.handler)
        self.form.addRow("", self.contact)
        self.form.addRow("Kopie aan", self.copy)
        self._show_contact()

    def _show_contact(self) -> None:
        handler_id = self.handler.value()
        contact = handler_contact(handler_id) if handler_id is not None else None
        if contact is None:
            self.contact.setText("Voeg eerst een klachtenbehandelaar toe in de instellingen.")
            return
        parts = [contact.department, contact.email, contact.phone]
        self.contact.setText(" · ".join(p for p in parts if p) or "geen contactgegevens")
        self.copy.setText(copy_text(head_in_copy(self.detail.id, handler_id)))

    def perform(self) -> None:
        handler_id = self.handler.value()
        if handler_id is None:
            raise UserError("Kies een klachtenbehandelaar.")
        svc.send_to_handler(self.ctx, self.detail.id, handler_id, on=to_date(self.on))


def copy_text(head: DepartmentHead | None) -> str:
    """Who gets a copy of the report e-mailed to the handler (step 8)."""
    if head is None:
        return "niemand (de behandelaar is het diensthoofd, of er is geen diensthoofd gekend)"
    if not head.email:
        return (
            f"{head.name}, diensthoofd van {head.department}: geen e-mailadres gekend, "
            "de e-mail vraagt de behandelaar het diensthoofd op de hoogte te brengen"
        )
    return f"{head.name}, diensthoofd van {head.department} ({head.email})"


class InvestigationDialog(ActionDialog):
    action = Action.RECORD_INVESTIGATION

    def build(self) -> None:
        self.contacts = text_edit(
            self.detail.texts.get("investigation_contacts", ""),
            "Contacten met de dienst, de medewerker of politicus, en met de klager",
        )
        self.summary = text_edit(self.detail.texts.get("investigation_summary", ""))
        self.add_counted("Contacten", self.contacts, "investigation_contacts")
        self.add_counted("Samenvatting", self.summary, "investigation_summary")

    def perform(self) -> None:
        svc.record_investigation(
            self.ctx,
            self.detail.id,
            contacts=self.contacts.toPlainText(),
            summary=self.summary.toPlainText(),
        )


#: The Alt-letter of each outcome in the assessment dialog (unique there, none of 'w', 'm', 'p').
OUTCOME_KEYS = {
    Outcome.WELL_FOUNDED: "g",
    Outcome.PARTLY_WELL_FOUNDED: "d",
    Outcome.CORRECTED: "c",
    Outcome.UNFOUNDED: "o",
    Outcome.NO_JUDGEMENT: "l",
    Outcome.STOPPED_BY_CITIZEN: "s",
}


def with_mnemonic(label: str, letter: str) -> str:
    """``label`` with '&' before the first ``letter`` (its Alt-key), other '&' doubled."""
    label = label.replace("&", "&&")
    index = label.lower().find(letter)
    return label if index < 0 else f"{label[:index]}&{label[index:]}"


class AssessmentDialog(ActionDialog):
    action = Action.ASSESS

    def build(self) -> None:
        super().build()
        self.outcomes = QButtonGroup(self)
        self.outcome_buttons: dict[Outcome, QRadioButton] = {}
        for outcome in Outcome:
            button = QRadioButton(with_mnemonic(outcome.label, OUTCOME_KEYS[outcome]))
            self.outcomes.addButton(button)
            self.outcome_buttons[outcome] = button
            self.form.addRow(button)
            button.toggled.connect(self._update)
        self.reason = ValueComboBox(
            [("(kies een reden)", None)] + [(reason.label, reason) for reason in NoJudgementReason]
        )
        self.resolution = ValueComboBox(
            [("(kies de mate van oplossing)", None)] + [(r.label, r) for r in Resolution]
        )
        self.resolution.set_value(self.detail.resolution)
        self.solution = text_edit(self.detail.texts.get("solution", ""))
        self.form.addRow("Geen oordeel &want", self.reason)
        self.form.addRow("&Mate van oplossing", self.resolution)
        self.add_counted("O&plossing", self.solution, "solution")
        self.form.addRow(self._norm_boxes())
        # A refusal shown after OK goes once the coordinator changes something; OK checks anew.
        self.reason.currentIndexChanged.connect(self.error.hide)
        self.resolution.currentIndexChanged.connect(self.error.hide)
        self.solution.textChanged.connect(self.error.hide)
        for box in self.norm_boxes.values():
            box.toggled.connect(self.error.hide)
        # Checked only now: toggling calls _update, which needs the fields above.
        current = self.detail.dossier.outcome
        if current is not None:
            self.outcome_buttons[current].setChecked(True)
        self._update()

    def _norm_boxes(self) -> QWidget:
        """The 15 ombudsnormen as check boxes, numbered, under their two groups."""
        self.norm_boxes: dict[Norm, QCheckBox] = {}
        self.norm_hint = QLabel()
        self.norm_hint.setWordWrap(True)
        groups = QHBoxLayout()
        for group, norms in norms_by_group().items():
            box = QGroupBox(group.label[:1].upper() + group.label[1:])
            column = QVBoxLayout(box)
            for norm in norms:
                check = QCheckBox(norm.numbered)
                check.setChecked(norm in self.detail.norms)
                self.norm_boxes[norm] = check
                column.addWidget(check)
            column.addStretch(1)
            groups.addWidget(box)
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Ombudsnormen</b> die de klacht raakt"))
        layout.addWidget(self.norm_hint)
        layout.addLayout(groups)
        return holder

    def outcome(self) -> Outcome | None:
        for outcome, button in self.outcome_buttons.items():
            if button.isChecked():
                return outcome
        return None

    def norms(self) -> list[Norm]:
        return [norm for norm, box in self.norm_boxes.items() if box.isChecked()]

    def _update(self) -> None:
        outcome = self.outcome()
        self.error.hide()
        self.reason.setEnabled(outcome is Outcome.NO_JUDGEMENT)
        self.resolution.setEnabled(outcome is not None and requires_resolution(outcome))
        self.solution.setPlaceholderText(
            "Verplicht bij een (deels) gegronde klacht"
            if outcome is not None and outcome.requires_solution
            else "Niet verplicht"
        )
        if outcome is None:
            labels = [f"‘{o.label}’" for o in Outcome if requires_norm(o)]
            hint = f"Minstens één bij {', '.join(labels[:-1])} of {labels[-1]}."
        elif requires_norm(outcome):
            hint = f"Vink er minstens één aan bij ‘{outcome.label}’."
        else:
            hint = "Niet verplicht bij deze beoordeling; vink aan wat van toepassing is."
        self.norm_hint.setText(hint)

    def perform(self) -> None:
        outcome = self.outcome()
        if outcome is None:
            raise UserError("Kies een beoordeling.")
        svc.record_assessment(
            self.ctx,
            self.detail.id,
            outcome,
            solution=self.solution.toPlainText(),
            no_judgement_reason=self.reason.value() if outcome is Outcome.NO_JUDGEMENT else None,
            resolution=self.resolution.value() if requires_resolution(outcome) else None,
            norms=self.norms(),
            on=to_date(self.on),
        )


class ReturnedDialog(ActionDialog):
    action = Action.RECORD_RETURNED

    def build(self) -> None:
        super().build()
        texts = self.detail.texts
        self.report = text_edit(texts.get("report_text", ""), "Aanvulling van het rapport")
        self.reply = text_edit(texts.get("reply_text", ""), "De motiverende brief")
        self.add_counted("Rapport", self.report, "report_text")
        self.add_counted("Motiverende brief", self.reply, "reply_text")
        self.attachments: list[Attachment] = []
        self.files = QLabel("Geen bestanden.")
        self.add_file_button = QPushButton("Bestand toevoegen…")
        self.add_file_button.clicked.connect(self.choose_files)
        self.form.addRow("Of als bestand", self.add_file_button)
        self.form.addRow("", self.files)
        self.head = head_in_copy(self.detail.id)
        self.head_yes = QRadioButton("&Ja")
        self.head_no = QRadioButton("&Nee")
        if self.head is not None:
            question = QLabel(f"Werd het diensthoofd ({self.head.name}) op de hoogte gebracht?")
            question.setWordWrap(True)
            answers = QHBoxLayout()
            answers.addWidget(self.head_yes)
            answers.addWidget(self.head_no)
            answers.addStretch(1)
            self.form.addRow(question)
            self.form.addRow(answers)
            if self.detail.head_informed in ("ja", "nee"):  # returned before (step 12 failed)
                (self.head_yes if self.detail.head_informed == "ja" else self.head_no).setChecked(
                    True
                )
        self.read_form_button = QPushButton("Ingevuld &formulier inlezen…")
        self.read_form_button.setToolTip(
            "Het rapportformulier dat de behandelaar invulde: de antwoorden komen naast wat "
            "het dossier nu bevat."
        )
        self.read_form_button.clicked.connect(self.read_form)
        self.form.addRow("Of het formulier", self.read_form_button)

    def read_form(self) -> None:
        """The handler's returned form instead of typing: shown beside the dossier, and this
        step is done when that is confirmed."""
        path = choose_form_file(self)
        if path is None:
            return
        try:
            returned = read_form_file(path, self.detail.id)
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        dialog = ReturnedFormDialog(self.ctx, returned, self)
        # Recorded there: this dialog closes as done, without recording again.
        dialog.accepted.connect(lambda: QDialog.accept(self))
        dialog.open()

    def add_paths(self, paths: list[Path]) -> None:
        for path in paths:
            attachment = Attachment.from_file(path)
            self.attachments.append(replace(attachment, title=f"Van de behandelaar: {path.name}"))
        self.files.setText(", ".join(a.filename for a in self.attachments) or "Geen bestanden.")

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Rapport of brief van de behandelaar")
        attempt(self.error, lambda: self.add_paths([Path(name) for name in names]))

    def head_informed(self) -> bool | None:
        """The answer to the question about the head of department; None when not asked."""
        if self.head is None:
            return None
        if not (self.head_yes.isChecked() or self.head_no.isChecked()):
            raise UserError(
                f"Duid aan of het diensthoofd ({self.head.name}) op de hoogte gebracht werd."
            )
        return self.head_yes.isChecked()

    def perform(self) -> None:
        svc.record_returned(
            self.ctx,
            self.detail.id,
            report_text=self.report.toPlainText(),
            reply_text=self.reply.toPlainText(),
            attachments=self.attachments,
            head_informed=self.head_informed(),
            on=to_date(self.on),
        )


class NeutralityDialog(ActionDialog):
    action = Action.REVIEW_NEUTRALITY
    intro = "Was de behandelaar neutraal bij het onderzoek en in het rapport?"

    def build(self) -> None:
        super().build()
        self.neutral = QRadioButton("Ja: de motiverende brief mag vertrekken")
        days = day_count(self.limits.reinvestigation_days)
        self.not_neutral = QRadioButton(
            f"Nee: de behandelaar krijgt {days} om opnieuw te onderzoeken"
        )
        self.reason = text_edit("", "Waarom niet neutraal? De behandelaar leest dit.")
        self.form.addRow(self.neutral)
        self.form.addRow(self.not_neutral)
        self.add_counted("Reden", self.reason, "review_failed_reason")
        # A reason belongs to 'Nee' only: the field is open exactly when that is chosen.
        self.not_neutral.toggled.connect(self.reason.setEnabled)
        self.neutral.setChecked(True)
        self.reason.setEnabled(self.not_neutral.isChecked())

    def perform(self) -> None:
        svc.review_neutrality(
            self.ctx,
            self.detail.id,
            self.neutral.isChecked(),
            self.reason.toPlainText(),
            on=to_date(self.on),
        )


class ReplySentDialog(SendsDocument):
    action = Action.RECORD_REPLY_SENT
    kind = correspondence.REPLY
    what = "De motiverende brief"

    def perform(self) -> None:
        svc.record_reply_sent(self.ctx, self.detail.id, on=to_date(self.on))


class CloseDialog(ActionDialog):
    action = Action.CLOSE
    intro = "Het afgewerkte rapport wordt in het dossier bewaard; de klacht geldt als afgehandeld."

    def perform(self) -> None:
        correspondence.close_with_report(self.ctx, self.detail.id, on=to_date(self.on))


class WithdrawDialog(ActionDialog):
    action = Action.WITHDRAW
    intro = (
        "De burger stopt de klachtenprocedure (zelf of in samenspraak). Het dossier wordt "
        f"afgesloten met de uitkomst ‘{Outcome.STOPPED_BY_CITIZEN.label}’ en geldt als "
        "afgehandeld; een gestart rapport wordt afgewerkt in het dossier bewaard."
    )

    def build(self) -> None:
        super().build()
        self.reason = text_edit("", "Bijvoorbeeld: klager belde dat het probleem opgelost is.")
        self.add_counted("Reden", self.reason, "withdrawal_reason")

    def perform(self) -> None:
        withdraw_with_report(
            self.ctx, self.detail.id, self.reason.toPlainText(), on=to_date(self.on)
        )


DIALOGS: dict[Action, type[ActionDialog]] = {
    Action.DECIDE_ADMISSIBILITY: AdmissibilityDialog,
    Action.ACKNOWLEDGE: AcknowledgementDialog,
    Action.SEND_TO_HANDLER: SendToHandlerDialog,
    Action.RECORD_INVESTIGATION: InvestigationDialog,
    Action.ASSESS: AssessmentDialog,
    Action.RECORD_RETURNED: ReturnedDialog,
    Action.REVIEW_NEUTRALITY: NeutralityDialog,
    Action.RECORD_REPLY_SENT: ReplySentDialog,
    Action.CLOSE: CloseDialog,
    Action.WITHDRAW: WithdrawDialog,
}


def dialog_for(
    action: Action, ctx: ServiceContext, detail: ComplaintDetail, parent: QWidget | None = None
) -> ActionDialog:
    return DIALOGS[action](ctx, detail, parent)
