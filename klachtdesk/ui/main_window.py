"""The window the coordinator lives in: the complaint list, filters and the dossier view."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QItemSelection, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from klachtdesk import __version__
from klachtdesk.procedure import (
    Action,
    Channel,
    Ground,
    Outcome,
    State,
    TimeLimits,
    UserError,
    day_count,
)
from klachtdesk.procedure.watch import summary
from klachtdesk.procedure.words import counted
from klachtdesk.services import complaint_list, drafts
from klachtdesk.services.complaint_list import DueFilter, ListFilter, Restriction
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.correspondence import intake_form_pdf
from klachtdesk.services.documents import Attachment, document_content
from klachtdesk.services.dossier_detail import ComplaintDetail, complaint_detail
from klachtdesk.services.email_intake import intake_from_eml_file
from klachtdesk.services.handler_form import NotAForm, for_printing
from klachtdesk.services.organisation import departments, handlers
from klachtdesk.services.settings import idle_lock_minutes, time_limits

from .action_dialogs import dialog_for
from .complaint_table_model import DAYS_COLUMN, NEXT_LIMIT_COLUMN, ComplaintTableModel
from .dossier_erasure import DeleteDossierDialog, export_about_person
from .dossier_view import DossierView
from .export_dialog import ExportDialog
from .extension_dialog import open_extension_dialog
from .figures_window import FiguresWindow
from .first_paint import after_first_paint
from .idle_lock import IdleLock
from .improvement_dialog import open_improvement_dialog
from .improvements_dialog import ImprovementsDialog
from .intake_wizard import CHANNEL_TITLES, IntakeWizard
from .letter_preview_dialog import LetterPreviewDialog, document_preview
from .messages import show_error
from .printing import print_pdf
from .reminder_drafts_panel import add_reminders_to_today
from .reminder_sender import attach_reminders, reminders_recorded
from .report_dialog import ReportDialog
from .restriction_bar import RestrictionBar
from .retention_dialog import RetentionDialog
from .returned_form_dialog import ReturnedFormDialog, choose_form_file, read_form_file
from .settings_dialog import SettingsDialog
from .today_dialog import TodayDialog
from .tray import DeadlineWatch
from .widgets import ValueComboBox

SEARCH_DELAY_MS = 150
#: The rest of a long list is read right after its first rows are painted, or after this when
#: the table is not painted (a hidden window).
REST_AFTER_MS = 100
OPEN_DOSSIERS = "open"  # the state filter's "every open dossier" choice
# The step reads like a description: it takes the room left; the others fit what they
# typically hold (and can be widened by hand).
STRETCHED_COLUMNS = frozenset({5})
COLUMN_SAMPLES: dict[int, tuple[str, ...]] = {
    0: ("2026-00001",),
    1: ("29/11/2026",),
    2: ("Marleen Van den Broeck",),
    3: tuple(channel.label for channel in Channel if channel is not Channel.IN_PERSON),
    4: ("Milieu en afval",),
    6: ("Inge Claes-Van den",),
    NEXT_LIMIT_COLUMN: ("✖ rapport behandelaar – 21/11/2026",),
    DAYS_COLUMN: ("12 dagen te laat", "te laat gehaald", "herinnerd op 22/11"),
}

# Filled by procedure_help(): every limit from the configured limits, nothing fixed here.
PROCEDURE_HELP = """<h3>De klachtenprocedure</h3><ol>
<li>Iemand uit een klacht (e-mail, brief, telefoon, website, mondeling).</li>
<li>Wie de klacht ontvangt, noteert datum, naam, adres, telefoon, e-mail, omschrijving,
kanaal en wie ze ontving.</li>
<li>Kan het meteen opgelost worden, dan gebeurt dat.</li>
<li>Elke klacht gaat naar de klachtencoördinator, ook de opgeloste.</li>
<li>De coördinator registreert de klacht.</li>
<li>De coördinator onderzoekt de ontvankelijkheid ({grounds} gronden).</li>
<li>Binnen <b>{acknowledgement}</b>: ontvangstmelding (per e-mail als de klacht per e-mail
kwam).</li>
<li>Ontvankelijke klachten: rapport naar de klachtenbehandelaar.</li>
<li>De behandelaar onderzoekt de klacht.</li>
<li>De behandelaar beoordeelt de klacht ({outcomes} uitkomsten).</li>
<li>Rapport en motiverende brief terug binnen <b>{handler}</b> na ontvangst door de
coördinator.</li>
<li>Neutraliteitstoets; niet neutraal: <b>{reinvestigation}</b> heronderzoek. Daarna gaat de
brief weg.</li>
<li>Binnen <b>{closing}</b> is het dossier afgehandeld.</li></ol>
<p>Stopt de burger de procedure, dan wordt het dossier afgesloten met de uitkomst
‘{stopped}’.</p>
<p>Deze termijnen gelden voor dossiers die vanaf nu geregistreerd worden; elk dossier houdt
de termijnen die golden toen het geregistreerd werd.</p>"""


def procedure_help(limits: TimeLimits) -> str:
    """The procedure in short, with the limits configured now."""
    return PROCEDURE_HELP.format(
        grounds=len(Ground),
        outcomes=len(Outcome),
        acknowledgement=day_count(limits.acknowledgement_days),
        handler=day_count(limits.handler_days),
        reinvestigation=day_count(limits.reinvestigation_days),
        closing=day_count(limits.closing_days),
        stopped=Outcome.STOPPED_BY_CITIZEN.label,
    )


#: Room left on the screen for the window's title bar and frame.
FRAME_ALLOWANCE = 60


class MainWindow(QMainWindow):
    def __init__(self, ctx: ServiceContext, settings: QSettings | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.settings = settings or QSettings()
        self.current_dialog: QDialog | None = None
        self.idle_lock: IdleLock | None = None
        self.quitting = False
        self.watch = DeadlineWatch(ctx.today, self.is_locked, self)
        self.watch.open_dossier.connect(self.open_dossier_from_watch)
        self.watch.show_window.connect(self.bring_to_front)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #fff3cd; color: #202020; padding: 6px; border: 1px solid #e0c36a;"
        )
        self.banner.hide()  # without a tray, shown from the watch's first check on
        self.watch.changed.connect(self._show_deadline_summary)
        # The yearly retention reminder stays in the status bar until the coordinator opens
        # Register → Bewaartermijn verstreken: as a passing message, the next one (the day's
        # backup, made at the same moment) wiped it within a second.
        self.retention_note = QLabel()
        self.retention_note.setAccessibleName("Bewaartermijn")
        self.retention_note.hide()
        self.statusBar().addWidget(self.retention_note, 1)
        self.watch.retention_reminded.connect(self._show_retention_note)
        self.setWindowTitle("klachtdesk")
        self.setAcceptDrops(True)
        self.model = ComplaintTableModel(ctx.today, time_limits, self)
        self.model.completed.connect(self._update_count)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoeken (Ctrl+F)")
        self.search.setToolTip("Zoekt in naam, kenmerk, adres, e-mail en omschrijving.")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Zoeken")
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())

        self.state_filter = ValueComboBox(
            [("Alle dossiers", None), ("Lopende dossiers", OPEN_DOSSIERS)]
            + [(state.label, state) for state in State]
        )
        self.due_filter = ValueComboBox(
            [
                ("Alle termijnen", DueFilter.ALL),
                ("Verstreken of binnenkort", DueFilter.URGENT),
                ("Verstreken", DueFilter.OVERDUE),
            ]
        )
        self.year_filter = ValueComboBox()
        self.channel_filter = ValueComboBox(
            [("Alle kanalen", None)] + [(channel.label, channel) for channel in Channel]
        )
        self.department_filter = ValueComboBox()
        self.handler_filter = ValueComboBox()
        self.fill_filter_choices()
        # Filters without a label of their own: a screen reader says what each one filters.
        for combo, name in (
            (self.state_filter, "Filter op stand van het dossier"),
            (self.due_filter, "Filter op termijn"),
            (self.year_filter, "Filter op jaar"),
            (self.channel_filter, "Filter op kanaal"),
            (self.department_filter, "Filter op dienst"),
            (self.handler_filter, "Filter op behandelaar"),
        ):
            combo.setAccessibleName(name)
        for combo in self._filter_combos():
            combo.currentIndexChanged.connect(self.apply_filter)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Klachten")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        # After the view has sorted the model (connected later, so called later).
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._sorted)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self._size_columns()
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        # The first rows of a long list are on screen before the rest is read (see the model).
        self.model.schedule_rest = lambda rest: after_first_paint(
            self.table.viewport(), lambda: self._read_rest(rest), latest_ms=REST_AFTER_MS
        )

        self._keeping_selection = False
        self.restriction: Restriction | None = None
        self._before_restriction: tuple[list[Any], str] | None = None
        self.restriction_bar = RestrictionBar()
        self.restriction_bar.clear_button.clicked.connect(self.clear_restriction)
        self.figures: FiguresWindow | None = None

        self.dossier = DossierView()
        self.dossier.action_requested.connect(self.run_action)
        self.dossier.document_requested.connect(self.make_document)
        self.dossier.access_requested.connect(self.export_about_person)
        self.dossier.delete_requested.connect(self.delete_dossier)
        self.dossier.form_requested.connect(self.choose_returned_form)
        self.dossier.links.set_context(self.ctx)  # linked dossiers (issue 15)
        self.dossier.links.open_requested.connect(self.open_dossier_from_watch)
        self.dossier.links.changed.connect(self._changed)
        self.dossier.extension_requested.connect(
            lambda cid: open_extension_dialog(self, self.ctx, cid, self._changed)
        )
        self.dossier.improvement_requested.connect(
            lambda cid, action_id, ref: open_improvement_dialog(
                self, self.ctx, cid, action_id, ref, lambda: self.show_dossier(cid)
            )
        )
        self.reminders = attach_reminders(self)  # after each check of the watch (issue 15)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for combo in self._filter_combos():
            filters.addWidget(combo, 1)
        top = QWidget()
        list_layout = QVBoxLayout(top)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.banner)
        list_layout.addLayout(filters)
        list_layout.addWidget(self.restriction_bar)
        list_layout.addWidget(self.table)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.dossier)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.setCentralWidget(self.splitter)
        self.count_label = QLabel()
        self.statusBar().addPermanentWidget(self.count_label)

        self._build_actions()
        self._restore_layout()
        self.apply_filter()
        QTimer.singleShot(0, self.restore_draft)

    # -- building -----------------------------------------------------------------------

    def _filter_combos(self) -> list[ValueComboBox]:
        return [
            self.state_filter,
            self.due_filter,
            self.year_filter,
            self.channel_filter,
            self.department_filter,
            self.handler_filter,
        ]

    def _size_columns(self) -> None:
        """Short columns as wide as what they hold; the descriptive ones share the rest, so
        the list never needs a horizontal scroll bar."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        metrics = self.table.fontMetrics()
        for column in range(self.model.columnCount()):
            if column in STRETCHED_COLUMNS:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
                continue
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            samples = [title, *COLUMN_SAMPLES.get(column, ())]
            widest = max(metrics.horizontalAdvance(text) for text in samples)
            self.table.setColumnWidth(column, widest + 28)  # padding and the sort arrow

    def fill_filter_choices(self) -> None:
        """(Re)load the choices that come from the register: years, departments, handlers."""
        for combo, first, items in (
            (self.year_filter, "Alle jaren", [(str(y), y) for y in complaint_list.years()]),
            (
                self.department_filter,
                "Alle diensten",
                [(d.name, d.id) for d in departments(include_inactive=True)],
            ),
            (
                self.handler_filter,
                "Alle behandelaars",
                [(h.name, h.id) for h in handlers(include_inactive=True)],
            ),
        ):
            combo.set_items([(first, None), *items])

    def _build_actions(self) -> None:
        self.new_phone_action = QAction("Nieuwe telefonische klacht…", self)
        self.new_phone_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_phone_action.triggered.connect(self.new_phone_intake)
        channel_actions = []
        for channel in Channel:
            if channel is Channel.PHONE:
                continue
            action = QAction(CHANNEL_TITLES[channel] + "…", self)
            action.triggered.connect(lambda _=False, c=channel: self.open_intake(c))
            channel_actions.append(action)
        eml_action = QAction("E-mail inlezen (.eml)…", self)
        eml_action.triggered.connect(self.choose_eml)
        returned_action = QAction("Ingevuld rapport van behandelaar inlezen…", self)
        returned_action.triggered.connect(lambda _=False: self.choose_returned_form())
        form_action = QAction("Leeg klachtenformulier…", self)
        form_action.triggered.connect(self.blank_intake_form)
        export_action = QAction("Exporteren…", self)
        export_action.triggered.connect(lambda _=False: self.show_export())
        self.find_action = QAction("Zoeken", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self._focus_search)
        self.print_action = QAction("Afdrukken…", self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.triggered.connect(self.print_document)
        self.quit_action = quit_action = QAction("Afsluiten", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.quit_program)
        self.today_action = QAction("&Vandaag…", self)
        self.today_action.setShortcut("Ctrl+T")
        self.today_action.triggered.connect(self.show_today)
        self.figures_action = QAction("&Cijfers…", self)
        self.figures_action.setShortcut("Ctrl+Shift+C")
        self.figures_action.setToolTip("Cijfers van een jaar, kwartaal of maand (Ctrl+Shift+C)")
        self.figures_action.triggered.connect(self.show_figures)
        self.lock_action = QAction("Ver&grendelen", self)
        self.lock_action.setShortcut("Ctrl+L")
        self.lock_action.triggered.connect(self.lock_now)
        open_action = QAction("klachtdesk openen", self)
        open_action.triggered.connect(self.bring_to_front)
        settings_action = QAction("Instellingen…", self)
        settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        settings_action.triggered.connect(self.show_settings)
        help_action = QAction("De klachtenprocedure", self)
        help_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        help_action.triggered.connect(self.show_procedure_help)
        about_action = QAction("Over klachtdesk", self)
        about_action.triggered.connect(self.show_about)

        self.file_menu = file_menu = self.menuBar().addMenu("&Bestand")
        file_menu.addAction(self.new_phone_action)
        for action in channel_actions:
            file_menu.addAction(action)
        file_menu.addAction(eml_action)
        file_menu.addAction(returned_action)
        file_menu.addSeparator()
        file_menu.addAction(form_action)
        file_menu.addAction(self.print_action)
        file_menu.addAction(export_action)
        file_menu.addSeparator()
        file_menu.addAction("Importeren…", self.show_import)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("Be&eld")
        view_menu.addAction(self.today_action)
        view_menu.addAction("Ver&beteracties…", self.show_improvements)
        view_menu.addAction(self.figures_action)
        view_menu.addAction(self.lock_action)
        edit_menu = self.menuBar().addMenu("Be&werken")
        edit_menu.addAction(self.find_action)
        edit_menu.addSeparator()
        edit_menu.addAction(settings_action)
        register_menu = self.menuBar().addMenu("&Register")
        register_menu.addAction("&Bewaartermijn verstreken…", self.show_retention)
        register_menu.addAction("&Jaarverslag…", self.show_report)
        register_menu.addAction("&Controleren…", self.show_check)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(help_action)
        help_menu.addAction(about_action)

        toolbar = QToolBar("Werkbalk")
        toolbar.setObjectName("main-toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.new_phone_action)
        toolbar.addAction(self.find_action)
        toolbar.addAction(self.today_action)
        toolbar.addAction(self.figures_action)
        self.watch.set_menu(
            [open_action, self.new_phone_action, self.today_action, None, self.lock_action,
             quit_action]
        )  # fmt: skip
        self.addToolBar(toolbar)

    # -- the list -----------------------------------------------------------------------

    def current_filter(self) -> ListFilter:
        state = self.state_filter.value()
        due = self.due_filter.value()
        if state is OPEN_DOSSIERS:
            states: frozenset[State] = frozenset()
            if due is DueFilter.ALL:
                due = DueFilter.OPEN
        else:
            states = frozenset({state}) if isinstance(state, State) else frozenset()
        return ListFilter(
            text=self.search.text(),
            states=states,
            due=due,
            year=self.year_filter.value(),
            channel=self.channel_filter.value(),
            department_id=self.department_filter.value(),
            handler_id=self.handler_filter.value(),
            only=self.restriction,
        )

    def apply_filter(self) -> None:
        """Show what the filters ask; a dossier still listed stays selected, and its view is
        not built again (it did not change)."""
        if self._after_unlock(self.apply_filter):
            # Typed (or chosen) just before the lock: the search's moment came with the
            # register closed. The list follows the filters once the coordinator unlocked.
            return
        selected = self.selected_id()
        self._keeping_selection = selected is not None
        try:
            self.model.set_filter(self.current_filter())
            self._update_count()
            if selected is not None:
                self.select_complaint(selected)
        finally:
            self._keeping_selection = False

    # -- the dossiers behind a number of the figures (issue 12) ----------------------------

    def show_figures(self) -> FiguresWindow:
        """Beeld → Cijfers: the figures window, opened once and brought back after."""
        if self.figures is None:
            from klachtdesk.services.audit import last_hash
            from klachtdesk.services.report import period_report, selection_ids

            self.figures = FiguresWindow(
                self.ctx.today, period_report, selection_ids, self, version=last_hash
            )
            self.figures.dossiers_chosen.connect(self.show_only)
        self.figures.show()
        self.figures.raise_()
        self.figures.activateWindow()
        return self.figures

    def show_only(self, ids: list[int], label: str) -> None:
        """List exactly these dossiers: every other filter back to 'all' (else the list
        would not show what the number counted), then narrowed from there as the coordinator
        likes; the bar above the list says so and takes the restriction away, putting the
        filters and the search back as they were before the first number was clicked."""
        if self.restriction is None:
            self._before_restriction = (
                [combo.value() for combo in self._filter_combos()],
                self.search.text(),
            )
        for combo in self._filter_combos():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.restriction = Restriction(frozenset(ids), label)
        self.restriction_bar.show_label(label)
        self.apply_filter()
        self.bring_to_front()

    def clear_restriction(self) -> None:
        self.restriction = None
        self.restriction_bar.hide()
        if self._before_restriction is not None:
            values, text = self._before_restriction
            self._before_restriction = None
            for combo, value in zip(self._filter_combos(), values, strict=True):
                combo.blockSignals(True)
                combo.set_value(value)
                combo.blockSignals(False)
            self.search.blockSignals(True)
            self.search.setText(text)
            self.search.blockSignals(False)
        self.apply_filter()
        self.table.setFocus()

    def _sorted(self, _column: int, _order: Qt.SortOrder) -> None:
        """A header clicked: the new order's reset dropped the selection; the dossier shown
        stays selected (and scrolled to) in it, as a filter keeps it."""
        shown = self.dossier.detail
        if shown is None or self.selected_id() is not None:
            return
        self._keeping_selection = True
        try:
            self.select_complaint(shown.id)
        finally:
            self._keeping_selection = False

    def _read_rest(self, rest: Callable[[], None]) -> None:
        """Read the rest of a long list, unless the register was locked since its first rows
        were read (a hidden window is not painted): then it is read at the unlock."""
        if not self._after_unlock(self.model.ensure_complete):
            rest()

    def _after_unlock(self, work: Callable[[], None]) -> bool:
        """While the register is locked (its key gone), ``work`` that reads it is put off
        until the unlock; True when it was. The list's timers can come due after a lock."""
        if not self.is_locked() or self.idle_lock is None:
            return False
        self.idle_lock.unlocked.connect(work, Qt.ConnectionType.SingleShotConnection)
        return True

    def _update_count(self) -> None:
        if not self.model.complete:
            return  # the count follows with the rest of the list (model.completed)
        shown = self.model.rowCount()
        self.count_label.setText(counted(shown, "klacht"))

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.complaint_id(rows[0].row()) if rows else None

    def select_complaint(self, complaint_id: int) -> bool:
        row = self.model.row_of(complaint_id)
        if row is None:
            self.dossier.clear()
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        complaint_id = self.selected_id()
        if self._keeping_selection:
            # A filter's reset drops the selection and apply_filter puts it back (or clears
            # the dossier when it left the list): the same dossier is not shown again.
            shown = self.dossier.detail
            if complaint_id is None or (shown is not None and shown.id == complaint_id):
                return
        if complaint_id is None:
            self.dossier.clear()
        else:
            self.show_dossier(complaint_id)

    def show_dossier(self, complaint_id: int) -> None:
        try:
            self.dossier.show_detail(complaint_detail(complaint_id, self.ctx.today()))
        except UserError as exc:
            show_error(self, exc)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- actions ------------------------------------------------------------------------

    def new_phone_intake(self) -> None:
        self.open_intake(Channel.PHONE)

    def open_intake(
        self,
        channel: Channel,
        draft: dict[str, Any] | None = None,
        attachments: list[Attachment] | None = None,
    ) -> IntakeWizard:
        wizard = IntakeWizard(self.ctx, channel, self)
        if draft is not None:
            wizard.restore(draft)
        if attachments:
            wizard.attachments.extend(attachments)
            wizard.originals.refresh()
        wizard.registered.connect(self._registered)
        self.current_dialog = wizard
        wizard.open()
        return wizard

    def intake_from_eml(self, path: Path) -> IntakeWizard | None:
        """Start an e-mail intake pre-filled from a saved e-mail (.eml)."""
        try:
            values, original = intake_from_eml_file(path, self.ctx.today())
        except UserError as exc:  # unreadable, too large, not an e-mail
            show_error(self, exc)
            return None
        return self.open_intake(Channel.EMAIL, values, [original])

    def choose_eml(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "E-mail inlezen", str(Path.home()), "E-mails (*.eml)"
        )
        if name:
            self.intake_from_eml(Path(name))

    def choose_returned_form(self, complaint_id: int | None = None) -> None:
        path = choose_form_file(self)
        if path is not None:
            self.take_returned_form(path, complaint_id)

    def take_returned_form(
        self, path: Path, complaint_id: int | None = None
    ) -> ReturnedFormDialog | None:
        """Show a handler's returned form (a PDF, or the .eml it came with) beside its dossier.

        A dropped e-mail that carries no form is a new complaint: it goes to the intake.
        """
        try:
            returned = read_form_file(path, complaint_id)
        except NotAForm as exc:
            if complaint_id is None and path.suffix.lower() == ".eml":
                self.intake_from_eml(path)
            else:
                show_error(self, exc, "Formulier niet ingelezen")
            return None
        except UserError as exc:
            show_error(self, exc, "Formulier niet ingelezen")
            return None
        dialog = ReturnedFormDialog(self.ctx, returned, self)
        dialog.accepted.connect(lambda: self._changed(returned.complaint_id))
        self.current_dialog = dialog
        dialog.open()
        return dialog

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_paths(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """An e-mail: a returned report form, or else a new complaint; a PDF: a returned form."""
        paths = _dropped_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.take_returned_form(paths[0])

    def restore_draft(self) -> None:
        """An intake that was not finished (crash, closed window) comes back as it was."""
        if not self.isVisible() or self.current_dialog is not None:
            return  # closed before the event loop came round, or already busy
        draft = drafts.load_draft()
        if draft is not None:
            channel = Channel.from_code(str(draft.get("channel", Channel.PHONE.value)))
            self.open_intake(channel, draft).mark_restored()
            self.statusBar().showMessage("Een onvoltooide klacht werd hersteld.", 10_000)

    def _registered(self, complaint_id: int) -> None:
        self.fill_filter_choices()
        self._changed(complaint_id)
        if not self.isVisible():  # taken from the tray menu: say which reference it got
            self.watch.announce_registered(complaint_id)

    def run_action(self, action: Action, complaint_id: int) -> None:
        detail = self.dossier.detail
        if detail is None or detail.id != complaint_id:
            detail = complaint_detail(complaint_id, self.ctx.today())
        if action is Action.EDIT:
            self.edit_dossier(detail)
            return
        self.current_dialog = dialog_for(action, self.ctx, detail, self)
        self.current_dialog.accepted.connect(lambda: self._changed(complaint_id))
        self.current_dialog.open()

    def _changed(self, complaint_id: int) -> None:
        """A step was recorded: the list and the dossier show the register as it is now."""
        self.model.reload()
        self._update_count()
        if not self.select_complaint(complaint_id):
            self.show_dossier(complaint_id)

    def edit_dossier(self, detail: ComplaintDetail) -> IntakeWizard:
        wizard = IntakeWizard(self.ctx, detail.intake.channel, self, editing=detail.id)
        wizard.fill_from(detail.intake)
        wizard.setWindowTitle(f"Gegevens wijzigen – {detail.reference}")
        wizard.registered.connect(self._changed)
        self.current_dialog = wizard
        wizard.open()
        return wizard

    def make_document(self, kind: str, complaint_id: int) -> None:
        """Make a document for the dossier (kept in it) and show it to print or e-mail."""
        try:
            preview = document_preview(self.ctx, complaint_id, kind, self)
        except UserError as exc:
            show_error(self, exc)
            return
        preview.finished.connect(lambda _result: self.show_dossier(complaint_id))
        self.current_dialog = preview
        preview.open()

    def blank_intake_form(self) -> None:
        try:
            pdf = intake_form_pdf(self.ctx)
        except UserError as exc:
            show_error(self, exc)
            return
        preview = LetterPreviewDialog("Leeg klachtenformulier", "klachtenformulier.pdf", pdf, self)
        self.current_dialog = preview
        preview.open()

    def print_document(self) -> None:
        """Ctrl+P: print the PDF selected in the dossier's documents, through the print dialog."""
        if self.dossier.selected_pdf() is None:
            self.statusBar().showMessage(
                "Kies eerst een PDF-document in het tabblad Documenten.", 8000
            )
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            self.print_selected_on(printer)

    def print_selected_on(self, printer: QPrinter) -> int:
        """Print the selected PDF document on ``printer``; returns the pages printed."""
        document_id = self.dossier.selected_pdf()
        if document_id is None:
            return 0
        try:
            _name, content = document_content(document_id)
            pages = print_pdf(for_printing(content), printer)
        except UserError as exc:
            show_error(self, exc)
            return 0
        self.statusBar().showMessage(f"{pages} pagina's afgedrukt.", 8000)
        return pages

    def is_locked(self) -> bool:
        return self.idle_lock is not None and self.idle_lock.is_locked

    def bring_to_front(self) -> None:
        if self.is_locked() and self.idle_lock is not None and self.idle_lock.dialog is not None:
            self.idle_lock.dialog.raise_()
            self.idle_lock.dialog.activateWindow()
            return
        self.show()
        self.raise_()
        self.activateWindow()

    def _show_deadline_summary(self, text: str) -> None:
        self.banner.setText(f"Termijnen: {text}.")
        self.banner.setVisible(not self.watch.has_tray)

    def open_dossier_from_watch(self, complaint_id: int) -> None:
        self.bring_to_front()
        self.restriction = None  # the dossier asked for is in the list, whatever was shown
        self._before_restriction = None
        self.restriction_bar.hide()
        self.search.clear()
        self.state_filter.setCurrentIndex(0)
        self.due_filter.setCurrentIndex(0)
        self.apply_filter()
        if not self.select_complaint(complaint_id):
            self.show_dossier(complaint_id)

    def show_today(self) -> None:
        if self.is_locked():
            return
        current = self.watch.check()
        dialog = TodayDialog(current, summary(current, time_limits()), self)
        dialog.open_dossier.connect(self.open_dossier_from_watch)
        add_reminders_to_today(dialog, self.ctx, lambda cid: reminders_recorded(self, [cid]))
        self.current_dialog = dialog
        self.bring_to_front()
        dialog.open()

    def lock_now(self) -> None:
        if self.idle_lock is not None:
            self.idle_lock.lock()

    def quit_program(self) -> None:
        """Really quit (closing the window only hides it to the tray)."""
        self.quitting = True
        self.close()
        self.watch.stop()
        QApplication.quit()

    def show_settings(self) -> None:
        dialog = SettingsDialog(self.ctx, self)
        dialog.finished.connect(lambda _result: self._settings_closed())
        self.current_dialog = dialog
        dialog.open()

    def _settings_closed(self) -> None:
        if self.idle_lock is not None:
            self.idle_lock.set_minutes(idle_lock_minutes())
        self.fill_filter_choices()
        self.model.reload()
        self._update_count()

    def show_export(self) -> ExportDialog:
        """Bestand → Exporteren…: the dossiers the list shows, in its order (issue 12)."""
        sort, descending = self.model.sort_order
        self.model.ensure_complete()
        dialog = ExportDialog(
            self.ctx, self.model.list_filter, sort, descending, self.model.rowCount(), self
        )
        dialog.accepted.connect(lambda: self.statusBar().showMessage(dialog.summary(), 15_000))
        self.current_dialog = dialog
        dialog.open()
        return dialog

    # -- retention and erasure (issue 11) ------------------------------------------------

    def show_import(self) -> None:
        from .import_wizard import ImportWizard

        wizard = ImportWizard(self.ctx, self)
        wizard.imported.connect(lambda _count: self._settings_closed())
        self.current_dialog = wizard
        wizard.open()

    def _show_retention_note(self, text: str) -> None:
        self.retention_note.setText(text)
        self.retention_note.show()

    def show_retention(self) -> None:
        self.retention_note.hide()  # seen to: the dialog lists what the note counted
        dialog = RetentionDialog(self.ctx, self)
        dialog.anonymised.connect(lambda _count: self._after_erasure())
        self.current_dialog = dialog
        dialog.open()

    def show_improvements(self) -> None:
        """Beeld → Verbeteracties…; the dossier shown may have had one of its actions changed."""
        dialog = ImprovementsDialog(self.ctx, self)

        def refresh(_result: int) -> None:
            if self.dossier.detail is not None:
                self.show_dossier(self.dossier.detail.id)

        dialog.finished.connect(refresh)
        self.current_dialog = dialog
        dialog.open()

    def show_report(self) -> None:
        """Register → Jaarverslag… (issue 12): the yearly report or a shorter overview."""
        dialog = ReportDialog(self.ctx, self)
        self.current_dialog = dialog
        dialog.open()

    def show_check(self) -> None:
        """Register → Controleren… (issue 13): the whole check, findings and what to do."""
        from .check_dialog import CheckDialog

        dialog = CheckDialog(self)
        self.current_dialog = dialog
        dialog.open()

    def export_about_person(self, complaint_id: int) -> None:
        export_about_person(self, self.ctx, complaint_id)
        self.show_dossier(complaint_id)

    def delete_dossier(self, complaint_id: int) -> None:
        detail = self.dossier.detail
        reference = detail.reference if detail is not None else str(complaint_id)
        dialog = DeleteDossierDialog(self.ctx, complaint_id, reference, self)
        dialog.accepted.connect(self._after_erasure)
        dialog.accepted.connect(
            lambda: self.statusBar().showMessage(f"Dossier {reference} verwijderd.", 10_000)
        )
        self.current_dialog = dialog
        dialog.open()

    def _after_erasure(self) -> None:
        self.dossier.clear()
        self.fill_filter_choices()
        self.model.reload()
        self._update_count()

    def show_procedure_help(self) -> None:
        QMessageBox.information(self, "De klachtenprocedure", procedure_help(time_limits()))

    def show_about(self) -> None:
        QMessageBox.about(self, "Over klachtdesk", about_text())

    # -- window state -------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            # The first time: as large as useful, but never taller than the screen (a laptop's
            # 768 pixels would hide the status bar with the backup state).
            screen = self.screen().availableGeometry()
            self.resize(1280, min(820, screen.height() - FRAME_ALLOWANCE))
        splitter = self.settings.value("main/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        header = self.settings.value("main/header")
        if isinstance(header, QByteArray):
            self.table.horizontalHeader().restoreState(header)

    def save_layout(self) -> None:
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.setValue("main/splitter", self.splitter.saveState())
        self.settings.setValue("main/header", self.table.horizontalHeader().saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.watch.has_tray and not self.quitting:
            # The watch keeps running in the tray; say so the first time.
            event.ignore()
            self.hide()
            if not self.settings.value("tray/hint_shown", False, type=bool):
                self.settings.setValue("tray/hint_shown", True)
                if self.watch.tray is not None:
                    self.watch.tray.showMessage(
                        "klachtdesk blijft actief",
                        "klachtdesk bewaakt de termijnen verder vanuit het systeemvak. "
                        "Kies Afsluiten in het menu om het programma te stoppen.",
                    )
            return
        self.search_timer.stop()
        if isinstance(self.current_dialog, IntakeWizard) and self.current_dialog.isVisible():
            self.current_dialog.flush_draft()
        self.save_layout()
        super().closeEvent(event)


def about_text() -> str:
    """Version, licence and the versions of the parts that matter for support."""
    import reportlab
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from klachtdesk.services.register import cipher_versions

    cipher_version, sqlite_version = cipher_versions()
    return (
        f"<h3>klachtdesk {__version__}</h3>"
        "<p>Klachtenregistratie voor de klachtencoördinator van een lokaal bestuur.</p>"
        "<p>Licentie: EUPL-1.2</p>"
        f"<p>Qt {qVersion()} (PySide6 {pyside_version})<br>"
        f"SQLCipher {cipher_version} (SQLite {sqlite_version})<br>"
        f"ReportLab {reportlab.Version}</p>"
    )


def _dropped_paths(urls: list[QUrl]) -> list[Path]:
    """The dropped files klachtdesk takes: e-mails (.eml) and PDFs (a returned form)."""
    return [
        Path(url.toLocalFile())
        for url in urls
        if url.isLocalFile() and url.toLocalFile().lower().endswith((".eml", ".pdf"))
    ]
