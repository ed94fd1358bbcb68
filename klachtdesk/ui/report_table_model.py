"""One table of the figures as a Qt model: Dutch numbers, a totals row, numbers to click."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from klachtdesk.letters.report_model import Cell, ReportTable
from klachtdesk.procedure.periods import Selection

LINK_COLOUR = QColor("#0b57a4")
TOTAL_BACKGROUND = QColor("#eef1f4")
CLICK_HINT = "Klik (of druk Enter) om deze dossiers in de lijst te tonen"

_Index = QModelIndex | QPersistentModelIndex


def cell_text(value: Cell, percent: bool = False) -> str:
    """A cell as a Flemish reader writes it: '1.234', '12,5 %', '3,4'; nothing is '–'."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return format_decimal(value, "#,##0", locale="nl_BE")
    if isinstance(value, float):
        if percent:
            return format_decimal(value * 100, "#,##0.0", locale="nl_BE") + " %"
        return format_decimal(value, "#,##0.0", locale="nl_BE")
    return str(value)


#: The column that holds the count of a row's selection (``services.report`` puts it there);
#: a row's later numbers may count a part of its dossiers (e.g. per outcome), so only this
#: one opens the list.
COUNT_COLUMN = 1


def count_column(table: ReportTable, row: int) -> int | None:
    """The column of ``row`` that counts its selection's dossiers, when it holds a count."""
    values = table.rows[row]
    if len(values) <= COUNT_COLUMN or COUNT_COLUMN in table.percent_columns:
        return None
    value = values[COUNT_COLUMN]
    return COUNT_COLUMN if isinstance(value, int) and not isinstance(value, bool) else None


class ReportTableModel(QAbstractTableModel):
    """A :class:`ReportTable`'s body rows, then its totals row (shown in bold).

    The count of a row that has a selection is shown as a link: :meth:`selection_at` says
    which dossiers it counts.
    """

    def __init__(self, table: ReportTable, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = table
        self._rows: list[tuple[Cell, ...]] = list(table.rows)
        if table.total is not None:
            self._rows.append(table.total)
        self._links: dict[tuple[int, int], Selection] = {}
        for row, selection in enumerate(table.selections):
            column = count_column(table, row) if selection is not None else None
            if selection is not None and column is not None:
                self._links[(row, column)] = selection
        bold = QFont()
        bold.setBold(True)
        self._bold = bold
        link = QFont()
        link.setUnderline(True)
        self._link_font = link

    def selection_at(self, index: _Index) -> Selection | None:
        """The dossiers the number at ``index`` counts, when it is one to click."""
        if not index.isValid():
            return None
        return self._links.get((index.row(), index.column()))

    def links(self) -> list[tuple[int, int]]:
        return sorted(self._links)

    def is_total(self, row: int) -> bool:
        return self.table.total is not None and row == len(self._rows) - 1

    # -- Qt's model interface -----------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.table.headers[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        values = self._rows[row]
        value = values[column] if column < len(values) else None
        link = (row, column) in self._links
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(value, column in self.table.percent_columns)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if isinstance(value, int | float) and not isinstance(value, bool):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            if self.is_total(row):
                return self._bold
            return self._link_font if link else None
        if role == Qt.ItemDataRole.ForegroundRole and link:
            return QBrush(LINK_COLOUR)
        if role == Qt.ItemDataRole.ForegroundRole and self.is_total(row):
            return QBrush(QColor("#202020"))  # readable on its light background in a dark theme
        if role == Qt.ItemDataRole.BackgroundRole and self.is_total(row):
            return QBrush(TOTAL_BACKGROUND)
        if role == Qt.ItemDataRole.ToolTipRole and link:
            return f"{self._links[(row, column)].label}\n{CLICK_HINT}"
        return None
