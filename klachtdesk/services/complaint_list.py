"""The complaint list as the main window shows it: filtered, sorted and paged in SQL.

Only the rows on screen are ever fetched, so the list stays instant on a register of 100,000
complaints. Text search uses the FTS5 index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from typing import Any

from peewee import JOIN, Case, fn

from klachtdesk.models import SORT_KEY_FUNCTION, Complaint, Department, Handler, database
from klachtdesk.models.id_sets import id_set
from klachtdesk.models.search import matching_ids
from klachtdesk.procedure import Channel, Deadline, State, TimeLimits, next_deadline

from .dossiers import DOSSIER_COLUMNS, limits_dossier


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
    next_deadline: Deadline | None
    #: Came from an earlier register (File → Importeren).
    imported: bool = False


def _in_order_of(column: Any, members: list[Channel] | list[State]) -> Any:
    """Sort a column of stored codes in the order of ``members``, not by the codes' spelling."""
    return Case(column, [(str(member), position) for position, member in enumerate(members)])


# As the list shows them: channels by their Dutch label, steps by number (closed last).
_CHANNELS_SHOWN = sorted(Channel, key=lambda channel: channel.label)
_STATES_SHOWN = sorted(State, key=lambda state: (state.step is None, state.step or 0))

_SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.REFERENCE: Complaint.id,
    SortKey.RECEIVED: Complaint.received_on,
    # Case and accents ignored, through the index of migration 4.
    SortKey.COMPLAINANT: getattr(fn, SORT_KEY_FUNCTION)(Complaint.name),
    SortKey.CHANNEL: _in_order_of(Complaint.channel, _CHANNELS_SHOWN),
    SortKey.DEPARTMENT: Department.name,
    SortKey.STATE: _in_order_of(Complaint.state, _STATES_SHOWN),
    SortKey.HANDLER: Handler.name,
    SortKey.NEXT_DUE: Complaint.next_due_on,
}


def _where(
    query: Any, flt: ListFilter, today: date, limits: TimeLimits, in_id_order: bool = False
) -> Any:
    if flt.text.strip():
        ids = matching_ids(flt.text)
        query = query.where(Complaint.id.in_(ids)) if ids is not None else query
    if flt.states:
        query = query.where(Complaint.state.in_([str(s) for s in flt.states]))
    if flt.due is DueFilter.OVERDUE:
        query = query.where(Complaint.next_due_on < today)
    elif flt.due is DueFilter.URGENT:
        query = query.where(Complaint.next_due_on <= today + timedelta(days=limits.due_soon_days))
    elif flt.due is DueFilter.OPEN:
        query = query.where(Complaint.state != str(State.CLOSED))
    if flt.year is not None:
        query = query.where(
            Complaint.received_on.between(date(flt.year, 1, 1), date(flt.year, 12, 31))
        )
    if flt.channel is not None:
        query = query.where(Complaint.channel == str(flt.channel))
    if flt.department_id is not None:
        query = query.where(Complaint.department == flt.department_id)
    if flt.handler_id is not None:
        query = query.where(Complaint.handler == flt.handler_id)
    if flt.only is not None:
        # 'id + 0' keeps SQLite from looking each id up in the table (thousands of scattered
        # pages to decrypt): it reads the sort's or a filter's index and tests each entry
        # against the set instead, 3-6x faster for 10,000-50,000 ids in 100,000. In id order
        # the lookups come in table order, and the plain column is the faster one.
        column = Complaint.id if in_id_order else Complaint.id + 0
        query = query.where(column.in_(id_set(flt.only.ids)))
    return query


def ordered_ids(
    flt: ListFilter, sort: SortKey, descending: bool, today: date, limits: TimeLimits
) -> list[int]:
    """The ids of every complaint the filter shows, in the chosen order.

    Only ids: a list model keeps these (100,000 ints is under 4 MB) and fetches the rows it
    shows with :func:`rows`, so scrolling anywhere costs one small query, whatever the sort.
    """
    query = ordered_query(flt, sort, descending, today, limits)
    # Straight from the cursor: peewee's row wrapping costs 4x the query itself here.
    return [complaint_id for (complaint_id,) in database.execute(query)]


def ordered_query(
    flt: ListFilter, sort: SortKey, descending: bool, today: date, limits: TimeLimits
) -> Any:
    """The query behind :func:`ordered_ids` (also for looking at its plan)."""
    order = _SORT_COLUMNS[sort]
    primary = order.desc(nulls="LAST") if descending else order.asc(nulls="LAST")
    tie = Complaint.id.desc() if descending else Complaint.id.asc()
    query = Complaint.select(Complaint.id)
    if sort is SortKey.DEPARTMENT:
        query = query.join(Department, JOIN.LEFT_OUTER, on=(Complaint.department == Department.id))
    elif sort is SortKey.HANDLER:
        query = query.join(Handler, JOIN.LEFT_OUTER, on=(Complaint.handler == Handler.id))
    in_id_order = sort is SortKey.REFERENCE
    return _where(query, flt, today, limits, in_id_order).order_by(primary, tie)


def rows(ids: list[int], today: date, limits: TimeLimits) -> list[ListRow]:
    """The list rows of ``ids``, in that order."""
    if not ids:
        return []
    columns = [getattr(Complaint, name) for name in DOSSIER_COLUMNS]
    query = (
        Complaint.select(
            Complaint.id,
            Complaint.reference,
            Complaint.name,
            Complaint.handler,
            Complaint.import_key,
            Department.name.alias("department_name"),
            Handler.name.alias("handler_name"),
            *columns,
        )
        .join(Department, JOIN.LEFT_OUTER, on=(Complaint.department == Department.id))
        .switch(Complaint)
        .join(Handler, JOIN.LEFT_OUTER, on=(Complaint.handler == Handler.id))
        .where(Complaint.id.in_(ids))
    )
    found: dict[int, ListRow] = {}
    for row in query.objects():
        dossier = limits_dossier(row)
        found[row.id] = ListRow(
            id=row.id,
            reference=row.reference,
            received_on=row.received_on,
            complainant=row.name or "(anoniem)",
            channel=row.channel,
            department=getattr(row, "department_name", None) or "",
            state=row.state,
            handler=getattr(row, "handler_name", None) or "",
            next_deadline=next_deadline(dossier, today, limits),
            imported=row.import_key is not None,
        )
    return [found[i] for i in ids if i in found]


def years() -> list[int]:
    """The years in which complaints were received, newest first."""
    first = Complaint.select(fn.MIN(Complaint.received_on)).scalar()
    last = Complaint.select(fn.MAX(Complaint.received_on)).scalar()
    if first is None or last is None:
        return []
    first_year = first.year if isinstance(first, date) else int(str(first)[:4])
    last_year = last.year if isinstance(last, date) else int(str(last)[:4])
    return list(range(last_year, first_year - 1, -1))
