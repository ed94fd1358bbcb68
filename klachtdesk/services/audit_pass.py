"""One read of the audit trail that serves every check reading it (``klachtdesk check``).

Five checks read every event of the audit trail: the chain (services/audit.py), the replay
of every dossier, and the document, counter and setting checks (services/tampering.py); the
replay and the check of the time limits read every complaint row too. At 100,000 dossiers
the trail is some 770,000 events in 460 MB of encrypted pages, each of which SQLCipher
decrypts and checks again for every read. :func:`read_audit_trail` reads each event and each
row once, in the order the replay needs (by dossier, then by id), and hands each check what
it would have read itself:

- the chain: an event's hash is recomputed from its header, its content's hash and the
  stored hash of the event just before it by id (read beside it, from the page just read),
  so every link is verified in any order; the first break by id is then the one, with the
  same count, that :func:`~klachtdesk.services.audit.verify_audit_chain` reports walking in
  id order;
- the replay of every dossier (``tampering._Replay``), fed the same events in the same order;
- the document, deletion and setting events, in id order; whether the trail was converted;
- the chain's length and the hash at any position, for the anchors;
- the dossiers whose stored next time limit differs from the procedure's (``deep``).

What a check concludes is the same as when it reads the register itself: a part that meets
something it was not made for (an event's content that does not parse, a value of an
unexpected type) is dropped, and its check then reads the register on its own as before, so
that its finding, or its failure to read, is exactly what it was. When reading itself fails
(a damaged page), the whole pass is dropped.

Python runs one thread at a time, and the replay is most of the Python work. For a large
register, ``klachtdesk check`` forks a helper process (:class:`ReplayHelper`) that replays the
later dossiers, from a given id on, on a connection of its own, while this pass replays the
earlier ones and verifies the whole chain; the findings are put together in the order one
replay gives them. Whatever the helper cannot do, the check does itself, as above.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import json
import json.encoder
import os
import pickle
import signal
import sys
import threading
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from peewee import BooleanField, ForeignKeyField, IntegerField

from klachtdesk.models import Complaint, ComplaintGround, database
from klachtdesk.models.read_only import RegisterFile
from klachtdesk.models.tables import EnumField
from klachtdesk.procedure import Dossier, Ground, next_due_on

from .audit import (
    _ERASURE_SQL,
    CONVERSION_ACTION,
    ERASURE_ACTIONS,
    GENESIS,
    ChainReport,
    _changed,
    content_hash,
    event_hash,
)
from .dossiers import DOSSIER_COLUMNS
from .erasure import DELETED
from .tampering import (
    DOCUMENT_ACTION,
    SETTING_ACTION,
    Recorded,
    _fields,
    _Replay,
    check_cache,
)

# Each event, with its content and the stored hash of the event before it by id (by the
# dossier index, as the replay reads them: see tampering._EVENT_SQL).
_PASS_SQL = (
    'SELECT e."id", e."at", e."actor", e."action", e."complaint_id", e."content_hash", '
    'e."hash", c."event_id" IS NOT NULL, c."summary", c."before", c."after", '
    '(SELECT p."hash" FROM "audit_event" p WHERE p."id" < e."id" ORDER BY p."id" DESC LIMIT 1) '
    'FROM "audit_event" e LEFT JOIN "audit_content" c ON c."event_id" = e."id" '
    'ORDER BY e."complaint_id", e."id"'
)

_quoted: Callable[[str], str] = json.encoder.encode_basestring
_sha256 = hashlib.sha256


def _event_hash(
    prev: Any, at_iso: str, actor: Any, action: Any, complaint_id: Any, digest: Any
) -> str:
    """:func:`~klachtdesk.services.audit.event_hash`, with the canonical JSON of the usual
    types (text, and an integer or no dossier) written directly."""
    if (
        type(prev) is str
        and type(actor) is str
        and type(action) is str
        and type(digest) is str
        and (complaint_id is None or type(complaint_id) is int)
    ):
        dossier = "null" if complaint_id is None else str(complaint_id)
        text = (
            f"[{_quoted(prev)},{_quoted(at_iso)},{_quoted(actor)},{_quoted(action)},"
            f"{dossier},{_quoted(digest)}]"
        )
        return _sha256(text.encode("utf-8")).hexdigest()
    return event_hash(prev, at_iso, actor, action, complaint_id, digest)


def _content_hash(summary: Any, before: Any, after: Any) -> str:
    """:func:`~klachtdesk.services.audit.content_hash`, written directly for text."""
    if type(summary) is str and type(before) is str and type(after) is str:
        text = f"[{_quoted(summary)},{_quoted(before)},{_quoted(after)}]"
        return _sha256(text.encode("utf-8")).hexdigest()
    return content_hash(summary, before, after)


def _iso(stored: Any) -> str:
    # As audit._iso: the timestamp as the hash saw it.
    return datetime.fromisoformat(str(stored)).isoformat()


@dataclass
class AuditTrail:
    """What :func:`read_audit_trail` found; a part that is None was dropped (see the module
    docstring) and its check reads the register itself."""

    #: How many events the trail holds.
    events: int = 0
    chain: ChainReport | None = None
    #: The replay's (reference, what) of every dossier.
    findings: list[tuple[str, str]] | None = None
    documents: Recorded | None = None
    deletions: Recorded | None = None
    settings: Recorded | None = None
    converted: bool = False
    #: References of the dossiers whose stored next time limit is not the procedure's.
    wrong_deadlines: list[str] | None = None
    #: The events' ids (sorted when they were not simply 1..events).
    _ids: array[int] = field(default_factory=lambda: array("q"))
    _consecutive: bool = True

    def hash_at(self, position: int) -> str:
        """The stored hash of the event at ``position`` (1-based) in id order."""
        event_id = position if self._consecutive else self._ids[position - 1]
        (stored,) = database.execute_sql(
            'SELECT "hash" FROM "audit_event" WHERE "id" = ?', (event_id,)
        ).fetchone()
        return str(stored)

    def position_of(self, event_id: int) -> int:
        """How many events have an id up to ``event_id``."""
        if self._consecutive:
            return event_id
        return bisect.bisect_right(self._ids, event_id)


class _Chain:
    """The chain's links, verified in the order the events come (see the module docstring)."""

    def __init__(self) -> None:
        self.erased_by: dict[Any, Any] = {}
        #: A report settled before any event is read (an erasure without its event).
        self.settled: ChainReport | None = None
        for complaint_id, event_id, action, event_complaint in database.execute_sql(
            _ERASURE_SQL
        ).fetchall():
            if action not in ERASURE_ACTIONS or event_complaint != complaint_id:
                self.settled = ChainReport(
                    0,
                    event_id,
                    f"Het logboek werd gewijzigd: dossier {complaint_id} staat als gewist "
                    "geregistreerd zonder dat het werd geanonimiseerd of verwijderd.",
                )
                break
        erasures = database.execute_sql('SELECT "complaint_id", "event_id" FROM "erasure"')
        self.erased_by = dict(erasures.fetchall())
        #: The first broken link by id so far: (event id, what is wrong).
        self.first_break: tuple[int, str] | None = None
        #: The conversion event that recorded an older break, by lowest id: (id, at, break).
        self.earlier: tuple[int, Any, Any] | None = None

    def link(
        self,
        event_id: int,
        at: Any,
        actor: Any,
        action: Any,
        complaint_id: Any,
        digest: Any,
        stored: Any,
        has_content: Any,
        summary: Any,
        before: Any,
        after: Any,
        prev: Any,
    ) -> None:
        """The checks verify_audit_chain makes of one event, in the same order."""
        if self.first_break is not None and event_id > self.first_break[0]:
            return  # the walk in id order never gets there
        expected = _event_hash(
            GENESIS if prev is None else prev, _iso(at), actor, action, complaint_id, digest
        )
        if expected != stored:
            self.first_break = (event_id, _changed(event_id))
        elif has_content:
            if _content_hash(summary, before, after) != digest:
                self.first_break = (event_id, _changed(event_id))
            elif action == CONVERSION_ACTION and (
                self.earlier is None or event_id < self.earlier[0]
            ):
                broken = json.loads(after).get("old_chain_broken_at")
                if broken is not None:
                    self.earlier = (event_id, at, broken)
        else:
            erased_by = self.erased_by.get(complaint_id)
            if erased_by is None or event_id >= erased_by:
                self.first_break = (
                    event_id,
                    f"Het logboek werd gewijzigd bij gebeurtenis {event_id}: de inhoud ervan "
                    "werd gewist, maar het dossier werd niet geanonimiseerd of verwijderd.",
                )

    def report(self, trail: AuditTrail) -> ChainReport:
        if self.settled is not None:
            return self.settled
        if self.first_break is not None:
            event_id, problem = self.first_break
            return ChainReport(trail.position_of(event_id), event_id, problem)
        if self.earlier is not None:
            _event, at, broken = self.earlier
            return ChainReport(
                trail.events,
                int(broken),
                f"Het logboek was al gewijzigd bij gebeurtenis {broken} vóór het op "
                f"{_iso(at)[:10]} werd omgezet: die gebeurtenis, of een gebeurtenis "
                "vlak ervoor, werd achteraf veranderd of verwijderd.",
            )
        return ChainReport(trail.events, None, "")


class _Deadlines:
    """Each complaint row's stored next time limit against the procedure's, as the check of
    the time limits computes it on the rows peewee makes (``check._wrong_deadlines``): the
    same conversions of the same values, so the same outcome and the same errors."""

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        position = {name: i for i, (name, _column) in enumerate(fields)}
        meta = Complaint._meta
        # (name, position, the values converted so far, the model field's conversion)
        self.columns = [
            (name, position[name], *self._memo(meta.fields[name]))
            for name in [*DOSSIER_COLUMNS, "handler", "next_due_on"]
        ]
        # The model converts these too, and may refuse a value (an unknown code).
        self.others = [
            (f.name, position[f.name], *self._memo(f))
            for f in meta.sorted_fields
            if f.name in position and f.name not in DOSSIER_COLUMNS and isinstance(f, EnumField)
        ]
        self.reference = (position["reference"], meta.fields["reference"].python_value)
        self.identity = meta.fields["id"].python_value
        self.grounds: dict[int, set[Ground]] = {}
        pairs = ComplaintGround.select(ComplaintGround.complaint, ComplaintGround.ground).tuples()
        for complaint_id, ground in cast(Iterable[tuple[int, Ground]], pairs):
            self.grounds.setdefault(complaint_id, set()).add(ground)
        self.wrong: list[str] = []

    @staticmethod
    def _memo(model_field: Any) -> tuple[dict[Any, Any], Callable[[Any], Any]]:
        """The field's conversion, remembered for each value of the type the column holds
        (dates and codes as text, numbers as integers), which repeat all the time. A value of
        another type is converted each time (it only equals a remembered one if the field
        converts both alike)."""
        numbers = IntegerField | BooleanField | ForeignKeyField
        kind = int if isinstance(model_field, numbers) else str
        convert = model_field.python_value
        seen: dict[Any, Any] = {None: convert(None)}

        def converted(value: Any) -> Any:
            result = convert(value)
            if type(value) is kind:
                seen[value] = result
            return result

        return seen, converted

    def __call__(self, complaint_id: int, raw: tuple[Any, ...]) -> None:
        facts: dict[str, Any] = {}
        for name, at, seen, convert in self.columns:
            value = raw[at]
            try:
                facts[name] = seen[value]
            except KeyError:
                facts[name] = convert(value)
        for _name, at, seen, convert in self.others:
            value = raw[at]
            if value not in seen:
                convert(value)
        stored_due = facts.pop("next_due_on")
        facts["handler_id"] = facts.pop("handler")
        facts["grounds"] = frozenset(self.grounds.get(self.identity(complaint_id), ()))
        # As Dossier(**facts): every field is given, and Dossier has no __post_init__.
        dossier = object.__new__(Dossier)
        dossier.__dict__.update(facts)
        if next_due_on(dossier) != stored_due:
            at, convert = self.reference
            self.wrong.append(convert(raw[at]))


def read_audit_trail(*, deadlines: bool = True, helper: ReplayHelper | None = None) -> AuditTrail:
    """Read every event and every complaint row once, for every check that reads them (see
    the module docstring); ``deadlines``: check the time limits too. ``helper``: a process
    that replays the dossiers from its first id on (this pass replays those before). Raises
    what reading the register raises."""
    below = helper.first if helper is not None else None
    trail = AuditTrail()
    chain: _Chain | None = _Chain()
    link = None if chain is None or chain.settled is not None else chain.link
    replay: _Replay | None = None
    replay_failed = False
    conversion = 0  # the highest id of a conversion event so far
    documents: Recorded = []
    deletions: Recorded = []
    settings: Recorded = []
    watch: _Deadlines | None = None
    watch_failed = not deadlines

    def on_row(complaint_id: int, raw: tuple[Any, ...]) -> None:
        nonlocal watch, watch_failed
        if watch is not None:
            try:
                watch(complaint_id, raw)
            except Exception:  # the check of the limits reads on its own
                watch, watch_failed = None, True

    def start_replay() -> _Replay:
        nonlocal watch, watch_failed
        if not watch_failed:
            try:
                watch = _Deadlines(_fields())
            except Exception:
                watch_failed = True
        started = _Replay(conversion, on_row, (None, below))
        started.start()
        return started

    ids = trail._ids
    append = ids.append
    with check_cache():
        for (
            event_id,
            at,
            actor,
            action,
            complaint_id,
            digest,
            stored,
            has_content,
            summary,
            before,
            after,
            prev,
        ) in database.execute_sql(_PASS_SQL):
            append(event_id)
            if link is not None:
                try:
                    link(
                        event_id, at, actor, action, complaint_id, digest, stored,
                        has_content, summary, before, after, prev,
                    )  # fmt: skip
                except Exception:  # the chain is then walked on its own
                    link = chain = None
            if action == CONVERSION_ACTION:
                trail.converted = True
                conversion = max(conversion, event_id)
                if replay is not None and event_id > replay.conversion:
                    replay_failed = True  # it judged events by an older conversion
            if has_content:
                if action == DOCUMENT_ACTION:
                    documents.append((event_id, complaint_id, after))
                elif action == DELETED:
                    deletions.append((event_id, complaint_id, after))
                elif action == SETTING_ACTION:
                    settings.append((event_id, complaint_id, after))
            if complaint_id is None or replay_failed:
                continue
            if below is not None and not (
                type(complaint_id) in (int, float) and complaint_id < below
            ):
                continue  # the helper's (SQLite orders any text after every number)
            if replay is None:
                replay = start_replay()
            try:
                replay.feed(event_id, at, action, complaint_id, before, after)
            except Exception:  # the replay is then done on its own
                replay_failed = True
        if replay is None and not replay_failed:  # no dossier has events: rows only
            replay = start_replay()
        if replay is not None and not replay_failed:
            try:
                unknown, judged = replay.finish_parts()
                trail.findings = unknown + judged
            except Exception:
                replay_failed = True
        if helper is not None:
            helped = helper.result()
            if helped is None or replay_failed:
                replay_failed = True
            else:
                used, more_unknown, more_judged, more_wrong = helped
                if used != conversion:  # it judged events by another conversion
                    replay_failed = True
                trail.findings = unknown + more_unknown + judged + more_judged
                if more_wrong is None:
                    watch_failed = True
                elif watch is not None:
                    watch.wrong += more_wrong
    trail.events = len(ids)
    if ids and (min(ids) != 1 or max(ids) != len(ids)):  # ids are unique: else exactly 1..n
        trail._consecutive = False
        trail._ids = array("q", sorted(ids))
    else:
        del ids[:]  # position k is event k
    if chain is not None:
        with contextlib.suppress(Exception):
            trail.chain = chain.report(trail)
    if replay_failed:
        trail.findings = None
    trail.documents = sorted(documents, key=_first)
    trail.deletions = sorted(deletions, key=_first)
    trail.settings = sorted(settings, key=_first)
    if not replay_failed and not watch_failed and watch is not None:
        trail.wrong_deadlines = watch.wrong
    return trail


def _first(recorded: tuple[int, Any, Any]) -> int:
    return recorded[0]


# -- the replay of the later dossiers in a process of its own ------------------------------

#: The share of the dossiers the check's own pass replays when a helper takes the rest: the
#: pass also reads the whole trail and recomputes its hashes.
OWN_SHARE = 0.27
#: Below this many dossiers a helper process is not worth starting.
HELPED_FROM = 20_000

_HELPER_EVENTS_SQL = (
    'SELECT e."id", e."at", e."action", e."complaint_id", c."before", c."after" '
    'FROM "audit_event" e LEFT JOIN "audit_content" c ON c."event_id" = e."id" '
    'WHERE e."complaint_id" IS NULL OR e."complaint_id" >= ? ORDER BY e."complaint_id", e."id"'
)


Helped = tuple[int, list[tuple[str, str]], list[tuple[str, str]], list[str] | None]


def replay_from(first: int, deadlines: bool) -> Helped | None:
    """The replay of the dossiers from id ``first`` on, as :func:`read_audit_trail` does it:
    (the conversion event it went by, findings about unknown rows, findings about judged
    dossiers, wrong time limits or None when they could not be judged here); None when it
    could not replay them. The conversion is taken from the events without a dossier, which
    come first: the check compares it with the one it finds among all events."""
    watch: _Deadlines | None = None
    failed = not deadlines
    if deadlines:
        try:
            watch = _Deadlines(_fields())
        except Exception:
            failed = True

    def on_row(complaint_id: int, raw: tuple[Any, ...]) -> None:
        nonlocal watch, failed
        if watch is not None:
            try:
                watch(complaint_id, raw)
            except Exception:
                watch, failed = None, True

    conversion = 0
    replay: _Replay | None = None
    with check_cache():
        for event in database.execute_sql(_HELPER_EVENTS_SQL, (first,)):
            event_id, _at, action, complaint_id = event[:4]
            if action == CONVERSION_ACTION:
                if replay is not None and event_id > conversion:
                    return None
                conversion = max(conversion, event_id)
            if complaint_id is None:
                continue
            if replay is None:
                replay = _Replay(conversion, on_row, (first, None))
                replay.start()
            replay.feed(*event)
        if replay is None:
            replay = _Replay(conversion, on_row, (first, None))
            replay.start()
        unknown, judged = replay.finish_parts()
    return conversion, unknown, judged, (None if failed or watch is None else watch.wrong)


class ReplayHelper:
    """A forked process replaying the dossiers from id ``first`` on, on a connection of its
    own, while the check goes on (Python runs one thread at a time; two processes use both
    cores). Only forked from a process with one thread and without Qt (``klachtdesk check``):
    see :func:`start_helper`."""

    def __init__(self, source: RegisterFile, first: int, deadlines: bool) -> None:
        self.first = first
        readable, writable = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the helper
            os.close(readable)
            outcome: Any = None
            try:
                database.initialize(source.database())
                outcome = replay_from(first, deadlines)
            except BaseException:  # the check then replays these dossiers itself
                outcome = None
            finally:
                try:
                    with os.fdopen(writable, "wb") as out:
                        pickle.dump(outcome, out, protocol=pickle.HIGHEST_PROTOCOL)
                finally:
                    os._exit(0)
        os.close(writable)
        self.readable = readable
        self.done = False

    def result(self) -> Helped | None:
        """What the helper found; None when it failed (it is waited for, once)."""
        if self.done:
            return None
        self.done = True
        try:
            with os.fdopen(self.readable, "rb") as found:
                outcome = pickle.load(found)
        except Exception:
            outcome = None
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        return cast(Helped | None, outcome)

    def discard(self) -> None:
        """Stop the helper if its result was never asked for."""
        if not self.done:
            self.done = True
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.close(self.readable)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)


def start_helper(source: RegisterFile | None, deadlines: bool) -> ReplayHelper | None:
    """A helper for a large register when this process may fork: it has one thread, no Qt,
    and reads a register file of its own (``klachtdesk check``, not the window's check)."""
    if (
        source is None
        or source.shared
        or not hasattr(os, "fork")
        or getattr(sys, "frozen", False)
        or threading.active_count() != 1
        or any(name.startswith("PySide6") for name in sys.modules)
    ):
        return None
    try:
        conn = source.connect()
        try:
            low, high = conn.execute('SELECT min("id"), max("id") FROM "complaint"').fetchone()
        finally:
            conn.close()
    except Exception:
        return None
    if type(low) is not int or type(high) is not int or high - low < HELPED_FROM:
        return None
    return ReplayHelper(source, low + int((high - low + 1) * OWN_SHARE), deadlines)
