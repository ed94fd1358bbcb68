"""The "Cijfers" window: the figures of a chosen period as tables and charts.

A window of its own beside the main window (not a page in it): a coordinator clicks a number
here and reads the list it opens there, then clicks the next number, with both in view (on a
second screen, if there is one). The main window keeps its list, filters and dossier as they
were; the idle lock hides this window with every other one.

The numbers are the same tables the yearly report prints (``services.report``). Clicking a
count (or Enter on it) asks for exactly the dossiers it counted and hands their ids to the
main window's list through :attr:`FiguresWindow.dossiers_chosen`.
"""

from __future__ import annotations

import contextlib
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

from babel.dates import format_date
from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPalette,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.letters.report_model import Report, ReportSection, ReportTable
from klachtdesk.procedure import UserError
from klachtdesk.procedure.periods import Period, Selection
from klachtdesk.services.worker_connection import with_own_connection

from .period_chooser import PeriodChooser
from .report_chart import ReportChart
from .report_table_model import ReportTableModel
from .widgets import error_label

ReportFor = Callable[[Period, date], Report]
IdsFor = Callable[[Selection, date], list[int]]

CACHED_REPORTS = 12  # periods kept to go back to (a year's report is a few kB of numbers)
CELL_PADDING = 14
WIDE_TABLE = 600  # pixels: a wider table has its chart below it
HEADER_PADDING = 18
MAX_COLUMN_WIDTH = 320  # a longer label is cut short (whole in its tooltip)

HINT = "Klik op een onderstreept getal (of druk er Enter op) om die dossiers in de lijst te zien."


class FiguresTable(QTableView):
    """A table of the figures that grows to show all its rows; a count is clicked (or chosen
    with Enter or the space bar) to open the list on its dossiers."""

    number_chosen = Signal(object)  # Selection
    focused = Signal(QWidget)

    def __init__(self, table: ReportTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(24)
        self.horizontalHeader().setHighlightSections(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab goes on to the next table, arrows move within
        self.setWordWrap(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setStretchLastSection(False)
        self.setMouseTracking(True)
        self.entered.connect(self._hover)
        self.report_model = ReportTableModel(table, self)
        self._show_model()

    def set_table(self, table: ReportTable) -> None:
        """Show ``table`` (the same table of another period, when the window refreshes)."""
        old = self.report_model
        self.report_model = ReportTableModel(table, self)
        old.deleteLater()
        self._show_model()

    def _show_model(self) -> None:
        self.setModel(self.report_model)
        self.setAccessibleName(self.report_model.table.title)
        self._fit()
        links = self.report_model.links()
        if links:  # Tab into the table lands on its first number to click
            self.selectionModel().setCurrentIndex(
                self.report_model.index(*links[0]), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def _fit(self) -> None:
        """As large as its cells, sized from their texts: Qt's resizeColumnsToContents asks
        every cell for every role and cost most of a refresh (~15 ms a table)."""
        model = self.report_model
        plain = self.fontMetrics()
        bold_font = self.font()
        bold_font.setBold(True)
        bold = QFontMetrics(bold_font)
        header = self.horizontalHeader()
        heading = QFontMetrics(header.font())
        total_row = len(model.texts) - 1 if model.table.total is not None else -1
        width = 2 * self.frameWidth()
        for column, title in enumerate(model.table.headers):
            widest = heading.horizontalAdvance(title) + HEADER_PADDING
            for row, texts in enumerate(model.texts):
                metrics = bold if row == total_row else plain
                widest = max(widest, metrics.horizontalAdvance(texts[column]) + CELL_PADDING)
            widest = min(widest, MAX_COLUMN_WIDTH)
            self.setColumnWidth(column, widest)
            width += widest
        rows = len(model.texts) * self.verticalHeader().defaultSectionSize()
        height = 2 * self.frameWidth() + header.sizeHint().height() + rows
        self.setFixedSize(width, height)

    def _hover(self, index: QModelIndex | QPersistentModelIndex) -> None:
        link = self.report_model.selection_at(index) is not None
        shape = Qt.CursorShape.PointingHandCursor if link else Qt.CursorShape.ArrowCursor
        self.viewport().setCursor(shape)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            selection = self.report_model.selection_at(self.indexAt(event.position().toPoint()))
            if selection is not None:
                self.number_chosen.emit(selection)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            selection = self.report_model.selection_at(self.currentIndex())
            if selection is not None:
                self.number_chosen.emit(selection)
                return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit(self)


class TableBlock(QWidget):
    """A table's title, its numbers with their chart beside them, and its note."""

    def __init__(self, table: ReportTable) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 8)
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.view = FiguresTable(table)
        self.chart = ReportChart(table) if table.chart is not None else None
        # The chart beside its table, or below a wide one (the ombudsnormen per outcome) so
        # that the page needs no horizontal scrolling.
        beside = self.view.width() <= WIDE_TABLE
        row = QHBoxLayout() if beside else QVBoxLayout()
        row.addWidget(self.view, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        if self.chart is not None:
            row.addWidget(self.chart, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        if beside:
            row.addStretch(1)
        layout.addLayout(row)
        self.note = QLabel()
        self.note.setWordWrap(True)
        palette = self.note.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#555555"))
        self.note.setPalette(palette)
        layout.addWidget(self.note)
        self.show_table(table)

    def show_table(self, table: ReportTable) -> None:
        self.title.setText(table.title)
        if self.view.report_model.table is not table:
            self.view.set_table(table)
        if self.chart is not None:
            self.chart.set_table(table)
            self.chart.setVisible(bool(table.rows))
        self.note.setText(table.note)
        self.note.setVisible(bool(table.note))


#: Said when counting fails unexpectedly (the details go to stderr, never to the screen).
COUNT_FAILED = (
    "De cijfers konden niet geteld worden door een onverwachte fout. Probeer het opnieuw; "
    "blijft het gebeuren, meld het dan aan de informaticadienst."
)


class _Signals(QObject):
    done = Signal(object, object, object, str)  # period, as_of, Report or None, Dutch error


# Jobs stay referenced here until the GUI thread has heard they ended (never dropped from the
# worker itself, still inside run()), as the backup jobs do.
_RUNNING: set[ReportJob] = set()


class ReportJob(QRunnable):
    """Counts one period's figures in Qt's thread pool, through a connection of its own.

    A year of a 100,000-dossier register takes half a second to a second to count; the window keeps
    answering meanwhile (see benchmarks/figures_view.py).
    """

    def __init__(self, report_for: ReportFor, period: Period, as_of: date) -> None:
        super().__init__()
        self.report_for = report_for
        self.period = period
        self.as_of = as_of
        self.signals = _Signals()
        self.ended = threading.Event()
        #: The register's state the count started from (see FiguresWindow's cache).
        self.version: object = None

    def run(self) -> None:
        report: Report | None = None
        error = ""
        try:
            report = with_own_connection(lambda: self.report_for(self.period, self.as_of))
        except UserError as exc:
            error = exc.message
        except Exception:  # never let a worker die silently
            traceback.print_exc()  # the details, for the informaticadienst (stderr)
            error = COUNT_FAILED
        with contextlib.suppress(RuntimeError):  # the window was closed meanwhile
            self.signals.done.emit(self.period, self.as_of, report, error)
        self.ended.set()


def _release(job: ReportJob) -> None:
    """Let go of a job once its worker is out of run() (it emits just before it ends)."""
    if job.ended.is_set():
        _RUNNING.discard(job)
    else:
        QTimer.singleShot(20, lambda: _release(job))


class FiguresWindow(QWidget):
    """Choose a period; read its tables and charts; click a number to list its dossiers."""

    #: The ids of the dossiers behind a clicked number, and the Dutch label for the list.
    dossiers_chosen = Signal(list, str)
    #: After every refresh (the tables on screen are those of this period).
    refreshed = Signal(object)  # Period

    def __init__(
        self,
        today: Callable[[], date],
        report_for: ReportFor,
        ids_for: IdsFor,
        parent: QWidget | None = None,
        version: Callable[[], object] = object,
    ) -> None:
        """``version`` names the register's state (it changes with every action: the main
        window gives the audit trail's last hash); figures are counted again when it has
        changed. Without it, every period is counted each time."""
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Cijfers")
        self._today = today
        self._report_for = report_for
        self._ids_for = ids_for
        self._version = version
        self._cache: OrderedDict[tuple[Period, date, object], Report] = OrderedDict()
        self.report: Report | None = None
        self.tables: list[FiguresTable] = []

        self.chooser = PeriodChooser(today())
        self.chooser.changed.connect(self.show_period)
        self.heading = QLabel()
        heading_font = self.heading.font()
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.5)
        self.heading.setFont(heading_font)
        self._section_font = QFont(heading_font)
        self._section_font.setPointSizeF(heading_font.pointSizeF() * 0.85)
        self._layout: tuple[object, ...] | None = None
        self._section_texts: list[QLabel | None] = []
        self._blocks: list[TableBlock] = []
        self.subheading = QLabel()
        self.subheading.setWordWrap(True)
        self.error = error_label()
        self.busy = QLabel("De cijfers worden geteld…")
        self.busy.hide()
        self._job: ReportJob | None = None
        self._wanted: Period | None = None
        app = QCoreApplication.instance()
        if app is not None:  # the program quits: let a count in progress end first
            app.aboutToQuit.connect(self.wait_until_counted)

        self.contents = QListWidget()
        self.contents.setMaximumWidth(260)
        self.contents.setWordWrap(True)
        self.contents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.contents.currentRowChanged.connect(self._go_to_section)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from table to table
        self.page = QWidget()
        self.scroll_area.setWidget(self.page)
        self._anchors: list[QWidget] = []

        contents_label = QLabel("&Inhoud")
        contents_label.setBuddy(self.contents)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(contents_label)
        side_layout.addWidget(self.contents)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(side)
        splitter.addWidget(self.scroll_area)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(self.chooser)
        title_row = QHBoxLayout()
        title_row.addWidget(self.heading)
        title_row.addSpacing(16)
        title_row.addWidget(self.busy, 1)
        layout.addLayout(title_row)
        layout.addWidget(self.subheading)
        layout.addWidget(self.error)
        layout.addWidget(splitter, 1)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.resize(1200, 820)
        self.chooser.start_with()  # counted when the window is shown

    # -- showing a period ---------------------------------------------------------------

    def show_period(self, period: Period) -> None:
        """Count the period's figures (off the GUI thread) and put their tables and charts on
        screen. Asked again while counting, only the last period asked is counted next; a
        period counted before, with the register unchanged since, is shown at once."""
        self._wanted = period
        if self._job is None:
            self._start(period)

    def _start(self, period: Period) -> None:
        as_of = self._today()
        key = (period, as_of, self._version())
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            self._wanted = None
            self._show(period, as_of, cached)
            return
        self.busy.show()
        job = ReportJob(self._report_for, period, as_of)
        job.version = key[2]
        job.setAutoDelete(False)
        _RUNNING.add(job)
        self._job = job
        # A slot of this window: Qt drops the connection when the window is gone.
        job.signals.done.connect(self._counted)
        QThreadPool.globalInstance().start(job)

    def _counted(self, period: Period, as_of: date, report: Report | None, error: str) -> None:
        job, self._job = self._job, None
        if job is not None:
            _release(job)
            if report is not None:
                self._cache[(period, as_of, job.version)] = report
                while len(self._cache) > CACHED_REPORTS:
                    self._cache.popitem(last=False)
        if self._wanted is not None and self._wanted != period:
            self._start(self._wanted)  # another period was chosen meanwhile
            return
        self._wanted = None
        self._show(period, as_of, report, error)

    def _show(self, period: Period, as_of: date, report: Report | None, error: str = "") -> None:
        self.busy.hide()
        if report is None:
            self.error.setText(error)
            self.error.show()
            return
        self.error.hide()
        self.report = report
        self.heading.setText(f"Cijfers {period.label}")
        self.subheading.setText(
            f"Klachten ontvangen van {long_date(period.start)} tot en met "
            f"{long_date(period.end)}; stand van zaken op {long_date(as_of)}."
        )
        self._build(report)
        self.refreshed.emit(period)

    @property
    def counting(self) -> bool:
        """Whether figures are being counted (the tables shown are of an earlier period)."""
        return self._job is not None

    def wait_until_counted(self, timeout_s: float = 30.0) -> None:
        """Block until the figures being counted are on screen (the program's exit, tests and
        benchmarks; the window itself never waits)."""
        deadline = time.monotonic() + timeout_s
        while (job := self._job) is not None and time.monotonic() < deadline:
            job.ended.wait(0.01)
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    def _build(self, report: Report) -> None:
        """Put the report's tables on screen. Another period of the same kind has the same
        sections and tables: they are filled anew where they are (a fifth of the time of new
        widgets); otherwise a new page replaces the old one."""
        shown = [s for s in report.sections if s.tables or s.text]  # blank: nothing to show
        layout = tuple(
            (s.title, bool(s.text), tuple((t.key, t.chart is not None, bool(t.note)) for t in s.tables))
            for s in shown
        )  # fmt: skip
        if layout != self._layout:
            self._new_page(shown)
            self._layout = layout
        titles = iter(self._section_texts)
        blocks = iter(self._blocks)
        for section in shown:
            text = next(titles)
            if text is not None:
                text.setText(section.text)
            for table in section.tables:
                next(blocks).show_table(table)
        self.tables = [block.view for block in self._blocks]

    def _new_page(self, sections: list[ReportSection]) -> None:
        old = self.scroll_area.takeWidget()
        if old is not None:
            old.hide()
            old.deleteLater()
        self.page = QWidget()
        layout = QVBoxLayout(self.page)
        self._anchors = []
        self._section_texts = []
        self._blocks = []
        blocked = self.contents.blockSignals(True)
        self.contents.clear()
        for section in sections:
            title = QLabel(section.title)
            title.setFont(self._section_font)
            title.setContentsMargins(0, 10, 0, 0)
            layout.addWidget(title)
            self.contents.addItem(section.title)
            self._anchors.append(title)
            text = None
            if section.text:
                text = QLabel()
                text.setWordWrap(True)
                layout.addWidget(text)
            self._section_texts.append(text)
            for table in section.tables:
                block = TableBlock(table)
                block.view.number_chosen.connect(self.choose)
                block.view.focused.connect(
                    lambda widget: self.scroll_area.ensureWidgetVisible(widget, 50, 50)
                )
                self._blocks.append(block)
                layout.addWidget(block)
        self.contents.blockSignals(blocked)
        layout.addStretch(1)
        self.scroll_area.setWidget(self.page)

    def _go_to_section(self, row: int) -> None:
        if 0 <= row < len(self._anchors):
            anchor = self._anchors[row]
            self.scroll_area.verticalScrollBar().setValue(anchor.y())

    # -- a number clicked -----------------------------------------------------------------

    def choose(self, selection: Selection) -> None:
        """The dossiers behind a number go to the main window's list."""
        try:
            # The day the figures on screen were made for, not today: a window left open
            # over midnight would otherwise judge running limits on another day.
            as_of = self.report.made_on if self.report is not None else self._today()
            ids = self._ids_for(selection, as_of)
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        label = selection.label or selection.period.label
        self.dossiers_chosen.emit(ids, label)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closed (it is only hidden, to come back as it was): the keyboard goes back to the
        main window, also where no window manager sees to that."""
        super().closeEvent(event)
        parent = self.parentWidget()
        if event.isAccepted() and parent is not None and parent.isVisible():
            parent.activateWindow()

    def table(self, title: str) -> FiguresTable:
        """The table on screen with this title (for the window's own users: tests, tools)."""
        for view in self.tables:
            if view.report_model.table.title == title:
                return view
        raise KeyError(title)

    def showEvent(self, event: QShowEvent) -> None:
        """Opened again: the register may have changed since; count the period anew."""
        super().showEvent(event)
        if not event.spontaneous():
            try:
                period = self.chooser.period()
            except UserError:
                return  # the chooser says what is wrong with its range
            self.show_period(period)


def long_date(day: date) -> str:
    return format_date(day, "d MMMM y", locale="nl_BE")
