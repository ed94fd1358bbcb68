"""Opening the encrypted register: data folder, lock, passphrase, pragmas and migrations.

The register is one SQLCipher file in the coordinator's data folder. Opening it:

1. takes the folder's lock file, so a second klachtdesk on the same folder is refused;
2. keys the connection and reads the schema *before* any pragma that could write, so a wrong
   passphrase leaves the file byte-for-byte unchanged;
3. refuses a register made by a newer klachtdesk without touching it;
4. copies the file aside, then migrates an older register step by step.
"""

from __future__ import annotations

import errno
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs
from filelock import FileLock, Timeout
from playhouse.sqlcipher_ext import SqlCipherDatabase
from sqlcipher3 import dbapi2 as sqlcipher

from klachtdesk.procedure import UserError
from klachtdesk.procedure.intake import name_sort_key

from .migrations import SCHEMA_VERSION, SORT_KEY_FUNCTION, migrate, schema_version
from .tables import database

DB_FILENAME = "klachtdesk.db"
LOCK_FILENAME = "klachtdesk.lock"
#: The data key, wrapped under the passphrase and the recovery key (see issue 11).
KEY_FILENAME = "klachtdesk.key"
DATA_DIR_ENV = "KLACHTDESK_DATA_DIR"
MIN_PASSPHRASE_LENGTH = 8

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "full",
    "cache_size": -32_000,
    "temp_store": "memory",
    # Deleted content is overwritten with zeros, so an anonymised dossier leaves no trace in
    # free pages of the file (issue 11).
    "secure_delete": 1,
}

# SQLCipher logs every failed key attempt to stderr; a wrong passphrase is an expected error.
_quiet = sqlcipher.connect(":memory:")
_quiet.execute("PRAGMA cipher_log_level = NONE")
_quiet.close()


class WrongPassphrase(UserError):
    def __init__(self) -> None:
        super().__init__(
            "Het wachtwoord is niet juist, of dit bestand is geen klachtdesk-register. "
            "Er werd niets gewijzigd."
        )


class RegisterDamaged(UserError):
    """The file is there and the key may well be right, but SQLite cannot read the register."""

    def __init__(self, path: Path, error: Exception) -> None:
        code = getattr(error, "sqlite_errorname", "")
        what = "is beschadigd" if code == "SQLITE_CORRUPT" else "kan niet gelezen worden"
        super().__init__(
            f"Het register {path} {what} (technische melding: {error}). Het wachtwoord is "
            "daarbij niet het probleem. Zet een reservekopie terug of vraag de "
            "informaticadienst om hulp; het bestand werd niet gewijzigd."
        )


class RegisterInUse(UserError):
    def __init__(self, folder: Path) -> None:
        super().__init__(
            "klachtdesk is al geopend op dit register (map "
            f"{folder}). Sluit eerst het andere klachtdesk-venster."
        )


class RegisterTooNew(UserError):
    def __init__(self, found: int) -> None:
        self.found = found
        super().__init__(
            f"Dit register werd gemaakt met een nieuwere versie van klachtdesk (schema {found}, "
            f"deze versie kent schema {SCHEMA_VERSION}). Installeer de nieuwste versie; het "
            "register werd niet gewijzigd."
        )


class RegisterMissing(UserError):
    def __init__(self, folder: Path) -> None:
        super().__init__(f"Er is nog geen klachtdesk-register in de map {folder}.")


class RegisterExists(UserError):
    def __init__(self, folder: Path) -> None:
        super().__init__(f"Er staat al een klachtdesk-register in de map {folder}.")


class DataFolderUnusable(UserError):
    def __init__(self, folder: Path, error: OSError) -> None:
        reason = {
            errno.EACCES: "geen toegang (rechten)",
            errno.EPERM: "geen toegang (rechten)",
            errno.EEXIST: "er staat een bestand met die naam",
            errno.ENOTDIR: "een deel van het pad is een bestand",
            errno.ENOSPC: "de schijf is vol",
            errno.EROFS: "de schijf is alleen-lezen",
        }.get(error.errno or 0, error.strerror or str(error))
        super().__init__(
            f"De map {folder} kan niet als gegevensmap dienen: {reason}. Er werd niets gewijzigd."
        )


def check_data_folder(folder: Path) -> None:
    """Raise DataFolderUnusable when ``folder`` cannot hold a register; creates nothing."""
    if folder.exists() and not folder.is_dir():
        raise DataFolderUnusable(folder, OSError(errno.EEXIST, os.strerror(errno.EEXIST)))
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise DataFolderUnusable(folder, OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise DataFolderUnusable(folder, OSError(errno.EACCES, os.strerror(errno.EACCES)))


class WeakPassphrase(UserError):
    def __init__(self) -> None:
        super().__init__(f"Kies een wachtwoord van minstens {MIN_PASSPHRASE_LENGTH} tekens.")


class KlachtdeskDatabase(SqlCipherDatabase):  # type: ignore[misc]
    """SQLCipher database that proves the key works before it sets any pragma.

    Every connection also knows ``klachtdesk_sort_key(name)``, which the complainant index
    (migration 4) and the list's sort are built on.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register_function(name_sort_key, SORT_KEY_FUNCTION, 1, deterministic=True)

    def _add_conn_hooks(self, conn: Any) -> None:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            # A wrong key makes page 1 unreadable: SQLite then says "not a database". Any other
            # error (a truncated or damaged file, an I/O error) is not the passphrase's fault.
            if getattr(exc, "sqlite_errorname", "SQLITE_NOTADB") == "SQLITE_NOTADB":
                raise WrongPassphrase() from exc
            raise RegisterDamaged(Path(self.database), exc) from exc
        super()._add_conn_hooks(conn)


def default_data_dir() -> Path:
    """The coordinator's own data folder, as the platform names it."""
    return Path(platformdirs.user_data_dir("klachtdesk", appauthor=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir`` wins over ``KLACHTDESK_DATA_DIR``, which wins over the platform default."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return default_data_dir()


def register_exists(folder: Path) -> bool:
    """A register file with something in it. An empty one is what an interrupted creation
    (a power cut during the first-run setup) leaves behind: it holds nothing, and the setup
    runs again."""
    path = folder / DB_FILENAME
    return path.is_file() and path.stat().st_size > 0


@dataclass
class Register:
    """An open register. Close it to release the folder's lock."""

    folder: Path
    db: KlachtdeskDatabase
    folder_lock: FileLock
    backup: Path | None = None
    migrated_to: list[int] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.folder / DB_FILENAME

    @property
    def sqlcipher_key(self) -> str:
        """The key string this register's connections are keyed with (``PRAGMA key``)."""
        return str(self.db.connect_params.get("passphrase", ""))

    @property
    def locked(self) -> bool:
        return bool(self.db.is_closed())

    def lock(self) -> None:
        """Close the connection and forget the passphrase; the folder stays reserved."""
        if not self.db.is_closed():
            self.db.close()
        self.db.connect_params["passphrase"] = ""

    def unlock(self, passphrase: str) -> None:
        """Reopen after :meth:`lock`; a wrong passphrase raises and the register stays locked."""
        self.db.connect_params["passphrase"] = passphrase
        try:
            self.db.connect(reuse_if_open=True)
        except BaseException:
            self.db.connect_params["passphrase"] = ""
            raise

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()
        if database.obj is self.db:
            database.initialize(None)
        self.folder_lock.release()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect_encrypted(path: Path, sqlcipher_key: str, *, read_only: bool = False) -> Any:
    """A bare SQLCipher connection to ``path`` keyed like a register (for backups and checks
    on another file than the open register)."""
    target = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    conn = sqlcipher.connect(target, uri=True, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA key='{}'".format(sqlcipher_key.replace("'", "''")))
    return conn


def _take_lock(folder: Path) -> FileLock:
    lock = FileLock(folder / LOCK_FILENAME, timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise RegisterInUse(folder) from exc
    except OSError as exc:
        raise DataFolderUnusable(folder, exc) from exc
    return lock


def create_register(
    folder: Path, passphrase: str, *, target_version: int = SCHEMA_VERSION
) -> Register:
    """Make a new, empty register in ``folder``, encrypted with ``passphrase``.

    ``target_version`` exists for tests that build a register of an older schema.
    """
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphrase()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise DataFolderUnusable(folder, exc) from exc
    lock = _take_lock(folder)
    if register_exists(folder):
        lock.release()
        raise RegisterExists(folder)
    path = folder / DB_FILENAME
    try:
        if path.is_file():  # empty (see register_exists): the leftover of an interrupted setup
            path.unlink()
        # Only the coordinator's account may read the (encrypted) file; SQLite gives its WAL
        # and shared-memory files the same mode.
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as exc:
        lock.release()
        raise DataFolderUnusable(folder, exc) from exc
    try:
        return _open(folder, passphrase, lock, target_version)
    except BaseException:
        for leftover in (
            path,
            path.with_name(path.name + "-wal"),
            path.with_name(path.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
        lock.release()
        raise


def open_register(folder: Path, passphrase: str) -> Register:
    """Open the existing register in ``folder``; see the module docstring for what it checks."""
    if not register_exists(folder):
        raise RegisterMissing(folder)
    lock = _take_lock(folder)
    try:
        return _open(folder, passphrase, lock)
    except BaseException:
        lock.release()
        raise


def _open(
    folder: Path, passphrase: str, lock: FileLock, target_version: int = SCHEMA_VERSION
) -> Register:
    db = KlachtdeskDatabase(str(folder / DB_FILENAME), passphrase=passphrase, pragmas=PRAGMAS)
    db.connect()
    try:
        found = schema_version(db)
        if found > SCHEMA_VERSION:
            raise RegisterTooNew(found)
        register = Register(folder, db, lock)
        if 0 < found < target_version:
            register.backup = _backup(db, folder / DB_FILENAME, found)
        database.initialize(db)
        register.migrated_to = migrate(db, target_version)
        return register
    except BaseException:
        db.close()
        if database.obj is db:
            database.initialize(None)
        raise


def _backup(db: KlachtdeskDatabase, path: Path, version: int) -> Path:
    """Copy the (still encrypted) register aside before migrating it."""
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}-schema{version}-{stamp}.db.bak")
    shutil.copy2(path, target)
    return target
