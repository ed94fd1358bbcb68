"""Choosing the period the figures are counted over: a year, a quarter, a month or any range."""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum

from babel.dates import format_date
from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from klachtdesk.procedure import UserError
from klachtdesk.procedure.periods import FIRST_YEAR, LAST_YEAR, QUARTER_NAMES, Period

from .widgets import ValueComboBox, date_edit, error_label, to_date


class PeriodKind(Enum):
    YEAR = "Jaar"
    QUARTER = "Kwartaal"
    MONTH = "Maand"
    RANGE = "Vrije periode"


MONTH_NAMES = tuple(format_date(date(2026, m, 1), "LLLL", locale="nl_BE") for m in range(1, 13))


class PeriodChooser(QWidget):
    """A kind of period and its fields; ``changed`` carries every valid period chosen.

    Everything is reachable with the keyboard: each field has a label with an Alt+letter,
    and Vorige/Volgende step a year, quarter or month (or a range by its own length).
    """

    changed = Signal(object)  # Period

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = ValueComboBox([(kind.value, kind) for kind in PeriodKind])
        self.year = QSpinBox()
        self.year.setRange(FIRST_YEAR, LAST_YEAR)
        self.year.setValue(today.year)
        self.year.setKeyboardTracking(False)  # '2' of '2025' is not a year to count
        self.quarter = ValueComboBox([(name, n) for n, name in enumerate(QUARTER_NAMES, 1)])
        self.quarter.set_value((today.month - 1) // 3 + 1)
        self.month = ValueComboBox([(name, n) for n, name in enumerate(MONTH_NAMES, 1)])
        self.month.set_value(today.month)
        self.start = date_edit(date(today.year, 1, 1))
        self.end = date_edit(today)
        for edit in (self.start, self.end):
            edit.setKeyboardTracking(False)  # counted once the date is typed (Enter, Tab)
        self.previous_button = QPushButton("◀ Vo&rige")
        self.previous_button.setToolTip("De vorige periode van dezelfde soort")
        self.next_button = QPushButton("Volge&nde ▶")
        self.next_button.setToolTip("De volgende periode van dezelfde soort")
        self.error = error_label()
        self._last: Period | None = None

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._labels: dict[QWidget, QLabel] = {}
        for text, field in (
            ("Soort &periode", self.kind),
            ("&Jaar", self.year),
            ("&Kwartaal", self.quarter),
            ("&Maand", self.month),
            ("&Van", self.start),
            ("&Tot en met", self.end),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            self._labels[field] = label
            layout.addWidget(label)
            layout.addWidget(field)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.error, 1)
        layout.addStretch()

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.year.valueChanged.connect(self._emit)
        self.quarter.currentIndexChanged.connect(self._emit)
        self.month.currentIndexChanged.connect(self._emit)
        self.start.dateChanged.connect(self._emit)
        self.end.dateChanged.connect(self._emit)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self._show_fields()

    # -- reading --------------------------------------------------------------------------

    def current_kind(self) -> PeriodKind:
        value = self.kind.value()
        return value if isinstance(value, PeriodKind) else PeriodKind.YEAR

    def period(self) -> Period:
        """The period the fields describe; a range ending before it starts is refused."""
        year = self.year.value()
        match self.current_kind():
            case PeriodKind.YEAR:
                return Period.year(year)
            case PeriodKind.QUARTER:
                return Period.quarter(year, int(self.quarter.value()))
            case PeriodKind.MONTH:
                return Period.month(year, int(self.month.value()))
            case PeriodKind.RANGE:
                return Period(to_date(self.start), to_date(self.end))

    # -- changing -------------------------------------------------------------------------

    def step(self, direction: int) -> None:
        """The previous (-1) or next (+1) period of the same kind."""
        kind = self.current_kind()
        if kind is PeriodKind.YEAR:
            self.year.setValue(self.year.value() + direction)
        elif kind is PeriodKind.QUARTER:
            self._step_within_year(self.quarter, 4, direction)
        elif kind is PeriodKind.MONTH:
            self._step_within_year(self.month, 12, direction)
        else:
            try:
                period = self.period()
            except UserError:
                return
            shift = timedelta(days=period.days * direction)
            self._set_range(period.start + shift, period.end + shift)

    def _step_within_year(self, combo: ValueComboBox, count: int, direction: int) -> None:
        index = combo.currentIndex() + direction
        year = self.year.value() + index // count
        if not FIRST_YEAR <= year <= LAST_YEAR:
            return
        blocked = self.year.blockSignals(True)
        self.year.setValue(year)
        self.year.blockSignals(blocked)
        if combo.currentIndex() == index % count:
            self._emit()
        else:
            combo.setCurrentIndex(index % count)  # emits

    def _set_range(self, start: date, end: date) -> None:
        for edit, day in ((self.start, start), (self.end, end)):
            blocked = edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(blocked)
        self._emit()

    def _kind_changed(self) -> None:
        if self.current_kind() is PeriodKind.RANGE:
            # A range starts as the period chosen so far, to be narrowed or widened from there.
            previous = self._last
            if previous is not None:
                self._set_range(previous.start, previous.end)
        self._show_fields()
        self._emit()

    def _show_fields(self) -> None:
        kind = self.current_kind()
        by_kind: dict[PeriodKind, set[QWidget]] = {
            PeriodKind.YEAR: {self.year},
            PeriodKind.QUARTER: {self.year, self.quarter},
            PeriodKind.MONTH: {self.year, self.month},
            PeriodKind.RANGE: {self.start, self.end},
        }
        shown = by_kind[kind]
        fields: tuple[QWidget, ...] = (self.year, self.quarter, self.month, self.start, self.end)
        for field in fields:
            field.setVisible(field in shown)
            self._labels[field].setVisible(field in shown)

    def _emit(self) -> None:
        try:
            period = self.period()
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.error.hide()
        if period != self._last:
            self._last = period
            self.changed.emit(period)

    def start_with(self) -> Period:
        """The period shown first (the current year); remembered so that it is not sent
        twice."""
        self._last = self.period()
        return self._last
