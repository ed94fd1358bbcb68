"""Every list query reads narrow indexes only, and lists exactly what a plain reading says.

At 100,000 dossiers the complaint rows (70 MB) do not fit the page cache: a list query that
reads them costs 100-200 ms instead of a few. The plans below are what keeps the list fast;
a later change that loses an index (or makes a query read the rows) fails here by name.
The correctness test computes each list in Python from every row, with the order rule of
models/list_queries.py, and compares.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtdesk.models import Register, create_register, database, open_register
from klachtdesk.models.list_queries import (
    LIST_INDEXES,
    ListQuery,
    Segment,
    query_plan,
    run,
    segments,
)
from klachtdesk.models.migrations import _V11
from klachtdesk.procedure import Channel, State, TimeLimits
from klachtdesk.procedure.intake import name_sort_key
from klachtdesk.services.check import check_register
from klachtdesk.services.complaint_list import (
    DueFilter,
    ListFilter,
    Restriction,
    SortKey,
    list_query,
    list_segments,
    ordered_ids,
)
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.demo import fill_with_demo

from ..conftest import ci_examples
from .conftest import PASSPHRASE

LIMITS = TimeLimits()

FILTERS: dict[str, ListFilter] = {
    "none": ListFilter(),
    "search": ListFilter(text="ke"),
    "search two words": ListFilter(text="de straat"),
    "closed": ListFilter(states=frozenset({State.CLOSED})),
    "one open step": ListFilter(states=frozenset({State.WITH_HANDLER})),
    "open": ListFilter(due=DueFilter.OPEN),
    "overdue": ListFilter(due=DueFilter.OVERDUE),
    "overdue or soon": ListFilter(due=DueFilter.URGENT),
    "year": ListFilter(year=2026),
    "channel": ListFilter(channel=Channel.EMAIL),
    "department": ListFilter(department_id=1),
    "handler": ListFilter(handler_id=1),
    "figures": ListFilter(only=Restriction(frozenset(range(1, 200, 3)), "Cijfers")),
    "channel + department": ListFilter(channel=Channel.PHONE, department_id=2),
    "search + open + year": ListFilter(text="ke", due=DueFilter.OPEN, year=2026),
    "overdue + handler": ListFilter(due=DueFilter.OVERDUE, handler_id=2),
    "figures + channel": ListFilter(
        channel=Channel.EMAIL, only=Restriction(frozenset(range(1, 200, 2)), "Cijfers")
    ),
}


def _plan_problems(segment: Segment) -> list[str]:
    plan = query_plan(segment)
    problems = []
    steps = [step for step in plan if re.match(r"(SCAN|SEARCH) complaint\b", step)]
    if not steps:
        problems.append("the plan does not read complaint?")
    for step in steps:
        if f"USING COVERING INDEX {segment.index}" not in step:
            problems.append(f"reads the wide rows or another index: {step}")
    if any("TEMP B-TREE" in step for step in plan) and not segment.small_sort:
        problems.append("sorts what its index gives in order")
    return [f"{problem}\n  {segment.sql}\n  {plan}" for problem in problems]


def _both_ways(query: ListQuery) -> list[Segment]:
    """A search's or the figures' set both read through (many hits) and looked up (few)."""
    if query.match is None and query.only is None:
        return segments(query)
    return [*segments(replace(query, few=False)), *segments(replace(query, few=True))]


def test_every_list_query_reads_its_covering_index_in_order(
    register: Register, ctx: ServiceContext
) -> None:
    """No filter, sort, search or combination reads complaint rows; a temporary sort only
    where the plan says it sorts few entries (a due range, the open steps, a search's or the
    figures' set with a lookup sort: bounded by what was found, not by the register)."""
    fill_with_demo(ctx, 120)
    today = ctx.today()
    problems = []
    seen_indexes = set()
    for name, flt in FILTERS.items():
        for sort in SortKey:
            for descending in (False, True):
                for segment in _both_ways(list_query(flt, sort, descending, today, LIMITS)):
                    seen_indexes.add(segment.index)
                    problems += [f"{name}, {sort}: {p}" for p in _plan_problems(segment)]
    assert not problems, "\n".join(problems)
    assert seen_indexes == set(LIST_INDEXES)


def test_a_filter_alone_in_the_default_order_reads_one_range_without_sorting(
    register: Register, ctx: ServiceContext
) -> None:
    """The filters of the toolbar, newest first (the list as it opens): one range of the
    filter's own index, already in order; the due filters and 'open' sort their few entries."""
    expected = {
        "none": "complaint_list_received",
        "closed": "complaint_list_state",
        "one open step": "complaint_list_state",
        "year": "complaint_list_received",
        "channel": "complaint_list_channel",
        "department": "complaint_list_department",
        "handler": "complaint_list_handler",
        "overdue": "complaint_list_due",
        "overdue or soon": "complaint_list_due",
        "open": "complaint_list_state",
    }
    for name, index in expected.items():
        [segment] = list_segments(FILTERS[name], SortKey.RECEIVED, True, ctx.today(), LIMITS)
        plan = " | ".join(query_plan(segment))
        assert segment.index == index, (name, segment.sql)
        small = name in ("overdue", "overdue or soon", "open")
        assert ("TEMP B-TREE" in plan) == small, (name, plan)
        if name != "none":
            assert plan.startswith(f"SEARCH complaint USING COVERING INDEX {index}"), plan


# -- the lists themselves, against a plain reading of every row -------------------------------

_CHANNEL_RANK = {str(c): i for i, c in enumerate(sorted(Channel, key=lambda c: c.label))}
_STATE_RANK = {
    str(s): i for i, s in enumerate(sorted(State, key=lambda s: (s.step is None, s.step or 0)))
}


def _all_rows() -> list[dict[str, Any]]:
    names = ["id", "received_on", "state", "next_due_on", "channel", "department_id",
             "handler_id", "name"]  # fmt: skip
    sql = f"SELECT {', '.join(names)} FROM complaint"
    return [dict(zip(names, row, strict=True)) for row in database.execute_sql(sql)]


def _lookup_rank(table: str) -> dict[int, tuple[str, str, int]]:
    rows = database.execute_sql(f"SELECT id, name FROM {table}").fetchall()
    return {i: (name_sort_key(n), n, i) for i, n in rows}


def expected_ids(flt: ListFilter, sort: SortKey, descending: bool, today: date) -> list[int]:
    """The list by the rule, computed plainly: filter every row, sort by (key, day of
    receipt, id), reverse for descending, rows without a key last both ways."""
    rows = _all_rows()
    if flt.text.strip():
        from klachtdesk.models.search import fts_match

        match = fts_match(flt.text)
        if match is not None:
            found = {
                r for (r,) in database.execute_sql(
                    "SELECT rowid FROM complaint_fts WHERE complaint_fts MATCH ?", (match,)
                )
            }  # fmt: skip
            rows = [r for r in rows if r["id"] in found]
    if flt.states:
        rows = [r for r in rows if r["state"] in {str(s) for s in flt.states}]
    soon = date.fromordinal(today.toordinal() + LIMITS.due_soon_days).isoformat()
    if flt.due is DueFilter.OVERDUE:
        rows = [r for r in rows if r["next_due_on"] and r["next_due_on"] < today.isoformat()]
    elif flt.due is DueFilter.URGENT:
        rows = [r for r in rows if r["next_due_on"] and r["next_due_on"] <= soon]
    elif flt.due is DueFilter.OPEN:
        rows = [r for r in rows if r["state"] != str(State.CLOSED)]
    if flt.year is not None:
        rows = [r for r in rows if r["received_on"].startswith(str(flt.year))]
    if flt.channel is not None:
        rows = [r for r in rows if r["channel"] == str(flt.channel)]
    if flt.department_id is not None:
        rows = [r for r in rows if r["department_id"] == flt.department_id]
    if flt.handler_id is not None:
        rows = [r for r in rows if r["handler_id"] == flt.handler_id]
    if flt.only is not None:
        rows = [r for r in rows if r["id"] in flt.only.ids]
    departments, handlers = _lookup_rank("department"), _lookup_rank("handler")
    key_of = {
        SortKey.REFERENCE: lambda r: r["id"],
        SortKey.RECEIVED: lambda r: r["received_on"],
        SortKey.COMPLAINANT: lambda r: name_sort_key(r["name"]),
        SortKey.CHANNEL: lambda r: _CHANNEL_RANK[r["channel"]],
        SortKey.STATE: lambda r: _STATE_RANK[r["state"]],
        SortKey.DEPARTMENT: lambda r: departments.get(r["department_id"]),
        SortKey.HANDLER: lambda r: handlers.get(r["handler_id"]),
        SortKey.NEXT_DUE: lambda r: r["next_due_on"],
    }[sort]
    listed = []
    for empty in (False, True):
        group = [r for r in rows if (key_of(r) is None) == empty]
        group.sort(key=lambda r: (() if empty else (key_of(r),)) + (r["received_on"], r["id"]))
        if sort is SortKey.REFERENCE:
            group.sort(key=lambda r: r["id"])
        if descending:
            group.reverse()
        listed += [r["id"] for r in group]
    return listed


def test_every_combination_lists_what_a_plain_reading_of_every_row_lists(
    register: Register, ctx: ServiceContext
) -> None:
    fill_with_demo(ctx, 160)
    today = ctx.today()
    ids = [i for (i,) in database.execute_sql("SELECT id FROM complaint")]
    years = sorted({int(r["received_on"][:4]) for r in _all_rows()})
    filters = st.builds(
        ListFilter,
        text=st.sampled_from(["", "k", "ke", "de", "straat", "an de", str(years[-1])]),
        states=st.sampled_from(
            [
                frozenset(),
                frozenset({State.CLOSED}),
                frozenset({State.WITH_HANDLER}),
                frozenset({State.REGISTERED, State.ACKNOWLEDGED}),
                frozenset({State.CLOSED, State.ASSESSED}),
            ]
        ),
        due=st.sampled_from(list(DueFilter)),
        year=st.sampled_from([None, *years]),
        channel=st.sampled_from([None, *Channel]),
        department_id=st.sampled_from([None, 1, 2, 3]),
        handler_id=st.sampled_from([None, 1, 2, 3]),
        only=st.one_of(
            st.none(),
            st.sets(st.sampled_from(ids), max_size=60).map(
                lambda chosen: Restriction(frozenset(chosen), "Cijfers")
            ),
        ),
    )

    @settings(
        max_examples=ci_examples(400, 60),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        deadline=None,
    )
    @given(flt=filters, sort=st.sampled_from(list(SortKey)), descending=st.booleans())
    def lists_alike(flt: ListFilter, sort: SortKey, descending: bool) -> None:
        expected = expected_ids(flt, sort, descending, today)
        assert ordered_ids(flt, sort, descending, today, LIMITS) == expected
        # A search's or the figures' set lists the same read through (many hits) and
        # looked up by id (few); on this small register the plan always finds it few.
        query = list_query(flt, sort, descending, today, LIMITS)
        if query.match is not None or query.only is not None:
            assert run(segments(replace(query, few=False))) == expected
            assert run(segments(replace(query, few=True))) == expected

    lists_alike()
    # Not vacuous: the register has dossiers without a handler and without a next limit.
    rows = _all_rows()
    assert any(r["handler_id"] is None for r in rows)
    assert any(r["next_due_on"] is None for r in rows)
    assert any(r["next_due_on"] is not None for r in rows)


# -- migration 10 on a register with dossiers -------------------------------------------------


def _contents(columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables that hold dossiers; of ``columns`` only (by table), if given."""
    tables = ["complaint", "audit_event", "audit_content", "complaint_ground", "document"]
    wanted = columns or {table: ["*"] for table in tables}
    return {
        table: [
            tuple(row)
            for row in database.execute_sql(
                f"SELECT {', '.join(wanted[table])} FROM {table} ORDER BY 1"
            )
        ]
        for table in tables
    }


def _columns() -> dict[str, list[str]]:
    tables = ["complaint", "audit_event", "audit_content", "complaint_ground", "document"]
    return {
        table: [f'"{row[1]}"' for row in database.execute_sql(f'PRAGMA table_info("{table}")')]
        for table in tables
    }


def _complaint_indexes() -> set[str]:
    rows = database.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'complaint' "
        "AND name NOT LIKE 'sqlite_%'"
    )
    return {name for (name,) in rows}


_V11_COLUMNS = [sql for sql in _V11 if "ADD COLUMN" in sql]


def test_a_version_9_register_with_dossiers_is_upgraded_intact(
    data_dir: Path, ctx: ServiceContext
) -> None:
    with create_register(data_dir, PASSPHRASE, target_version=9):
        # Today's demo generator writes through today's models: the columns version 11 adds
        # are there while it runs, and gone again before the upgrade.
        for sql in _V11_COLUMNS:
            database.execute_sql(sql)
        fill_with_demo(ctx, 150)
        for sql in _V11_COLUMNS:
            table, column = re.findall(r'"(\w+)"', sql)[:2]
            database.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
        before, columns = _contents(), _columns()
        old_indexes = _complaint_indexes()
    assert "complaint_received_on" in old_indexes and "complaint_list_due" not in old_indexes
    with open_register(data_dir, PASSPHRASE) as register:
        assert register.migrated_to == [10, 11]
        assert register.backup is not None and register.backup.exists()
        # Same rows, same audit trail: version 10 changed indexes only, 11 added columns.
        assert _contents(columns) == before
        indexes = _complaint_indexes()
        assert set(LIST_INDEXES) <= indexes
        assert not {"complaint_received_on", "complaint_channel", "complaint_state",
                    "complaint_next_due_on", "complaint_name_sort"} & indexes  # fmt: skip
        # What the dropped indexes served, their successors lead with: foreign keys
        # (RESTRICT on department and handler), the deadline watch, retention.
        assert {"complaint_reference", "complaint_import_key", "complaint_figures"} <= indexes
        today = ctx.today()
        for flt in FILTERS.values():
            for sort in SortKey:
                assert ordered_ids(flt, sort, True, today, LIMITS) == expected_ids(
                    flt, sort, True, today
                ), (flt, sort)
        report = check_register()
        assert report.ok, report.problems
