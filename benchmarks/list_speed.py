"""How fast the complaint list answers a person, beside its floor (issue 14).

    QT_QPA_PLATFORM=offscreen python benchmarks/list_speed.py [--sizes 10000 100000]
        [--runs 5] [--keystrokes 320] [--quick] [--only search filters sorts scroll]
        [--work-dir D]

The real main window on a copy of a demo register, driven as a person drives it: widgets found
by their accessible name or visible text, keys typed into "Zoeken", combo items clicked, header
sections clicked, Ctrl+End pressed in the table. Each figure is klachtdesk's time until the
table's viewport has painted the new rows, beside its floor measured in the same run,
interleaved (``pairs.measure_pairs``), on the register's own connection (a raw cursor, the same
page cache):

1. search keystrokes (broad 2-letter prefixes, surnames, streets, a reference), each one
   letter typed and let through the 150 ms pause before the search starts (the debounce,
   reported apart): klachtdesk is timed from the debounced filter start (the search timer's
   timeout) to the list repainted; the floor is the bare FTS5 query
   ``SELECT rowid FROM complaint_fts WHERE complaint_fts MATCH ?`` with the match expression
   klachtdesk builds (``klachtdesk.models.search.fts_match``). p50/p95/max per prefix class.
2. every choice of every filter combo → repainted; the floor is the fastest of several SQL
   shapes (the planner's own, each index forced with INDEXED BY, none) for the same ordered
   id list. Its plan is printed; "(full scan)" says the register has no index it could use.
3. every header section, both directions → repainted; the floor is the fastest shape for the
   order ``SortKey`` means (ties by id, as services/complaint_list.py orders them today). A
   floor's id list is CHECKED against klachtdesk's: a mismatch is printed as WARNING.
4. Ctrl+End in the whole list (last row selected, its dossier shown) and the scroll bar sent
   to its end with the End key → the last page painted; the floor is the bare query of the
   painted rows' displayed columns. Before each run the list is sorted away and back (not
   timed), so the last page is never already fetched.

Then the growth from the first size to the last for every row. Prints figures, asserts
nothing. The machine's other work slows both sides of a pair: trust the ratios.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import PASSPHRASE
from pairs import Pairs, Spread, demo_register, measure_pairs, print_growth, print_pairs, sizes

# What a person types, word after word (each word typed anew over the last one): broad
# 2-letter prefixes, surnames and streets of the demo register, a reference and a year.
WORDS = [
    "kerkstraat",
    "de smet",
    "peeters",
    "an",
    "ma",
    "va",
    "janssens",
    "stationsstraat",
    "2026-00",
    "vermeulen",
    "de",
    "molenstraat leuven",
    "maes",
    "van damme",
    "container",
    "el amrani",
    "heverlee",
    "ke",
    "brusselsesteenweg",
    "20",
    "wouters",
    "loket",
    "declercq",
    "sofie",
    "mertens",
    "kastanjelaan",
    "herent",
    "goossens",
    "straatverlichting",
    "jacobs",
    "vandenbroucke",
    "lindenlaan",
    "willems",
    "aanmaning",
    "claes",
    "verhoeven",
    "naamsestraat",
    "bosmans",
    "2025-01",
    "hendrickx",
]

COMBOS = [
    "Filter op stand van het dossier",
    "Filter op termijn",
    "Filter op jaar",
    "Filter op kanaal",
    "Filter op dienst",
    "Filter op behandelaar",
]

PARTS = ["search", "filters", "sorts", "scroll"]

QUICK_WORDS = ["kerkstraat", "de smet", "ma", "2026-00"]


# -- watching the window ----------------------------------------------------------------------


def _qt() -> Any:
    from PySide6 import QtCore

    return QtCore


def turn(flags: Any = None) -> None:
    """One turn of the event loop as the program's own (``exec``) makes it: processEvents()
    alone never deletes what deleteLater() queued (the dossier view's old buttons), so a
    long workout would pile them up, as no coordinator's window does."""
    QtCore = _qt()
    app = QtCore.QCoreApplication
    if flags is None:
        app.processEvents()
    else:
        app.processEvents(flags)
    app.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)


class Watch:
    """Paint events of the table's viewport and timer events of the search timer."""

    def __init__(self, viewport: Any, search_timer: Any) -> None:
        QtCore = _qt()

        watch = self

        class Filter(QtCore.QObject):  # type: ignore[name-defined,misc]
            def eventFilter(self, obj: Any, event: Any) -> bool:  # Qt's name
                kind = event.type()
                if obj is viewport and kind == QtCore.QEvent.Type.Paint:
                    if watch.paint_counts is None or watch.paint_counts():
                        watch.paints += 1
                elif obj is search_timer and kind == QtCore.QEvent.Type.Timer:
                    # The debounced search starts now: only paints from here on count.
                    watch.timer_fired_at = time.perf_counter()
                    watch.paints = 0
                return False

        self.paints = 0
        self.timer_fired_at: float | None = None
        #: Only a paint for which this says yes counts (None: every paint).
        self.paint_counts: Callable[[], bool] | None = None
        self._filter = Filter()
        viewport.installEventFilter(self._filter)
        search_timer.installEventFilter(self._filter)
        # Wakes the event loop now and then, so a wait never hangs on an idle loop.
        self._pulse = QtCore.QTimer(interval=50)
        self._pulse.start()

    def arm(self) -> None:
        self.paints = 0
        self.timer_fired_at = None

    def wait(self, done: Callable[[], bool], timeout: float = 60.0) -> float:
        """Process events until ``done``; the moment it became true (perf_counter)."""
        QtCore = _qt()
        flags = QtCore.QEventLoop.ProcessEventsFlag.WaitForMoreEvents
        deadline = time.perf_counter() + timeout
        while not done():
            if time.perf_counter() > deadline:
                raise TimeoutError("the list was not repainted in time")
            turn(flags)
        return time.perf_counter()

    def painted(self) -> float:
        return self.wait(lambda: self.paints > 0)

    def settle_quickly(self) -> None:
        """Run what is pending now (a repaint), without waiting for timers."""
        turn()

    def settle(self) -> None:
        """Let whatever is pending run (a repaint, a timer a little later)."""
        end = time.perf_counter() + 0.03
        while time.perf_counter() < end:
            turn()
            time.sleep(0.002)


@dataclass
class Bench:
    """The window on one register, its raw connection, and what a person reaches."""

    window: Any
    conn: Any
    watch: Watch
    today: date
    due_soon_days: int
    indexes: list[str]
    results: dict[str, Pairs] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    # -- what a person finds --------------------------------------------------------------

    def named(self, kind: Any, name: str) -> Any:
        hits = [
            w
            for w in self.window.findChildren(kind)
            if w.accessibleName() == name and w.isVisibleTo(self.window)
        ]
        if not hits:
            raise LookupError(f"no {kind.__name__} named {name!r} in the window")
        return hits[0]

    @property
    def table(self) -> Any:
        from PySide6.QtWidgets import QTableView

        return self.named(QTableView, "Klachten")

    @property
    def search(self) -> Any:
        from PySide6.QtWidgets import QLineEdit

        return self.named(QLineEdit, "Zoeken")

    def combo(self, name: str) -> Any:
        from PySide6.QtWidgets import QComboBox

        return self.named(QComboBox, name)

    def shown_ids(self) -> list[int]:
        """The dossier ids in the list, top to bottom (read after the timing, once the list
        has read the rest of a long list: it paints its first rows before)."""
        model = self.table.model()
        self.watch.wait(lambda: getattr(model, "complete", True))
        ids = getattr(model, "_ids", None)
        if isinstance(ids, list):
            return list(ids)
        return [model.complaint_id(row) for row in range(model.rowCount())]

    def record(self, label: str, pairs: Pairs) -> None:
        self.results[label] = pairs
        print_pairs(label, pairs)

    def warn(self, text: str) -> None:
        self.warnings.append(text)
        print(f"  WARNING: {text}", flush=True)

    # -- what a person does ---------------------------------------------------------------

    def pick(self, combo: Any, text: str) -> float:
        """Open the combo's list (F4), walk to the item showing ``text`` with the arrow keys,
        press Enter; ms from Enter to the list repainted (0 when it was already chosen)."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        index = next(i for i in range(combo.count()) if combo.itemText(i) == text)
        if combo.currentIndex() == index:
            return 0.0
        QTest.keyClick(combo, Qt.Key.Key_F4)
        view = combo.view()
        self.watch.wait(view.isVisible, timeout=5)
        QTest.keyClick(view, Qt.Key.Key_Home)
        for _ in range(index):
            QTest.keyClick(view, Qt.Key.Key_Down)
        if view.currentIndex().row() != index:
            raise LookupError(f"the arrow keys did not reach {text!r} in {combo.accessibleName()}")
        self.watch.settle()
        took = self.key(view, Qt.Key.Key_Return)
        if combo.currentText() != text:
            raise LookupError(f"chose {combo.currentText()!r}, not {text!r}")
        return took

    def click_header(self, section: int) -> float:
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtTest import QTest

        header = self.table.horizontalHeader()
        x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
        self.watch.arm()
        started = time.perf_counter()
        QTest.mouseClick(
            header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
        )
        return (self.watch.painted() - started) * 1000

    def key(
        self, widget: Any, key: Any, modifier: Any = None, until: Callable[[], bool] | None = None
    ) -> float:
        """ms from a key press to the list painted (a paint for which ``until`` holds)."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        self.watch.arm()
        self.watch.paint_counts = until
        try:
            started = time.perf_counter()
            QTest.keyClick(widget, key, modifier or Qt.KeyboardModifier.NoModifier)
            return (self.watch.painted() - started) * 1000
        finally:
            self.watch.paint_counts = None

    def type_key(self, char: str) -> tuple[float, float]:
        """One character typed into "Zoeken": (debounce ms: key → the search timer's
        timeout, work ms: that timeout → the list repainted)."""
        from PySide6.QtTest import QTest

        self.watch.arm()
        pressed = time.perf_counter()
        QTest.keyClicks(self.search, char)
        self.watch.wait(lambda: self.watch.timer_fired_at is not None)
        fired = self.watch.timer_fired_at
        assert fired is not None
        end = self.watch.painted()
        return (fired - pressed) * 1000, (end - fired) * 1000

    # -- bare SQL ---------------------------------------------------------------------------

    def ids(self, sql: str, params: Sequence[Any] = ()) -> list[int]:
        return [row[0] for row in self.conn.execute(sql, tuple(params))]

    def plan(self, sql: str, params: Sequence[Any] = ()) -> str:
        rows = self.conn.execute("EXPLAIN QUERY PLAN " + sql, tuple(params)).fetchall()
        return "; ".join(str(row[-1]) for row in rows)

    def fastest(
        self, label: str, shapes: dict[str, Callable[[], list[int]]], expected: list[int]
    ) -> tuple[str, Callable[[], list[int]]]:
        """The fastest shape giving klachtdesk's list (every shape once, slow ones cut off at
        three times the best so far, then the three best twice more)."""
        times: dict[str, float] = {}
        right: dict[str, bool] = {}
        best = float("inf")
        for name, run in shapes.items():
            started = time.perf_counter()
            limit = 3 * best + 0.005

            def cut_off(started: float = started, limit: float = limit) -> int:
                return int(time.perf_counter() - started > limit)

            self.conn.set_progress_handler(cut_off, 2000)
            try:
                got = run()
            except Exception:  # a shape SQLite cannot plan, or cut off
                continue
            finally:
                self.conn.set_progress_handler(None, 0)
            elapsed = time.perf_counter() - started
            times[name] = elapsed
            right[name] = got == expected
            best = min(best, elapsed)
        good = [n for n in times if right[n]]
        if not good:
            self.warn(
                f"{label}: no bare SQL shape gives klachtdesk's list "
                f"({len(expected)} ids); the floor is the fastest of the wrong ones"
            )
            good = list(times)
        for name in sorted(good, key=times.__getitem__)[:3]:
            for _ in range(2):
                times[name] = min(times[name], timed_s(shapes[name]))
        chosen = min(good, key=times.__getitem__)
        return chosen, shapes[chosen]


def timed_s(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def ms_clock(work: Callable[[], object]) -> float:
    """measure_pairs' clock: each side returns its own milliseconds."""
    result = work()
    assert isinstance(result, float)
    return result


def ms(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


# -- 1. search ------------------------------------------------------------------------------


def keystrokes(words: list[str], wanted: int) -> Iterator[tuple[str, str]]:
    """(text before, character) for every measured key: each word typed anew over the last
    (its first letter typed unmeasured: one letter does not search), the words again until
    ``wanted`` keys were given."""
    given = 0
    while True:
        for word in words:
            for position in range(1, len(word)):
                yield word[:position], word[position]
                given += 1
                if given >= wanted:
                    return


def measure_search(bench: Bench, count: int, words: list[str], wanted: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from klachtdesk.models.search import fts_match

    search = bench.search
    QTest.mouseClick(search, Qt.MouseButton.LeftButton)
    search.setFocus()
    plan = list(keystrokes(words, wanted))
    texts = [before + char for before, char in plan]
    debounce: list[float] = []
    rest: list[float] = []
    checked = mismatches = 0
    position = {"ours": 0, "floor": 0}

    def ours() -> float:
        nonlocal checked, mismatches
        before, char = plan[position["ours"]]
        position["ours"] += 1
        if search.text() != before:
            # A new word: the old one selected and overwritten by its first letter, as a
            # person does; not timed (one letter does not search).
            QTest.keyClick(search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            for letter in before:
                bench.type_key(letter)
        pause, work = bench.type_key(char)
        debounce.append(pause)
        model = bench.table.model()
        if not getattr(model, "complete", True):
            # A long list paints its first rows, then reads the rest (count, scroll bar).
            painted = time.perf_counter()
            rest.append((bench.watch.wait(lambda: model.complete) - painted) * 1000)
        match = fts_match(search.text())
        if match is not None and (position["ours"] % 10 == 1 or count <= 20_000):
            checked += 1
            wanted_ids = set(bench.ids(FTS, (match,)))
            if set(bench.shown_ids()) != wanted_ids:
                mismatches += 1
        return work

    def floor() -> float:
        text = texts[position["floor"]]
        position["floor"] += 1
        match = fts_match(text)
        if match is None:
            return ms(lambda: bench.ids(DEFAULT_LIST))
        return ms(lambda: bench.ids(FTS, (match,)))

    pairs = measure_pairs(ours, floor, runs=len(plan), warmup=0, clock=ms_clock)
    two = [i for i, text in enumerate(texts) if _letters(text) == 2]
    longer = [i for i, text in enumerate(texts) if _letters(text) > 2]
    print(f"search keystrokes, {count:,}: {len(plan)} keys ({len(two)} at 2 letters)")
    print(
        f"{'':4}{'prefix class':22} {'n':>4}  {'klachtdesk p50/p95/max':>26}  "
        f"{'FTS5 floor p50/p95/max':>26}  p95 ratio"
    )
    for name, chosen in (
        ("2 characters", two),
        ("longer", longer),
        ("all", list(range(len(plan)))),
    ):
        if not chosen:
            continue
        part = _subset(pairs, chosen)
        o, f = part.ours, part.floor
        print(
            f"{'':4}{name:22} {len(chosen):4}  {_pct(o):>26}  {_pct(f):>26}  "
            f"{o.percentile(95) / f.percentile(95):7.1f}×"
        )
        bench.record(f"search {name}", part)
    pause = Spread(tuple(debounce))
    print(
        f"    debounce (key → search starts, deliberate): p50 {pause.median:.0f} "
        f"p95 {pause.percentile(95):.0f} max {pause.max:.0f} ms; not in the figures above"
    )
    if rest:
        after = Spread(tuple(rest))
        print(
            f"    then the rest of a long list (count, scroll bar), {len(rest)} keys: p50 "
            f"{after.median:.0f} p95 {after.percentile(95):.0f} max {after.max:.0f} ms after "
            "the paint; not in the figures above"
        )
    if mismatches:
        bench.warn(f"search: {mismatches} of {checked} lists checked differ from the FTS5 hits")
    else:
        print(f"    {checked} lists checked: klachtdesk showed exactly the FTS5 hits")


def _letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _subset(pairs: Pairs, chosen: list[int]) -> Pairs:
    return Pairs(
        Spread(tuple(pairs.ours.samples[i] for i in chosen)),
        Spread(tuple(pairs.floor.samples[i] for i in chosen)),
    )


def _pct(spread: Spread) -> str:
    return f"{spread.median:6.1f} {spread.percentile(95):7.1f} {spread.max:7.1f} ms"


FTS = "SELECT rowid FROM complaint_fts WHERE complaint_fts MATCH ?"
DEFAULT_LIST = "SELECT id FROM complaint ORDER BY received_on DESC, id DESC"


# -- 2. filters -----------------------------------------------------------------------------


def where_of(bench: Bench, flt: Any, open_as_list: bool = False) -> tuple[str, list[Any]]:
    """The SQL condition of a ListFilter, written anew from its fields' meaning; an open
    dossier is one not closed, or (``open_as_list``) one in any state but closed, which an
    index on the state can find."""
    from klachtdesk.procedure import State
    from klachtdesk.services.complaint_list import DueFilter

    parts: list[str] = []
    params: list[Any] = []
    if flt.states:
        parts.append(f"state IN ({', '.join('?' for _ in flt.states)})")
        params += [str(s) for s in flt.states]
    if flt.due is DueFilter.OVERDUE:
        parts.append("next_due_on < ?")
        params.append(bench.today.isoformat())
    elif flt.due is DueFilter.URGENT:
        parts.append("next_due_on <= ?")
        params.append((bench.today + timedelta(days=bench.due_soon_days)).isoformat())
    elif flt.due is DueFilter.OPEN and open_as_list:
        others = [str(state) for state in State if state is not State.CLOSED]
        parts.append(f"state IN ({', '.join('?' for _ in others)})")
        params += others
    elif flt.due is DueFilter.OPEN:
        parts.append("state != ?")
        params.append(str(State.CLOSED))
    if flt.year is not None:
        parts.append("received_on BETWEEN ? AND ?")
        params += [f"{flt.year}-01-01", f"{flt.year}-12-31"]
    if flt.channel is not None:
        parts.append("channel = ?")
        params.append(str(flt.channel))
    if flt.department_id is not None:
        parts.append("department_id = ?")
        params.append(flt.department_id)
    if flt.handler_id is not None:
        parts.append("handler_id = ?")
        params.append(flt.handler_id)
    return " AND ".join(parts) or "1", params


def filter_shapes(bench: Bench, flt: Any) -> dict[str, tuple[str, list[Any]]]:
    """SQL shapes of one filter in the list's first order (received, newest first)."""
    shapes = _filter_shapes(bench, *where_of(bench, flt))
    if where_of(bench, flt, open_as_list=True) != where_of(bench, flt):
        states = _filter_shapes(bench, *where_of(bench, flt, open_as_list=True))
        shapes.update({f"{name}, open as states": shape for name, shape in states.items()})
    return shapes


def _filter_shapes(bench: Bench, where: str, params: list[Any]) -> dict[str, tuple[str, list[Any]]]:
    order = "ORDER BY received_on DESC, id DESC"
    shapes = {
        "planner": (f"SELECT id FROM complaint WHERE {where} {order}", params),
        "sorted apart": (
            f"SELECT id FROM complaint WHERE {where} ORDER BY +received_on DESC, id DESC",
            params,
        ),
        "no index": (f"SELECT id FROM complaint NOT INDEXED WHERE {where} {order}", params),
    }
    for index in bench.indexes:
        shapes[f"INDEXED BY {index}"] = (
            f"SELECT id FROM complaint INDEXED BY {index} WHERE {where} {order}",
            params,
        )
    return shapes


def measure_filters(bench: Bench, count: int, runs: int, quick: bool) -> None:
    print(f"\nfilters, {count:,} (from 'all' to the choice; the list newest first)")
    for name in COMBOS:
        combo = bench.combo(name)
        items = [combo.itemText(i) for i in range(combo.count())]
        first, choices = items[0], items[1:]
        if quick:
            choices = choices[:1]
        for text in choices:
            bench.pick(combo, text)  # once unmeasured: klachtdesk's list to check against
            expected = bench.shown_ids()
            flt = bench.window.current_filter()
            shapes = filter_shapes(bench, flt)
            chosen, run = bench.fastest(
                f"filter {text}",
                {k: partial(bench.ids, s, p) for k, (s, p) in shapes.items()},
                expected,
            )
            bench.pick(combo, first)

            def ours(combo: Any = combo, text: str = text, first: str = first) -> float:
                bench.pick(combo, first)
                return bench.pick(combo, text)

            pairs = measure_pairs(ours, partial(ms, run), runs=runs, warmup=0, clock=ms_clock)
            label = f"filter {_short(name)}: {text}"
            bench.record(label[:44], pairs)
            sql, p = shapes[chosen]
            plan = bench.plan(sql, p)
            narrowing = [n for n, shape in shapes.items() if "SEARCH " in bench.plan(*shape)]
            if "SEARCH " in bench.plan(*shapes["planner"]):
                lacking = ""
            elif narrowing:
                lacking = "  (SQLite's own plan walks an index that does not narrow it)"
            else:
                lacking = "  (no index narrows this filter)"
            print(f"    {len(expected):,} dossiers; floor {chosen}: {plan}{lacking}")
            bench.pick(combo, first)


def _short(name: str) -> str:
    return name.removeprefix("Filter op ").replace("stand van het dossier", "stand")


# -- 3. sorts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SortRule:
    """One reading of what a SortKey's order means, to write the floor's SQL from.

    ``names``: departments and handlers by their name as SQL compares it ("sql"), or as a
    reader expects (klachtdesk.procedure.intake.name_sort_key, then the name, then the id:
    "reader"). ``ties``: the columns that order equal values, in the same direction.
    """

    names: str
    ties: tuple[str, ...]

    def __str__(self) -> str:
        names = "names as SQL compares them" if self.names == "sql" else "names as read"
        return f"ties by {', '.join(self.ties)}; {names}"


#: Today's main (services/complaint_list.py): ties by id; the list branch of issue 14: ties by
#: day of receipt, then id, names as a reader sorts them. The floor follows whichever rule
#: klachtdesk's own list turns out to follow, and warns when it follows neither.
SORT_RULES = (
    SortRule("sql", ("id",)),
    SortRule("reader", ("received_on", "id")),
    SortRule("sql", ("received_on", "id")),
    SortRule("reader", ("id",)),
)


def _ranked(bench: Bench, table: str, names: str) -> list[int]:
    """The ids of ``table`` (department, handler) in the order of their names."""
    from klachtdesk.procedure.intake import name_sort_key

    rows = bench.conn.execute(f"SELECT id, name FROM {table}").fetchall()
    if names == "sql":
        return [i for i, _ in sorted(rows, key=lambda r: (r[1] is None, r[1] or "", r[0]))]
    return [i for i, _ in sorted(rows, key=lambda r: (name_sort_key(r[1]), r[1], r[0]))]


def sort_shapes(
    bench: Bench, key: Any, descending: bool, rule: SortRule
) -> dict[str, Callable[[], list[int]]]:
    """Bare SQL shapes of the order ``key`` means under ``rule``: its value, empty values
    last both ways, ties by the rule's columns in the same direction."""
    from klachtdesk.models import SORT_KEY_FUNCTION
    from klachtdesk.procedure import Channel, State
    from klachtdesk.services.complaint_list import SortKey

    direction = "DESC" if descending else "ASC"
    ties = ", ".join(f"complaint.{column} {direction}" for column in rule.ties)

    def case(column: str, members: Sequence[Any]) -> str:
        whens = " ".join(f"WHEN {m!r} THEN {i}" for i, m in enumerate(members))
        return f"CASE {column} {whens} END"

    join = ""
    grouped: tuple[str, list[Any]] | None = None  # (column, its values in the key's order)
    if key is SortKey.REFERENCE:
        value = "complaint.id"
    elif key is SortKey.RECEIVED:
        value = "complaint.received_on"
    elif key is SortKey.COMPLAINANT:
        value = f"{SORT_KEY_FUNCTION}(complaint.name)"
    elif key is SortKey.CHANNEL:
        channels = [str(c) for c in sorted(Channel, key=lambda c: c.label)]
        value = case("complaint.channel", channels)
        grouped = ("channel", channels)
    elif key is SortKey.STATE:
        states = [str(s) for s in sorted(State, key=lambda s: (s.step is None, s.step or 0))]
        value = case("complaint.state", states)
        grouped = ("state", states)
    elif key in (SortKey.DEPARTMENT, SortKey.HANDLER):
        table = "department" if key is SortKey.DEPARTMENT else "handler"
        ranked = _ranked(bench, table, rule.names)
        grouped = (f"{table}_id", ranked)
        if rule.names == "sql":
            value = f"{table}.name"
            join = f"LEFT JOIN {table} ON {table}.id = complaint.{table}_id"
        else:
            value = case(f"complaint.{table}_id", ranked)
    elif key is SortKey.NEXT_DUE:
        value = "complaint.next_due_on"
    else:
        raise ValueError(key)
    select = f"SELECT complaint.id FROM complaint {join}"
    ordered = f"ORDER BY {value} {direction} NULLS LAST, {ties}"
    shapes: dict[str, Callable[[], list[int]]] = {
        "planner": partial(bench.ids, f"{select} {ordered}")
    }
    for index in bench.indexes:
        forced = f"SELECT complaint.id FROM complaint INDEXED BY {index} {join} {ordered}"
        shapes[f"INDEXED BY {index}"] = partial(bench.ids, forced)
    if key is SortKey.REFERENCE:
        return shapes
    valued = f"{select} WHERE {value} IS NOT NULL ORDER BY {value} {direction}, {ties}"
    empty = f"{select} WHERE {value} IS NULL ORDER BY {ties}"
    shapes["empty values apart"] = lambda: bench.ids(valued) + bench.ids(empty)
    if grouped is not None:
        column, values = grouped
        in_order = list(reversed(values)) if descending else values
        one = f"SELECT complaint.id FROM complaint WHERE {column} = ? ORDER BY {ties}"
        rest = (
            f"SELECT complaint.id FROM complaint WHERE {column} IS NULL OR {column} NOT IN "
            f"({', '.join('?' for _ in values)}) ORDER BY {ties}"
        )

        def by_value() -> list[int]:
            found: list[int] = []
            for member in in_order:
                found += bench.ids(one, (member,))
            return found + bench.ids(rest, values)

        shapes["value by value"] = by_value
    return shapes


def sort_rules(bench: Bench, key: Any, descending: bool, expected: list[int]) -> list[SortRule]:
    """The rules whose order is klachtdesk's list for ``key`` (often several: at equal days
    of receipt the ids mostly follow the days)."""
    return [
        rule
        for rule in SORT_RULES
        if sort_shapes(bench, key, descending, rule)["planner"]() == expected
    ]


def measure_sorts(bench: Bench, count: int, runs: int) -> None:
    from PySide6.QtCore import Qt

    from klachtdesk.services.complaint_list import SortKey

    print(f"\nsorts, {count:,} (a header section clicked; clicked again: the other way)")
    table = bench.table
    model = table.model()
    header = table.horizontalHeader()
    for section in range(model.columnCount()):
        title = str(model.headerData(section, Qt.Orientation.Horizontal))
        key = _sort_key_of(model, section, SortKey)
        # Each direction: clicks until the section sorts that way (unmeasured), then the
        # list is checked and the floor chosen.
        floors: dict[bool, Callable[[], list[int]]] = {}
        for _ in range(2):
            bench.click_header(section)
            descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
            expected = bench.shown_ids()
            way = "descending" if descending else "ascending"
            rules = sort_rules(bench, key, descending, expected)
            if not rules:
                rules = [SORT_RULES[0]]
                bench.warn(_difference(bench, key, descending, expected, title, way))
            shapes = {
                f"{name} [{rule}]": shape
                for rule in rules
                for name, shape in sort_shapes(bench, key, descending, rule).items()
            }
            chosen, run = bench.fastest(f"sort {title} {way}", shapes, expected)
            floors[descending] = run
            print(f"    {title} {way}: floor {chosen}")
        samples: dict[bool, tuple[list[float], list[float]]] = {True: ([], []), False: ([], [])}
        # The directions alternate from the one after the current; the floor runs the
        # direction of its pair's click, whether it goes first or second.
        now = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        order = [not now if i % 2 == 0 else now for i in range(2 * runs)]
        turn = {"ours": 0, "floor": 0}

        def ours(
            section: int = section,
            title: str = title,
            order: list[bool] = order,
            turn: dict[str, int] = turn,
        ) -> float:
            taken = bench.click_header(section)
            descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
            if descending != order[turn["ours"]]:
                bench.warn(f"sort {title}: the click sorted the other way than expected")
            turn["ours"] += 1
            return taken

        def floor(
            floors: dict[bool, Callable[[], list[int]]] = floors,
            order: list[bool] = order,
            turn: dict[str, int] = turn,
        ) -> float:
            descending = order[turn["floor"]]
            turn["floor"] += 1
            return ms(floors[descending])

        pairs = measure_pairs(ours, floor, runs=2 * runs, warmup=0, clock=ms_clock)
        for i, descending in enumerate(order):
            samples[descending][0].append(pairs.ours.samples[i])
            samples[descending][1].append(pairs.floor.samples[i])
        for descending in (False, True):
            mine, bare = samples[descending]
            way = "↓" if descending else "↑"
            bench.record(f"sort {title} {way}", Pairs(Spread(tuple(mine)), Spread(tuple(bare))))
    # Back to the list's own first order: received, newest first.
    while not (
        header.sortIndicatorSection() == 1
        and header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    ):
        bench.click_header(1)


def _sort_key_of(model: Any, section: int, sort_key: Any) -> Any:
    """The SortKey a header section sorts by (from the table model's columns)."""
    from klachtdesk.ui import complaint_table_model

    return complaint_table_model.COLUMNS[section][1]


def _difference(
    bench: Bench, key: Any, descending: bool, expected: list[int], title: str, way: str
) -> str:
    """Say how klachtdesk's order differs from every rule the floor knows."""
    floor = sort_shapes(bench, key, descending, SORT_RULES[0])["planner"]()
    if sorted(floor) != sorted(expected):
        return f"sort {title} {way}: klachtdesk lists other dossiers than the floor"
    first = next(i for i, (a, b) in enumerate(zip(floor, expected, strict=True)) if a != b)
    return (
        f"sort {title} {way}: klachtdesk's order follows none of the floor's rules "
        f"(first difference at row {first}); the floor is timed on '{SORT_RULES[0]}'"
    )


# -- 4. scrolling to the end ------------------------------------------------------------------


def painted_rows(bench: Bench) -> list[int]:
    table = bench.table
    model = table.model()
    top = table.rowAt(0)
    bottom = table.rowAt(table.viewport().height() - 1)
    if bottom < 0:
        bottom = model.rowCount() - 1
    ids = bench.shown_ids()
    return ids[max(top, 0) : bottom + 1]


ROW_COLUMNS = (
    "SELECT complaint.id, reference, received_on, complaint.name, channel, department.name, "
    "state, handler.name, next_due_on, import_key FROM complaint "
    "LEFT JOIN department ON department.id = complaint.department_id "
    "LEFT JOIN handler ON handler.id = complaint.handler_id WHERE complaint.id IN "
)


def measure_scroll(bench: Bench, count: int, runs: int) -> None:
    from PySide6.QtCore import Qt

    print(f"\nscrolling to the end, {count:,} (the whole list, newest first)")
    table = bench.table
    bar = table.verticalScrollBar()

    def away_and_back() -> None:
        # Not timed: sorted oldest first and back, so no page of the list is fetched yet,
        # and back to the top with the first dossier chosen (Ctrl+Home: a sort keeps the
        # scroll bar where it was, and with no dossier chosen Ctrl+End would choose the first).
        bench.click_header(1)
        bench.click_header(1)
        table.setFocus()
        if bar.value() != bar.minimum() or table.currentIndex().row() != 0:
            bench.key(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
        bench.watch.settle()

    def at_end() -> bool:
        return bool(bar.value() == bar.maximum())

    def ctrl_end() -> float:
        return bench.key(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier, at_end)

    def bar_end() -> float:
        return bench.key(bar, Qt.Key.Key_End, until=at_end)

    for label, act in (
        ("Ctrl+End in the list (+dossier)", ctrl_end),
        ("scroll bar to its end (End key)", bar_end),
    ):
        away_and_back()
        act()
        bench.watch.settle()
        rows = painted_rows(bench)
        sql = ROW_COLUMNS + f"({', '.join('?' for _ in rows)})"

        def ours(act: Callable[[], float] = act) -> float:
            away_and_back()
            return act()

        pairs = measure_pairs(
            ours,
            partial(ms, partial(bench.ids, sql, rows)),
            runs=runs,
            warmup=0,
            clock=ms_clock,
        )
        bench.record(f"{label}", pairs)
        bench.watch.settle()
        print(f"    {len(rows)} rows painted; at the end: {'yes' if at_end() else 'NO'}")
        if not at_end():
            bench.warn(f"{label}: the list did not end up at its last row")


# -- the run ----------------------------------------------------------------------------------


def open_window(folder: Path, work: Path) -> tuple[Any, Any, Bench]:
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest

    from klachtdesk.models import database, open_register
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.settings import time_limits
    from klachtdesk.ui.main_window import MainWindow

    register = open_register(folder, PASSPHRASE)
    ctx = ServiceContext(actor="benchmark")
    settings = QSettings(str(work / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings)
    window.resize(1280, 860)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    # The deadline watch's check would land in a measurement now and then (start-up's work,
    # measured by another benchmark).
    window.watch.stop()
    conn = database.connection()
    indexes = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'complaint' "
            "AND sql IS NOT NULL AND sql NOT LIKE '%WHERE%'"
        )
    ]
    bench_ = Bench(
        window=window,
        conn=conn,
        watch=None,  # type: ignore[arg-type]
        today=ctx.today(),
        due_soon_days=time_limits().due_soon_days,
        indexes=indexes,
    )
    bench_.watch = Watch(bench_.table.viewport(), window.search_timer)
    bench_.watch.settle()
    return register, window, bench_


def close_window(register: Any, window: Any) -> None:
    from PySide6.QtWidgets import QApplication

    window.quitting = True
    window.close()
    QApplication.processEvents()
    register.close()


def run_size(count: int, work: Path, args: argparse.Namespace) -> Bench:
    folder = demo_register(count, work / f"list-speed-{count}")
    register, window, bench = open_window(folder, work)
    shown = len(bench.shown_ids())
    print(f"\n== {shown:,} dossiers in the list ({folder}) ==", flush=True)
    print(
        f"{'what':44} {'klachtdesk min/med/max':>28} {'floor min/med/max':>28} "
        f"{'ratio min/med/max':>20}"
    )
    try:
        words = QUICK_WORDS if args.quick else WORDS
        wanted = args.keystrokes if count >= 100_000 else args.keystrokes // 3
        wanted = 12 if args.quick else wanted
        if "search" in args.only:
            measure_search(bench, count, words, wanted)
            bench.search.clear()
            bench.watch.wait(lambda: not window.search_timer.isActive())
            bench.watch.settle()
        if "filters" in args.only:
            measure_filters(bench, count, args.runs, args.quick)
        if "sorts" in args.only:
            measure_sorts(bench, count, args.runs)
        if "scroll" in args.only:
            measure_scroll(bench, count, args.runs)
    finally:
        close_window(register, window)
    return bench


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+")
    parser.add_argument("--runs", type=int, default=5, help="pairs per filter, sort, scroll")
    parser.add_argument(
        "--keystrokes", type=int, default=320, help="keys typed at 100,000 (a third below)"
    )
    parser.add_argument("--quick", action="store_true", help="a few of each: a smoke run")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=PARTS,
        default=PARTS,
        help="measure only these parts (default: all)",
    )
    parser.add_argument("--work-dir", help="where the register copies go (default: a temp dir)")
    args = parser.parse_args(argv)

    from klachtdesk.app import make_application

    make_application([sys.argv[0]])
    work = Path(args.work_dir or tempfile.mkdtemp(prefix="klachtdesk-list-speed-"))
    work.mkdir(parents=True, exist_ok=True)
    counts = sizes(args.sizes)
    benches = [run_size(count, work, args) for count in counts]
    if len(benches) > 1:
        small, large = benches[0], benches[-1]
        print(f"\ngrowth {counts[0]:,} → {counts[-1]:,} (medians; goal ≤ 12× for 10×)")
        for label, pairs in large.results.items():
            if label in small.results:
                print_growth(label, small.results[label], pairs)
    warnings = [w for bench in benches for w in bench.warnings]
    print(f"\n{len(warnings)} warning(s)" + "".join(f"\n  {w}" for w in warnings))


if __name__ == "__main__":
    main()
