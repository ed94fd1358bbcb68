"""Tampering: the register's tables compared with what its audit trail recorded.

An attacker who has the passphrase can change any table with plain SQL and even recompute the
audit chain. These checks make such changes visible to ``klachtdesk check``; each returns a
list of problems in Dutch (empty when all is well):

- :func:`dossier_problems` replays every dossier's events through the procedure and compares
  the outcome with the stored row (state, dates, outcome, handler, the complainant's data);
- :func:`document_problems` compares each stored document with its hash and with the hash its
  event recorded, and misses a document the events added that is gone;
- :func:`counter_problems` compares the reference counters with the references issued (none
  above the counter, none below it missing without a deletion event);
- :func:`trigger_problems` checks that the append-only triggers are there, unchanged;
- :func:`anchor_problems` compares the chain's length and head with the anchors kept outside
  the register (written with every backup, printed in the yearly report, or typed in).

What a replay can judge depends on what the events carry. A dossier is judged from its
registration event, which holds the whole row (``snapshot``), through every step's changed
values. Events written before the audit trail was converted (migration 7; older versions also
changed values in migrations) are not judged, nor are the values an event did not record:
dossiers imported from an earlier register (one event for the whole import) are judged only on
what later steps changed; the demo generator records what the services record. An erased
dossier's earlier events have lost their content on purpose: an anonymised dossier is judged
from its anonymisation event on (which records its remaining, non-personal values since this
version), a deleted one only on being gone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import json.scanner
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from klachtdesk.models import KEY_FILENAME, Complaint, database
from klachtdesk.models.keyfile import read_key_file
from klachtdesk.models.migrations import _V7_TRIGGERS
from klachtdesk.procedure import (
    Action,
    ActKind,
    Channel,
    Dossier,
    FormOfAddress,
    Ground,
    Nature,
    NoJudgementReason,
    Norm,
    Outcome,
    Resolution,
    Route,
    State,
    Subject,
    UserError,
)
from klachtdesk.procedure import dossier as moves
from klachtdesk.procedure.dates import short_date
from klachtdesk.procedure.limits import LIMIT_NAMES, DossierLimits
from klachtdesk.procedure.vocabulary import LabeledEnum
from klachtdesk.procedure.words import counted

from .audit import CONVERSION_ACTION, GENESIS
from .dossiers import DOSSIER_COLUMNS
from .erasure import ANONYMISED, DELETED, PERSONAL_FIELDS
from .extension import EXTENSION_ACTION

#: The page cache while the events are replayed (KiB).
CHECK_CACHE_KIB = 200_000
#: How many dossiers a finding names before it says how many more there are.
SHOWN = 5

#: The event of a change of a dossier's time limits (services/settings.py).
LIMITS_ACTION = "limits"
#: The event of a document added to a dossier (services/documents.py).
DOCUMENT_ACTION = "document"

#: Actions whose event records the values it changed on the dossier's row.
_ROW_ACTIONS = frozenset({*(a.value for a in Action), LIMITS_ACTION, EXTENSION_ACTION})

# Dutch names of the stored values, as the dossier screen shows them.
_LABELS = {
    "reference": "het referentienummer",
    "registered_at": "het tijdstip van registratie",
    "channel": "het kanaal",
    "received_on": "de datum van ontvangst",
    "coordinator_received_on": "de datum van ontvangst door de klachtencoördinator",
    "received_by": "ontvangen door",
    "forwarded_by": "doorgestuurd door",
    "name": "de naam van de klager",
    "street": "de straat van de klager",
    "postal_code": "de postcode van de klager",
    "city": "de gemeente van de klager",
    "phone": "het telefoonnummer van de klager",
    "email": "het e-mailadres van de klager",
    "description": "de omschrijving van de klacht",
    "facts_on": "de datum van de feiten",
    "subject": "het onderwerp",
    "department": "de dienst",
    "person_concerned": "de betrokkene",
    "nature": "de aard",
    "act_kind": "de soort handeling",
    "solved_immediately": "meteen opgelost",
    "immediate_solution": "de onmiddellijke oplossing",
    "form_of_address": "de aanspreking",
    "state": "de stap",
    "admissible": "de ontvankelijkheid",
    "grounds": "de gronden van onontvankelijkheid",
    "decided_on": "de datum van de ontvankelijkheid",
    "admissibility_motivation": "de motivering van de ontvankelijkheid",
    "acknowledged_on": "de datum van de ontvangstmelding",
    "sent_to_handler_on": "de datum waarop het rapport naar de behandelaar ging",
    "handler": "de klachtenbehandelaar",
    "investigation_contacts": "de contacten van het onderzoek",
    "investigation_summary": "de samenvatting van het onderzoek",
    "assessed_on": "de datum van de beoordeling",
    "outcome": "de beoordeling",
    "no_judgement_reason": "de reden voor geen oordeel",
    "solution": "de oplossing",
    "first_returned_on": "de datum waarop het rapport eerst terugkwam",
    "last_returned_on": "de datum waarop het rapport terugkwam",
    "report_text": "het rapport",
    "reply_text": "de motiverende brief",
    "review_failed_on": "de datum van de mislukte neutraliteitstoets",
    "review_failed_reason": "de reden van de mislukte neutraliteitstoets",
    "failed_reviews": "het aantal mislukte neutraliteitstoetsen",
    "approved_on": "de datum van de goedkeuring",
    "reply_sent_on": "de datum waarop de motiverende brief verstuurd werd",
    "closed_on": "de datum van afsluiten",
    "withdrawn_on": "de datum van de stopzetting",
    "withdrawal_reason": "de reden van de stopzetting",
    "next_due_on": "de volgende termijn",
    "acknowledgement_days": "de termijn voor de ontvangstmelding",
    "handler_days": "de termijn voor de behandelaar",
    "reinvestigation_days": "de termijn voor het heronderzoek",
    "closing_days": "de termijn voor het afsluiten",
    "extension_days": "de verlenging van de termijn voor het afsluiten",
    "extended_on": "de datum van de verlenging",
    "extension_motivation": "de motivering van de verlenging",
    "route": "ingediend via",
    "resolution": "de mate van oplossing",
    "import_key": "de herkomst (import)",
    "norms": "de ombudsnormen",
}
_ORDER = {name: n for n, name in enumerate(["state", "outcome", "handler", "closed_on"])}
_E = TypeVar("_E", bound=Enum)


def _member(kind: type[_E], code: Any) -> _E:
    """The member stored as ``code`` (KeyError for an unknown one)."""
    return cast(_E, kind._value2member_map_[code])


_ENUMS: dict[str, type[LabeledEnum]] = {
    "state": State,
    "channel": Channel,
    "outcome": Outcome,
    "no_judgement_reason": NoJudgementReason,
    "subject": Subject,
    "nature": Nature,
    "act_kind": ActKind,
    "form_of_address": FormOfAddress,
    "route": Route,
    "resolution": Resolution,
    "grounds": Ground,
    "norms": Norm,
}


def _canon(value: Any) -> Any:
    """A procedure value in the form an event records it (JSON): a date as ISO text, a set
    as a sorted list; a str enum and a bool compare equal to their JSON form already (and a
    bool equals the 0/1 SQLite stores)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(str(v) for v in value)
    return value


_SCAN: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def _loads(text: Any) -> Any:
    """``json.loads(text)``, without its layers of calls for the text every event holds: the
    scanner json.loads ends in, then json.loads itself for anything else (whitespace around
    the value, bytes, invalid text), which gives its result or its error."""
    try:
        value, end = _SCAN(text, 0)
        if end == len(text):
            return value
    except Exception:  # json.loads below says what is wrong
        pass
    return json.loads(text)


#: The value stored as a datetime: snapshot() wrote it with isoformat() ('T'), SQLite with ' '.
_MOMENT = "registered_at"


def _recorded(text: str | None) -> dict[str, Any]:
    """An event's recorded values, comparable with a row's (see :func:`_canon`)."""
    found: dict[str, Any] = _loads(text) if text and text != "{}" else {}
    if not isinstance(found, dict):
        return {}
    moment = found.get(_MOMENT)
    if isinstance(moment, str):
        found[_MOMENT] = moment.replace("T", " ", 1)
    return found


def _shown(name: str, value: Any) -> str:
    """A recorded value as the coordinator reads it; texts and personal data are not shown."""
    if name in PERSONAL_FIELDS or name in ("reference", "import_key"):
        return ""
    if value is None or value == "" or value == []:
        return "leeg"
    if name in _ENUMS and isinstance(value, list | tuple | set | frozenset):
        return ", ".join(sorted(_shown(name, v) for v in value))
    if name in _ENUMS:
        try:
            return str(_member(_ENUMS[name], value).label)
        except KeyError:
            return str(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return short_date(date.fromisoformat(value))
    if name in ("solved_immediately", "admissible"):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


# -- (a) every dossier replayed -----------------------------------------------------------


@dataclass
class _Trail:
    """What the events of one dossier say its row holds."""

    values: dict[str, Any]
    complaint_id: int = 0
    #: Started from a full snapshot: the procedure can be replayed.
    whole: bool = False
    #: The procedure's dossier after the last event replayed.
    dossier: Dossier | None = None
    reference: str = ""
    deleted: bool = False
    erased: bool = False


_EVENT_SQL = (
    'SELECT e."id", e."at", e."action", e."complaint_id", c."before", c."after" '
    'FROM "audit_event" e LEFT JOIN "audit_content" c ON c."event_id" = e."id" '
    'WHERE e."complaint_id" IS NOT NULL ORDER BY e."complaint_id", e."id"'
)


@contextlib.contextmanager
def check_cache() -> Iterator[None]:
    """The page cache raised to :data:`CHECK_CACHE_KIB` while the events are read by dossier,
    and set back after."""
    cache_size = database.execute_sql("PRAGMA cache_size").fetchone()[0]
    database.execute_sql(f"PRAGMA cache_size = {min(int(cache_size), -CHECK_CACHE_KIB)}")
    try:
        yield
    finally:
        database.execute_sql(f"PRAGMA cache_size = {int(cache_size)}")


def _fields() -> list[tuple[str, str]]:
    """(name in snapshot, column) of every complaint value an event may record."""
    return [
        (f.name, f.column_name) for f in Complaint._meta.sorted_fields if f.name != "updated_at"
    ]


def _enum_of(kind: type[LabeledEnum]) -> Callable[[Any], Any]:
    members = kind._value2member_map_
    return lambda value: None if value is None else members[value]


def _day_or_none(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _bool_or_none(value: Any) -> bool | None:
    return None if value is None else bool(value)


#: How each recorded value of a dossier becomes the procedure's (KeyError for an unknown code).
_FACTS: tuple[tuple[str, Callable[[Any], Any]], ...] = tuple(
    (
        name,
        _enum_of(_ENUMS[name])
        if name in _ENUMS
        else _day_or_none
        if name.endswith("_on")
        else _bool_or_none
        if name in ("solved_immediately", "admissible")
        else int,
    )
    for name in DOSSIER_COLUMNS
)
_GROUNDS = Ground._value2member_map_


def _dossier(values: dict[str, Any]) -> Dossier | None:
    """The procedure's dossier from recorded values; None when some are missing."""
    try:
        facts: dict[str, Any] = {name: convert(values[name]) for name, convert in _FACTS}
        facts["handler_id"] = values["handler"]
        facts["grounds"] = frozenset(_GROUNDS[g] for g in values["grounds"])
        return Dossier(**facts)
    except (KeyError, ValueError, TypeError):
        return None


#: A dossier's attribute and the name its value has in an event.
_RECORDED_AS = {name: name for name in DOSSIER_COLUMNS} | {
    "handler_id": "handler",
    "grounds": "grounds",
}
_ATTRIBUTE_OF = {key: name for name, key in _RECORDED_AS.items()}
_RECORDED_KEYS = frozenset(_ATTRIBUTE_OF)


def _first_unrecorded(
    start: Dossier, moved: Dossier, after: dict[str, Any], values: dict[str, Any]
) -> tuple[str, Any] | None:
    """What the move gives (a value as an event records it) for each value it changed, in the
    dossier's order, then for each other value the event recorded: the first one ``values``
    do not hold, as (key, value); None when they hold all of them."""
    old, new = start.__dict__, moved.__dict__
    if moved is not start:  # a move that changes nothing returns the dossier itself
        for name in [name for name, value in new.items() if value is not old[name]]:
            if name in _RECORDED_AS:
                key = _RECORDED_AS[name]
                canon = _canon(new[name])
                if values.get(key) != canon:
                    return key, canon
    for key in after.keys() & _RECORDED_KEYS:
        name = _ATTRIBUTE_OF[key]
        value = new[name]
        if value is old[name]:  # not one of those changed, judged above
            canon = _canon(value)
            if values.get(key) != canon:
                return key, canon
    return None


#: How many parsed event values the replay keeps (see _Replay._parsed).
_PARSED_KEPT = 20_000


def _day(values: dict[str, Any], name: str) -> date:
    return date.fromisoformat(str(values[name]))


def _decide(d: Dossier, after: dict[str, Any], today: date) -> Dossier:
    grounds = frozenset(_member(Ground, g) for g in after["grounds"])
    return moves.decide_admissibility(
        d,
        grounds,
        motivation=str(after.get("admissibility_motivation") or ("-" if grounds else "")),
        on=_day(after, "decided_on"),
        today=today,
    )


def _assess(d: Dossier, after: dict[str, Any], today: date) -> Dossier:
    reason = after.get("no_judgement_reason")
    return moves.assess(
        d,
        _member(Outcome, after["outcome"]),
        solution=str(
            after.get("solution")
            or ("-" if _member(Outcome, after["outcome"]).requires_solution else "")
        ),
        no_judgement_reason=_member(NoJudgementReason, reason) if reason else None,
        on=_day(after, "assessed_on"),
        today=today,
    )


def _review(d: Dossier, after: dict[str, Any], today: date) -> Dossier:
    neutral = after["state"] == State.APPROVED
    return moves.review_neutrality(
        d,
        neutral,
        reason="-",
        on=_day(after, "approved_on" if neutral else "review_failed_on"),
        today=today,
    )


def _amend(d: Dossier, after: dict[str, Any], today: date) -> Dossier:
    return moves.amend_intake(
        d,
        _member(Channel, after["channel"]),
        _day(after, "received_on"),
        _day(after, "coordinator_received_on"),
        solved_immediately=bool(after["solved_immediately"]),
        today=today,
    )


def _dated(move: Callable[..., Dossier], name: str) -> Callable[..., Dossier]:
    """A move whose one input is the date its event recorded as ``name``."""
    return lambda d, after, today: move(d, on=_day(after, name), today=today)


_Move = Callable[[Dossier, dict[str, Any], date], Dossier]

#: The procedure's move each action made (by the action's code), with the inputs its values
#: record. REGISTER starts a trail, it is no move.
_MOVES: dict[str, _Move] = {
    Action.DECIDE_ADMISSIBILITY.value: _decide,
    Action.ACKNOWLEDGE.value: _dated(moves.acknowledge, "acknowledged_on"),
    Action.SEND_TO_HANDLER.value: lambda d, after, today: moves.send_to_handler(
        d, int(after["handler"]), on=_day(after, "sent_to_handler_on"), today=today
    ),
    Action.RECORD_INVESTIGATION.value: lambda d, after, today: moves.record_investigation(d),
    Action.ASSESS.value: _assess,
    Action.RECORD_RETURNED.value: _dated(moves.record_returned, "last_returned_on"),
    Action.REVIEW_NEUTRALITY.value: _review,
    Action.RECORD_REPLY_SENT.value: _dated(moves.record_reply_sent, "reply_sent_on"),
    Action.CLOSE.value: _dated(moves.close, "closed_on"),
    Action.WITHDRAW.value: _dated(moves.withdraw, "withdrawn_on"),
    Action.EDIT.value: _amend,
    LIMITS_ACTION: lambda d, after, today: moves.apply_limits(
        d, DossierLimits(**{name: int(after[name]) for name in LIMIT_NAMES})
    ),
    EXTENSION_ACTION: lambda d, after, today: moves.extend_closing_limit(
        d,
        int(after["extension_days"]),
        motivation="-",
        on=_day(after, "extended_on"),
        today=today,
    ),
}


def _move(action: str, d: Dossier, after: dict[str, Any], today: date) -> Dossier:
    """The procedure's move that ``action`` made, with the inputs its values record."""
    move = _MOVES.get(action)
    if move is None:
        raise ValueError(action)
    return move(d, after, today)


def _step_name(action: str) -> str:
    try:
        return f"‘{_member(Action, action).step.name}’"
    except KeyError:
        return "‘termijn verlengen’" if action == EXTENSION_ACTION else "‘termijnen aanpassen’"


#: Called with each complaint row (its id and its columns as read) while the replay walks them.
RowHook = Callable[[int, tuple[Any, ...]], None]
_REGISTER = Action.REGISTER.value


class _Replay:
    """One pass over every dossier's events, merged with the rows in id order.

    :meth:`run` reads the events itself; a caller that reads them anyway (the check's one
    pass over the audit trail, see audit_pass.py) calls :meth:`start`, :meth:`feed` for each
    event that has a dossier, in the order of ``_EVENT_SQL``, and :meth:`finish`.
    """

    def __init__(
        self,
        conversion: int | None = None,
        on_row: RowHook | None = None,
        ids: tuple[int | None, int | None] = (None, None),
    ) -> None:
        #: The rows merged: ids from the first up to (not including) the second (None: all).
        self.ids = ids
        self.fields = _fields()
        self.columns = {name: column for name, column in self.fields}
        self.index = {
            name: i for i, name in enumerate([*(n for n, _ in self.fields), "grounds", "norms"])
        }
        if conversion is None:
            conversion = int(
                database.execute_sql(
                    'SELECT coalesce(max("id"), 0) FROM "audit_event" WHERE "action" = ?',
                    (CONVERSION_ACTION,),
                ).fetchone()[0]
            )
        #: The id of the last event of the audit trail's conversion (migration 7), or 0.
        self.conversion = conversion
        self.on_row = on_row
        self.grounds = self._sets('SELECT "complaint_id", "ground" FROM "complaint_ground"')
        self.norms = self._sets('SELECT "complaint_id", "norm" FROM "complaint_norm"')
        self.findings: list[tuple[str, str]] = []  # (reference, what)
        self.found: list[tuple[_Trail, str]] = []  # named once the row's reference is known
        # The rows in id order, walked alongside the events (the next row not yet compared).
        self.rows: Iterator[tuple[int, tuple[Any, ...]]] = iter(())
        self.row_id: int | None = None
        self.row: tuple[Any, ...] | None = None
        self.trail: _Trail | None = None
        self.parsed: dict[str, Any] = {}

    @staticmethod
    def _sets(sql: str) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for complaint_id, value in database.execute_sql(sql):
            found.setdefault(int(complaint_id), []).append(str(value))
        return {k: sorted(v) for k, v in found.items()}

    def _rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(id, values) of every row in id order; the values in the order of ``self.index``,
        grounds and norms last."""
        first, end = self.ids
        bounds = ([] if first is None else [("id >= ?", first)]) + (
            [] if end is None else [("id < ?", end)]
        )
        sql = (
            "SELECT "
            + ", ".join(f'"{column}"' for _, column in self.fields)
            + ' FROM "complaint"'
            + (" WHERE " + " AND ".join(w for w, _ in bounds) if bounds else "")
            + ' ORDER BY "id"'
        )
        at_id = self.index["id"]
        grounds, norms, on_row = self.grounds, self.norms, self.on_row
        for raw in database.execute_sql(sql, tuple(v for _, v in bounds)):
            complaint_id = int(raw[at_id])
            if on_row is not None:
                on_row(complaint_id, raw)
            yield (complaint_id, (*raw, grounds.get(complaint_id, []), norms.get(complaint_id, [])))

    def run(self) -> list[tuple[str, str]]:
        # The events are read by dossier, not in the order they were written: a page cache
        # that holds a few months of them keeps each page from being decrypted many times
        # (100,000 dossiers: 13 s -> 7 s for the reading alone).
        with check_cache():
            self.start()
            feed = self.feed
            for event in database.execute_sql(_EVENT_SQL):
                feed(*event)
            return self.finish()

    def start(self) -> None:
        self.rows = self._rows()
        self._next_row()

    def feed(
        self,
        event_id: int,
        at: Any,
        action: Any,
        complaint_id: Any,
        before_json: str | None,
        after_json: str | None,
    ) -> None:
        """One event of a dossier (``complaint_id`` not None), in dossier and id order."""
        trail = self.trail
        if trail is None or complaint_id != trail.complaint_id:
            if trail is not None:
                self._close(trail)
            trail = self.trail = _Trail({}, int(complaint_id))
        self._apply(trail, event_id, str(at), str(action), before_json, after_json)

    def finish(self) -> list[tuple[str, str]]:
        unknown, judged = self.finish_parts()
        return unknown + judged

    def finish_parts(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """The findings about rows no event speaks of (in id order), and then those about
        the dossiers judged (in the order of their events)."""
        if self.trail is not None:
            self._close(self.trail)
            self.trail = None
        while self.row_id is not None:
            self._unlogged(self.row)
            self._next_row()
        return self.findings, [(t.reference or f"nr. {t.complaint_id}", w) for t, w in self.found]

    def _next_row(self) -> None:
        self.row_id, self.row = next(self.rows, (None, None))

    def _close(self, trail: _Trail) -> None:
        """Compare a dossier's replayed events with its row; rows passed on the way (ids
        without events) are dossiers the log does not know."""
        while self.row_id is not None and self.row_id < trail.complaint_id:
            self._unlogged(self.row)
            self._next_row()
        if self.row_id == trail.complaint_id:
            self._compare(trail, self.row)
            self._next_row()
        else:
            self._compare(trail, None)

    def _unlogged(self, row: tuple[Any, ...] | None) -> None:
        """A row no event speaks of: only an imported dossier may be one."""
        if row is not None and row[self.index["import_key"]] is None:
            self.findings.append(
                (
                    str(row[self.index["reference"]]),
                    "staat in het register, maar het logboek kent de registratie niet",
                )
            )

    def _apply(
        self,
        trail: _Trail,
        event_id: int,
        at: str,
        action: str,
        before_json: str | None,
        after_json: str | None,
    ) -> None:
        if action == DELETED:
            trail.deleted = True
            after = json.loads(after_json) if after_json else {}
            trail.reference = str(after.get("reference", trail.reference))
            return
        if action == ANONYMISED:
            after = _recorded(after_json)
            trail.erased = True
            trail.dossier = None
            trail.reference = str(after.get("reference", trail.reference))
            trail.values = {
                k: v for k, v in after.items() if k in self.columns or k in ("grounds", "norms")
            }
            return
        if after_json is None or event_id < self.conversion or action not in _ROW_ACTIONS:
            return  # erased content, an older version's event, or no change to the row
        if action == _REGISTER:
            after = _recorded(after_json)
            trail.values = after
            trail.whole = True
            trail.dossier = None
            trail.reference = str(after.get("reference", ""))
            return
        # A step records only what it changed (never the moment of registration).
        before = self._parsed(before_json) if before_json and before_json != "{}" else {}
        after = self._parsed(after_json)
        values = trail.values
        changed = [k for k, v in before.items() if k in values and values[k] != v]
        if changed:
            self._finding(
                trail,
                f"{_LABELS.get(changed[0], changed[0])} werd buiten klachtdesk gewijzigd vóór "
                f"de stap {_step_name(action)} van {_when(at)}",
            )
        start = trail.dossier
        if start is None and trail.whole and not trail.erased:
            start = _dossier(values)
        values.update(after)
        trail.dossier = None
        if start is None:
            trail.whole = False
            return
        try:
            moved = _move(action, start, values, _when_day(at))
        except UserError as exc:
            self._finding(
                trail,
                f"de stap {_step_name(action)} van {_when(at)} kon volgens de "
                f"procedure niet ({exc.message})",
            )
            trail.whole = False
            return
        except (KeyError, ValueError, TypeError):
            trail.whole = False
            return
        wrong = _first_unrecorded(start, moved, after, values)
        if wrong is not None:
            key, value = wrong
            self._finding(
                trail,
                f"de stap {_step_name(action)} van {_when(at)} geeft volgens de "
                f"procedure {_LABELS.get(key, key)} {_shown(key, value)}, maar het "
                f"logboek noteerde {_shown(key, values.get(key))}",
            )
            trail.whole = False
            return
        trail.dossier = moved

    def _parsed(self, text: str) -> Any:
        """An event's values (JSON): the same text is parsed once while it keeps coming back
        (what a step records before it, or the day's dates and codes). The result is shared:
        nothing changes what it holds."""
        memo = self.parsed
        try:
            return memo[text]
        except KeyError:
            pass
        except TypeError:  # not text: as json.loads takes it, or refuses it
            return _loads(text)
        if len(memo) >= _PARSED_KEPT:
            memo.clear()
        memo[text] = value = _loads(text)
        return value

    def _finding(self, trail: _Trail, what: str) -> None:
        self.found.append((trail, what))

    def _compare(self, trail: _Trail, row: tuple[Any, ...] | None) -> None:
        if trail.deleted:
            if row is not None:
                self._finding(trail, "werd verwijderd, maar staat nog in het register")
            return
        if row is None:
            self._finding(trail, "ontbreekt in het register, maar werd nooit verwijderd")
            return
        if not trail.reference:  # no registration event (imported, or an older version's)
            trail.reference = str(row[self.index["reference"]])
        index = self.index
        differing = [
            name
            for name, expected in trail.values.items()
            if name in index
            and row[index[name]] != expected
            and not (trail.erased and name in PERSONAL_FIELDS)
        ]
        differences = []
        for name in sorted(differing, key=lambda name: _ORDER.get(name, 99)):
            label = _LABELS.get(name, name)
            shown_stored = _shown(name, row[index[name]])
            shown_expected = _shown(name, trail.values[name])
            differences.append(
                f"{label} is ‘{shown_stored}’ in het register maar ‘{shown_expected}’ "
                "volgens het logboek"
                if shown_stored or shown_expected
                else f"{label} verschilt van wat het logboek noteerde"
            )
        if differences:
            self._finding(trail, "buiten klachtdesk om gewijzigd: " + "; ".join(differences))


def _when(at: str) -> str:
    return short_date(_when_day(at))


def _when_day(at: str) -> date:
    return date.fromisoformat(at[:10])


def dossier_problems(findings: list[tuple[str, str]] | None = None) -> list[str]:
    """(a) Every dossier's events replayed through the procedure, compared with its row.

    ``findings``: the replay's (reference, what) when it was done already (audit_pass.py)."""
    if findings is None:
        findings = _Replay().run()
    if not findings:
        return []
    lines = [f"Dossier {reference}: {what}." for reference, what in findings[:SHOWN]]
    if len(findings) > SHOWN:
        lines.append(
            f"Nog {counted(len(findings) - SHOWN, 'afwijking')} tussen de dossiers en het "
            "logboek (eerste dossiers: "
            + ", ".join(ref for ref, _ in findings[SHOWN : SHOWN * 3])
            + ")."
        )
    lines[-1] += " Zet een reservekopie terug van vóór de wijziging, of zoek uit wie ze deed."
    return lines


# -- (b) documents ------------------------------------------------------------------------


#: What the events of an action recorded: (event id, dossier id, ``after``) of each event
#: of that action that kept its content, in id order.
Recorded = list[tuple[int, Any, Any]]


def recorded_by(action: str) -> Recorded:
    """Every event of ``action`` that kept its content, in id order."""
    sql = (
        'SELECT e."id", e."complaint_id", c."after" FROM "audit_event" e '
        'JOIN "audit_content" c ON c."event_id" = e."id" WHERE e."action" = ? ORDER BY e."id"'
    )
    return [
        (int(i), complaint_id, after)
        for i, complaint_id, after in database.execute_sql(sql, (action,))
    ]


def document_problems(events: Recorded | None = None) -> list[str]:
    """(b) Each document's content against its stored hash and the hash its event recorded;
    a document an event added that is gone while its dossier was not erased.

    ``events``: the document events (see :func:`recorded_by`) when they were read already."""
    recorded: dict[int, tuple[int, str]] = {}
    for _event, complaint_id, after in recorded_by(DOCUMENT_ACTION) if events is None else events:
        values = json.loads(after)
        if isinstance(values, dict) and isinstance(values.get("document"), int):
            recorded[values["document"]] = (int(complaint_id), str(values.get("sha256", "")))
    erased = {int(r[0]) for r in database.execute_sql('SELECT "complaint_id" FROM "erasure"')}
    references = {
        int(r[0]): str(r[1])
        for r in database.execute_sql('SELECT "id", "reference" FROM "complaint"')
    }
    changed: list[str] = []
    present: set[int] = set()
    cursor = database.execute_sql(
        'SELECT "id", "complaint_id", "title", "sha256", "content" FROM "document" ORDER BY "id"'
    )
    for document_id, complaint_id, title, stored, content in cursor:
        present.add(int(document_id))
        actual = hashlib.sha256(bytes(content or b"")).hexdigest()
        at_event = recorded.get(int(document_id), (0, ""))[1]
        if actual != stored or (at_event and at_event != actual):
            changed.append(
                f"Dossier {references.get(int(complaint_id), complaint_id)}: het document "
                f"‘{title}’ werd vervangen of gewijzigd na het toevoegen."
            )
    gone = [
        f"Dossier {references.get(cid, cid)}: een document dat het logboek als toegevoegd "
        f"noteert (nr. {doc_id}) ontbreekt."
        for doc_id, (cid, _) in sorted(recorded.items())
        if doc_id not in present and cid not in erased
    ]
    problems = changed[:SHOWN] + gone[:SHOWN]
    hidden = len(changed) + len(gone) - len(problems)
    if hidden:
        problems.append(f"Nog {counted(hidden, 'ander document')} gewijzigd of verdwenen.")
    return problems


# -- (c) reference counters ---------------------------------------------------------------


_REFERENCE = re.compile(r"^(\d{4})-(\d+)$")


def counter_problems(deletions: Recorded | None = None) -> list[str]:
    """(c) Each year's counter against the references issued that year (dossiers in the
    register and dossiers deleted since): not below the highest, and no number in between
    missing (a dossier removed together with its events).

    ``deletions``: the deletion events (see :func:`recorded_by`) when they were read already."""
    issued: dict[int, set[int]] = {}
    references = [str(r[0]) for r in database.execute_sql('SELECT "reference" FROM "complaint"')]
    for _event, _complaint, after in recorded_by(DELETED) if deletions is None else deletions:
        values = json.loads(after)
        if isinstance(values, dict) and "reference" in values:
            references.append(str(values["reference"]))
    for reference in references:
        match = _REFERENCE.match(reference)
        if match:
            issued.setdefault(int(match[1]), set()).add(int(match[2]))
    counters = {
        int(year): int(last)
        for year, last in database.execute_sql('SELECT "year", "last" FROM "reference_counter"')
    }
    problems = []
    for year, numbers in sorted(issued.items()):
        last = counters.get(year, 0)
        if last < max(numbers):
            problems.append(
                f"De teller van de referentienummers van {year} staat op {last}, maar "
                f"{year}-{max(numbers):04d} werd al uitgereikt: een volgende klacht zou een "
                "nummer krijgen dat al bestaat. De teller werd buiten klachtdesk om teruggezet."
            )
    for year, last in sorted(counters.items()):
        missing = sorted(set(range(1, last + 1)) - issued.get(year, set()))
        if missing:
            shown = ", ".join(f"{year}-{n:04d}" for n in missing[:SHOWN])
            more = f" en nog {len(missing) - SHOWN}" if len(missing) > SHOWN else ""
            problems.append(
                f"De referentienummers {shown}{more} werden uitgereikt, maar die dossiers "
                "ontbreken en werden nooit verwijderd: ze werden buiten klachtdesk om gewist."
                if len(missing) > 1
                else f"Het referentienummer {shown} werd uitgereikt, maar dat dossier ontbreekt "
                "en werd nooit verwijderd: het werd buiten klachtdesk om gewist."
            )
    return problems


# -- settings ------------------------------------------------------------------------------

#: The event of a setting stored through the services (services/settings.py).
SETTING_ACTION = "setting"
#: Settings every change of which the services record as an event: a value stored directly
#: (a retention term of 0 years, other time limits, a mail server) is seen.
AUDITED_SETTINGS = {
    "backups": "de instellingen van de reservekopieën",
    "coordinator": "de klachtencoördinator",
    "envelope_window": "het venster van de envelop",
    "handler_reminders": "de herinneringen aan behandelaars",
    "idle_lock_minutes": "de tijd tot vergrendelen",
    "letter_texts": "de standaardteksten van de brieven",
    "municipality": "het bestuur",
    "retention_years": "de bewaartermijn",
    "smtp": "de mailserver",
    "time_limits": "de termijnen",
}
#: What the audit trail writes instead of a secret (services/settings.py).
_HIDDEN = "(verborgen)"


def _same_setting(recorded: Any, stored: Any) -> bool:
    """A stored setting against the value its last event recorded, a hidden secret only
    required to be there."""
    if isinstance(recorded, dict) and isinstance(stored, dict):
        if set(recorded) != set(stored):
            return False
        return all(
            bool(stored[k]) if v == _HIDDEN else _same_setting(v, stored[k])
            for k, v in recorded.items()
        )
    return bool(recorded == stored)


def setting_problems(changes: Recorded | None = None, converted: bool | None = None) -> list[str]:
    """The settings the services audit against the value of their last event: a setting
    changed, added or removed in the table is named. A setting stored before the audit trail
    was converted (migration 7) without an event is not judged.

    ``changes``, ``converted``: the setting events (see :func:`recorded_by`) and whether the
    trail holds a conversion event, when they were read already."""
    recorded: dict[str, Any] = {}
    for _event, _complaint, after in recorded_by(SETTING_ACTION) if changes is None else changes:
        with contextlib.suppress(ValueError):
            values = json.loads(after)
            if isinstance(values, dict):
                recorded.update({k: v for k, v in values.items() if k in AUDITED_SETTINGS})
    if converted is None:
        converted = (
            database.execute_sql(
                'SELECT 1 FROM "audit_event" WHERE "action" = ? LIMIT 1', (CONVERSION_ACTION,)
            ).fetchone()
            is not None
        )
    stored: dict[str, Any] = {}
    for key, value in database.execute_sql('SELECT "key", "value" FROM "setting"'):
        if key in AUDITED_SETTINGS:
            try:
                stored[str(key)] = json.loads(value)
            except (TypeError, ValueError):
                stored[str(key)] = value
    problems = []
    for key, label in sorted(AUDITED_SETTINGS.items()):
        if key in recorded:
            if key not in stored and recorded[key] is not None:
                problems.append(f"De instelling ‘{label}’ werd buiten klachtdesk om gewist.")
            elif key in stored and not _same_setting(recorded[key], stored[key]):
                problems.append(
                    f"De instelling ‘{label}’ werd buiten klachtdesk om gewijzigd: ze verschilt "
                    "van wat het logboek bij de laatste wijziging optekende."
                )
        elif key in stored and not converted:
            problems.append(
                f"De instelling ‘{label}’ werd buiten klachtdesk om ingesteld: het logboek "
                "tekende ze nooit op."
            )
    if problems:
        problems[-1] += (
            " Controleer de instelling in klachtdesk en sla ze opnieuw op, of zet een "
            "reservekopie terug van vóór de wijziging."
        )
    return problems


# -- (d) append-only triggers -------------------------------------------------------------


def _trigger_name(sql: str) -> str | None:
    match = re.match(r"\s*CREATE TRIGGER\s+(\w+)", sql)
    return match[1] if match else None


def _normal(sql: str) -> str:
    return " ".join(sql.split())


#: The triggers that keep the audit trail append-only (models/migrations.py), by name.
APPEND_ONLY_TRIGGERS = {
    name: _normal(sql) for sql in _V7_TRIGGERS if (name := _trigger_name(sql)) is not None
}


def trigger_problems() -> list[str]:
    """(d) The append-only triggers of the audit trail exist and are the ones klachtdesk made."""
    found = {
        str(name): _normal(str(sql or ""))
        for name, sql in database.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        )
    }
    missing = [name for name in APPEND_ONLY_TRIGGERS if name not in found]
    altered = [
        name for name, sql in APPEND_ONLY_TRIGGERS.items() if name in found and found[name] != sql
    ]
    problems = []
    if missing:
        problems.append(
            f"{counted(len(missing), 'beveiliging')} van het logboek "
            f"({', '.join(missing)}) {'werd' if len(missing) == 1 else 'werden'} verwijderd: "
            "gebeurtenissen konden daarna gewijzigd of gewist worden. Zet een reservekopie terug."
        )
    if altered:
        problems.append(
            f"De beveiliging van het logboek werd gewijzigd ({', '.join(altered)}): "
            "gebeurtenissen konden daarna gewijzigd of gewist worden. Zet een reservekopie terug."
        )
    return problems


# -- (e) anchors outside the register -----------------------------------------------------

#: The anchors file beside the backups (in the backup folder) and in the data folder.
ANCHORS_FILENAME = "logboek-ankers.txt"
#: What made an anchor: a backup, a restored backup, or the coordinator typing one in.
BACKUP_ANCHOR = "reservekopie"
RESTORE_ANCHOR = "teruggezet"
TYPED_ANCHOR = "opgegeven"
#: The shortest hash prefix accepted for a typed anchor (the report prints 16 hex digits).
SHORTEST_PREFIX = 16


@dataclass(frozen=True)
class Anchor:
    """The audit chain's head at some moment: how many events, the hash of the last one
    (or the first hex digits of it, for one typed from a printed report)."""

    events: int
    hash: str
    at: datetime | None = None
    kind: str = BACKUP_ANCHOR
    #: The register it was taken of (a backup folder may be shared by several registers).
    register_id: str = ""

    def line(self) -> str:
        when = self.at.isoformat() if self.at else "-"
        return f"{when} {self.kind} {self.events} {self.hash} {self.register_id or '-'}\n"

    def short(self) -> str:
        """'1234:0f3a9c…' as the yearly report prints it."""
        return f"{self.events}:{self.hash[:SHORTEST_PREFIX]}"


def audit_head(connection: Any | None = None) -> Anchor:
    """The chain's length and the hash of its last event, as they stand now."""
    run = database.execute_sql if connection is None else connection.execute
    count, last = run(
        'SELECT count(*), (SELECT "hash" FROM "audit_event" ORDER BY "id" DESC LIMIT 1) '
        'FROM "audit_event"',
        (),
    ).fetchone()
    return Anchor(int(count), str(last or GENESIS))


def parse_anchor(text: str) -> Anchor:
    """``1234:0f3a9c…`` (count, colon, at least 16 hex digits of the hash) as typed."""
    match = re.fullmatch(r"\s*(\d+)\s*:\s*([0-9a-fA-F]+)\s*…?\s*", text)
    if match is None or len(match[2]) < SHORTEST_PREFIX or len(match[2]) > 64:
        raise UserError(
            f"‘{text}’ is geen anker van het logboek: geef het aantal gebeurtenissen, een "
            f"dubbelpunt en minstens {SHORTEST_PREFIX} tekens van het kenmerk, bv. "
            "1234:0f3a9c5e7d2b4a61."
        )
    return Anchor(int(match[1]), match[2].lower(), None, TYPED_ANCHOR)


def record_anchor(folder: Path, anchor: Anchor) -> None:
    """Add ``anchor`` to the anchors file in ``folder`` (appended, never rewritten)."""
    with open(folder / ANCHORS_FILENAME, "a", encoding="utf-8") as file:
        file.write(anchor.line())
        file.flush()


def read_anchors(folder: Path) -> list[Anchor]:
    """The anchors recorded in ``folder``, in the order they were written; unreadable lines
    (a half-written last line) are skipped."""
    try:
        text = (folder / ANCHORS_FILENAME).read_text("utf-8", errors="replace")
    except OSError:
        return []
    anchors = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) != 5 or not parts[2].isdigit() or not re.fullmatch(r"[0-9a-f]{64}", parts[3]):
            continue
        try:
            at = None if parts[0] == "-" else datetime.fromisoformat(parts[0])
        except ValueError:
            continue
        register_id = "" if parts[4] == "-" else parts[4]
        anchors.append(Anchor(int(parts[2]), parts[3], at, parts[1], register_id))
    return anchors


def valid_anchors(anchors: Iterable[Anchor]) -> list[Anchor]:
    """The anchors that still hold: a restored backup voids the anchors written after it
    that are longer than what was restored (the chain went back to that backup on purpose)."""
    ordered = sorted(anchors, key=lambda a: a.at or datetime.min)
    kept: list[Anchor] = []
    for anchor in ordered:
        if anchor.kind == RESTORE_ANCHOR:
            kept = [a for a in kept if a.events <= anchor.events]
        kept.append(anchor)
    return kept


def stored_anchors(folders: Iterable[Path], register_id: str = "") -> list[Anchor]:
    """Every anchor of the register ``register_id`` in the anchors files of ``folders`` (the
    data folder, the backup folder); anchors of other registers are left out."""
    found: dict[tuple[int, str, str], Anchor] = {}
    for folder in folders:
        for anchor in read_anchors(folder):
            if anchor.register_id and register_id and anchor.register_id != register_id:
                continue
            found.setdefault((anchor.events, anchor.hash, anchor.kind), anchor)
    return valid_anchors(found.values())


def _register_id(folder: Path) -> str:
    """The open register's id: from its key file, else the one stored in it, else ''."""
    with contextlib.suppress(UserError, OSError, ValueError):
        return read_key_file(folder / KEY_FILENAME).register_id
    row = database.execute_sql("SELECT value FROM setting WHERE key = 'register_id'", ()).fetchone()
    with contextlib.suppress(ValueError, TypeError):
        value = json.loads(row[0]) if row else None
        if isinstance(value, str):
            return value
    return ""


def _describe(anchor: Anchor) -> str:
    if anchor.kind == TYPED_ANCHOR:
        return f"het opgegeven anker ({anchor.short()}…)"
    when = f" van {anchor.at:%d/%m/%Y %H:%M}" if anchor.at else ""
    what = "de teruggezette reservekopie" if anchor.kind == RESTORE_ANCHOR else "de reservekopie"
    return f"het anker van {what}{when}"


class ChainPositions(Protocol):
    """The chain as read already: its length, and the stored hash at a position (1-based)."""

    @property
    def events(self) -> int: ...

    def hash_at(self, position: int) -> str: ...


def anchor_problems(anchors: Sequence[Anchor], chain: ChainPositions | None = None) -> list[str]:
    """(e) The chain against each anchor: as long as it at least, and its event at the
    anchor's position has the anchor's hash. One pass over the events' hashes, or none when
    ``chain`` (the check's pass over the trail, audit_pass.py) knows them."""
    if not anchors:
        return []
    wanted: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        wanted.setdefault(anchor.events, []).append(anchor)
    hashes: dict[int, str] = {0: GENESIS}
    if chain is None:
        last = max(wanted)
        cursor = database.execute_sql('SELECT "hash" FROM "audit_event" ORDER BY "id"')
        for position, (stored,) in enumerate(cursor, 1):
            if position in wanted:
                hashes[position] = str(stored)
            if position >= last:
                break
        total = audit_head().events
    else:
        total = chain.events
        for position in wanted:
            if 1 <= position <= total:
                hashes[position] = chain.hash_at(position)
    problems: list[str] = []
    for anchor in sorted(anchors, key=lambda a: a.events):
        if anchor.events > total:
            problems.append(
                f"Het logboek telt {counted(total, 'gebeurtenis')}, maar {_describe(anchor)} "
                f"telde er al {anchor.events}: gebeurtenissen werden gewist. Zet een "
                "reservekopie terug."
            )
        elif not hashes.get(anchor.events, "").startswith(anchor.hash):
            problems.append(
                f"Het logboek werd herschreven: gebeurtenis {anchor.events} heeft niet meer "
                f"het kenmerk van {_describe(anchor)}. Gebeurtenissen tot daar werden "
                "gewijzigd, toegevoegd of gewist en de keten werd herberekend. Zet een "
                "reservekopie terug."
            )
    return problems[:SHOWN]


def anchor_folders(data: Path) -> list[Path]:
    """Where anchors are kept: the data folder and the backup folder in the settings."""
    from .backup import backup_settings

    folders = [data]
    with contextlib.suppress(UserError, OSError, ValueError, TypeError):
        folders.append(backup_settings().folder_for(data))
    return folders


def register_anchor_problems(
    data: Path, extra: Sequence[Anchor] = (), chain: ChainPositions | None = None
) -> list[str]:
    """(e) for ``check``: the anchors kept beside the register in ``data`` and its backups, and
    ``extra`` (typed in from a printed report)."""
    folders = anchor_folders(data)
    return anchor_problems([*stored_anchors(folders, _register_id(folders[0])), *extra], chain)
