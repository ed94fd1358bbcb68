"""Checking the register: storage integrity, encryption pages, search index, audit chain.

:func:`check_register` runs :data:`CHECK_STEPS` (and :data:`DEEP_STEPS`) one by one on the open
database; a step that meets an error (a page SQLCipher cannot decrypt, a damaged tree, data
that no longer parses) becomes a Dutch finding naming what it was reading, and the next step
still runs. Once damage is found, each table is probed on its own connection to name the
parts of the register that are hit. :func:`check_register_file` is the check as
``klachtdesk check`` runs it: on the file, read so that nothing in its folder changes.

Adding a check is one line in :data:`CHECK_STEPS`: a label (what it reads, in Dutch, for the
finding when reading fails) and a function that appends its problems to the report.
"""

from __future__ import annotations

import contextlib
import operator
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import reduce
from pathlib import Path
from typing import Any, cast

from klachtdesk.models import (
    Complaint,
    ComplaintGround,
    Document,
    Erasure,
    PersonKey,
    RegisterTooNew,
    database,
    open_register,
)
from klachtdesk.models.migrations import SCHEMA_VERSION
from klachtdesk.models.read_only import (
    PAGE_SIZE,
    RegisterFile,
    locate_damage,
    open_for_check,
    schema_objects,
    source_of,
)
from klachtdesk.models.storage import (
    RESTORE_COMMAND,
    RESTORE_MENU,
    RESTORE_WAYS,
    sqlite_error_name,
)
from klachtdesk.procedure import Ground, next_due_on
from klachtdesk.procedure.words import counted

from .audit import verify_audit_chain
from .audit_pass import AuditTrail, ReplayHelper, read_audit_trail, start_helper
from .dossiers import dossier_of
from .erasure import PERSONAL_COLUMNS
from .tampering import (
    Anchor,
    counter_problems,
    document_problems,
    dossier_problems,
    register_anchor_problems,
    setting_problems,
    trigger_problems,
)

#: What to do about a damaged register (shown once, after the findings).
RESTORE_ADVICE = (
    f"Wat nu: zet de laatste goede reservekopie terug: {RESTORE_WAYS}. Het beschadigde bestand "
    "wordt daarbij opzij gezet, niet gewist: bewaar het voor de informaticadienst. Werk niet "
    "verder in dit register tot de reservekopie terugstaat; wat na de reservekopie "
    "geregistreerd werd, moet opnieuw ingevoerd worden."
)
STALE_WAL_ADVICE = (
    f"Wat nu: het terugzetten van een reservekopie ({RESTORE_MENU} of {RESTORE_COMMAND}) zet "
    "zo'n los bestand opzij. Wie het register "
    "zelf met de hand terugzette: verplaats klachtdesk.db-wal en klachtdesk.db-shm naar een "
    "andere map (niet wissen) voor klachtdesk het register opent, en controleer opnieuw."
)

#: The register's tables as the coordinator knows them.
TABLE_NAMES = {
    "complaint": "de dossiers",
    "complaint_ground": "de gronden van onontvankelijkheid",
    "complaint_norm": "de ombudsnormen van de dossiers",
    "person_key": "de zoeksleutels van de verzoekers",
    "audit_event": "het logboek",
    "audit_content": "de inhoud van het logboek",
    "document": "de documenten (scans, e-mails, brieven)",
    "setting": "de instellingen",
    "reference_counter": "de teller van de referentienummers",
    "erasure": "de lijst van geanonimiseerde dossiers",
    "department": "de diensten",
    "handler": "de behandelaars",
    "improvement_action": "de verbeteracties",
    "complaint_link": "de koppelingen tussen dossiers",
    "population": "de inwonersaantallen",
    "sqlite_master": "de inhoudstafel van de databank",
    "sqlite_schema": "de inhoudstafel van de databank",
}
_SEARCH_INDEX = "complaint_fts"
PAGE_ONE_UNREADABLE = (
    "Het begin van het bestand (pagina 1, met de inhoudstafel van de databank) is onleesbaar: "
    "geen enkel deel van het register kan nog gelezen worden."
)


@dataclass
class CheckReport:
    complaints: int = 0
    audit_events: int = 0
    problems: list[str] = field(default_factory=list)
    #: What to do about the problems (each piece of advice once), shown after them.
    advice: list[str] = field(default_factory=list)
    #: The storage itself is damaged: pages, trees or the file cannot be read whole.
    damaged: bool = False
    #: Pages SQLCipher or SQLite named as damaged.
    pages: set[int] = field(default_factory=set)
    #: Audit chain heads typed in (from a printed report), compared by the anchors' step.
    typed_anchors: tuple[Anchor, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """What a register without problems is told: the window and the command line alike."""
        return (
            f"Register in orde: {counted(self.complaints, 'dossier')}, "
            f"{counted(self.audit_events, 'gebeurtenis')} in een ononderbroken logboek."
        )

    def advise(self, advice: str) -> None:
        if advice not in self.advice:
            self.advice.append(advice)

    def storage_damage(self, problem: str) -> None:
        """A problem of the file itself: a backup is what helps."""
        self.problems.append(problem)
        self.damaged = True
        self.advise(RESTORE_ADVICE)


Step = Callable[[CheckReport], None]


def register_folder() -> Path | None:
    """The data folder of the register being checked, for a step that needs files beside it:
    ``klachtdesk check`` reads the file without opening the register (no current_register())."""
    source = source_of(database.obj)
    return source.path.parent if source is not None else None


def table_name(table: str) -> str:
    """A table as a finding names it: what it holds, then its name for the informaticadienst."""
    if table.startswith(_SEARCH_INDEX):
        return f"de zoekindex (tabel {table})"
    known = TABLE_NAMES.get(table)
    return f"{known} (tabel {table})" if known else f"tabel {table}"


def _page_list(pages: Iterable[int]) -> str:
    ordered = sorted(set(pages))
    shown = [f"{p} (bytes {(p - 1) * PAGE_SIZE}–{p * PAGE_SIZE - 1})" for p in ordered[:8]]
    more = f" en nog {len(ordered) - 8}" if len(ordered) > 8 else ""
    return ("pagina " if len(ordered) == 1 else "pagina's ") + ", ".join(shown) + more


_PAGE = re.compile(r"\bpage (\d+)", re.IGNORECASE)
_TREE = re.compile(r"\bTree (\d+)\b")
_INDEX = re.compile(r"\bindex (\w+)")


def _cipher_pages(report: CheckReport) -> None:
    """SQLCipher's own check: every page's HMAC, and pages cut short."""
    rows = [str(r[0]) for r in _reader().execute_sql("PRAGMA cipher_integrity_check").fetchall()]
    if not rows:
        return
    pages = {int(m) for row in rows for m in _PAGE.findall(row)}
    report.pages |= pages
    cut = any("invalid size" in row for row in rows)
    where = _page_list(pages) if pages else "pagina's die niet te bepalen zijn"
    report.storage_damage(
        f"Versleutelde {where} van het register {'is' if len(pages) == 1 else 'zijn'} "
        "beschadigd of gewijzigd"
        + (" (het bestand is afgekapt: de laatste pagina is onvolledig)" if cut else "")
        + ": wat daar stond, kan niet meer ontsleuteld en dus niet meer gelezen worden."
    )


def _structure(report: CheckReport) -> None:
    """SQLite's check of every tree and index, and (SQLite ≥ 3.44) of the search index."""
    rows = [str(r[0]) for r in _reader().execute_sql("PRAGMA integrity_check").fetchall()]
    if rows == ["ok"]:
        return
    lines = [line for row in rows for line in row.splitlines() if not line.startswith("***")]
    if all("fts5" in line.lower() for line in lines):
        report.storage_damage(
            "De zoekindex klopt niet met de dossiers (tabel complaint_fts): zoeken kan "
            "dossiers missen of verkeerde tonen. De dossiers zelf zijn niet aangetast."
        )
        return
    pages = {int(m) for line in lines for m in _PAGE.findall(line)}
    report.pages |= pages
    trees = {int(m) for line in lines for m in _TREE.findall(line)}
    indexes = {m for line in lines for m in _INDEX.findall(line)}
    tables: list[str] = []
    with contextlib.suppress(Exception):  # the list of tables may be unreadable too
        roots, owners = schema_objects(_reader())
        found = {roots[t] for t in trees if t in roots} | {
            owners[i] for i in indexes if i in owners
        }
        tables = sorted(found)
    where = [", ".join(table_name(t) for t in tables)] if tables else []
    if pages:
        where.append(_page_list(pages))
    report.storage_damage(
        "De opbouw van de databank klopt niet"
        + (" in " + "; ".join(where) if where else "")
        + f" ({len(lines)} {'melding' if len(lines) == 1 else 'meldingen'} van SQLite): "
        "gegevens kunnen ontbreken of fout gelezen worden."
    )


def _links(report: CheckReport) -> None:
    broken_links = _reader().execute_sql("PRAGMA foreign_key_check").fetchall()
    if broken_links:
        report.problems.append(f"{len(broken_links)} verwijzingen naar ontbrekende rijen.")


def _audit_chain(report: CheckReport) -> None:
    trail = _trail()
    chain = trail.chain if trail is not None and trail.chain is not None else verify_audit_chain()
    report.audit_events = chain.events
    if not chain.ok:
        report.problems.append(chain.problem)


def _count(report: CheckReport) -> None:
    report.complaints = Complaint.select().count()


def _left_after_erasure() -> list[str]:
    """Anonymised dossiers that still hold personal data, documents or person keys."""
    erased = Erasure.select(Erasure.complaint_id)
    personal = reduce(operator.or_, [getattr(Complaint, name) != "" for name in PERSONAL_COLUMNS])
    leftovers = (
        Complaint.id.in_(PersonKey.select(PersonKey.complaint))
        | Complaint.id.in_(Document.select(Document.complaint))
        | personal
    )
    query = Complaint.select(Complaint.reference).where(Complaint.id.in_(erased), leftovers)
    return [str(reference) for (reference,) in cast(Iterable[tuple[str]], query.tuples())]


def _erasures(report: CheckReport) -> None:
    left = _left_after_erasure()
    if left:
        report.problems.append(
            f"Bij {counted(len(left), 'geanonimiseerd dossier')} staan nog persoonsgegevens, o.a. "
            + ", ".join(left[:5])
            + "."
        )


def _triggers(report: CheckReport) -> None:
    report.problems += trigger_problems()


def _anchors(report: CheckReport) -> None:
    folder = register_folder()
    if folder is not None:
        report.problems += register_anchor_problems(folder, report.typed_anchors, _trail())


def _counters(report: CheckReport) -> None:
    trail = _trail()
    report.problems += counter_problems(trail.deletions if trail is not None else None)


def _dossiers(report: CheckReport) -> None:
    trail = _trail()
    report.problems += dossier_problems(trail.findings if trail is not None else None)


def _settings(report: CheckReport) -> None:
    trail = _trail()
    if trail is None:
        report.problems += setting_problems()
    else:
        report.problems += setting_problems(trail.settings, trail.converted)


def _documents(report: CheckReport) -> None:
    trail = _trail()
    report.problems += document_problems(trail.documents if trail is not None else None)


def _deadlines(report: CheckReport) -> None:
    trail = _trail()
    wrong = trail.wrong_deadlines if trail is not None else None
    if wrong is None:
        wrong = _wrong_deadlines()
    if wrong:
        report.problems.append(
            f"Bij {counted(len(wrong), 'dossier')} klopt de volgende termijn niet, o.a. "
            + ", ".join(wrong[:5])
            + "."
        )


def _wrong_deadlines() -> list[str]:
    """The references of the dossiers whose stored next time limit is not the procedure's."""
    grounds: dict[int, set[Ground]] = {}
    pairs = ComplaintGround.select(ComplaintGround.complaint, ComplaintGround.ground).tuples()
    for complaint_id, ground in cast(Iterable[tuple[int, Ground]], pairs):
        grounds.setdefault(complaint_id, set()).add(ground)
    return [
        row.reference
        for row in Complaint.select().iterator()
        if next_due_on(dossier_of(row, grounds.get(row.id, set()))) != row.next_due_on
    ]


#: The storage checks: they read the file as SQLite and SQLCipher see it, whatever its schema.
STORAGE_STEPS: tuple[tuple[str, Step], ...] = (
    ("de versleutelde pagina's", _cipher_pages),
    ("de opbouw van de databank (met de zoekindex)", _structure),
    ("de verwijzingen tussen de tabellen", _links),
)
#: Every check, in order: (what it reads, in Dutch; the function that checks it).
CHECK_STEPS: tuple[tuple[str, Step], ...] = (
    *STORAGE_STEPS,
    ("het logboek (tabellen audit_event en audit_content)", _audit_chain),
    ("de dossiers (tabel complaint)", _count),
    ("de geanonimiseerde dossiers (tabellen erasure, complaint, person_key, document)", _erasures),
    ("de append-only triggers van het logboek", _triggers),
    ("de ankers van het logboek (naast het register en de reservekopieën)", _anchors),
    ("de tellers van de referentienummers", _counters),
    ("het verloop van elk dossier (logboek tegenover tabel complaint)", _dossiers),
    ("de documenten tegenover hun vingerafdruk (tabel document)", _documents),
    ("de instellingen tegenover het logboek (tabel setting)", _settings),
)
#: The slower checks that ``deep=False`` leaves out.
DEEP_STEPS: tuple[tuple[str, Step], ...] = (
    ("de termijnen van de dossiers (tabellen complaint en complaint_ground)", _deadlines),
)


def why_unreadable(exc: BaseException) -> str:
    """What an error met while reading the register means, in Dutch, with the technical code
    for the informaticadienst (never SQLite's English message)."""
    code = sqlite_error_name(exc)
    text = " ".join(str(a) for a in getattr(exc, "args", ())).lower()
    if "fts5" in text:
        meaning = "de zoekindex is beschadigd"
    elif code.startswith("SQLITE_CORRUPT"):
        meaning = "een deel van het bestand is beschadigd of ontbreekt"
    elif code.startswith("SQLITE_NOTADB"):
        meaning = (
            "een deel van het bestand kan niet ontsleuteld worden: het is beschadigd, afgekapt "
            "of overschreven"
        )
    elif code.startswith("SQLITE_IOERR"):
        meaning = "de schijf gaf een leesfout"
    elif code.startswith("SQLITE_CANTOPEN"):
        meaning = "het bestand kan niet geopend worden"
    elif code:
        meaning = "de databank gaf een onverwachte fout"
    else:
        meaning = "er staan gegevens in die niet meer te lezen zijn"
    return f"{meaning} (technische code: {code or type(exc).__name__})"


#: One step's outcome: what it reported, and why it could not read (None when it could).
_Outcome = tuple[CheckReport, str | None]


def _outcome(
    label: str, step: Step, anchors: tuple[Anchor, ...], reconnect: Callable[[], None]
) -> _Outcome:
    part = CheckReport(typed_anchors=anchors)
    try:
        step(part)
    except Exception as exc:  # a check reports damage, it never crashes on it
        # After SQLCipher met a page it cannot decrypt, the connection may refuse later reads.
        reconnect()
        return part, why_unreadable(exc)
    return part, None


def _reconnect(db: Any = database) -> None:
    with contextlib.suppress(Exception):
        db.close()
    with contextlib.suppress(Exception):
        db.connect()


def check_register(*, deep: bool = True, anchors: Sequence[Anchor] = ()) -> CheckReport:
    """Every check the register supports; problems are described in Dutch. Never raises on
    damage: what cannot be read becomes a finding, and the other checks still run.

    ``anchors``: audit chain heads typed in (from a printed report), compared with the chain
    together with the anchors kept beside the register and its backups."""
    return _run_steps(CHECK_STEPS + (DEEP_STEPS if deep else ()), anchors)


# The storage steps read their own connection when they run beside the other steps.
_aside = threading.local()


def _reader() -> Any:
    """The database a storage step reads: its own connection when it runs aside (see
    :func:`_run_steps`), else the models' database."""
    db = getattr(_aside, "db", None)
    return database if db is None else db


class _ReadOnce:
    """The one read of the audit trail in a run of the steps (audit_pass.py), made when a step
    first asks for it; None when reading it failed (each step then reads on its own)."""

    def __init__(self, deadlines: bool, helper: ReplayHelper | None = None) -> None:
        self.deadlines = deadlines
        self.helper = helper
        self.done = False
        self.trail: AuditTrail | None = None

    def get(self) -> AuditTrail | None:
        if not self.done:
            self.done = True
            try:
                self.trail = read_audit_trail(deadlines=self.deadlines, helper=self.helper)
            except Exception:  # each step reads and reports on its own
                self.trail = None
                _reconnect()
            finally:
                self.close()
        return self.trail

    def close(self) -> None:
        if self.helper is not None:
            self.helper.discard()


_read_once: ContextVar[_ReadOnce | None] = ContextVar("check_read_once", default=None)


def _trail() -> AuditTrail | None:
    """The audit trail as this run of the steps read it once, or None (see _ReadOnce)."""
    read = _read_once.get()
    return read.get() if read is not None else None


def _run_aside(
    source: RegisterFile,
    jobs: list[tuple[int, tuple[str, Step]]],
    anchors: tuple[Anchor, ...],
    outcomes: list[_Outcome | None],
) -> None:
    """Run the storage steps ``jobs`` on a read-only connection of their own (in a thread)."""
    db = source.database()
    _aside.db = db
    try:
        for index, (label, step) in jobs:
            outcomes[index] = _outcome(label, step, anchors, lambda: _reconnect(db))
    finally:
        _aside.db = None
        with contextlib.suppress(Exception):
            db.close()


def _run_steps(steps: tuple[tuple[str, Step], ...], anchors: Sequence[Anchor] = ()) -> CheckReport:
    """Run ``steps``, each as if alone, and gather what they found in their order.

    SQLite's and SQLCipher's own checks of the file (:data:`STORAGE_STEPS`) run in C and let
    Python go on meanwhile: on a register file they run in a thread of their own, on a
    read-only connection of their own, beside the steps that replay the audit trail in
    Python. The steps that read the audit trail share one read of it (audit_pass.py); for a
    large register file, a helper process forked before the thread starts replays part of
    the dossiers meanwhile (audit_pass.ReplayHelper).
    """
    typed = tuple(anchors)
    outcomes: list[_Outcome | None] = [None] * len(steps)
    source = source_of(database.obj)
    aside = [(i, s) for i, s in enumerate(steps) if s in STORAGE_STEPS]
    if source is None or len(aside) == len(steps):
        aside = []
    thread = (
        threading.Thread(
            target=_run_aside, args=(source, aside, typed, outcomes), name="klachtdesk-check"
        )
        if aside and source is not None
        else None
    )
    deadlines = any(s[1] is _deadlines for s in steps)
    # A helper process is forked (if at all) before the thread starts.
    helper = start_helper(source, deadlines) if any(s[1] is _dossiers for s in steps) else None
    read_once = _ReadOnce(deadlines, helper)
    token = _read_once.set(read_once)
    try:
        if thread is not None:
            thread.start()
        running_aside = {i for i, _ in aside}
        for i, (label, step) in enumerate(steps):
            if i not in running_aside:
                outcomes[i] = _outcome(label, step, typed, _reconnect)
    finally:
        if thread is not None:
            thread.join()
        read_once.close()
        _read_once.reset(token)
    report = CheckReport(typed_anchors=typed)
    failed: dict[str, list[str]] = {}  # the reason, and what could not be read for it
    for i, (label, step) in enumerate(steps):
        outcome = outcomes[i]
        if outcome is None:  # the thread did not get to it
            outcome = _outcome(label, step, typed, _reconnect)
        part, reason = outcome
        report.problems += part.problems
        for advice in part.advice:
            report.advise(advice)
        report.damaged |= part.damaged
        report.pages |= part.pages
        report.complaints = part.complaints or report.complaints
        report.audit_events = part.audit_events or report.audit_events
        if reason is not None:
            failed.setdefault(reason, []).append(label)
    for reason, labels in failed.items():
        what = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " en " + labels[-1]
        report.storage_damage(f"Het nalezen van {what} lukte niet: {reason}.")
    if report.damaged:
        _name_damaged_tables(report)
    return report


def _name_damaged_tables(report: CheckReport) -> None:
    source = source_of(database.obj)
    if source is None:
        return
    damage = locate_damage(source)
    if damage.schema_error is not None:
        report.storage_damage(_page_one_unreadable(damage.schema_error, source))
    elif damage.tables:
        report.problems.append(
            "Getroffen delen van het register: "
            + ", ".join(table_name(t) for t in damage.tables)
            + "."
        )


def _page_one_unreadable(code: str, source: RegisterFile) -> str:
    if code.startswith("SQLITE_CORRUPT"):
        # Page 1 decrypted (else SQLCipher says NOTADB), but what it points to is not there.
        try:
            left = counted(source.path.stat().st_size // PAGE_SIZE, "pagina")
            pages = f" (het telt nog {left})"
        except OSError:
            pages = ""
        return (
            "De inhoudstafel van de databank (pagina 1) verwijst naar delen die ontbreken of "
            f"onleesbaar zijn: het bestand is wellicht afgekapt{pages}. Geen enkel deel van "
            "het register kan nog betrouwbaar gelezen worden."
        )
    return PAGE_ONE_UNREADABLE


def check_register_file(
    folder: Path, passphrase: str, *, deep: bool = True, anchors: Sequence[Anchor] = ()
) -> CheckReport:
    """The check as ``klachtdesk check`` runs it: the register file in ``folder`` read so that
    nothing in the folder changes (no checkpoint, no ``-shm``; see models/read_only.py).

    A wrong passphrase, a missing or foreign key file, a register in use or made by a newer
    klachtdesk raise their UserError. A register of an older schema (or of before the key
    file) has its storage checked as it is; when that is whole, it is opened (and updated,
    with a copy aside, as any opening does) for the full check.
    """
    with open_for_check(folder, passphrase) as opened:
        version = opened.schema_version
        if version is not None and version > SCHEMA_VERSION:
            raise RegisterTooNew(version)
        current = version == SCHEMA_VERSION and not opened.legacy
        steps = CHECK_STEPS + (DEEP_STEPS if deep else ()) if current else STORAGE_STEPS
        report = _check_source(opened.source, steps, anchors)
        if version is None and not report.damaged:
            report.storage_damage(_page_one_unreadable("", opened.source))
        _file_findings(report, opened.size, opened.salt_matches)
        if report.damaged and opened.source.has_wal():
            _stale_wal(report, opened.source)
        if current or not report.ok:
            return report
    with open_register(folder, passphrase):
        return check_register(deep=deep, anchors=anchors)


def _check_source(
    source: RegisterFile, steps: tuple[tuple[str, Step], ...], anchors: Sequence[Anchor] = ()
) -> CheckReport:
    """Run ``steps`` with the models reading ``source``."""
    db = source.database()
    previous = database.obj
    database.initialize(db)
    try:
        return _run_steps(steps, anchors)
    finally:
        with contextlib.suppress(Exception):
            db.close()
        database.initialize(previous)


def _file_findings(report: CheckReport, size: int, salt_matches: bool) -> None:
    if size % PAGE_SIZE:
        shown = f"{size:,}".replace(",", ".")
        report.storage_damage(
            f"Het bestand is afgekapt: {shown} {'byte' if size == 1 else 'bytes'} is geen veelvoud van de paginagrootte "
            f"({PAGE_SIZE} bytes), de laatste pagina is onvolledig."
        )
    if not salt_matches:
        report.storage_damage(
            "De eerste 16 bytes van het bestand (het zout van de versleuteling) wijken af van "
            "wat het sleutelbestand vermeldt: het begin van het bestand is beschadigd of "
            "gewijzigd."
        )


def _stale_wal(report: CheckReport, source: RegisterFile) -> None:
    """Damage read through the WAL: is the file alone whole? Then the WAL is not its own."""
    alone = _check_source(source.without_wal(), STORAGE_STEPS)
    if alone.damaged:
        return
    report.problems.insert(
        0,
        f"Het bestand {source.wal.name} naast het register past er niet bij: het register "
        "zelf is in orde, maar samen met dat bestand gelezen is het beschadigd. Zo'n los "
        "bestand blijft achter wanneer klachtdesk niet netjes afsloot; hoort het bij een "
        "ander of nieuwer register (bijvoorbeeld nadat een oud registerbestand met de hand "
        "werd teruggezet), dan zou klachtdesk het bij het openen in het register schrijven "
        "en het beschadigen.",
    )
    # The register itself is whole: setting the WAL aside is what helps, not a backup.
    report.advice = [STALE_WAL_ADVICE]
