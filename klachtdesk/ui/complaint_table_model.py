"""The complaint list: a table model that asks SQL only for the rows it shows."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from klachtdesk.procedure import LimitStatus, TimeLimits
from klachtdesk.procedure.dates import short_date
from klachtdesk.services import complaint_list
from klachtdesk.services.complaint_list import ListFilter, ListRow, SortKey

from .formatting import STATUS_MARK, days_text
from .reminder_marks import reminded_text, reminded_tip

# A screen shows about 30 rows: a page of 50 fills it with one small statement (a search
# keystroke waits for the first page); 40 pages kept, as many rows as before.
PAGE_SIZE = 50
#: What a (tall) screen shows at once: found first, the rest of the list right after the paint.
FIRST_ROWS = 2 * PAGE_SIZE
CACHED_PAGES = 40

COLUMNS: list[tuple[str, SortKey]] = [
    ("Kenmerk", SortKey.REFERENCE),
    ("Ontvangen", SortKey.RECEIVED),
    ("Klager", SortKey.COMPLAINANT),
    ("Kanaal", SortKey.CHANNEL),
    ("Dienst", SortKey.DEPARTMENT),
    ("Stap", SortKey.STATE),
    ("Behandelaar", SortKey.HANDLER),
    ("Volgende termijn", SortKey.NEXT_DUE),
    ("Dagen", SortKey.NEXT_DUE),
]
NEXT_LIMIT_COLUMN = 7
DAYS_COLUMN = 8

OVERDUE_BACKGROUND = QColor("#f8d7da")
DUE_SOON_BACKGROUND = QColor("#fff3cd")

_Index = QModelIndex | QPersistentModelIndex

_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
_ROLES_USED = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.TextAlignmentRole,
        _ID_ROLE,
    )
)


def _next_turn(work: Callable[[], None]) -> None:
    QTimer.singleShot(0, work)


class ComplaintTableModel(QAbstractTableModel):
    """Rows are complaint ids in SQL order; row data is fetched a page at a time."""

    ID_ROLE = _ID_ROLE
    #: The whole list is known (after the first screenful was shown): its count is final.
    completed = Signal()

    def __init__(
        self,
        today: Callable[[], date],
        limits: Callable[[], TimeLimits],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._limits = limits
        # Read once per reload, not on every keystroke and page: limits change only through
        # the settings, after which the window reloads the list.
        self._limits_now: TimeLimits | None = None
        self._filter = ListFilter()
        self._sort = SortKey.RECEIVED
        self._descending = True
        self._ids: list[int] = []
        # What the rest of the list was asked with, until it is read (see _query).
        self._rest: tuple[Any, ...] | None = None
        self._generation = 0
        #: How the rest of a long list is read later: in the next turn of the event loop,
        #: or as a view asks (the window: right after the table has painted the first rows).
        self.schedule_rest: Callable[[Callable[[], None]], object] = _next_turn
        # A page: each row with its columns' texts, made when the row is first shown.
        self._pages: OrderedDict[int, list[list[Any]]] = OrderedDict()
        # A view sets up its sort order before the first filter; query only from then on.
        self._loaded = False

    # -- what to show -------------------------------------------------------------------

    @property
    def list_filter(self) -> ListFilter:
        return self._filter

    @property
    def sort_order(self) -> tuple[SortKey, bool]:
        """The list's order: the sort key and whether descending."""
        return self._sort, self._descending

    def set_filter(self, flt: ListFilter) -> None:
        self._filter = flt
        self._query()

    def reload(self) -> None:
        """Ask SQL again after a change in the register (the time limits read anew too)."""
        self._limits_now = None
        self._query()

    def _current_limits(self) -> TimeLimits:
        if self._limits_now is None:
            self._limits_now = self._limits()
        return self._limits_now

    def _query(self) -> None:
        """Ask SQL for the list: the first screenful at once, the rest right after.

        A broad search ('de', 65,000 of 100,000 dossiers) takes 40 ms to list whole, most of
        it handing 65,000 ids to Python; the first rows take 10. So the view is painted from
        those, and the rest follows as :attr:`schedule_rest` arranges (the window: right after
        the paint), then ``completed``; :meth:`row_of` and :meth:`ensure_complete` read it at
        once when they need it. A list of at most FIRST_ROWS is whole at once.
        """
        self._loaded = True
        self._generation += 1
        asked = (self._filter, self._sort, self._descending, self._today(), self._current_limits())
        # Read before the reset: a query that fails leaves the list as it was, not half reset.
        first = complaint_list.first_ids(*asked, FIRST_ROWS + 1)
        self.beginResetModel()
        self._ids = first[:FIRST_ROWS]
        self._rest = asked if len(first) > FIRST_ROWS else None
        self._pages.clear()
        self.endResetModel()
        if self._rest is not None:
            generation = self._generation
            self.schedule_rest(lambda: self._complete(generation))

    def _complete(self, generation: int) -> None:
        if generation == self._generation:
            self.ensure_complete()

    def ensure_complete(self) -> None:
        """Read the rest of the list now, if it is not read yet (see :meth:`_query`)."""
        if self._rest is None:
            return
        asked, self._rest = self._rest, None
        everything = complaint_list.ordered_ids(*asked)
        shown = len(self._ids)
        if everything[:shown] != self._ids:
            # The register changed in between (it cannot on this thread, but never show a
            # list that is not the query's): the whole list anew.
            self.beginResetModel()
            self._ids = everything
            self._pages.clear()
            self.endResetModel()
        elif len(everything) > shown:
            self.beginInsertRows(QModelIndex(), shown, len(everything) - 1)
            self._ids = everything
            self.endInsertRows()
        self.completed.emit()

    @property
    def complete(self) -> bool:
        """Whether every row of the list is known (its count is final)."""
        return self._rest is None

    def refresh_rows(self) -> None:
        """Forget fetched rows (their data changed) without changing which rows are shown."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1)
            )

    def row_of(self, complaint_id: int) -> int | None:
        if complaint_id not in self._ids[:FIRST_ROWS]:
            self.ensure_complete()
        try:
            return self._ids.index(complaint_id)  # ~1 ms through 100,000 ids
        except ValueError:
            return None

    def complaint_id(self, row: int) -> int:
        return self._ids[row]

    # -- Qt's model interface -----------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = COLUMNS[column][1]
        self._descending = order == Qt.SortOrder.DescendingOrder
        if self._loaded:
            self._query()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A view asks every cell for a dozen roles on each paint: the ones the list does not
        # use are answered before any row is looked up.
        if role not in _ROLES_USED or not index.isValid():
            return None
        row, texts = self._row(index.row())
        column = index.column()
        if role == self.ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[column]
        if role == Qt.ItemDataRole.ToolTipRole and column not in (NEXT_LIMIT_COLUMN, DAYS_COLUMN):
            return texts[column]  # the whole text where the column is narrow
        deadline = row.next_deadline
        if column in (NEXT_LIMIT_COLUMN, DAYS_COLUMN) and deadline is not None:
            if role == Qt.ItemDataRole.BackgroundRole:
                if deadline.status is LimitStatus.OVERDUE:
                    return QBrush(OVERDUE_BACKGROUND)
                if deadline.status is LimitStatus.DUE_SOON:
                    return QBrush(DUE_SOON_BACKGROUND)
            if role == Qt.ItemDataRole.ForegroundRole and deadline.status in (
                LimitStatus.OVERDUE,
                LimitStatus.DUE_SOON,
            ):
                return QBrush(QColor("#202020"))
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{deadline.label}: {deadline.status.label}" + reminded_tip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == DAYS_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _texts(self, row: ListRow) -> tuple[str, ...]:
        """What each column shows for ``row``."""
        return tuple(self._display(row, column) for column in range(len(COLUMNS)))

    def _display(self, row: ListRow, column: int) -> str:
        deadline = row.next_deadline
        match column:
            case 0:
                return f"{row.reference} (geïmporteerd)" if row.imported else row.reference
            case 1:
                return short_date(row.received_on)
            case 2:
                return row.complainant
            case 3:
                return row.channel.label
            case 4:
                return row.department
            case 5:
                step = row.state.step
                return f"{step}. {row.state.label}" if step else row.state.label
            case 6:
                return row.handler
            case 7:
                if deadline is None:
                    return ""
                mark = STATUS_MARK[deadline.status]
                text = f"{deadline.short_label} – {short_date(deadline.due_on)}"
                return f"{mark} {text}" if mark else text
            case _:
                if reminded := reminded_text(row):
                    return reminded
                return days_text(deadline) if deadline is not None else ""

    def _row(self, row: int) -> tuple[ListRow, tuple[str, ...]]:
        """The row and its columns' texts, made once for each row shown (a paint asks each
        cell several times, and the days left are words made by Babel)."""
        number = row // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            ids = self._ids[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]
            page = [
                [found, None]
                for found in complaint_list.rows(ids, self._today(), self._current_limits())
            ]
            self._pages[number] = page
            while len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        entry = page[row % PAGE_SIZE]
        if entry[1] is None:
            entry[1] = self._texts(entry[0])
        return entry[0], entry[1]
