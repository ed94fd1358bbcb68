"""Settings: the municipality and letterhead, the coordinator, departments, handlers, limits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from typing import TypeVar

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from klachtdesk import autostart
from klachtdesk.letters.texts import DEFAULT_TEXTS, PLACEHOLDERS, TEXT_LABELS
from klachtdesk.procedure import LimitKind, TimeLimits, UserError, day_count
from klachtdesk.services.backup import save_backup_settings
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.correspondence import letter_texts, save_letter_text
from klachtdesk.services.mail import SmtpSettings, check_connection, smtp_settings
from klachtdesk.services.organisation import (
    HandlerData,
    add_department,
    departments,
    handlers,
    rename_department,
    save_handler,
)
from klachtdesk.services.settings import idle_lock_minutes, time_limits
from klachtdesk.services.setup import (
    coordinator,
    envelope_window,
    municipality,
    save_settings,
    validate_coordinator,
    validate_municipality,
)

from . import mail_job
from .backup_settings_tab import BackupSettingsTab
from .extension_settings import ExtensionSettings
from .organisation_forms import CoordinatorForm, MunicipalityForm
from .population_settings_tab import PopulationSettingsTab
from .reminder_settings_section import ReminderSettingsSection
from .retention_settings_tab import RetentionSettingsTab
from .security_tab import SecurityTab
from .widgets import ValueComboBox, attempt, error_label, text_edit

LIMIT_LABELS = {
    "acknowledgement_days": "Ontvangstmelding (dagen na ontvangst)",
    "handler_days": "Rapport van de behandelaar (dagen na ontvangst door de coördinator)",
    "reinvestigation_days": "Heronderzoek na neutraliteitstoets (dagen)",
    "closing_days": "Antwoord en afsluiten (dagen na ontvangst)",
    "due_soon_days": "Waarschuwen vanaf (dagen voor de termijn)",
}


T = TypeVar("T")


class SettingsDialog(QDialog):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Instellingen")
        self.tabs = QTabWidget()
        self.municipality_form = MunicipalityForm(municipality())
        self.coordinator_form = CoordinatorForm(coordinator())
        self.tabs.addTab(self.municipality_form, "Bestuur")
        self.tabs.addTab(self.coordinator_form, "Klachtencoördinator")
        self.tabs.addTab(self._departments_tab(), "Diensten")
        self.tabs.addTab(self._handlers_tab(), "Behandelaars")
        self.tabs.addTab(_scrolling(self._limits_tab()), "Termijnen")
        self.tabs.addTab(self._mail_tab(), "E-mail")
        self.tabs.addTab(self._texts_tab(), "Brieven")
        self.tabs.addTab(PopulationSettingsTab(ctx), "Inwoners")
        self.retention_tab = RetentionSettingsTab()
        self.tabs.addTab(self.retention_tab, "Bewaartermijn")
        self.tabs.addTab(SecurityTab(ctx), "Beveiliging")
        self.backup_tab = BackupSettingsTab()
        self.tabs.addTab(self.backup_tab, "Reservekopieën")
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        # Every tab's title in view (ten tabs): no scroll arrows hiding the first ones.
        self.resize(max(700, self.tabs.tabBar().sizeHint().width() + 40), 520)

    # -- general settings, saved with the Save button ----------------------------------

    def _limits_tab(self) -> QWidget:
        current = time_limits()
        defaults = TimeLimits()
        self.limit_spins: dict[str, QSpinBox] = {}
        tab = QWidget()
        form = QFormLayout(tab)
        procedure = ", ".join(
            f"{kind.short_label} {day_count(kind.days(defaults))}" for kind in LimitKind
        )
        note = QLabel(
            f"Kalenderdagen. De procedure zegt: {procedure}. Een gemeenteraad kan andere "
            "termijnen vastleggen in het eigen reglement. Gewijzigde termijnen gelden voor "
            "dossiers die vanaf nu geregistreerd worden; elk dossier houdt zijn termijnen."
        )
        note.setWordWrap(True)
        form.addRow(note)
        for f in fields(TimeLimits):
            spin = QSpinBox()
            spin.setRange(0 if f.name == "due_soon_days" else 1, 365)
            spin.setValue(getattr(current, f.name))
            spin.setToolTip(f"Standaard: {getattr(defaults, f.name)}")
            self.limit_spins[f.name] = spin
            form.addRow(LIMIT_LABELS[f.name], spin)
        self.apply_to_open = QCheckBox("Ook toepassen op &lopende dossiers")
        self.apply_to_open.setToolTip(
            "De lopende dossiers krijgen deze termijnen ook; afgehandelde dossiers houden "
            "de termijnen waarmee ze behandeld werden."
        )
        form.addRow(self.apply_to_open)
        self.extension = ExtensionSettings(self.limit_spins["closing_days"])
        form.addRow(self.extension)
        self.reminder_section = ReminderSettingsSection(self.ctx.today)
        form.addRow(self.reminder_section)
        self.idle_spin = QSpinBox()
        self.idle_spin.setRange(1, 240)
        self.idle_spin.setSuffix(" minuten")
        self.idle_spin.setValue(idle_lock_minutes())
        form.addRow("Vergrendelen na", self.idle_spin)
        self.autostart = QCheckBox("klachtdesk starten bij het aanmelden (termijnen bewaken)")
        self.autostart.setChecked(autostart.is_enabled())
        form.addRow(self.autostart)
        return tab

    # -- e-mail ------------------------------------------------------------------------

    def _mail_tab(self) -> QWidget:
        current = smtp_settings() or SmtpSettings("", 587, "starttls", "", "", "")
        self.smtputf8_found: list[tuple[tuple[str, int, str], bool | None]] = [
            ((current.host, current.port, current.security), current.smtputf8)
        ]
        tab = QWidget()
        form = QFormLayout(tab)
        self.smtp_host = QLineEdit(current.host)
        self.smtp_port = QSpinBox()
        self.smtp_port.setRange(1, 65535)
        self.smtp_port.setValue(current.port)
        self.smtp_security = ValueComboBox(
            [("STARTTLS", "starttls"), ("SSL/TLS", "ssl"), ("geen", "none")]
        )
        self.smtp_security.set_value(current.security)
        self.smtp_user = QLineEdit(current.user)
        self.smtp_password = QLineEdit(current.password)
        self.smtp_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.smtp_sender = QLineEdit(current.sender)
        self.smtp_test_button = QPushButton("Verbinding testen")
        self.smtp_test_button.clicked.connect(self._test_smtp)
        self.smtp_status = QLabel()
        self.smtp_status.setWordWrap(True)
        note = QLabel("Het wachtwoord wordt enkel in het versleutelde register bewaard.")
        note.setWordWrap(True)
        form.addRow("Server", self.smtp_host)
        form.addRow("Poort", self.smtp_port)
        form.addRow("Beveiliging", self.smtp_security)
        form.addRow("Gebruiker", self.smtp_user)
        form.addRow("Wachtwoord", self.smtp_password)
        form.addRow("Afzender", self.smtp_sender)
        form.addRow(note)
        form.addRow(self.smtp_test_button, self.smtp_status)
        self.envelope = ValueComboBox(
            [("links (vensterenvelop links)", "left"), ("rechts (vensterenvelop rechts)", "right")]
        )
        self.envelope.set_value(envelope_window())
        form.addRow("Adres op de brief", self.envelope)
        return tab

    def smtp_value(self) -> SmtpSettings:
        typed = SmtpSettings(
            self.smtp_host.text().strip(),
            self.smtp_port.value(),
            self.smtp_security.value(),
            self.smtp_user.text().strip(),
            self.smtp_password.text(),
            self.smtp_sender.text().strip(),
        )
        # Whether the server offers SMTPUTF8: what the last test of this server found.
        server = (typed.host, typed.port, typed.security)
        known = dict(self.smtputf8_found)
        return replace(typed, smtputf8=known.get(server))

    def _test_smtp(self) -> None:
        settings = self.smtp_value()
        self.smtp_test_button.setEnabled(False)
        self.smtp_status.setText("Bezig…")
        found: list[bool] = []

        def done(problem: str) -> None:
            self.smtp_test_button.setEnabled(True)
            if problem or not found:
                self.smtp_status.setText(problem)
                return
            self.smtputf8_found.append(
                ((settings.host, settings.port, settings.security), found[0])
            )
            self.smtp_status.setText(
                (
                    "Verbinding en aanmelding gelukt. "
                    if settings.user
                    # Nothing was logged in to: do not claim it worked.
                    else "Verbinding gelukt (zonder aanmelding: er is geen gebruiker ingevuld). "
                )
                + (
                    "De server kan ook naar adressen met letters als ü of é vóór de @ versturen."
                    if found[0]
                    else "De server kan niet naar adressen met letters als ü of é vóór de @ "
                    "versturen (geen SMTPUTF8); zulke adressen worden bij een klacht geweigerd."
                )
            )

        self.smtp_job = mail_job.start(lambda: found.append(check_connection(settings)), done)

    # -- standard texts ----------------------------------------------------------------

    def _texts_tab(self) -> QWidget:
        tab = QWidget()
        self.text_choice = ValueComboBox((label, key) for key, label in TEXT_LABELS.items())
        self.text_choice.setAccessibleName("Brief")
        self.text_edit = text_edit()
        self.text_edit.setAccessibleName("Tekst van de brief")
        self.text_edit.setMinimumHeight(120)
        fields_help = QLabel("Velden: " + ", ".join("{" + name + "}" for name in PLACEHOLDERS))
        fields_help.setWordWrap(True)
        self.text_save_button = QPushButton("Tekst bewaren")
        self.text_save_button.clicked.connect(self._save_text)
        self.text_reset_button = QPushButton("Standaardtekst terugzetten")
        self.text_reset_button.clicked.connect(
            lambda: self.text_edit.setPlainText(DEFAULT_TEXTS[self.text_choice.value()])
        )
        self.text_error = error_label()
        self.text_choice.currentIndexChanged.connect(self._show_text)
        buttons = QHBoxLayout()
        buttons.addWidget(self.text_reset_button)
        buttons.addStretch(1)
        buttons.addWidget(self.text_save_button)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.text_choice)
        layout.addWidget(self.text_edit)
        layout.addWidget(fields_help)
        layout.addWidget(self.text_error)
        layout.addLayout(buttons)
        self._show_text()
        return tab

    def _show_text(self) -> None:
        self.text_edit.setPlainText(letter_texts()[self.text_choice.value()])
        self.text_error.hide()

    def _save_text(self) -> None:
        key = self.text_choice.value()
        attempt(
            self.text_error, lambda: save_letter_text(self.ctx, key, self.text_edit.toPlainText())
        )

    def accept(self) -> None:
        try:
            # Checked before anything is saved; a refusal shows the tab it is about.
            self._checked_on(
                self.municipality_form,
                lambda: validate_municipality(self.municipality_form.value()),
            )
            self._checked_on(
                self.coordinator_form, lambda: validate_coordinator(self.coordinator_form.value())
            )
            backups = self._checked_on(self.backup_tab, self.backup_tab.value)
            limits = TimeLimits(**{k: s.value() for k, s in self.limit_spins.items()})
            save_settings(
                self.ctx,
                self.municipality_form.value(),
                self.coordinator_form.value(),
                limits,
                self.idle_spin.value(),
                window=self.envelope.value(),
                smtp=self.smtp_value() if self.smtp_value().host else None,
                apply_limits_to_open=self.apply_to_open.isChecked(),
            )
            self.retention_tab.save(self.ctx)
            self.extension.save(self.ctx)
            self.reminder_section.save(self.ctx)
            save_backup_settings(self.ctx, backups)
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        if self.autostart.isChecked() != autostart.is_enabled():
            try:
                autostart.set_enabled(self.autostart.isChecked())
            except OSError as exc:
                self.error.setText(
                    f"Starten bij het aanmelden kon niet ingesteld worden ({exc.strerror})."
                )
                self.error.show()
                return
        super().accept()

    def _checked_on(self, tab: QWidget, check: Callable[[], T]) -> T:
        try:
            return check()
        except UserError:
            self.tabs.setCurrentWidget(tab)
            raise

    # -- departments and handlers, saved one at a time ---------------------------------

    def _departments_tab(self) -> QWidget:
        tab = QWidget()
        self.department_list = QListWidget()
        self.department_list.setAccessibleName("Diensten")
        self.department_name = QLineEdit()
        self.department_name.setPlaceholderText("Naam van de dienst")
        self.department_name.setAccessibleName("Naam van de dienst")
        self.department_active = QCheckBox("Actief")
        add = self.add_department_button = QPushButton("Toevoegen")
        add.clicked.connect(self._add_department)
        change = QPushButton("Wijzigen")
        change.clicked.connect(self._change_department)
        self.department_list.currentItemChanged.connect(self._department_selected)
        self.department_error = error_label()
        # The head of department gets a copy of the report when the handler is someone else.
        self.department_head_name = QLineEdit()
        self.department_head_email = QLineEdit()
        self.department_head_name.setPlaceholderText("Leeg: geen diensthoofd gekend")
        row = QHBoxLayout()
        row.addWidget(self.department_name, 1)
        row.addWidget(self.department_active)
        head = QFormLayout()
        head.addRow("&Diensthoofd", self.department_head_name)
        head.addRow("E-&mail diensthoofd", self.department_head_email)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(add)
        buttons.addWidget(change)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.department_list)
        layout.addLayout(row)
        layout.addLayout(head)
        layout.addLayout(buttons)
        layout.addWidget(self.department_error)
        self._load_departments()
        return tab

    def _load_departments(self) -> None:
        self.department_list.clear()
        self._departments = departments(include_inactive=True)
        for d in self._departments:
            self.department_list.addItem(d.name if d.active else f"{d.name} (niet actief)")

    def _department_selected(self, item: QListWidgetItem | None) -> None:
        row = self.department_list.row(item) if item is not None else -1
        if 0 <= row < len(self._departments):
            self.department_name.setText(self._departments[row].name)
            self.department_active.setChecked(self._departments[row].active)
            self.department_head_name.setText(self._departments[row].head_name)
            self.department_head_email.setText(self._departments[row].head_email)

    def _add_department(self) -> None:
        self._organisation_change(
            lambda: add_department(
                self.ctx,
                self.department_name.text(),
                head_name=self.department_head_name.text(),
                head_email=self.department_head_email.text(),
            ),
            self.department_error,
        )

    def _change_department(self) -> None:
        row = self.department_list.currentRow()
        if not 0 <= row < len(self._departments):
            return
        department_id = self._departments[row].id
        self._organisation_change(
            lambda: rename_department(
                self.ctx,
                department_id,
                self.department_name.text(),
                self.department_active.isChecked(),
                head_name=self.department_head_name.text(),
                head_email=self.department_head_email.text(),
            ),
            self.department_error,
        )

    def _handlers_tab(self) -> QWidget:
        tab = QWidget()
        self.handler_table = QTableWidget(0, 5)
        self.handler_table.setAccessibleName("Behandelaars")
        self.handler_table.setHorizontalHeaderLabels(
            ["Naam", "E-mail", "Telefoon", "Dienst", "Actief"]
        )
        self.handler_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.handler_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.handler_table.verticalHeader().hide()
        self.handler_table.horizontalHeader().setStretchLastSection(True)
        self.handler_table.currentCellChanged.connect(lambda row, *_: self._handler_selected(row))
        self.handler_name = QLineEdit()
        self.handler_email = QLineEdit()
        self.handler_phone = QLineEdit()
        self.handler_department = ValueComboBox()
        self.handler_active = QCheckBox("Actief")
        self.handler_active.setChecked(True)
        add = self.add_handler_button = QPushButton("Toevoegen")
        add.clicked.connect(lambda: self._save_handler(None))
        change = QPushButton("Wijzigen")
        change.clicked.connect(self._change_handler)
        self.handler_error = error_label()
        form = QFormLayout()
        form.addRow("Naam", self.handler_name)
        form.addRow("E-mail", self.handler_email)
        form.addRow("Telefoon", self.handler_phone)
        form.addRow("Dienst", self.handler_department)
        form.addRow(self.handler_active)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(add)
        buttons.addWidget(change)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.handler_table)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.handler_error)
        self._load_handlers()
        return tab

    def _load_handlers(self) -> None:
        names: dict[int | None, str] = {d.id: d.name for d in departments(include_inactive=True)}
        self.handler_department.set_items([("(geen)", None), *((n, i) for i, n in names.items())])
        self._handlers = handlers(include_inactive=True)
        self.handler_table.setRowCount(len(self._handlers))
        for row, h in enumerate(self._handlers):
            cells = [
                h.name,
                h.email,
                h.phone,
                names.get(h.department_id, ""),
                "ja" if h.active else "nee",
            ]
            for column, text in enumerate(cells):
                self.handler_table.setItem(row, column, QTableWidgetItem(text))

    def _handler_selected(self, row: int) -> None:
        if 0 <= row < len(self._handlers):
            h = self._handlers[row]
            self.handler_name.setText(h.name)
            self.handler_email.setText(h.email)
            self.handler_phone.setText(h.phone)
            self.handler_department.set_value(h.department_id)
            self.handler_active.setChecked(h.active)

    def _change_handler(self) -> None:
        row = self.handler_table.currentRow()
        if 0 <= row < len(self._handlers):
            self._save_handler(self._handlers[row].id)

    def _save_handler(self, handler_id: int | None) -> None:
        data = HandlerData(
            self.handler_name.text(),
            self.handler_email.text(),
            self.handler_phone.text(),
            self.handler_department.value(),
            self.handler_active.isChecked(),
        )
        self._organisation_change(
            lambda: save_handler(self.ctx, data, handler_id), self.handler_error
        )

    def _organisation_change(self, change: Callable[[], object], error: QLabel) -> None:
        try:
            change()
        except UserError as exc:
            error.setText(exc.message)
            error.show()
            return
        error.hide()
        self._load_departments()
        self._load_handlers()


def _scrolling(tab: QWidget) -> QScrollArea:
    """``tab`` in a frameless scroll area: a tab taller than the dialog (the limits, with the
    extension and reminder sections) scrolls instead of squeezing its texts and fields."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(tab)
    return area
