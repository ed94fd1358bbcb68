"""The selected complaint: its data, time limits, timeline, documents and the next steps."""

from __future__ import annotations

from functools import partial
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal, SignalInstance
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import Action, LimitStatus, UserError
from klachtdesk.procedure.dates import short_date
from klachtdesk.procedure.deadlines import closing_due
from klachtdesk.procedure.dossier import original_closing_due
from klachtdesk.services.correspondence import EXTENSION, KIND_TITLES, documents_for
from klachtdesk.services.documents import document_content
from klachtdesk.services.dossier_detail import ComplaintDetail
from klachtdesk.services.handler_form import takes_form
from klachtdesk.services.viewing_copies import remove_copy, write_copy

from .complaint_table_model import DUE_SOON_BACKGROUND, OVERDUE_BACKGROUND
from .dossier_links import DossierLinksTab
from .flow_layout import FlowLayout
from .formatting import STATUS_MARK, breakable, days_text
from .messages import show_error

# What the button for each action says (the step's own text, see procedure.STEPS); the main
# action of each state comes first.
ACTION_BUTTONS: dict[Action, str] = {
    action: action.step.button
    for action in (
        Action.DECIDE_ADMISSIBILITY,
        Action.ACKNOWLEDGE,
        Action.SEND_TO_HANDLER,
        Action.RECORD_INVESTIGATION,
        Action.ASSESS,
        Action.RECORD_RETURNED,
        Action.REVIEW_NEUTRALITY,
        Action.RECORD_REPLY_SENT,
        Action.CLOSE,
        Action.WITHDRAW,
        Action.EDIT,
    )
}


def extension_text(detail: ComplaintDetail) -> str:
    """'Verlengd op 22/03/2026 tot 31/05/2026 (was 16/04/2026): <motivation>'; empty when the
    closing limit was not extended."""
    d = detail.dossier
    if not d.extended:
        return ""
    motivation = detail.texts.get("extension_motivation", "")
    return (
        f"Afsluittermijn verlengd op {short_date(d.extended_on)} tot {short_date(closing_due(d))} "
        f"(was {short_date(original_closing_due(d))})" + (f": {motivation}" if motivation else "")
    )


def viewing_name(document_id: int, filename: str) -> str:
    """The name a document's copy gets for the viewer: its number and type, not its stored
    name, which may hold the complainant's name and would then stay in the desktop's list of
    recent files after the copy itself is gone."""
    suffix = Path(filename).suffix.lower()
    return f"document-{document_id}{suffix if suffix[1:].isalnum() and len(suffix) <= 9 else ''}"


class DossierView(QWidget):
    """Shows a :class:`ComplaintDetail`; asks for actions through ``action_requested``."""

    action_requested = Signal(object, int)  # Action, complaint id
    document_requested = Signal(str, int)  # document kind, complaint id
    access_requested = Signal(int)  # complaint id: everything about its person (AVG art. 15)
    delete_requested = Signal(int)  # complaint id: registered by mistake
    form_requested = Signal(int)  # complaint id: read in the handler's returned form
    # complaint id, improvement action id (None: a new one), the dossier's reference
    improvement_requested = Signal(int, object, str)
    extension_requested = Signal(int)  # complaint id: extend its closing limit (issue 15)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._detail: ComplaintDetail | None = None
        self.title = QLabel("Kies een klacht in de lijst.")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        # The step's buttons wrap to a second line rather than widen the window (issue 15
        # added two: the returned form, the extension).
        self.buttons = FlowLayout()
        self.buttons.setContentsMargins(0, 0, 0, 0)
        # Actions on the dossier as a whole (issue 11), beside the steps of the procedure.
        self.more_button = QToolButton()
        self.more_button.setText("Meer")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more_menu = QMenu(self.more_button)
        more_menu.addAction(
            "Alles over deze persoon…", lambda: self._request_on(self.access_requested)
        )
        more_menu.addAction(
            "Dossier verwijderen (verkeerdelijk geregistreerd)…",
            lambda: self._request_on(self.delete_requested),
        )
        self.more_button.setMenu(more_menu)
        self.more_button.setEnabled(False)
        # A verbeteractie may be started from any dossier, whatever its state (issue 12).
        self.improvement_button = QPushButton("&Verbeteractie…")
        self.improvement_button.setToolTip(
            "Iets wat de organisatie verandert naar aanleiding van deze klacht."
        )
        self.improvement_button.clicked.connect(lambda: self._request_improvement(None))
        self.improvement_button.setEnabled(False)
        button_row = QWidget()
        row_layout = QHBoxLayout(button_row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        step_buttons = QWidget()
        step_buttons.setLayout(self.buttons)
        row_layout.addWidget(step_buttons, 1)
        # Not a step of the procedure: offered only when Settings allow it (issue 15).
        self.extension_button = QPushButton("Termijn verlengen…")
        self.extension_button.setToolTip(
            "De termijn voor het antwoord één keer verlengen, met een kennisgeving aan de klager."
        )
        self.extension_button.clicked.connect(lambda: self._request_on(self.extension_requested))
        self.extension_button.hide()
        row_layout.addWidget(self.extension_button)
        row_layout.addWidget(self.improvement_button)
        row_layout.addWidget(self.more_button)

        self.data = QLabel()
        self.data.setTextFormat(Qt.TextFormat.RichText)
        self.data.setWordWrap(True)
        self.data.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.data.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        data_scroll = QScrollArea()
        data_scroll.setWidgetResizable(True)
        data_scroll.setWidget(self.data)

        self.limits = QTableWidget(0, 4)
        self.limits.setHorizontalHeaderLabels(["Termijn", "Uiterlijk", "Gehaald op", "Dagen"])
        self.timeline = QTableWidget(0, 3)
        self.timeline.setHorizontalHeaderLabels(["Wanneer", "Wie", "Wat"])
        self.limits.setAccessibleName("Termijnen")
        self.timeline.setAccessibleName("Tijdlijn")
        for table in (self.limits, self.timeline):
            table.verticalHeader().hide()
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeader().setStretchLastSection(True)
        self.documents = QListWidget()
        self.documents.setAccessibleName("Documenten")
        self.documents.itemDoubleClicked.connect(lambda _item: self.open_document())
        self.open_button = QPushButton("&Openen")
        self.open_button.clicked.connect(self.open_document)
        self.save_button = QPushButton("Opslaan &als…")
        self.save_button.clicked.connect(self.save_document)
        self.make_button = QToolButton()
        self.make_button.setText("Document &maken")
        self.make_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.make_menu = QMenu(self.make_button)
        self.make_button.setMenu(self.make_menu)
        self.make_button.setEnabled(False)
        documents_tab = QWidget()
        document_buttons = QHBoxLayout()
        document_buttons.addWidget(self.open_button)
        document_buttons.addWidget(self.save_button)
        document_buttons.addWidget(self.make_button)
        document_buttons.addStretch(1)
        documents_layout = QVBoxLayout(documents_tab)
        documents_layout.addWidget(self.documents)
        documents_layout.addLayout(document_buttons)

        self.improvements = QListWidget()
        self.improvements.setAccessibleName("Verbeteracties van dit dossier")
        self.improvements.itemDoubleClicked.connect(lambda _item: self.open_improvement())
        self.open_improvement_button = QPushButton("Actie o&penen…")
        self.open_improvement_button.clicked.connect(self.open_improvement)
        improvements_tab = QWidget()
        improvement_buttons = QHBoxLayout()
        improvement_buttons.addWidget(self.open_improvement_button)
        improvement_buttons.addStretch(1)
        improvements_layout = QVBoxLayout(improvements_tab)
        improvements_layout.addWidget(self.improvements)
        improvements_layout.addLayout(improvement_buttons)

        self.tabs = QTabWidget()
        self.tabs.addTab(data_scroll, "Gegevens")
        self.extension_note = QLabel()
        self.extension_note.setWordWrap(True)
        self.extension_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.extension_note.hide()
        limits_tab = QWidget()
        limits_layout = QVBoxLayout(limits_tab)
        limits_layout.setContentsMargins(0, 0, 0, 0)
        limits_layout.addWidget(self.limits, 1)
        limits_layout.addWidget(self.extension_note)
        self.tabs.addTab(limits_tab, "Termijnen")
        self.tabs.addTab(self.timeline, "Tijdlijn")
        self.tabs.addTab(documents_tab, "Documenten")
        self.tabs.addTab(improvements_tab, "Verbeteracties")
        self.links = DossierLinksTab()
        self.tabs.addTab(self.links, "Koppelingen")

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(button_row)
        layout.addWidget(self.tabs, 1)

    @property
    def detail(self) -> ComplaintDetail | None:
        return self._detail

    def action_button(self, action: Action) -> QPushButton | None:
        for button in self.findChildren(QPushButton):
            if button.property("action") == action.value:
                return button
        return None

    def clear(self) -> None:
        self._detail = None
        self.more_button.setEnabled(False)
        self.improvement_button.setEnabled(False)
        self.improvements.clear()
        self.tabs.setTabText(4, "Verbeteracties")
        self.links.show_for(None)
        self._set_links_title()
        self.title.setText("Kies een klacht in de lijst.")
        self._set_buttons([])
        self.extension_button.hide()
        self.extension_note.hide()
        self.data.clear()
        self.limits.setRowCount(0)
        self.timeline.setRowCount(0)
        self.documents.clear()
        self.make_menu.clear()
        self.make_button.setEnabled(False)

    def show_detail(self, detail: ComplaintDetail) -> None:
        self._detail = detail
        self.more_button.setEnabled(True)
        self.improvement_button.setEnabled(True)
        intake, dossier = detail.intake, detail.dossier
        who = escape(intake.name) if intake.name else "<i>anoniem</i>"
        if detail.erased:
            who = "<i>geanonimiseerd</i>"
        step = f"stap {dossier.state.step}: " if dossier.state.step else ""
        imported = " (geïmporteerd uit een vorig register)" if detail.imported else ""
        self.title.setText(
            f"<h2>{escape(detail.reference)} – {who}</h2>"
            f"<p>{escape(step + dossier.state.label + imported)}</p>"
        )
        self._set_buttons([a for a in detail.actions if a in ACTION_BUTTONS])
        self.extension_button.setVisible(detail.extension_offered)
        self.data.setText(self._data_html(detail))
        self._fill_limits(detail)
        self.timeline.setRowCount(len(detail.timeline))
        for row, entry in enumerate(detail.timeline):
            for column, text in enumerate(
                (entry.at.strftime("%d/%m/%Y %H:%M"), entry.actor, entry.summary)
            ):
                self.timeline.setItem(row, column, QTableWidgetItem(text))
        self._fill_make_menu(detail)
        self.documents.clear()
        for document in detail.documents:
            day = f"({short_date(document.created_at.date())})"
            # Registers from before 0.2 kept the date in the title itself.
            title = document.title.removesuffix(day).rstrip()
            item = QListWidgetItem(f"{title} {day}")
            item.setData(Qt.ItemDataRole.UserRole, document.id)
            self.documents.addItem(item)
        if not detail.documents:
            self.documents.addItem("Nog geen documenten.")
        self.tabs.setTabText(3, f"Documenten ({len(detail.documents)})")
        self._fill_improvements(detail)
        self.links.show_for(detail)
        self._set_links_title()

    def _set_links_title(self) -> None:
        count = self.links.count()
        self.tabs.setTabText(
            self.tabs.indexOf(self.links), f"Koppelingen ({count})" if count else "Koppelingen"
        )

    def _fill_improvements(self, detail: ComplaintDetail) -> None:
        self.improvements.clear()
        for entry in detail.improvements:
            dates = [f"aangemaakt {short_date(entry.created_on)}"]
            if entry.due_on is not None:
                dates.append(f"streefdatum {short_date(entry.due_on)}")
            if entry.done_on is not None:
                dates.append(f"uitgevoerd {short_date(entry.done_on)}")
            item = QListWidgetItem(
                f"{entry.status.label}: {' '.join(entry.description.split())} "
                f"({entry.department}; {', '.join(dates)})"
            )
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            self.improvements.addItem(item)
        if not detail.improvements:
            self.improvements.addItem("Nog geen verbeteracties (knop Verbeteractie… hierboven).")
        self.open_improvement_button.setEnabled(bool(detail.improvements))
        self.tabs.setTabText(4, f"Verbeteracties ({len(detail.improvements)})")

    def open_improvement(self) -> None:
        item = self.improvements.currentItem() or self.improvements.item(0)
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if data is not None:
            self._request_improvement(int(data))

    def _request_improvement(self, action_id: int | None) -> None:
        if self._detail is not None:
            self.improvement_requested.emit(self._detail.id, action_id, self._detail.reference)

    def selected_pdf(self) -> int | None:
        """The selected document when it is a PDF (what Ctrl+P prints)."""
        document_id = self.selected_document()
        if self._detail is None or document_id is None:
            return None
        for document in self._detail.documents:
            if document.id == document_id and document.mime_type == "application/pdf":
                return document_id
        return None

    def selected_document(self) -> int | None:
        item = self.documents.currentItem() or self.documents.item(0)
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return int(data) if data is not None else None

    def save_document(self) -> None:
        document_id = self.selected_document()
        if document_id is None:
            return
        try:
            filename, content = document_content(document_id)
            target, _ = QFileDialog.getSaveFileName(
                self, "Document opslaan", str(Path.home() / filename)
            )
            if target:
                Path(target).write_bytes(content)
        except UserError as exc:
            show_error(self, exc)
        except OSError as exc:
            show_error(self, f"Het document kon niet bewaard worden ({exc.strerror}).")

    def open_document(self) -> None:
        """Open with the system's viewer: a private copy, removed when klachtdesk locks or
        ends (services.viewing_copies)."""
        document_id = self.selected_document()
        if document_id is None:
            return
        try:
            filename, content = document_content(document_id)
            path = write_copy(viewing_name(document_id, filename), content)
        except UserError as exc:
            show_error(self, exc)
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            remove_copy(path)  # nothing took the plaintext copy: it goes at once
            answer = QMessageBox.question(
                self,
                "Geen programma gevonden",
                f"Er is geen programma ingesteld om ‘{Path(filename).name}’ te openen. "
                "Wilt u het document opslaan, om het zelf te openen?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Save:
                self.save_document()

    def _set_buttons(self, actions: list[Action]) -> None:
        while self.buttons.count():
            item = self.buttons.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        for action in actions:
            button = QPushButton(ACTION_BUTTONS[action])
            button.setProperty("action", action.value)
            if action is Action.WITHDRAW:
                button.setToolTip("De burger stopt de klachtenprocedure.")
            button.clicked.connect(lambda _=False, a=action: self._request(a))
            self.buttons.addWidget(button)
        if actions and self._detail is not None and takes_form(self._detail.dossier.state):
            # Steps 9-11 at once, from the form the handler filled in (issue 15).
            button = QPushButton("Ingevuld rapport inlezen…")
            button.setToolTip(
                "Het rapportformulier dat de behandelaar invulde (PDF of e-mail): onderzoek, "
                "beoordeling, rapport en motiverende brief in één keer."
            )
            button.clicked.connect(lambda: self._request_on(self.form_requested))
            self.buttons.addWidget(button)

    def _fill_make_menu(self, detail: ComplaintDetail) -> None:
        """Only the documents that make sense in the dossier's current step."""
        self.make_menu.clear()
        kinds = documents_for(detail.dossier.state, admissible=detail.dossier.admissible)
        if detail.dossier.extended and detail.dossier.state.is_open:
            kinds.append(EXTENSION)  # the notice again (issue 15)
        for kind in kinds:
            self.make_menu.addAction(KIND_TITLES[kind], partial(self._request_document, kind))
        self.make_button.setEnabled(bool(kinds))
        self.make_button.setToolTip(
            "" if kinds else "In deze stap van de procedure hoort geen document."
        )

    def _request_document(self, kind: str) -> None:
        if self._detail is not None:
            self.document_requested.emit(kind, self._detail.id)

    def _request_on(self, signal: SignalInstance) -> None:
        if self._detail is not None:
            signal.emit(self._detail.id)

    def _request(self, action: Action) -> None:
        if self._detail is not None:
            self.action_requested.emit(action, self._detail.id)

    def _fill_limits(self, detail: ComplaintDetail) -> None:
        self.limits.setRowCount(len(detail.deadlines))
        for row, deadline in enumerate(detail.deadlines):
            mark = STATUS_MARK[deadline.status]
            cells = [
                f"{mark} {deadline.label}".strip(),
                short_date(deadline.due_on),
                short_date(deadline.met_on),
                days_text(deadline),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if deadline.status is LimitStatus.OVERDUE:
                    item.setBackground(OVERDUE_BACKGROUND)
                elif deadline.status is LimitStatus.DUE_SOON:
                    item.setBackground(DUE_SOON_BACKGROUND)
                item.setToolTip(deadline.status.label)
                self.limits.setItem(row, column, item)
        note = extension_text(detail)
        self.extension_note.setText(note)
        self.extension_note.setVisible(bool(note))

    @staticmethod
    def _data_html(detail: ComplaintDetail) -> str:
        i, d, t = detail.intake, detail.dossier, detail.texts
        rows: list[tuple[str, str]] = [
            ("Naam", i.name or "anoniem"),
            ("Aanspreking", i.form_of_address.shown),
            ("Adres", i.address),
            ("Telefoon", i.phone),
            ("E-mail", i.email),
            ("Kanaal", i.channel.label),
            ("Ingediend via", i.route.label if i.route else "niet ingevuld"),
            ("Ontvangen op", short_date(i.received_on)),
            ("Bij de coördinator op", short_date(i.coordinator_received_on)),
            ("Ontvangen door", i.received_by),
            ("Doorgestuurd door", i.forwarded_by),
            ("Datum van de feiten", short_date(i.facts_on)),
            ("Over", i.subject.label if i.subject else ""),
            ("Dienst", detail.department),
            ("Betrokken persoon", i.person_concerned),
            ("Aard", i.nature.label if i.nature else ""),
            ("Soort handeling", i.act_kind.label if i.act_kind else ""),
            ("Omschrijving", i.description),
            ("Meteen opgelost", i.immediate_solution if i.solved_immediately else ""),
        ]
        if d.admissible is not None:
            verdict = "ontvankelijk" if d.admissible else "niet ontvankelijk"
            grounds = ", ".join(g.label for g in sorted(d.grounds, key=lambda g: g.number))
            rows.append(("Ontvankelijkheid", f"{verdict}{': ' + grounds if grounds else ''}"))
            rows.append(("Motivering", t["admissibility_motivation"]))
        if detail.handler is not None:
            h = detail.handler
            contact = ", ".join(p for p in (h.department, h.email, h.phone) if p)
            rows.append(("Behandelaar", f"{h.name} ({contact})" if contact else h.name))
        rows += [
            ("Contacten", t["investigation_contacts"]),
            ("Samenvatting onderzoek", t["investigation_summary"]),
            ("Beoordeling", d.outcome.label if d.outcome else ""),
            ("Geen oordeel want", d.no_judgement_reason.label if d.no_judgement_reason else ""),
            ("Mate van oplossing", detail.resolution.label if detail.resolution else ""),
            ("Ombudsnormen", "\n".join(norm.numbered for norm in detail.norms)),
            ("Oplossing", t["solution"]),
            ("Rapport", t["report_text"]),
            ("Diensthoofd op de hoogte", detail.head_informed),
            ("Motiverende brief", t["reply_text"]),
            ("Niet neutraal omdat", t["review_failed_reason"]),
            ("Reden stopzetting", t["withdrawal_reason"]),
            ("Termijn verlengd", extension_text(detail)),
        ]
        body = "".join(
            f"<tr><td valign='top'><b>{escape(label)}</b></td>"
            f"<td>{escape(breakable(value)).replace(chr(10), '<br>')}</td></tr>"
            for label, value in rows
            if value
        )
        return f"<table cellspacing='4'>{body}</table>"
