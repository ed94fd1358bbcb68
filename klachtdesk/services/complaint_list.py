"""The complaint list as the main window shows it: filtered, sorted and paged in SQL.

Only the rows on screen are ever fetched, so the list stays instant on a register of 100,000
complaints. Text search uses the FTS5 index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from functools import cached_property
from typing import Any

from klachtdesk.models import Department, Handler, list_queries
from klachtdesk.models.list_queries import ListQuery
from klachtdesk.models.search import fts_match
from klachtdesk.procedure import Channel, Deadline, Dossier, State, TimeLimits, next_deadline
from klachtdesk.procedure.intake import name_sort_key

from .dossiers import DOSSIER_COLUMNS
from .reminder_marks import last_reminded


class DueFilter(Enum):
    ALL = "all"
    OVERDUE = "overdue"
    URGENT = "urgent"  # overdue or due soon
    OPEN = "open"  # not closed


@dataclass(frozen=True)
class Restriction:
    """Only these dossiers: the ones behind a number of the figures, with the Dutch label the
    list shows while it is restricted (e.g. 'Uitkomst: ongegrond (2026)')."""

    ids: frozenset[int]
    label: str


@dataclass(frozen=True)
class ListFilter:
    """What the coordinator asked to see. Empty fields do not filter; ``only`` restricts the
    list to a set of dossiers, together with every other field."""

    text: str = ""
    states: frozenset[State] = field(default_factory=frozenset)
    due: DueFilter = DueFilter.ALL
    year: int | None = None
    channel: Channel | None = None
    department_id: int | None = None
    handler_id: int | None = None
    only: Restriction | None = None


class SortKey(Enum):
    REFERENCE = "reference"
    RECEIVED = "received"
    COMPLAINANT = "complainant"
    CHANNEL = "channel"
    DEPARTMENT = "department"
    STATE = "state"
    HANDLER = "handler"
    NEXT_DUE = "next_due"


@dataclass(frozen=True)
class ListRow:
    id: int
    reference: str
    received_on: date
    complainant: str
    channel: Channel
    department: str
    state: State
    handler: str
    #: Came from an earlier register (File → Importeren).
    imported: bool = False
    #: The day the handler was last reminded of their limit (issue 15), if ever.
    reminded_on: date | None = None
    #: The stored procedure facts, today and the limits: the next deadline is worked out
    #: when the row is shown (a page holds 100 rows, a screen about 30).
    facts: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    today: date | None = field(default=None, repr=False, compare=False)
    limits: TimeLimits | None = field(default=None, repr=False, compare=False)

    @cached_property
    def next_deadline(self) -> Deadline | None:
        """The limit the dossier has to meet next, with its status on ``today``."""
        if self.today is None or self.limits is None or not self.facts:
            return None
        dossier = Dossier(**self.facts, grounds=frozenset())
        return next_deadline(dossier, self.today, self.limits)


# As the list shows them: channels by their Dutch label, steps by number (closed last).
_CHANNELS_SHOWN = sorted(Channel, key=lambda channel: channel.label)
_STATES_SHOWN = sorted(State, key=lambda state: (state.step is None, state.step or 0))
_OPEN_STATES = tuple(str(state) for state in _STATES_SHOWN if state.is_open)

_SORT_NAMES = {
    SortKey.REFERENCE: "reference",
    SortKey.RECEIVED: "received",
    SortKey.COMPLAINANT: "name",
    SortKey.CHANNEL: "channel",
    SortKey.DEPARTMENT: "department",
    SortKey.STATE: "state",
    SortKey.HANDLER: "handler",
    SortKey.NEXT_DUE: "due",
}


def _by_name(rows: list[tuple[int, str]]) -> tuple[int | None, ...]:
    """Ids in the order of their names as a reader expects (see name_sort_key), equal names
    by id; then None: dossiers without one come last."""
    ordered = sorted(rows, key=lambda row: (name_sort_key(row[1]), row[1], row[0]))
    return (*(row_id for row_id, _name in ordered), None)


def _key_order(sort: SortKey) -> tuple[object, ...]:
    if sort is SortKey.CHANNEL:
        return tuple(str(channel) for channel in _CHANNELS_SHOWN)
    if sort is SortKey.STATE:
        return tuple(str(state) for state in _STATES_SHOWN)
    if sort is SortKey.DEPARTMENT:
        return _by_name(
            [(row.id, row.name) for row in Department.select(Department.id, Department.name)]
        )
    if sort is SortKey.HANDLER:
        return _by_name([(row.id, row.name) for row in Handler.select(Handler.id, Handler.name)])
    return ()


def list_query(
    flt: ListFilter, sort: SortKey, descending: bool, today: date, limits: TimeLimits
) -> ListQuery:
    """The filter and sort as the list's SQL takes them (stored codes, ids and days)."""
    due_before = None
    states = tuple(sorted(str(state) for state in flt.states))
    if flt.due is DueFilter.OVERDUE:
        due_before = today
    elif flt.due is DueFilter.URGENT:
        due_before = today + timedelta(days=limits.due_soon_days + 1)
    elif flt.due is DueFilter.OPEN:
        # Open ones among the steps asked; only closed ones asked: a step no dossier has.
        states = tuple(s for s in _OPEN_STATES if not flt.states or s in states) or ("",)
    return ListQuery(
        sort=_SORT_NAMES[sort],
        descending=descending,
        key_order=_key_order(sort),
        match=fts_match(flt.text) if flt.text.strip() else None,
        states=states,
        states_open=bool(states) and all(s in _OPEN_STATES for s in states),
        due_before=due_before,
        received_from=date(flt.year, 1, 1) if flt.year is not None else None,
        received_to=date(flt.year, 12, 31) if flt.year is not None else None,
        channel=str(flt.channel) if flt.channel is not None else None,
        department_id=flt.department_id,
        handler_id=flt.handler_id,
        only=flt.only.ids if flt.only is not None else None,
    )


def ordered_ids(
    flt: ListFilter, sort: SortKey, descending: bool, today: date, limits: TimeLimits
) -> list[int]:
    """The ids of every complaint the filter shows, in the chosen order.

    Only ids: a list model keeps these (100,000 ints is under 4 MB) and fetches the rows it
    shows with :func:`rows`, so scrolling anywhere costs one small query, whatever the sort.
    The order: by the sort key, then by day of receipt, then by registration; descending is
    that order reversed, empty values last both ways (see models/list_queries.py).
    """
    return list_queries.ordered_ids(list_query(flt, sort, descending, today, limits))


def first_ids(
    flt: ListFilter, sort: SortKey, descending: bool, today: date, limits: TimeLimits, count: int
) -> list[int]:
    """The first ``count`` of :func:`ordered_ids`, found without reading the others."""
    return list_queries.first_ids(list_query(flt, sort, descending, today, limits), count)


def list_segments(
    flt: ListFilter, sort: SortKey, descending: bool, today: date, limits: TimeLimits
) -> list[list_queries.Segment]:
    """The statements behind :func:`ordered_ids` (for looking at their plans)."""
    return list_queries.plan(list_query(flt, sort, descending, today, limits))


def rows(ids: list[int], today: date, limits: TimeLimits) -> list[ListRow]:
    """The list rows of ``ids``, in that order: one statement, no model objects."""
    found = list_queries.list_rows(ids, DOSSIER_COLUMNS)
    reminded = last_reminded(ids)
    result = []
    for complaint_id in ids:
        row = found.get(complaint_id)
        if row is None:
            continue
        facts = {name: row[name] for name in DOSSIER_COLUMNS}
        facts["handler_id"] = row["handler_id"]
        result.append(
            ListRow(
                id=complaint_id,
                reference=row["reference"],
                received_on=row["received_on"],
                complainant=row["name"] or "(anoniem)",
                channel=row["channel"],
                department=row["department_name"] or "",
                state=row["state"],
                handler=row["handler_name"] or "",
                imported=row["import_key"] is not None,
                reminded_on=reminded.get(complaint_id),
                facts=facts,
                today=today,
                limits=limits,
            )
        )
    return result


def years() -> list[int]:
    """The years in which complaints were received, newest first."""
    first, last = list_queries.received_years()
    if first is None or last is None:
        return []
    return list(range(last.year, first.year - 1, -1))
