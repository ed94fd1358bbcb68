"""The complaint list's queries, function by function, beside the best bare SQL plan.

    python benchmarks/list_queries.py [--sizes 10000 100000] [--runs 9] [--work DIR]

For each size, a copy of the kept demo register (benchmarks/pairs.py) is opened (and so
migrated) by klachtdesk. Then, interleaved in pairs, klachtdesk's service function
(``complaint_list.ordered_ids`` for filters and sorts; for a search keystroke also the first
page of rows, as the list shows it) beside its floor: the same result fetched bare, on a raw
SQLCipher cursor on the same copy (same page cache size), with the best plan found by hand:

- a filter or sort: one statement on the index that serves it (for a sort by a small lookup,
  one range per value, in the lookup's order, fetched one after the other);
- a search keystroke: the bare FTS5 MATCH of what was typed (the ids only, unordered);
- a page of rows: the page's rows, every column, in one bare statement.

Prints min/median/max of both and of the ratio pair by pair, then the growth from the
smallest size to the largest; asserts nothing. The machine is shared: trust the ratios.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from common import PASSPHRASE
from pairs import Pairs, demo_register, measure_pairs, print_growth, print_header, print_pairs
from pairs import sizes as chosen_sizes

#: The list model's page (klachtdesk.ui.complaint_table_model.PAGE_SIZE; no Qt imported here).
PAGE_SIZE = 50
TYPED = ["ke", "de", "an", "ma", "va", "st", "pe", "pee", "peet", "peeters", "kerkstraat", "2025"]
COVER = "state, next_due_on, channel, department_id, handler_id"


def cases(raw: Any, today: date) -> list[tuple[str, Any, Callable[[], object]]]:
    """(label, what klachtdesk lists, the bare floor) for every filter, sort and search."""
    from klachtdesk.procedure import Channel, State, TimeLimits
    from klachtdesk.services import complaint_list
    from klachtdesk.services.complaint_list import DueFilter, ListFilter, SortKey

    limits = TimeLimits()

    def bare(sql: str, *params: object) -> Callable[[], object]:
        return lambda: [i for (i,) in raw.execute(sql, params)]

    def bare_ranges(
        column: str, index: str, keys: list[object], order: str
    ) -> Callable[[], object]:
        def fetch() -> list[int]:
            ids: list[int] = []
            for key in keys:
                test = f"{column} IS NULL" if key is None else f"{column} = ?"
                params: tuple[object, ...] = () if key is None else (key,)
                if key == "running":
                    test, params = f"{column} IS NOT NULL", ()
                ids += [
                    i
                    for (i,) in raw.execute(
                        f"SELECT id FROM complaint INDEXED BY {index} WHERE {test} "
                        f"ORDER BY {order}",
                        params,
                    )
                ]
            return ids

        return fetch

    def listed(flt: Any, sort: Any = SortKey.RECEIVED, descending: bool = True) -> Any:
        return lambda: complaint_list.ordered_ids(flt, sort, descending, today, limits)

    newest = "ORDER BY received_on DESC, id DESC"
    dept = [
        d for (d,) in raw.execute("SELECT id FROM department ORDER BY klachtdesk_sort_key(name)")
    ]
    hand = [h for (h,) in raw.execute("SELECT id FROM handler ORDER BY klachtdesk_sort_key(name)")]
    channels = [str(c) for c in sorted(Channel, key=lambda c: c.label)]
    states = [str(s) for s in sorted(State, key=lambda s: (s.step is None, s.step or 0))]
    open_states = [s for s in states if s != "closed"]
    soon = today + timedelta(days=limits.due_soon_days + 1)
    year = today.year - 1
    result: list[tuple[str, Any, Callable[[], object]]] = [
        ("filter: none (newest first)", listed(ListFilter()),
         bare(f"SELECT id FROM complaint INDEXED BY complaint_list_received {newest}")),
        ("filter: open", listed(ListFilter(due=DueFilter.OPEN)),
         bare(f"SELECT id FROM complaint INDEXED BY complaint_list_state WHERE state IN "
              f"({', '.join('?' * len(open_states))}) {newest}", *open_states)),
        ("filter: closed", listed(ListFilter(states=frozenset({State.CLOSED}))),
         bare(f"SELECT id FROM complaint INDEXED BY complaint_list_state WHERE state = ? "
              f"{newest}", "closed")),
        ("filter: one open step", listed(ListFilter(states=frozenset({State.WITH_HANDLER}))),
         bare(f"SELECT id FROM complaint INDEXED BY complaint_list_state WHERE state = ? "
              f"{newest}", "with_handler")),
        ("filter: overdue", listed(ListFilter(due=DueFilter.OVERDUE)),
         bare(f"SELECT id FROM complaint INDEXED BY complaint_list_due WHERE next_due_on < ? "
              f"{newest}", today.isoformat())),
        ("filter: overdue or soon", listed(ListFilter(due=DueFilter.URGENT)),
         bare(f"SELECT id FROM complaint INDEXED BY complaint_list_due WHERE next_due_on < ? "
              f"{newest}", soon.isoformat())),
        (f"filter: year {year}", listed(ListFilter(year=year)),
         bare(f"SELECT id FROM complaint INDEXED BY complaint_list_received WHERE received_on "
              f"BETWEEN ? AND ? {newest}", f"{year}-01-01", f"{year}-12-31")),
        ("filter: channel e-mail", listed(ListFilter(channel=Channel.EMAIL)),
         bare(f"SELECT id FROM complaint INDEXED BY complaint_list_channel WHERE channel = ? "
              f"{newest}", "email")),
        ("filter: department", listed(ListFilter(department_id=dept[0])),
         bare(f"SELECT id FROM complaint INDEXED BY complaint_list_department WHERE "
              f"department_id = ? {newest}", dept[0])),
        ("filter: handler", listed(ListFilter(handler_id=hand[0])),
         bare(f"SELECT id FROM complaint INDEXED BY complaint_list_handler WHERE "
              f"handler_id = ? {newest}", hand[0])),
    ]  # fmt: skip
    only = frozenset(i for (i,) in raw.execute("SELECT id FROM complaint WHERE id % 5 = 0"))
    from klachtdesk.services.complaint_list import Restriction

    result.append(
        (
            "filter: figures' dossiers (1 in 5)",
            listed(ListFilter(only=Restriction(only, "Cijfers"))),
            bare(
                "SELECT id FROM complaint INDEXED BY complaint_list_received WHERE id + 0 IN "
                f"(SELECT value FROM json_each(?)) {newest}",
                json.dumps(sorted(only)),
            ),
        )
    )
    for descending in (False, True):
        d = " DESC" if descending else ""
        way = "desc" if descending else "asc"

        def ordered(keys: list[Any], descending: bool = descending) -> list[Any]:
            if not descending:
                return keys
            return [k for k in reversed(keys) if k is not None] + [k for k in keys if k is None]

        by_received = f"received_on{d}, id{d}"
        result += [
            (f"sort: reference {way}", listed(ListFilter(), SortKey.REFERENCE, descending),
             bare(f"SELECT id FROM complaint INDEXED BY complaint_list_id ORDER BY id{d}")),
            (f"sort: received {way}", listed(ListFilter(), SortKey.RECEIVED, descending),
             bare(f"SELECT id FROM complaint INDEXED BY complaint_list_received "
                  f"ORDER BY {by_received}")),
            (f"sort: complainant {way}", listed(ListFilter(), SortKey.COMPLAINANT, descending),
             bare(f"SELECT id FROM complaint INDEXED BY complaint_list_name ORDER BY "
                  f"klachtdesk_sort_key(name){d}, {by_received}")),
            (f"sort: next limit {way}", listed(ListFilter(), SortKey.NEXT_DUE, descending),
             bare_ranges("next_due_on", "complaint_list_due", ["running", None],
                         f"next_due_on{d}, {by_received}")),
            (f"sort: channel {way}", listed(ListFilter(), SortKey.CHANNEL, descending),
             bare_ranges("channel", "complaint_list_channel", ordered(channels), by_received)),
            (f"sort: step {way}", listed(ListFilter(), SortKey.STATE, descending),
             bare_ranges("state", "complaint_list_state", ordered(states), by_received)),
            (f"sort: department {way}", listed(ListFilter(), SortKey.DEPARTMENT, descending),
             bare_ranges("department_id", "complaint_list_department", ordered([*dept, None]),
                         by_received)),
            (f"sort: handler {way}", listed(ListFilter(), SortKey.HANDLER, descending),
             bare_ranges("handler_id", "complaint_list_handler", ordered([*hand, None]),
                         by_received)),
        ]  # fmt: skip
    # Combinations: the floor is the best single statement found for the same result.
    result += [
        ("combo: e-mail + department, by handler",
         listed(ListFilter(channel=Channel.EMAIL, department_id=dept[0]), SortKey.HANDLER, False),
         bare(
             "SELECT id FROM complaint INDEXED BY complaint_list_department WHERE "
             "department_id = ? AND channel = ? ORDER BY handler_id IS NULL, "
             f"CASE handler_id {' '.join(f'WHEN {h} THEN {i}' for i, h in enumerate(hand))} END,"
             " received_on, id", dept[0], "email")),
        ("combo: overdue, by channel",
         listed(ListFilter(due=DueFilter.OVERDUE), SortKey.CHANNEL, False),
         bare("SELECT id FROM complaint INDEXED BY complaint_list_due WHERE next_due_on < ? "
              f"ORDER BY CASE channel {' '.join(f'WHEN ? THEN {i}' for i in range(5))} END, "
              "received_on, id", today.isoformat(), *channels)),
        ("combo: open + year, by complainant",
         listed(ListFilter(due=DueFilter.OPEN, year=year), SortKey.COMPLAINANT, False),
         bare("SELECT id FROM complaint INDEXED BY complaint_list_name WHERE state != 'closed' "
              "AND received_on BETWEEN ? AND ? ORDER BY klachtdesk_sort_key(name), "
              "received_on, id", f"{year}-01-01", f"{year}-12-31")),
        ("combo: 'ke', by handler desc",
         listed(ListFilter(text="ke"), SortKey.HANDLER, True),
         bare("SELECT id FROM complaint INDEXED BY complaint_list_handler WHERE id + 0 IN "
              "(SELECT rowid FROM complaint_fts WHERE complaint_fts MATCH ?) ORDER BY "
              "handler_id IS NULL, "
              f"CASE handler_id {' '.join(f'WHEN {h} THEN {i}' for i, h in enumerate(hand))} "
              "END DESC, received_on DESC, id DESC", '"ke"*')),
    ]  # fmt: skip
    return result


def keystrokes(raw: Any, today: date) -> list[tuple[str, Any, Callable[[], object]]]:
    """A search keystroke: the list's ids and its first page, beside the bare FTS5 MATCH."""
    from klachtdesk.models.search import fts_match
    from klachtdesk.procedure import TimeLimits
    from klachtdesk.services import complaint_list
    from klachtdesk.services.complaint_list import ListFilter, SortKey

    limits = TimeLimits()
    result: list[tuple[str, Any, Callable[[], object]]] = []
    for text in TYPED:
        match = fts_match(text)

        def ours(text: str = text) -> object:
            ids = complaint_list.ordered_ids(
                ListFilter(text=text), SortKey.RECEIVED, True, today, limits
            )
            return complaint_list.rows(ids[:PAGE_SIZE], today, limits)

        def floor(match: str | None = match) -> object:
            sql = "SELECT rowid FROM complaint_fts WHERE complaint_fts MATCH ?"
            return [i for (i,) in raw.execute(sql, (match,))]

        result.append((f"search '{text}' + first page", ours, floor))
    return result


def page_case(raw: Any, today: date) -> tuple[str, Any, Callable[[], object]]:
    from klachtdesk.procedure import TimeLimits
    from klachtdesk.services import complaint_list
    from klachtdesk.services.complaint_list import ListFilter, SortKey

    limits = TimeLimits()
    ids = complaint_list.ordered_ids(ListFilter(), SortKey.COMPLAINANT, False, today, limits)
    page = ids[len(ids) // 2 : len(ids) // 2 + PAGE_SIZE]
    sql = (
        "SELECT c.*, d.name, h.name FROM complaint AS c "
        "LEFT JOIN department AS d ON d.id = c.department_id "
        "LEFT JOIN handler AS h ON h.id = c.handler_id "
        "WHERE c.id IN (SELECT value FROM json_each(?))"
    )
    return (
        f"a page of {PAGE_SIZE} rows (middle, by name)",
        lambda: complaint_list.rows(page, today, limits),
        lambda: raw.execute(sql, (json.dumps(page),)).fetchall(),
    )


def measure(count: int, work: Path, runs: int, only: str = "") -> dict[str, Pairs]:
    from klachtdesk.models import SORT_KEY_FUNCTION, connect_encrypted, open_register
    from klachtdesk.procedure.intake import name_sort_key

    folder = demo_register(count, work / f"list-{count}")
    register = open_register(folder, PASSPHRASE)
    raw = connect_encrypted(register.path, register.sqlcipher_key)
    raw.execute("PRAGMA cache_size = -32000")
    raw.create_function(SORT_KEY_FUNCTION, 1, name_sort_key, deterministic=True)
    today = date.today()
    found: dict[str, Pairs] = {}
    print_header(
        f"\n{count:,} dossiers (schema migrated: {register.migrated_to})".replace(",", ".")
    )
    try:
        for label, ours, floor in [
            *cases(raw, today),
            *keystrokes(raw, today),
            page_case(raw, today),
        ]:
            if only not in label:
                continue
            found[label] = measure_pairs(ours, floor, runs=runs, warmup=2)
            print_pairs(label, found[label])
    finally:
        raw.close()
        register.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--work", default=None, help="folder for the register copies")
    parser.add_argument("--only", default="", help="only the cases whose label holds this")
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="klachtdesk-list-bench-"))
    measured = {
        count: measure(count, work, args.runs, args.only) for count in chosen_sizes(args.sizes)
    }
    counts = sorted(measured)
    if len(counts) > 1:
        small, large = measured[counts[0]], measured[counts[-1]]
        print(f"\ngrowth {counts[0]:,} → {counts[-1]:,} (medians)".replace(",", "."))
        for label in small:
            print_growth(label, small[label], large[label])
    print("ratio summary (median ratio per case): ", end="")
    for count in counts:
        ratios = sorted(p.ratios.median for p in measured[count].values())
        print(f"{count}: min {ratios[0]:.2f} median {ratios[len(ratios) // 2]:.2f} "
              f"max {ratios[-1]:.2f}; ", end="")  # fmt: skip
    print()


if __name__ == "__main__":
    main()
