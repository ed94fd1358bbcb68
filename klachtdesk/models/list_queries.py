"""The complaint list's SQL: which narrow index each list query reads, and in what order.

Migration 10 gives every filter and sort key an index of its own, followed by the day of
receipt, the id, and every other column a filter tests. A list query therefore never reads the
wide complaint rows (70 MB at 100,000 dossiers, more than the page cache holds): it names its
index (``INDEXED BY``), so that the plan does not depend on the planner's guesses or on
statistics that a later ``ANALYZE`` could bring (a plan chosen on purpose, checked by
tests/db/test_list_plan.py).

The order of the list, for every sort key: by the key, then by the day of receipt, then by
the id (the order of registration); descending is that whole order reversed. Empty values (no
next limit, no department, no handler) come last in both directions, in the same order among
themselves. Keys that are a small lookup (channel, step, department, handler) are not in the
order of their codes: the list reads one index range per value, in the order the caller gives
(label, step number, name), and puts the ranges one after the other.

Which index a query starts from (its *driver*):

- sorted by a key with an index of its own: that index, in order, testing the filters on each
  entry (a filter on the sort key itself only narrows the ranges read);
- sorted by day of receipt or by reference: the index of the most selective filter (a due
  date, an open step, a handler, a department, a channel, a step, a year, in that order),
  whose entries for one value already come in order of receipt;
- a due-date filter or the open steps select few dossiers (those still running): they drive
  the query for any lookup sort too, and their few entries are sorted after reading (a small
  temporary sort instead of reading every entry of the sort's index);
- a search or a restriction to the figures' dossiers with a lookup sort: one pass over the
  sort's index and the set's entries sorted after reading, rather than building the set
  again for each range;
- a search or the figures' dossiers with few hits (at most 1 in :data:`FEW_SHARE` of the
  register; a search counts its hits first): each id looked up in the id index, the hits
  sorted after reading.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from peewee import BooleanField, DateField
from sqlcipher3 import dbapi2 as sqlcipher

from .storage import storage_problem
from .tables import Complaint, database

RECEIVED_INDEX = "complaint_list_received"
CHANNEL_INDEX = "complaint_list_channel"
DEPARTMENT_INDEX = "complaint_list_department"
HANDLER_INDEX = "complaint_list_handler"
STATE_INDEX = "complaint_list_state"
DUE_INDEX = "complaint_list_due"
NAME_INDEX = "complaint_list_name"
ID_INDEX = "complaint_list_id"
LIST_INDEXES = (
    ID_INDEX,
    RECEIVED_INDEX,
    CHANNEL_INDEX,
    DEPARTMENT_INDEX,
    HANDLER_INDEX,
    STATE_INDEX,
    DUE_INDEX,
    NAME_INDEX,
)

#: Sorts by a small lookup: the column and its index.
LOOKUP_SORTS = {
    "channel": ("channel", CHANNEL_INDEX),
    "state": ("state", STATE_INDEX),
    "department": ("department_id", DEPARTMENT_INDEX),
    "handler": ("handler_id", HANDLER_INDEX),
}
SORTS = ("reference", "received", "name", "due", *LOOKUP_SORTS)
_NAME_KEY = "klachtdesk_sort_key(name)"


@dataclass(frozen=True)
class ListQuery:
    """A list query in stored values (codes, ids, ISO dates); the service fills it in."""

    sort: str = "received"
    descending: bool = True
    #: Lookup sorts: the key values in the order shown (ascending); None for "empty".
    key_order: tuple[Any, ...] = ()
    #: An FTS5 MATCH expression (see search.fts_match).
    match: str | None = None
    #: Any of these step codes; empty: every step.
    states: tuple[str, ...] = ()
    #: True when every code in ``states`` is an open step: few dossiers.
    states_open: bool = False
    #: next_due_on before this day.
    due_before: date | None = None
    received_from: date | None = None
    received_to: date | None = None
    channel: str | None = None
    department_id: int | None = None
    handler_id: int | None = None
    only: frozenset[int] | None = None
    #: The search's or the figures' set is small: look its ids up in the id index instead
    #: of testing every entry of another (see :func:`plan`).
    few: bool = False


@dataclass(frozen=True)
class Segment:
    """One statement of a list query; the list is the segments' ids one after the other."""

    index: str
    where: tuple[str, ...]
    params: tuple[Any, ...]
    order: str = ""
    #: Sort the ids afterwards (reference order): Python sorts ints faster than SQLite.
    sort_ids: bool = False
    descending: bool = False
    #: Why a temporary sort is the best plan here (few rows), for the plan test.
    small_sort: bool = field(default=False, compare=False)

    @property
    def sql(self) -> str:
        where = " AND ".join(self.where) or "1"
        order = f" ORDER BY {self.order}" if self.order else ""
        return f"SELECT id FROM complaint INDEXED BY {self.index} WHERE {where}{order}"


def _filters(q: ListQuery) -> tuple[list[str], list[Any]]:
    """Every filter as conditions on columns each list index holds."""
    where: list[str] = []
    params: list[Any] = []
    # id + 0: tested on each entry of the index read; a plain id: looked up in the id index.
    tested = "id" if q.few else "id + 0"
    if q.match is not None:
        where.append(f"{tested} IN (SELECT rowid FROM complaint_fts WHERE complaint_fts MATCH ?)")
        params.append(q.match)
    if q.states:
        where.append(f"state IN ({', '.join('?' * len(q.states))})")
        params.extend(q.states)
    if q.due_before is not None:
        where.append("next_due_on < ?")
        params.append(q.due_before.isoformat())
    if q.received_from is not None:
        where.append("received_on >= ?")
        params.append(q.received_from.isoformat())
    if q.received_to is not None:
        where.append("received_on <= ?")
        params.append(q.received_to.isoformat())
    if q.channel is not None:
        where.append("channel = ?")
        params.append(q.channel)
    if q.department_id is not None:
        where.append("department_id = ?")
        params.append(q.department_id)
    if q.handler_id is not None:
        where.append("handler_id = ?")
        params.append(q.handler_id)
    if q.only is not None:
        where.append(f"{tested} IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(sorted(q.only)))
    return where, params


def _small_driver(q: ListQuery) -> str | None:
    """The index of a filter that selects few dossiers (those still running), if any."""
    if q.due_before is not None:
        return DUE_INDEX
    if q.states and q.states_open:
        return STATE_INDEX
    return None


def _received_driver(q: ListQuery) -> str:
    small = _small_driver(q)
    if small is not None:
        return small
    if q.handler_id is not None:
        return HANDLER_INDEX
    if q.department_id is not None:
        return DEPARTMENT_INDEX
    if q.channel is not None:
        return CHANNEL_INDEX
    if len(q.states) == 1:
        return STATE_INDEX
    return RECEIVED_INDEX


#: A set of at most 1 in FEW_SHARE of the register's dossiers is looked up by id: seeks in a
#: narrow index and a small sort beat reading every entry of another up to about 1 in 6
#: (at 100,000: 'peeters', 2,411 hits, 2.2 ms against 9.3 ms; 'kerkstraat', 8,493 hits,
#: 11 ms against 15 ms; 'ke', 20,113 hits: reading through wins, 27 ms against 28 ms).
FEW_SHARE = 6
FEW_AT_LEAST = 200


def plan(q: ListQuery) -> list[Segment]:
    """The statements that list ``q``: a set is looked up by id when it is small."""
    sets = q.match is not None or q.only is not None
    if not sets or q.sort == "name":
        return segments(q)
    row = database.execute_sql("SELECT max(id) FROM complaint").fetchone()
    limit = max(FEW_AT_LEAST, int(row[0] or 0) // FEW_SHARE)
    if q.only is not None and len(q.only) <= limit:
        return segments(replace(q, few=True))
    if q.match is not None:
        # Counting the hits costs a fraction of reading them ('ke' at 100,000: 1.2 ms
        # against 10 ms for its 20,113 rowids).
        [(hits,)] = database.execute_sql(
            "SELECT count(*) FROM complaint_fts WHERE complaint_fts MATCH ?", (q.match,)
        ).fetchall()
        if hits <= limit:
            return segments(replace(q, few=True))
    return segments(q)


def segments(q: ListQuery) -> list[Segment]:
    """The statements that list ``q``, in order (see the module's docstring)."""
    where, params = _filters(q)
    d = " DESC" if q.descending else ""
    by_received = f"received_on{d}, id{d}"
    if q.few and q.sort != "name":
        # Few ids, each looked up in the id index; what they find is sorted after reading.
        if q.sort == "reference":
            return [Segment(ID_INDEX, tuple(where), tuple(params), f"id{d}", small_sort=True)]
        if q.sort == "received":
            order = by_received
        elif q.sort == "due":
            order = f"next_due_on IS NULL, next_due_on{d}, {by_received}"
        else:
            column, _index = LOOKUP_SORTS[q.sort]
            keys = _keys(q)
            rank = " ".join(f"WHEN ? THEN {i}" for i, k in enumerate(keys) if k is not None)
            params += [k for k in keys if k is not None]
            order = f"CASE {column} {rank} ELSE {len(keys)} END, {by_received}"
        return [Segment(ID_INDEX, tuple(where), tuple(params), order, small_sort=True)]
    if q.sort in ("received", "reference"):
        driver = _received_driver(q)
        if q.sort == "reference":
            return [Segment(driver, tuple(where), tuple(params), "", True, q.descending, False)]
        # One range of the driver comes in order of receipt; several (a due range, steps)
        # are few entries, sorted after reading.
        small = driver == DUE_INDEX or (driver == STATE_INDEX and len(q.states) > 1)
        return [Segment(driver, tuple(where), tuple(params), by_received, small_sort=small)]
    if q.sort == "name":
        return [Segment(NAME_INDEX, tuple(where), tuple(params), f"{_NAME_KEY}{d}, {by_received}")]
    if q.sort == "due":
        return [
            Segment(
                DUE_INDEX,
                (*where, "next_due_on IS NOT NULL"),
                tuple(params),
                f"next_due_on{d}, {by_received}",
            ),
            Segment(DUE_INDEX, (*where, "next_due_on IS NULL"), tuple(params), by_received),
        ]
    column, index = LOOKUP_SORTS[q.sort]
    keys = _keys(q)
    reader = _small_driver(q)
    if reader == index:
        reader = None
    if reader is None and (q.match is not None or q.only is not None):
        # A set (the search's matches, the figures' dossiers) would be built again for each
        # range: one pass over the sort's index instead, the set's entries sorted after.
        reader = index
    if reader is not None:
        # Few entries: read them once, sort them in the lookup's order.
        rank = " ".join(f"WHEN ? THEN {i}" for i, k in enumerate(keys) if k is not None)
        rank_params = [k for k in keys if k is not None]
        order = f"CASE {column} {rank} ELSE {len(keys)} END, {by_received}"
        return [Segment(reader, tuple(where), (*params, *rank_params), order, small_sort=True)]
    fixed = {"channel": q.channel, "department_id": q.department_id, "handler_id": q.handler_id}
    if column in fixed and fixed[column] is not None:
        keys = [k for k in keys if k == fixed[column]]
    elif column == "state" and q.states:
        keys = [k for k in keys if k in q.states]
    result = []
    for key in keys:
        test = f"{column} IS NULL" if key is None else f"{column} = ?"
        extra = () if key is None else (key,)
        result.append(Segment(index, (test, *where), (*extra, *params), by_received))
    return result


def _keys(q: ListQuery) -> list[Any]:
    """A lookup sort's values in the list's order; the empty value last both ways."""
    keys = list(q.key_order)
    if q.descending:
        keys = [k for k in reversed(keys) if k is not None] + [k for k in keys if k is None]
    return keys


def ordered_ids(q: ListQuery) -> list[int]:
    """The ids ``q`` lists, in order, straight from the cursor (no model objects)."""
    return run(plan(q))


def first_ids(q: ListQuery, count: int) -> list[int]:
    """The first ``count`` ids of :func:`ordered_ids`, each statement stopping once it has
    found them: what a screen shows first of a broad search ('de' at 100,000 dossiers: 65,446
    hits, of which the first 100 are read in a quarter of the time all take).

    Reads the sort's own index (the plan without a count of the hits first): entries come in
    the list's order, so few are read before the first ``count`` turn up; the order is the
    same as the other plans' (the rule is one, see the module's docstring).
    """
    return run(segments(q), limit=count)


def run(statements: Iterable[Segment], limit: int | None = None) -> list[int]:
    """The ids the statements list, one after the other (the first ``limit`` of them).

    Read on the bare connection's cursor: the register's own cursor translates storage faults
    row by row in Python (a third of the time for 100,000 ids); here a fault is translated
    the same way (a Dutch StorageError), once, around the whole reading.
    """
    ids: list[int] = []
    connection = database.connection()
    try:
        for segment in statements:
            wanted = None if limit is None else limit - len(ids)
            if wanted is not None and wanted <= 0:
                break
            sql = segment.sql
            if wanted is not None and not segment.sort_ids:
                sql += f" LIMIT {int(wanted)}"
            cursor = connection.execute(sql, segment.params)
            found = [complaint_id for (complaint_id,) in cursor]
            if segment.sort_ids:
                found.sort(reverse=segment.descending)
            ids.extend(found if wanted is None else found[:wanted])
    except sqlcipher.Error as exc:
        problem = storage_problem(exc, getattr(database.obj, "path", None))
        if problem is None:
            raise
        raise problem from exc
    return ids


def query_plan(segment: Segment) -> list[str]:
    """SQLite's plan of one segment, a line per step (for the plan test and benchmarks)."""
    rows = database.execute_sql(f"EXPLAIN QUERY PLAN {segment.sql}", segment.params)
    return [str(row[3]) for row in rows]


def received_years() -> tuple[date | None, date | None]:
    """The first and last day of receipt in the register (from the received index's ends)."""
    row = database.execute_sql(
        "SELECT MIN(received_on), MAX(received_on) FROM complaint"
    ).fetchone()
    first, last = row if row else (None, None)
    return (
        date.fromisoformat(str(first)[:10]) if first else None,
        date.fromisoformat(str(last)[:10]) if last else None,
    )


def _converter(field: Any) -> Any:
    """A stored value → Python, as the model field would give it, without its overhead."""
    if isinstance(field, DateField):
        return lambda raw: date.fromisoformat(raw[:10]) if isinstance(raw, str) else raw
    if isinstance(field, BooleanField):
        return bool
    return field.python_value


def list_rows(ids: Sequence[int], columns: Iterable[str]) -> dict[int, dict[str, Any]]:
    """The rows of ``ids`` with the given complaint columns (as Python values), plus
    ``handler_id``, ``department_name`` and ``handler_name``, keyed by id: one statement,
    no model objects."""
    if not ids:
        return {}
    names = ["id", "reference", "name", "import_key", *columns]
    fields = [Complaint._meta.fields[name] for name in names]
    convert = [_converter(field) for field in fields]
    selected = ", ".join(f'c."{field.column_name}"' for field in fields)
    sql = (
        f"SELECT {selected}, c.handler_id, d.name, h.name FROM complaint AS c "
        "LEFT JOIN department AS d ON d.id = c.department_id "
        "LEFT JOIN handler AS h ON h.id = c.handler_id "
        "WHERE c.id IN (SELECT value FROM json_each(?))"
    )
    found: dict[int, dict[str, Any]] = {}
    for row in database.execute_sql(sql, (json.dumps(list(ids)),)).fetchall():
        values = {
            name: (None if raw is None else to_python(raw))
            for name, to_python, raw in zip(names, convert, row, strict=False)
        }
        values["handler_id"] = row[-3]
        values["department_name"] = row[-2]
        values["handler_name"] = row[-1]
        found[row[0]] = values
    return found
