"""Backups that are really there: made, verified, kept in generations, and restored.

A backup is a folder ``klachtdesk-YYYYMMDD-HHMMSS`` in the backup folder holding

- ``klachtdesk.db``: the register as SQLite's online backup API copied it from a connection of
  the open register (never a file copy, so every committed action is in it and nothing
  half-written is), encrypted with the same key, in ``journal_mode=DELETE`` so it is one file;
- ``klachtdesk.key``: a copy of the register's key file, when there is one;
- ``manifest.json``: when it was made, schema version, number of dossiers, number and last hash
  of the audit events, the database file's size, and when it was verified. No personal data.

It is built under a hidden temporary name (``.klachtdesk-….tmp``), flushed to disk, verified
(opened with the key: ``integrity_check``, ``cipher_integrity_check`` and the audit chain),
and only then renamed to its final name and older backups pruned. So every folder with the
final name is a complete, verified backup; a crash or ``kill -9`` leaves at most a temporary
folder, which is never listed and is removed by the next backup.

The backup *status* (last good backup, last failure and its reason) lives in a small JSON file
in the data folder, outside the register, so making a backup never changes the register.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from klachtdesk.models import (
    DB_FILENAME,
    KEY_FILENAME,
    SCHEMA_VERSION,
    SORT_KEY_FUNCTION,
    Register,
    RegisterInUse,
    connect_encrypted,
    database,
)
from klachtdesk.models.database import LOCK_FILENAME
from klachtdesk.models.keyfile import WrongPassphrase, unwrap_sqlcipher_key
from klachtdesk.models.migrations import migrate
from klachtdesk.procedure import InvalidInput, UserError
from klachtdesk.procedure.intake import name_sort_key
from klachtdesk.procedure.words import counted

from .audit import GENESIS, verify_audit_chain
from .context import ServiceContext
from .settings import get_setting, set_setting
from .tampering import BACKUP_ANCHOR, RESTORE_ANCHOR, Anchor, record_anchor

BACKUP_PREFIX = "klachtdesk-"
TEMP_PREFIX = ".klachtdesk-"
TEMP_SUFFIX = ".tmp"
MANIFEST_FILENAME = "manifest.json"
STATUS_FILENAME = "reservekopie-status.json"
DEFAULT_FOLDER_NAME = "reservekopieën"
SETTINGS_KEY = "backups"
_NAME = re.compile(r"^klachtdesk-(\d{8}-\d{6})(?:-(\d+))?$")
_STAMP = "%Y%m%d-%H%M%S"
_ASIDE = "vervangen"


class BackupFailed(UserError):
    """A backup could not be made or does not hold up; the message says why, in Dutch."""


OTHER_REGISTER = (
    "Deze reservekopie is van een ander register (een gedeelde map met reservekopieën). Ze "
    "werd niet teruggezet."
)


# -- settings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupSettings:
    """Where backups go and how many are kept. ``folder`` "" means the default folder inside
    the data folder."""

    folder: str = ""
    daily: int = 7
    weekly: int = 5
    monthly: int = 12
    warn_after_days: int = 7

    def folder_for(self, data_folder: Path) -> Path:
        return Path(self.folder).expanduser() if self.folder else data_folder / DEFAULT_FOLDER_NAME


def backup_settings() -> BackupSettings:
    stored = get_setting(SETTINGS_KEY, {}) or {}
    defaults = asdict(BackupSettings())
    values = {}
    for k, v in stored.items() if isinstance(stored, dict) else ():
        if k in defaults and type(v) is type(defaults[k]):
            values[k] = v
    return BackupSettings(**values)


def validate_backup_settings(value: BackupSettings) -> BackupSettings:
    errors: dict[str, str] = {}
    folder = value.folder.strip()
    if folder and not Path(folder).expanduser().is_absolute():
        errors["folder"] = "Geef een volledig pad voor de map met reservekopieën."
    for name, label in (
        ("daily", "dagelijkse"),
        ("weekly", "wekelijkse"),
        ("monthly", "maandelijkse"),
    ):
        if not 0 <= getattr(value, name) <= 366:
            errors[name] = f"Het aantal {label} reservekopieën ligt tussen 0 en 366."
    if value.daily < 1:
        errors["daily"] = "Bewaar minstens één dagelijkse reservekopie."
    if not 1 <= value.warn_after_days <= 365:
        errors["warn_after_days"] = "Waarschuwen na 1 tot 365 dagen."
    if errors:
        raise InvalidInput(errors)
    return BackupSettings(folder, value.daily, value.weekly, value.monthly, value.warn_after_days)


def save_backup_settings(ctx: ServiceContext, value: BackupSettings) -> None:
    value = validate_backup_settings(value)
    if value != backup_settings():
        set_setting(
            ctx, SETTINGS_KEY, asdict(value), "Instellingen van de reservekopieën gewijzigd"
        )


def register_folder() -> Path:
    """The data folder of the register that is open now."""
    return Path(database.obj.database).parent


def folder_warnings(backup_folder: Path, data_folder: Path) -> list[str]:
    """What the coordinator should know about a backup folder: unreachable, not writable, or
    on the same disk as the register (a dead disk would take both)."""
    if not backup_folder.exists() and not backup_folder.parent.exists():
        return [
            f"De map {backup_folder.parent} bestaat niet: is de USB-schijf of de netwerkmap "
            "aangesloten? klachtdesk maakt alleen de laatste map zelf aan."
        ]
    existing = backup_folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return [f"De map {backup_folder} is niet bereikbaar (geen map)."]
    if backup_folder.exists() and not os.access(backup_folder, os.W_OK | os.X_OK):
        return [f"In de map {backup_folder} kan klachtdesk niet schrijven (rechten)."]
    if not os.access(existing, os.W_OK | os.X_OK):
        return [f"De map {backup_folder} kan niet aangemaakt worden (rechten)."]
    warnings = []
    try:
        data_device = (data_folder if data_folder.exists() else data_folder.parent).stat().st_dev
        if existing.stat().st_dev == data_device:
            warnings.append(
                "Deze map staat op dezelfde schijf als het register: gaat die schijf stuk, dan "
                "zijn de reservekopieën ook weg. Kies liever een netwerkmap of een USB-schijf."
            )
    except OSError:
        pass
    return warnings


# -- status, outside the register ----------------------------------------------------------


@dataclass
class BackupStatus:
    last_good_at: str = ""  # ISO time
    last_good_path: str = ""
    last_good_hash: str = ""  # the audit chain's last hash in that backup
    last_failure_at: str = ""
    last_failure_reason: str = ""
    last_attempt_on: str = ""  # ISO date of the last automatic attempt
    #: A problem after the last good backup that did not make it fail (pruning old ones).
    warning: str = ""

    @property
    def failed_last(self) -> bool:
        return bool(self.last_failure_at) and self.last_failure_at >= self.last_good_at


def _is_time(text: str, parse: Any = datetime.fromisoformat) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True


def read_status(data_folder: Path) -> BackupStatus:
    """The status file; an empty status when it is missing, unreadable or odd in any way
    (it is only a note beside the register, rewritten by the next backup)."""
    try:
        stored = json.loads((data_folder / STATUS_FILENAME).read_text("utf-8"))
    except (OSError, ValueError):
        return BackupStatus()
    if not isinstance(stored, dict):
        return BackupStatus()
    known = {f for f in BackupStatus.__dataclass_fields__}
    values = {k: v for k, v in stored.items() if k in known}
    if not all(isinstance(v, str) for v in values.values()):
        return BackupStatus()
    status = BackupStatus(**values)
    times = [status.last_good_at, status.last_failure_at]
    if not all(_is_time(t) for t in times if t) or (
        status.last_attempt_on and not _is_time(status.last_attempt_on, date.fromisoformat)
    ):
        return BackupStatus()
    return status


def write_status(data_folder: Path, status: BackupStatus) -> None:
    _write_atomically(data_folder / STATUS_FILENAME, json.dumps(asdict(status), indent=1))


def status_text(status: BackupStatus, warn_after_days: int, now: datetime) -> tuple[str, bool]:
    """The status bar's words about backups, and whether they are a warning."""
    if status.last_good_at:
        made = datetime.fromisoformat(status.last_good_at)
        days = (now.date() - made.date()).days
        when = (
            f"vandaag {made:%H:%M}"
            if days == 0
            else "gisteren"
            if days == 1
            else f"{made:%d/%m/%Y} ({days} dagen geleden)"
        )
        good = f"Laatste reservekopie: {when}"
    else:
        days = None
        good = "Nog geen reservekopie"
    if status.failed_last:
        failed = datetime.fromisoformat(status.last_failure_at)
        return (
            f"⚠ Reservekopie mislukt ({failed:%d/%m/%Y %H:%M}): {status.last_failure_reason} "
            f"{good}.",
            True,
        )
    if days is None:
        return f"⚠ {good}.", True
    if status.warning:
        return f"⚠ {good}. {status.warning}", True
    if days > warn_after_days:
        return f"⚠ {good} – ouder dan {warn_after_days} dagen.", True
    return good, False


# -- one backup ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: datetime
    dossiers: int
    audit_events: int
    audit_hash: str
    schema_version: int
    size: int
    verified: bool
    register_id: str | None = None

    @property
    def db_path(self) -> Path:
        return self.path / DB_FILENAME

    def describe(self) -> str:
        check = "" if self.verified else " – NIET gecontroleerd"
        return f"{self.made_at:%d/%m/%Y %H:%M} – {counted(self.dossiers, 'dossier')}{check}"

    def of_other_register(self, register_id: str) -> bool:
        """Made of another register than ``register_id`` (as far as its manifest says)."""
        return self.register_id is not None and self.register_id != register_id


def _prepare(conn: Any) -> Any:
    conn.create_function(SORT_KEY_FUNCTION, 1, name_sort_key, deterministic=True)
    return conn


@contextlib.contextmanager
def _opened(path: Path, key: str, *, read_only: bool = False) -> Iterator[Any]:
    conn = _prepare(connect_encrypted(path, key, read_only=read_only))
    try:
        yield conn
    finally:
        conn.close()


def _inspect(path: Path, key: str) -> dict[str, Any]:
    """Open the backup database and check it through and through; its figures, or
    BackupFailed with the Dutch reason."""
    from sqlcipher3 import dbapi2 as sqlcipher

    if not path.is_file():
        raise BackupFailed(f"In de reservekopie ontbreekt het bestand {path.name}.")
    try:
        with _opened(path, key, read_only=True) as conn:
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlcipher.DatabaseError as exc:
                raise BackupFailed(
                    "De reservekopie gaat niet open met de sleutel van dit register (ander "
                    "wachtwoord of andere sleutel), of ze is beschadigd."
                ) from exc
            problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if problems != ["ok"]:
                raise BackupFailed("De reservekopie is beschadigd: " + "; ".join(problems[:3]))
            cipher = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            if cipher:
                raise BackupFailed(
                    "Versleutelde pagina's van de reservekopie zijn beschadigd: "
                    + "; ".join(str(r[0]) for r in cipher[:3])
                )
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version >= SCHEMA_VERSION:
                chain = verify_audit_chain(conn)
                if not chain.ok:
                    raise BackupFailed(
                        "Het logboek in de reservekopie klopt niet: " + chain.problem
                    )
                events = chain.events
            else:
                # Made by an older version: this version checks the audit trail only in its own
                # schema, which is when the restored register is opened (and migrated).
                events = int(conn.execute('SELECT count(*) FROM "audit_event"').fetchone()[0])
            last = conn.execute('SELECT "hash" FROM "audit_event" ORDER BY "id" DESC LIMIT 1')
            row = last.fetchone()
            stored_id = conn.execute(
                "SELECT value FROM setting WHERE key = 'register_id'"
            ).fetchone()
            register_id = None
            with contextlib.suppress(ValueError, TypeError):
                register_id = json.loads(stored_id[0]) if stored_id else None
            return {
                "schema_version": version,
                "dossiers": int(conn.execute("SELECT count(*) FROM complaint").fetchone()[0]),
                "audit_events": events,
                "audit_hash": str(row[0]) if row else GENESIS,
                "register_id": register_id if isinstance(register_id, str) else None,
            }
    except sqlcipher.DatabaseError as exc:
        raise BackupFailed(
            "De reservekopie kan niet gelezen worden: ze is beschadigd of het is geen "
            "reservekopie van klachtdesk."
        ) from exc


def verify_backup(backup: Path, key: str) -> BackupInfo:
    """Check a backup through and through with ``key``; its figures, or BackupFailed."""
    backup = _backup_folder(backup)
    if not backup.is_dir():
        raise BackupFailed(f"{backup} is geen reservekopie van klachtdesk.")
    figures = _inspect(backup / DB_FILENAME, key)
    if figures["schema_version"] > SCHEMA_VERSION:
        raise BackupFailed(
            "Deze reservekopie werd gemaakt met een nieuwere versie van klachtdesk; installeer "
            "die eerst."
        )
    named_at = _time_of(backup)
    made_at = (
        _listed(backup, named_at).made_at
        if named_at
        else _made_at(_read_manifest(backup) or {}) or datetime.min
    )
    return BackupInfo(
        backup,
        made_at,
        figures["dossiers"],
        figures["audit_events"],
        figures["audit_hash"],
        figures["schema_version"],
        (backup / DB_FILENAME).stat().st_size,
        True,
        figures["register_id"],
    )


def make_backup(
    register: Register,
    ctx: ServiceContext,
    target_folder: Path | None = None,
    *,
    settings: BackupSettings | None = None,
    register_id: str | None = None,
) -> BackupInfo:
    """Make, verify and keep one backup of the open register, then prune older ones.

    The status file in the data folder records the outcome; on failure BackupFailed says why.
    Call it from any thread. The online backup reads through a bare connection of its own,
    one consistent snapshot of everything committed when it started. From a worker thread,
    pass ``settings`` and ``register_id`` (read on the register's own thread): the worker then
    touches no peewee connection at all.
    """
    key = register.sqlcipher_key
    status = read_status(register.folder)
    closing = register.db.is_closed()
    try:
        if not key:
            raise BackupFailed("Het register is vergrendeld; er werd geen reservekopie gemaakt.")
        settings = settings or backup_settings()
        folder = target_folder or settings.folder_for(register.folder)
        register_id = register_id_of(register) if register_id is None else register_id
        info = _make(register, key, folder, ctx.now(), register_id)
    except BackupFailed as exc:
        _record_failure(register.folder, status, ctx.now(), exc.message)
        raise
    except OSError as exc:
        reason = os_reason(exc)
        _record_failure(register.folder, status, ctx.now(), reason)
        raise BackupFailed(reason) from exc
    except Exception as exc:  # an SQLite error mid-backup: say so, and record it
        reason = _copy_failure(exc)
        _record_failure(register.folder, status, ctx.now(), reason)
        raise BackupFailed(reason) from exc
    finally:
        if closing and not register.db.is_closed():
            register.db.close()
    # The chain's head goes beside the backups and into the data folder: check compares the
    # chain with it later (services/tampering.py), so that a truncated or rewritten chain shows.
    _record_anchor([folder, register.folder], info, BACKUP_ANCHOR)
    status.last_good_at = info.made_at.isoformat()
    status.last_good_path = str(info.path)
    status.last_good_hash = info.audit_hash
    # The backup is made and verified: whatever goes wrong in pruning older ones is a warning.
    try:
        prune_backups(folder, settings, register_id)
        status.warning = ""
    except OSError as exc:
        status.warning = os_reason(exc, "Oudere reservekopieën konden niet opgeruimd worden")
    except Exception:  # a backup that was made counts, whatever happened here
        status.warning = "Oudere reservekopieën konden niet opgeruimd worden."
    with contextlib.suppress(OSError):
        write_status(register.folder, status)
    return info


def _record_anchor(
    folders: Iterable[Path], info: BackupInfo, kind: str, at: datetime | None = None
) -> None:
    """Add the backup's chain head to the anchors file of each folder; a folder that cannot
    be written only loses that copy (the backup itself is made and verified)."""
    anchor = Anchor(
        info.audit_events, info.audit_hash, at or info.made_at, kind, info.register_id or ""
    )
    for folder in folders:
        with contextlib.suppress(OSError):
            record_anchor(folder, anchor)


def register_id_of(register: Register) -> str:
    """The open register's id: as it was opened (from its key file); else its key file's or
    the id stored in the register itself; else "" (a register that has none)."""
    if register.register_id:
        return register.register_id
    with contextlib.suppress(UserError, OSError, ValueError):
        return register.key_file().register_id
    with contextlib.suppress(Exception):
        row = register.db.execute_sql(
            "SELECT value FROM setting WHERE key = 'register_id'"
        ).fetchone()
        stored = json.loads(row[0]) if row else None
        if isinstance(stored, str):
            return stored
    return ""


def _record_failure(data_folder: Path, status: BackupStatus, now: datetime, reason: str) -> None:
    status.last_failure_at = now.isoformat()
    status.last_failure_reason = reason
    with contextlib.suppress(OSError):
        write_status(data_folder, status)


#: SQLite's result codes met while the copy is written, in Dutch (the copy's disk, not the
#: register's: the register is only read).
_COPY_FAILURES = {
    "SQLITE_FULL": "de schijf van de reservekopieën is vol",
    "SQLITE_READONLY": "de map van de reservekopieën is alleen-lezen",
    "SQLITE_CANTOPEN": "het bestand van de reservekopie kan niet aangemaakt worden",
    "SQLITE_IOERR": "de schijf of de netwerkmap geeft een lees- of schrijffout",
}


_COPY_TEXTS = {
    "database or disk is full": "SQLITE_FULL",
    "readonly database": "SQLITE_READONLY",
    "unable to open database file": "SQLITE_CANTOPEN",
    "disk I/O error": "SQLITE_IOERR",
}


def _sqlite_code(exc: BaseException) -> str:
    """SQLite's error name (``SQLITE_FULL``…) of an error or of the error it wraps."""
    seen: list[BaseException] = []
    todo: list[Any] = [exc]
    while todo:
        current = todo.pop()
        if not isinstance(current, BaseException) or current in seen:
            continue
        seen.append(current)
        code = getattr(current, "sqlite_errorname", None)
        if code:
            return str(code)
        todo.extend([current.__cause__, current.__context__, *current.args[:1]])
    return ""


def _copy_failure(exc: BaseException) -> str:
    """Why the copy failed, in Dutch; a full disk is named as such."""
    code = _sqlite_code(exc)
    reason = next((text for prefix, text in _COPY_FAILURES.items() if code.startswith(prefix)), "")
    if not reason:  # sqlcipher3's errors carry no result code: SQLite's own English text
        text = " ".join(str(e) for e in (exc, exc.__cause__) if e is not None)
        reason = next((_COPY_FAILURES[c] for t, c in _COPY_TEXTS.items() if t in text), "")
    if reason:
        return f"De reservekopie kon niet gemaakt worden: {reason}."
    return (
        "De reservekopie kon niet gemaakt worden: het register gaf een onverwachte fout "
        "bij het kopiëren."
    )


def os_reason(exc: OSError, what: str = "De reservekopie kon niet gemaakt worden") -> str:
    """``what`` and why, in Dutch: the system's English error text is never shown."""
    where = f" ({exc.filename})" if exc.filename else ""
    reason = {
        errno.ENOENT: "de map is niet bereikbaar",
        errno.EACCES: "geen toegang tot de map (rechten)",
        errno.EPERM: "geen toegang tot de map (rechten)",
        errno.ENOSPC: "de schijf is vol",
        errno.EROFS: "de schijf is alleen-lezen",
        errno.ENOTDIR: "een deel van het pad is een bestand",
        errno.EEXIST: "er staat een bestand met die naam",
        errno.EIO: "de schijf of de netwerkmap geeft een leesfout",
        errno.EXDEV: "de map staat op een andere schijf",
        errno.EBUSY: "het bestand is in gebruik",
        errno.ENAMETOOLONG: "de naam of het pad is te lang",
        errno.ETIMEDOUT: "de netwerkmap antwoordt niet",
        errno.EISDIR: "er staat een map met die naam",
    }.get(exc.errno or 0, f"fout bij het lezen of schrijven (foutcode {exc.errno})")
    return f"{what}: {reason}{where}."


def _make(
    register: Register, key: str, folder: Path, now: datetime, register_id: str
) -> BackupInfo:
    # Only the backup folder itself is made, never the folders above it: an unplugged USB disk
    # or network share must fail, not fill a look-alike path on the local disk.
    folder.mkdir(mode=0o700, exist_ok=True)
    _remove_leftovers(folder)
    final = _free_name(folder, now)
    temp = folder / f"{TEMP_PREFIX}{final.name.removeprefix(BACKUP_PREFIX)}{TEMP_SUFFIX}"
    temp.mkdir(mode=0o700)
    try:
        target_db = temp / DB_FILENAME
        os.close(os.open(target_db, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        # A connection of the backup's own (never the register's, which belongs to its
        # thread): it sees what is committed, never the half of a running action.
        with _opened(register.path, key) as source, _opened(target_db, key) as target:
            # One step: the whole snapshot is read in one read transaction, so a write by
            # another connection meanwhile neither restarts nor tears the copy.
            source.backup(target, pages=-1)
            target.execute("PRAGMA journal_mode=DELETE")
        _fsync(target_db)
        key_file = register.folder / KEY_FILENAME
        if key_file.is_file():
            shutil.copyfile(key_file, temp / KEY_FILENAME)
            _fsync(temp / KEY_FILENAME)
        figures = _inspect(target_db, key)
        figures["register_id"] = register_id or figures["register_id"]
        manifest = {
            "format": 1,
            "made_at": now.isoformat(),
            "verified_at": now.isoformat(),
            "db_size": target_db.stat().st_size,
            "key_file": (temp / KEY_FILENAME).is_file(),
            **figures,
        }
        _write_atomically(temp / MANIFEST_FILENAME, json.dumps(manifest, indent=1))
        _fsync_dir(temp)
        os.rename(temp, final)
        _fsync_dir(folder)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return BackupInfo(
        final,
        now,
        figures["dossiers"],
        figures["audit_events"],
        figures["audit_hash"],
        figures["schema_version"],
        manifest["db_size"],
        True,
        figures["register_id"],
    )


def _free_name(folder: Path, now: datetime) -> Path:
    base = f"{BACKUP_PREFIX}{now.strftime(_STAMP)}"
    candidate, n = folder / base, 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{base}-{n}"
    return candidate


def _remove_leftovers(folder: Path) -> None:
    """Temporary folders of a backup that was interrupted (crash, kill, power cut)."""
    for entry in folder.iterdir():
        if entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX):
            shutil.rmtree(entry, ignore_errors=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":  # directories cannot be opened (or fsynced) on Windows
        return
    _fsync(path)


def _write_atomically(path: Path, text: str) -> None:
    temp = path.with_name(path.name + TEMP_SUFFIX)
    with open(temp, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)
    _fsync_dir(path.parent)


# -- listing and pruning -------------------------------------------------------------------


def _time_of(path: Path) -> datetime | None:
    match = _NAME.match(path.name)
    return datetime.strptime(match.group(1), _STAMP) if match else None


def _read_manifest(backup: Path) -> dict[str, Any] | None:
    try:
        value = json.loads((backup / MANIFEST_FILENAME).read_text("utf-8"))
    except (OSError, ValueError):  # missing, unreadable, a folder, not JSON, not UTF-8
        return None
    return value if isinstance(value, dict) else None


def _made_at(manifest: dict[str, Any]) -> datetime | None:
    """The manifest's time of making, when it is one."""
    value = manifest.get("made_at")
    if not isinstance(value, str):
        return None
    try:
        made_at = datetime.fromisoformat(value)
    except ValueError:
        return None
    return made_at if made_at.tzinfo is None else None  # local times, as klachtdesk writes


def _count(manifest: dict[str, Any], name: str) -> int | None:
    value = manifest.get(name)
    return value if type(value) is int and value >= 0 else None


def _listed(entry: Path, named_at: datetime) -> BackupInfo:
    """A backup as its manifest describes it. Whatever in the manifest is missing or odd makes
    it "not verified" (never pruned), dated by its folder's name."""
    manifest = _read_manifest(entry) or {}
    db = entry / DB_FILENAME
    try:
        size = db.stat().st_size if db.is_file() else 0
    except OSError:
        size = 0
    made_at = _made_at(manifest)
    counts = {name: _count(manifest, name) for name in _COUNTS}
    register_id = manifest.get("register_id")
    audit_hash = manifest.get("audit_hash")
    sound = (
        made_at is not None
        and None not in counts.values()
        and isinstance(audit_hash, str)
        and isinstance(register_id, str | None)
        and isinstance(manifest.get("verified_at"), str)
    )
    return BackupInfo(
        entry,
        made_at if sound and made_at else named_at,
        counts["dossiers"] or 0,
        counts["audit_events"] or 0,
        audit_hash if isinstance(audit_hash, str) else "",
        counts["schema_version"] or 0,
        size,
        sound and size == counts["db_size"] != 0,
        register_id if isinstance(register_id, str) else None,
    )


_COUNTS = ("dossiers", "audit_events", "schema_version", "db_size")


def _backup_folder(chosen: Path) -> Path:
    """The backup a user pointed at: its folder, or the database file inside it."""
    return chosen.parent if chosen.name == DB_FILENAME and chosen.is_file() else chosen


def list_backups(folder: Path, register_id: str | None = None) -> list[BackupInfo]:
    """The backups in ``folder``, newest first; without opening them (their manifests, and a
    check that the database file is still there at its recorded size).

    With ``register_id``: not those its manifest says are of another register (a folder
    shared by several registers); a backup whose manifest cannot tell stays listed, not
    verified."""
    found = []
    try:
        entries = list(folder.iterdir()) if folder.is_dir() else []
    except OSError:  # unreadable folder: nothing to list
        return []
    for entry in entries:
        named_at = _time_of(entry)
        try:
            if named_at is None or not entry.is_dir():
                continue
        except OSError:
            continue
        backup = _listed(entry, named_at)
        if register_id is None or not backup.of_other_register(register_id):
            found.append(backup)
    return sorted(found, key=lambda b: (b.made_at, b.path.name), reverse=True)


def backups_to_keep(times: Iterable[datetime], settings: BackupSettings) -> set[datetime]:
    """The generations to keep: the newest backup of each of the last ``daily`` days, of each
    of the last ``weekly`` ISO weeks and of each of the last ``monthly`` months that have one."""
    newest_first = sorted(set(times), reverse=True)
    keep: set[datetime] = set()

    def period_day(t: datetime) -> object:
        return t.date()

    def period_week(t: datetime) -> object:
        return t.isocalendar()[:2]

    def period_month(t: datetime) -> object:
        return (t.year, t.month)

    for period, count in (
        (period_day, settings.daily),
        (period_week, settings.weekly),
        (period_month, settings.monthly),
    ):
        seen: set[object] = set()
        for moment in newest_first:
            if len(seen) >= count:
                break
            if period(moment) not in seen:
                seen.add(period(moment))
                keep.add(moment)
    return keep


def prune_backups(folder: Path, settings: BackupSettings, register_id: str) -> list[Path]:
    """Remove the verified backups of register ``register_id`` no generation keeps; returns
    what was removed. Backups that do not hold up (not verified) and those of other registers
    (or of an unknown one) are left alone."""
    backups = [b for b in list_backups(folder) if b.verified and b.register_id == register_id]
    keep = backups_to_keep((b.made_at for b in backups), settings)
    kept_times: set[datetime] = set()
    removed = []
    for backup in backups:  # newest first: of two in the same second the newer one stays
        if backup.made_at in keep and backup.made_at not in kept_times:
            kept_times.add(backup.made_at)
            continue
        # Renamed to a temporary name first: a crash midway leaves a leftover the next backup
        # removes, never a half-deleted folder that still looks like a backup.
        doomed = folder / f"{TEMP_PREFIX}{backup.path.name}-weg{TEMP_SUFFIX}"
        os.rename(backup.path, doomed)
        shutil.rmtree(doomed, ignore_errors=True)
        removed.append(backup.path)
    return removed


# -- restoring -----------------------------------------------------------------------------


def key_for_backup(folder: Path, passphrase: str) -> str:
    """The SQLCipher key string for the register (or backup) in ``folder``: unwrapped from its
    key file with the passphrase; a register of before the key file is keyed with the
    passphrase itself."""
    key_file = folder / KEY_FILENAME
    if key_file.is_file():
        return unwrap_sqlcipher_key(key_file, passphrase)
    return passphrase


@dataclass
class RestoreResult:
    backup: BackupInfo
    set_aside: list[Path] = field(default_factory=list)
    key_file_kept: bool = False


def restore_backup(
    backup: Path,
    data_folder: Path,
    key: str,
    now: datetime,
    *,
    current_key: str | None = None,
    lock_held: bool = False,
    verified: BackupInfo | None = None,
) -> RestoreResult:
    """Put a verified backup in place of the register in ``data_folder``.

    ``key`` opens the backup. The current register's files (database, ``-wal``, ``-shm``) are
    kept aside with a time stamp (``.vervangen-…``), never overwritten or deleted: the database
    hard-linked there and then replaced in one step (so there is always a ``klachtdesk.db``),
    the WAL renamed there, so no stale WAL is ever replayed into the restored file. The key file: when
    ``current_key`` (the key the current key file gives) equals ``key``, it wraps the same data
    key, so it stays (a passphrase changed since the backup is not undone); otherwise it is kept
    aside the same way and the backup's key file replaces it in one step. Without ``lock_held`` the data
    folder's lock is taken (a running klachtdesk is refused).

    ``verified``: what :func:`verify_backup` said about this backup just before (in a worker
    thread, so the window did not wait for it); it is then not verified a second time, only
    checked to be unchanged in size.
    """
    from filelock import FileLock, Timeout

    lock = None
    if not lock_held:
        data_folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = FileLock(data_folder / LOCK_FILENAME, timeout=0)
        try:
            lock.acquire()
        except Timeout as exc:
            raise RegisterInUse(data_folder) from exc
    try:
        backup = _backup_folder(backup)
        if not backup.is_dir():
            raise BackupFailed(f"{backup} is geen reservekopie van klachtdesk.")
        if verified is not None and verified.path == backup and _unchanged(verified):
            info = verified
        else:
            info = verify_backup(backup, key)
        result = RestoreResult(info)
        stamp = now.strftime(_STAMP)
        incoming = data_folder / f"{DB_FILENAME}.terugzetten{TEMP_SUFFIX}"
        incoming.unlink(missing_ok=True)
        # The copy first: a full disk fails here, before anything current was moved.
        try:
            shutil.copyfile(backup / DB_FILENAME, incoming)
            os.chmod(incoming, 0o600)
            _fsync(incoming)
        except BaseException:
            incoming.unlink(missing_ok=True)
            raise
        target = data_folder / DB_FILENAME
        current_key_file = data_folder / KEY_FILENAME
        result.key_file_kept = current_key_file.is_file() and current_key == key
        # Never a moment without klachtdesk.db or klachtdesk.key (a data folder without its
        # database looks like a new one): the current files are linked (or copied) to their
        # aside names, then replaced in one step each; only -wal/-shm are renamed aside.
        # Each step is noted with how to undo it.
        linked: list[tuple[Path, Path]] = []  # aside is a link; the original still in place
        renamed: list[tuple[Path, Path]] = []
        replaced: list[tuple[Path, Path]] = []  # the original replaced; aside holds the old one
        incoming_key = data_folder / f"{KEY_FILENAME}.terugzetten{TEMP_SUFFIX}"
        try:
            linked += _keep_aside(target, stamp)
            for name in (f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm"):
                renamed += _set_aside(data_folder / name, stamp)
            if not result.key_file_kept and (backup / KEY_FILENAME).is_file():
                shutil.copyfile(backup / KEY_FILENAME, incoming_key)
                os.chmod(incoming_key, 0o600)
                _fsync(incoming_key)
                key_aside = _keep_aside(current_key_file, stamp)
                linked += key_aside
                os.replace(incoming_key, current_key_file)
                linked = [pair for pair in linked if pair not in key_aside]
                replaced += key_aside
            elif not result.key_file_kept:  # a backup of before the key file has none
                renamed += _set_aside(current_key_file, stamp)
            os.replace(incoming, target)
        except BaseException:
            # Put back what was moved: the register is as it was, never half-replaced.
            for original, aside in reversed(replaced):
                os.replace(aside, original)
            for original, aside in reversed(renamed):
                os.rename(aside, original)
            for _original, aside in linked:
                aside.unlink(missing_ok=True)
            incoming.unlink(missing_ok=True)
            incoming_key.unlink(missing_ok=True)
            raise
        moved = linked + replaced + renamed
        result.set_aside = [aside for _original, aside in moved]
        _fsync_dir(data_folder)
        # The chain went back to this backup on purpose: anchors written since no longer hold.
        _record_anchor([data_folder, backup.parent], info, RESTORE_ANCHOR, now)
        return result
    except OSError as exc:
        raise BackupFailed(
            os_reason(exc, "De reservekopie kon niet teruggezet worden")
            + " Het register bleef zoals het was."
        ) from exc
    finally:
        if lock is not None:
            lock.release()


def _unchanged(info: BackupInfo) -> bool:
    try:
        return info.db_path.stat().st_size == info.size
    except OSError:
        return False


def last_backup_folder(data_folder: Path) -> Path:
    """Where to look for backups when the register (and its settings) cannot be read: the
    folder of the last good backup, else the default folder."""
    last = read_status(data_folder).last_good_path
    return Path(last).parent if last else BackupSettings().folder_for(data_folder)


def _opens_with(backup: Path, key: str) -> bool:
    from sqlcipher3 import dbapi2 as sqlcipher

    try:
        with _opened(backup / DB_FILENAME, key, read_only=True) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError:
        return False
    return True


def _keys_for_restore(backup: Path, data_folder: Path, passphrase: str) -> tuple[str, str | None]:
    """The key that opens ``backup`` and the key the current key file gives (None without one).

    The current key file is tried first: after a passphrase change it still holds the same data
    key, and only the new passphrase unwraps it; the backup's own key file is for the old
    passphrase (or another data key altogether)."""
    current_key = None
    if (data_folder / KEY_FILENAME).is_file():
        with contextlib.suppress(UserError, OSError, ValueError):
            current_key = key_for_backup(data_folder, passphrase)
    if current_key is not None and _opens_with(backup, current_key):
        return current_key, current_key
    try:
        return key_for_backup(backup, passphrase), current_key
    except WrongPassphrase as exc:
        raise BackupFailed(
            "Deze reservekopie opent niet met dit wachtwoord. Een reservekopie opent met het "
            "wachtwoord dat gold toen ze gemaakt werd: typ dat wachtwoord en probeer opnieuw. "
            "Na het terugzetten opent het register met dat wachtwoord; kies daarna een nieuw "
            "onder Instellingen → Beveiliging."
        ) from exc


def verify_with_passphrase(backup: Path, data_folder: Path, passphrase: str) -> BackupInfo:
    """Verify a backup with the key the passphrase gives (see :func:`restore_with_passphrase`)."""
    backup = _backup_folder(backup)
    try:
        key, _current = _keys_for_restore(backup, data_folder, passphrase)
    except OSError as exc:  # an unreadable key file in the backup
        raise BackupFailed(os_reason(exc, "De reservekopie kan niet gelezen worden")) from exc
    return verify_backup(backup, key)


def restore_with_passphrase(
    backup: Path,
    data_folder: Path,
    passphrase: str,
    now: datetime,
    verified: BackupInfo | None = None,
) -> RestoreResult:
    """Restore when the register is not open (the command line, the unlock dialog).

    The key: the current key file's when it opens the backup (it is then kept, so a passphrase
    changed since the backup stays changed), else the backup's own key file's, which then
    replaces the current one."""
    backup = _backup_folder(backup)
    try:
        key, current_key = _keys_for_restore(backup, data_folder, passphrase)
    except OSError as exc:  # an unreadable key file in the backup
        raise BackupFailed(os_reason(exc, "De reservekopie kan niet gelezen worden")) from exc
    return restore_backup(backup, data_folder, key, now, current_key=current_key, verified=verified)


def _aside_name(path: Path, stamp: str) -> Path:
    aside = path.with_name(f"{path.name}.{_ASIDE}-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.{_ASIDE}-{stamp}-{n}")
    return aside


def _set_aside(path: Path, stamp: str) -> list[tuple[Path, Path]]:
    """Rename ``path`` aside (``<name>.vervangen-<stamp>``)."""
    if not path.exists():
        return []
    aside = _aside_name(path, stamp)
    os.rename(path, aside)
    return [(path, aside)]


def _keep_aside(path: Path, stamp: str) -> list[tuple[Path, Path]]:
    """Give ``path`` its aside name too, as a hard link (a flushed copy where the file system
    has none); ``path`` itself stays until it is replaced."""
    if not path.exists():
        return []
    aside = _aside_name(path, stamp)
    try:
        os.link(path, aside)
    except OSError:
        try:
            shutil.copy2(path, aside)
            _fsync(aside)
        except BaseException:
            aside.unlink(missing_ok=True)
            raise
    return [(path, aside)]


# -- what the window uses -------------------------------------------------------------------


def changed_since_last_backup(register: Register) -> bool:
    """Something was recorded since the last good backup (the audit chain moved on)."""
    from .audit import last_hash

    return last_hash() != read_status(register.folder).last_good_hash


class BackupKeeper:
    """The backups of the open register, for the window: make, list, restore, status.

    No Qt here; the window runs :meth:`make` in a worker thread.
    """

    def __init__(self, register: Register, ctx: ServiceContext) -> None:
        self.register = register
        self.ctx = ctx

    @property
    def data_folder(self) -> Path:
        return self.register.folder

    def folder(self) -> Path:
        return backup_settings().folder_for(self.register.folder)

    def make(
        self, settings: BackupSettings | None = None, register_id: str | None = None
    ) -> BackupInfo:
        return make_backup(self.register, self.ctx, settings=settings, register_id=register_id)

    def status(self) -> BackupStatus:
        return read_status(self.register.folder)

    def status_text(self) -> tuple[str, bool]:
        return status_text(self.status(), backup_settings().warn_after_days, self.ctx.now())

    def due_today(self) -> bool:
        """The first unlock of the day: no automatic attempt was made today yet."""
        return self.status().last_attempt_on != self.ctx.today().isoformat()

    def note_attempt(self, day: date | None = None) -> None:
        status = self.status()
        status.last_attempt_on = (day or self.ctx.today()).isoformat()
        with contextlib.suppress(OSError):
            write_status(self.register.folder, status)

    def changed(self) -> bool:
        return changed_since_last_backup(self.register)

    def register_id(self) -> str:
        return register_id_of(self.register)

    def backups(self, folder: Path | None = None) -> list[BackupInfo]:
        """This register's backups in ``folder`` (the backup folder): not another register's
        in a shared folder."""
        return list_backups(folder or self.folder(), self.register_id())

    def verify(self, backup: Path) -> BackupInfo:
        """Verify ``backup`` with the open register's key (any thread; nothing changes); a
        backup of another register is refused."""
        info = verify_backup(backup, self.register.sqlcipher_key)
        if info.of_other_register(self.register_id()):
            raise BackupFailed(OTHER_REGISTER)
        return info

    def restore(self, backup: Path, verified: BackupInfo | None = None) -> RestoreResult:
        """Restore ``backup`` in place of the open register, which stays open (reconnected).
        Call it on the thread that uses the register.

        The backup must open with the register's key; the current key file then wraps the
        same data key and stays.
        """
        key = self.register.sqlcipher_key
        if verified is None:
            verified = self.verify(backup)  # before the connection is closed
        elif verified.of_other_register(self.register_id()):
            raise BackupFailed(OTHER_REGISTER)
        self.register.db.close()
        try:
            result = restore_backup(
                backup,
                self.register.folder,
                key,
                self.ctx.now(),
                current_key=key,
                lock_held=True,
                verified=verified,
            )
        finally:
            self.register.db.connect(reuse_if_open=True)
        # A backup made by an older version of klachtdesk is brought up to date as opening the
        # register does (the backup itself stays as it was, in the backup folder).
        migrate(self.register.db)
        return result
