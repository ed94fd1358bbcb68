"""One table of the figures as a Qt model: Dutch numbers, a totals row, numbers to click."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from klachtdesk.letters.report_model import Cell, ReportTable, format_cell
from klachtdesk.procedure.periods import Selection

LINK_COLOUR = QColor("#0b57a4")
TOTAL_BACKGROUND = QColor("#eef1f4")
CLICK_HINT = "Klik (of druk Enter) om deze dossiers in de lijst te tonen"

_Index = QModelIndex | QPersistentModelIndex


def cell_text(value: Cell, percent: bool = False) -> str:
    """A cell as a Flemish reader writes it: '1.234', '12,5 %', '3,4'; nothing is '–' (the
    same text as the report's files)."""
    return format_cell(value, percent)


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


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class ReportTableModel(QAbstractTableModel):
    """A :class:`ReportTable`'s body rows, then its totals row (shown in bold).

    The count of a row that has a selection is shown as a link: :meth:`selection_at` says
    which dossiers it counts. Every cell's text and looks are worked out once, here: a view
    asks ``data`` for each role of each cell many times over (sizing, painting), and the
    Cijfers window repaints some twenty tables at every period chosen.
    """

    def __init__(self, table: ReportTable, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = table
        rows: list[tuple[Cell, ...]] = list(table.rows)
        if table.total is not None:
            rows.append(table.total)
        self._rows = rows
        width = len(table.headers)
        self._links: dict[tuple[int, int], Selection] = {}
        for row, selection in enumerate(table.selections):
            column = count_column(table, row) if selection is not None else None
            if selection is not None and column is not None:
                self._links[(row, column)] = selection

        bold = QFont()
        bold.setBold(True)
        link_font = QFont()
        link_font.setUnderline(True)
        link_brush, dark_brush = QBrush(LINK_COLOUR), QBrush(QColor("#202020"))
        total_brush = QBrush(TOTAL_BACKGROUND)
        texts, aligns, fonts, fores, backs, tips = [], [], [], [], [], []
        for r, values in enumerate(rows):
            padded = list(values[:width]) + [None] * (width - len(values))
            total = table.total is not None and r == len(rows) - 1
            texts.append([cell_text(v, c in table.percent_columns) for c, v in enumerate(padded)])
            aligns.append(
                [_RIGHT if isinstance(v, int | float) and not isinstance(v, bool) else _LEFT
                 for v in padded]
            )  # fmt: skip
            linked = [(r, c) in self._links for c in range(width)]
            fonts.append([bold if total else (link_font if k else None) for k in linked])
            # Dark text on the totals' light background, also in a dark theme.
            fores.append([link_brush if k else (dark_brush if total else None) for k in linked])
            backs.append([total_brush if total else None] * width)
            # A link says what it opens; a label is there whole where its column cuts it.
            tips.append(
                [f"{self._links[(r, c)].label}\n{CLICK_HINT}" if k
                 else (texts[-1][c] if isinstance(padded[c], str) else None)
                 for c, k in enumerate(linked)]
            )  # fmt: skip
        self.texts = texts
        self._by_role: dict[int, list[list[Any]]] = {
            _DISPLAY: texts,
            _ALIGNMENT: aligns,
            _FONT: fonts,
            _FOREGROUND: fores,
            _BACKGROUND: backs,
            _TOOLTIP: tips,
        }

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
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return self.table.headers[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        grid = self._by_role.get(role)
        if grid is None or not index.isValid():
            return None
        return grid[index.row()][index.column()]
