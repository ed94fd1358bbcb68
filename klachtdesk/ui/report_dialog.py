"""Register → Jaarverslag…: choose a year (or a quarter or month), see the report, and print
it or save it as PDF, Word or Excel (issue 12 §3)."""

from __future__ import annotations

import contextlib
import traceback
from datetime import date
from pathlib import Path

from babel.dates import format_date
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import UserError
from klachtdesk.procedure.periods import FIRST_YEAR, QUARTER_NAMES, Period
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.report_files import (
    ReportFiles,
    default_month,
    default_quarter,
    default_report_year,
    render_files,
    report_content,
)
from klachtdesk.services.worker_connection import with_own_connection

from .letter_preview_dialog import LetterPreviewDialog
from .widgets import ValueComboBox, error_label

YEAR, QUARTER, MONTH = "year", "quarter", "month"
#: Said when making the files fails unexpectedly (the details go to stderr).
RENDER_FAILED = (
    "Het verslag kon niet opgemaakt worden door een onverwachte fout. Probeer het opnieuw; "
    "blijft het gebeuren, meld het dan aan de informaticadienst."
)


class _Signals(QObject):
    done = Signal(object)  # ReportFiles, or the Dutch error as str


class _RenderJob(QRunnable):
    """Counts the period's figures through a connection of its own and turns them into the
    three files, in Qt's thread pool: the dialog keeps answering meanwhile (a year of a
    100,000-dossier register takes about a second to count)."""

    def __init__(self, period: Period, as_of: date) -> None:
        super().__init__()
        self.period = period
        self.as_of = as_of
        self.signals = _Signals()

    def run(self) -> None:
        try:
            content = with_own_connection(lambda: report_content(self.period, self.as_of))
            files: ReportFiles | str = render_files(content)
        except UserError as exc:
            files = exc.message
        except Exception:  # never let a worker die silently
            traceback.print_exc()  # the details, for the informaticadienst (stderr)
            files = RENDER_FAILED
        with contextlib.suppress(RuntimeError):  # the dialog was closed meanwhile
            self.signals.done.emit(files)


def proposal(kind: str, today: date) -> tuple[int, int, str]:
    """(year, quarter or month, and why, in Dutch) proposed for ``kind`` on ``today``."""
    if kind == QUARTER:
        year, quarter = default_quarter(today)
        name = QUARTER_NAMES[quarter - 1]
        return year, quarter, f"Voorgesteld: {name} {year}, het laatste volledige kwartaal."
    if kind == MONTH:
        year, month = default_month(today)
        name = format_date(date(year, month, 1), "LLLL y", locale="nl_BE")
        return year, month, f"Voorgesteld: {name}, de laatste volledige maand."
    year = default_report_year(today)
    if year < today.year:
        why = "het laatste volledige jaar (tot juli wordt het verslag over het vorige jaar gemaakt)"
    else:
        why = "het lopende jaar (de cijfers tot vandaag)"
    return year, 0, f"Voorgesteld: {year}, {why}."


class ReportDialog(QDialog):
    """Chooses the period; 'Voorbeeld' counts, renders, and shows the report."""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Jaarverslag")
        today = ctx.today()
        self.job: _RenderJob | None = None
        self.preview: ReportPreviewDialog | None = None

        self.kinds = QButtonGroup(self)
        self.year_kind = QRadioButton("&Jaarverslag (voor de gemeenteraad)")
        self.quarter_kind = QRadioButton("&Kwartaaloverzicht")
        self.month_kind = QRadioButton("&Maandoverzicht")
        for kind, button in ((YEAR, self.year_kind), (QUARTER, self.quarter_kind),
                             (MONTH, self.month_kind)):  # fmt: skip
            button.setProperty("kind", kind)
            self.kinds.addButton(button)
        self.year_kind.setChecked(True)

        self.year = QSpinBox()
        self.year.setRange(FIRST_YEAR, today.year)
        self.year.setGroupSeparatorShown(False)
        self.quarter = ValueComboBox([(name, n) for n, name in enumerate(QUARTER_NAMES, 1)])
        self.quarter.set_value(default_quarter(today)[1])
        self.month = ValueComboBox(
            [(format_date(date(2000, m, 1), "LLLL", locale="nl_BE"), m) for m in range(1, 13)]
        )
        self.month.set_value(default_month(today)[1])
        self.hint = QLabel()
        self.hint.setWordWrap(True)

        form = QFormLayout()
        year_label = QLabel("J&aar:")
        year_label.setBuddy(self.year)
        quarter_label = QLabel("K&wartaal:")
        quarter_label.setBuddy(self.quarter)
        month_label = QLabel("Maa&nd:")
        month_label.setBuddy(self.month)
        form.addRow(year_label, self.year)
        form.addRow(quarter_label, self.quarter)
        form.addRow(month_label, self.month)

        self.status = QLabel("")
        self.error = error_label()
        self.show_button = QPushButton("&Voorbeeld…")
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.make_report)
        close = QPushButton("Sluiten")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.show_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Het verslag telt de klachten die in de gekozen periode ontvangen werden. Het "
            "bevat geen persoonsgegevens: het wordt in een openbare raadszitting besproken."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.year_kind)
        layout.addWidget(self.quarter_kind)
        layout.addWidget(self.month_kind)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.kinds.buttonToggled.connect(self._toggled)
        self._kind_changed()
        self.resize(480, self.sizeHint().height())

    def kind(self) -> str:
        button = self.kinds.checkedButton()
        return str(button.property("kind")) if button is not None else YEAR

    def _toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self._kind_changed()

    def _kind_changed(self) -> None:
        """Another kind of report: its own proposal (the last complete year, quarter or
        month), and the dialog says which it chose and why."""
        kind = self.kind()
        self.quarter.setEnabled(kind == QUARTER)
        self.month.setEnabled(kind == MONTH)
        year, part, why = proposal(kind, self.ctx.today())
        self.year.setValue(year)
        if kind == QUARTER:
            self.quarter.set_value(part)
        elif kind == MONTH:
            self.month.set_value(part)
        self.hint.setText(why)

    def period(self) -> Period:
        year = self.year.value()
        kind = self.kind()
        if kind == QUARTER:
            return Period.quarter(year, int(self.quarter.value()))
        if kind == MONTH:
            return Period.month(year, int(self.month.value()))
        return Period.year(year)

    def make_report(self) -> None:
        """Count and render on a worker (its own connection); the dialog stays responsive."""
        self.error.hide()
        try:
            period = self.period()
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.show_button.setEnabled(False)
        self.status.setText("Bezig met tellen en opmaken…")
        self.setCursor(Qt.CursorShape.BusyCursor)
        self.job = _RenderJob(period, self.ctx.today())
        self.job.signals.done.connect(self._rendered)
        QThreadPool.globalInstance().start(self.job)

    def _rendered(self, files: ReportFiles | str) -> None:
        self.job = None
        self.unsetCursor()
        self.show_button.setEnabled(True)
        self.status.setText("")
        if isinstance(files, str):
            self.error.setText(files)
            self.error.show()
            return
        self.preview = ReportPreviewDialog(files, self)
        self.preview.open()


class ReportPreviewDialog(LetterPreviewDialog):
    """The report's PDF, to print or save, and its Word and Excel versions to save."""

    def __init__(self, files: ReportFiles, parent: QWidget | None = None) -> None:
        super().__init__(files.title, files.filename("pdf"), files.pdf, parent)
        self.files = files
        self.word_button = QPushButton("Opslaan als &Word…")
        self.word_button.clicked.connect(self.choose_word_file)
        self.excel_button = QPushButton("Opslaan als &Excel…")
        self.excel_button.clicked.connect(self.choose_excel_file)
        self.add_button(self.excel_button)
        self.add_button(self.word_button)

    def choose_word_file(self) -> None:
        self._choose("Opslaan als Word-document", "docx", "Word-document (*.docx)")

    def choose_excel_file(self) -> None:
        self._choose("Opslaan als Excel-werkmap", "xlsx", "Excel-werkmap (*.xlsx)")

    def _choose(self, title: str, extension: str, kinds: str) -> None:
        name = self.files.filename(extension)
        target, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), kinds)
        if not target:
            return
        path = Path(target)
        if path.suffix.lower() != f".{extension}":
            path = path.with_name(f"{path.name}.{extension}")
        data = self.files.docx if extension == "docx" else self.files.xlsx
        self.save_to(path, data)
