"""Opening the encrypted register: data folder, lock, key file, pragmas and migrations.

The register is one SQLCipher file in the coordinator's data folder, encrypted with a random
data key that the key file beside it holds wrapped (see ``keyfile.py``). Opening it:

1. takes the folder's lock file, so a second klachtdesk on the same folder is refused;
2. reads the key file and unwraps the data key with the passphrase: a wrong passphrase, a
   missing, damaged or foreign key file are told apart, and nothing is written;
3. keys the connection and reads the schema *before* any pragma that could write; with the key
   proven right, any failure to read the file is damage to the register, never the passphrase;
4. refuses a register made by a newer klachtdesk without touching it;
5. copies the file aside, then migrates an older register step by step.

A register of before the key file (keyed with the passphrase itself) is copied aside and
re-keyed to a new data key on its first opening; see :func:`_rekey_legacy` for how an
interruption at any point is survived.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import peewee
import platformdirs
from filelock import FileLock, Timeout
from playhouse.sqlcipher_ext import SqlCipherDatabase
from sqlcipher3 import dbapi2 as sqlcipher

from klachtdesk.procedure import UserError
from klachtdesk.procedure.intake import name_sort_key

from .keyfile import (
    Argon2Params,
    DataKey,
    ForeignKeyFile,
    KeyFile,
    KeyFileMissing,
    NoRecoveryKey,
    WrongPassphrase,
    data_key_from_sqlcipher_key,
    fsync_directory,
    is_key_file_register,
    new_key_file,
    os_reason,
    read_key_file,
    require_usable_passphrase,
    salt_matches,
    write_key_file,
)
from .migrations import SCHEMA_VERSION, SORT_KEY_FUNCTION, migrate, schema_version
from .storage import (
    RESTORE_COMMAND,
    DiskFull,
    NotARegister,
    RegisterDamaged,
    RegisterReadOnly,
    StorageCursor,
    StorageError,
    storage_problem,
)
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


#: Where an interrupted re-keying of an old register leaves its new copy (see _rekey_legacy).
REKEY_SUFFIX = ".rekey"
REGISTER_ID_SETTING = "register_id"

# A register keyed with the passphrase itself (before the key file) says this when the
# passphrase is wrong: it cannot tell a wrong passphrase from a file that is no register.
LEGACY_WRONG_PASSPHRASE = (
    "Het wachtwoord is niet juist, of dit bestand is geen klachtdesk-register. "
    "Er werd niets gewijzigd."
)


class CopyAsideFailed(UserError):
    """The copy made before migrating or re-keying the register could not be written."""

    def __init__(self, target: Path, error: OSError) -> None:
        super().__init__(
            f"klachtdesk kon geen veiligheidskopie {target} maken vóór het register wordt "
            f"bijgewerkt: {os_reason(error)}. Het register werd niet gewijzigd; maak ruimte "
            "vrij of vraag de informaticadienst om hulp."
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


class RegisterUnknownVersion(UserError):
    """``PRAGMA user_version`` holds no version klachtdesk ever wrote (negative, or 0 on a
    register that has tables): migrating would fail half-way, so it is refused untouched."""

    def __init__(self, path: Path, found: int) -> None:
        self.found = found
        super().__init__(
            f"Het register {path} heeft een onbekende schemaversie ({found}): geen versie van "
            "klachtdesk maakt zo'n register. klachtdesk opent het niet; het werd niet "
            "gewijzigd. Zet een reservekopie terug of vraag de informaticadienst om hulp."
        )


class RegisterVersionMismatch(UserError):
    """``PRAGMA user_version`` claims an older schema than the tables hold (set back outside
    klachtdesk): the first migration step meets what it would add and is rolled back."""

    def __init__(self, path: Path, found: int) -> None:
        self.found = found
        super().__init__(
            f"Het register {path} zegt dat het schemaversie {found} heeft, maar het bevat al "
            "onderdelen van een latere versie: die versie werd buiten klachtdesk om gewijzigd. "
            "klachtdesk opent het niet; het werd niet gewijzigd. Zet een reservekopie terug of "
            "vraag de informaticadienst om hulp."
        )


#: What SQLite says when a migration step meets what it would add.
_ALREADY_THERE = re.compile(r"already exists|duplicate column name")


class RegisterMissing(UserError):
    def __init__(self, folder: Path) -> None:
        super().__init__(f"Er is nog geen klachtdesk-register in de map {folder}.")


class RegisterExists(UserError):
    def __init__(self, folder: Path) -> None:
        super().__init__(f"Er staat al een klachtdesk-register in de map {folder}.")


class DataFolderUnusable(UserError):
    def __init__(self, folder: Path, error: OSError) -> None:
        super().__init__(
            f"De map {folder} kan niet als gegevensmap dienen: {os_reason(error)}. "
            "Er werd niets gewijzigd."
        )


class RegisterFileMissing(UserError):
    """The register file is gone but its key file is still there: this folder held a register
    (a backup brings it back); a new one must not be made over its key file."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"Het registerbestand {folder / DB_FILENAME} ontbreekt, maar het sleutelbestand "
            f"{KEY_FILENAME} staat er nog: in deze map stond al een klachtdesk-register. Zet "
            "een reservekopie terug (geef het wachtwoord en kies ‘Reservekopie "
            f"terugzetten…’, of {RESTORE_COMMAND}) of vraag de informaticadienst om hulp. "
            "Er werd niets gewijzigd."
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
    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message or f"Kies een wachtwoord van minstens {MIN_PASSPHRASE_LENGTH} tekens."
        )


class KlachtdeskDatabase(SqlCipherDatabase):  # type: ignore[misc]
    """SQLCipher database that proves the key works before it sets any pragma.

    Every connection also knows ``klachtdesk_sort_key(name)``, which the complainant index
    (migration 4) and the list's sort are built on. Every statement runs on a
    :class:`~.storage.StorageCursor`: a full disk, a read-only or damaged file arrives as a
    :class:`~.storage.StorageError` with a Dutch message, never as SQLite's English.
    """

    def __init__(self, *args: Any, key_proven: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The key came out of the key file's authenticated slot: it is the right one.
        self.key_proven = key_proven
        self.register_function(name_sort_key, SORT_KEY_FUNCTION, 1, deterministic=True)

    @property
    def path(self) -> Path:
        return Path(self.database)

    def connect(self, reuse_if_open: bool = False) -> bool:
        """Connect, or leave no connection behind: a failed opening (a wrong key, a damaged or
        read-only file) closes what it opened at once, and says what the fault is."""
        try:
            return bool(super().connect(reuse_if_open))
        except BaseException as exc:
            conn = self._state.conn
            if conn is not None:
                try:
                    conn.close()
                finally:
                    self._state.reset()
            problem = None if isinstance(exc, UserError) else storage_problem(exc, self.path)
            if problem is None:
                raise
            raise problem from exc

    def _add_conn_hooks(self, conn: Any) -> None:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            # A wrong key makes page 1 unreadable: SQLite then says "not a database". With a
            # key the key file proved right, that is a damaged page 1. Any other error (a
            # truncated or damaged file, an I/O error) is never the passphrase's fault.
            notadb = getattr(exc, "sqlite_errorname", "SQLITE_NOTADB") == "SQLITE_NOTADB"
            if notadb and not self.key_proven:
                raise WrongPassphrase(LEGACY_WRONG_PASSPHRASE) from exc
            problem = storage_problem(exc, self.path)
            if isinstance(problem, StorageError) and not isinstance(problem, RegisterDamaged):
                raise problem from exc
            raise RegisterDamaged(self.path, exc, key_proven=self.key_proven) from exc
        super()._add_conn_hooks(conn)

    def cursor(self, named_cursor: Any = None) -> StorageCursor:
        if self.is_closed():
            if not self.autoconnect:
                raise peewee.InterfaceError("Error, database connection not opened.")
            self.connect()
        cursor = self._state.conn.cursor(StorageCursor)
        cursor.register_path = self.path
        return cursor  # type: ignore[no-any-return]

    def rollback(self) -> None:
        # On a full disk (and some I/O errors) SQLite rolls the transaction back itself; a
        # ROLLBACK then fails with "no transaction is active" and would hide the real error.
        if not self.is_closed() and not self._sqlite_in_transaction():
            return
        super().rollback()

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        # The same for a savepoint (a service nested in another's transaction): after SQLite
        # rolled everything back, ROLLBACK TO fails with "no such savepoint".
        if sql.startswith("ROLLBACK TO SAVEPOINT") and not self._sqlite_in_transaction():
            return self.cursor()
        return super().execute_sql(sql, params)

    def _sqlite_in_transaction(self) -> bool:
        return not self.is_closed() and bool(self._state.conn.in_transaction)


def cipher_versions() -> tuple[str, str]:
    """The SQLCipher and SQLite versions this program runs on (for the About box)."""
    conn = sqlcipher.connect(":memory:")
    try:
        return str(conn.execute("PRAGMA cipher_version").fetchone()[0]), sqlcipher.sqlite_version
    finally:
        conn.close()


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


def register_file_lost(folder: Path) -> bool:
    """No register file, but its key file (or the key file's copy) is there: the register was
    lost (deleted, or moved away by an interrupted restore), it was never set up here."""
    key_path = folder / KEY_FILENAME
    lost = not (folder / DB_FILENAME).exists()
    return lost and (key_path.exists() or key_path.with_name(key_path.name + ".prev").exists())


@dataclass
class Register:
    """An open register. Close it to release the folder's lock."""

    folder: Path
    db: KlachtdeskDatabase
    folder_lock: FileLock
    backup: Path | None = None
    migrated_to: list[int] = field(default_factory=list)
    register_id: str = ""
    #: Opened as a register of before the key file, and re-keyed to a data key just now.
    rekeyed: bool = False
    #: Opened with the recovery key (and given a new passphrase) in this session.
    recovered: bool = False

    @property
    def path(self) -> Path:
        return self.folder / DB_FILENAME

    @property
    def key_path(self) -> Path:
        return self.folder / KEY_FILENAME

    @property
    def sqlcipher_key(self) -> str:
        """The key string this register's connections are keyed with (``PRAGMA key``):
        ``x'<64 hex data key><32 hex salt>'``, a raw key. Empty while locked."""
        return str(self.db.connect_params.get("passphrase", ""))

    @property
    def data_key(self) -> DataKey:
        """The data key (while unlocked)."""
        return data_key_from_sqlcipher_key(self.sqlcipher_key)

    def key_file(self) -> KeyFile:
        """The key file as it is on disk now."""
        return read_key_file(self.key_path)

    def has_recovery_key(self) -> bool:
        return self.key_file().has_recovery_slot

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
        self.unlock_with(lambda key_file: key_file.unwrap_with_passphrase(passphrase))

    def unlock_with(self, unwrap: Callable[[KeyFile], DataKey]) -> KeyFile:
        """Reopen after :meth:`lock` with the data key ``unwrap`` takes out of the key file
        (the recovery key does this); returns the key file it read."""
        _require_writable(self.folder)  # it may have become read-only while locked
        key_file = read_key_file(self.key_path)
        if key_file.register_id != self.register_id:
            raise ForeignKeyFile(self.key_path)
        self.db.connect_params["passphrase"] = unwrap(key_file).sqlcipher_key
        try:
            self.db.connect(reuse_if_open=True)
        except BaseException:
            self.db.connect_params["passphrase"] = ""
            raise
        return key_file

    def close(self) -> None:
        global _current
        if not self.db.is_closed():
            self.db.close()
        if database.obj is self.db:
            database.initialize(None)
        if _current is self:
            _current = None
        self.folder_lock.release()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_current: Register | None = None


def current_register() -> Register:
    """The register opened last (and not closed): the one the program works on, like the
    ``database`` proxy the tables use."""
    if _current is None:
        raise UserError("Er is geen register geopend.")
    return _current


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
    folder: Path,
    passphrase: str,
    *,
    target_version: int = SCHEMA_VERSION,
    argon2: Argon2Params | None = None,
    register_id: str | None = None,
    recovery_key: str | None = None,
) -> Register:
    """Make a new, empty register in ``folder``: a new data key, wrapped under ``passphrase``
    (and ``recovery_key`` when given) in a new key file.

    ``target_version`` exists for tests that build a register of an older schema.
    """
    require_usable_passphrase(passphrase)
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
    if register_file_lost(folder):
        lock.release()
        raise RegisterFileMissing(folder)
    path = folder / DB_FILENAME
    key_path = folder / KEY_FILENAME
    leftovers = [
        path,
        path.with_name(path.name + "-wal"),
        path.with_name(path.name + "-shm"),
        key_path,
        key_path.with_name(key_path.name + ".prev"),
        key_path.with_name(key_path.name + ".tmp"),
        key_path.with_name(key_path.name + ".prev.tmp"),
    ]
    data_key = DataKey.new()
    try:
        # Only an empty register file (see register_exists) can be here now: with its key
        # file, the leftovers of an interrupted setup, which hold nothing. (Without a register
        # file, a key file means a lost register: refused above.)
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        # The empty register file first, then the key file: a key file never exists without a
        # register file unless that register was lost, and a register file never has content
        # without its key file. Only the coordinator's account may read the (encrypted) file;
        # SQLite gives its WAL and shared-memory files the same mode.
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        key_file = new_key_file(data_key, passphrase, argon2, register_id)
        if recovery_key is not None:
            key_file = key_file.with_recovery_key(data_key, recovery_key)
        write_key_file(key_path, key_file)
    except (OSError, UserError) as exc:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        lock.release()
        full = storage_problem(exc, path)
        if isinstance(full, DiskFull):  # not "the passphrase was not changed": there was none
            raise full from exc
        if isinstance(exc, OSError):
            raise DataFolderUnusable(folder, exc) from exc
        raise
    try:
        register = _open(folder, data_key, key_file.register_id, lock, target_version)
        _store_register_id(register.db, key_file.register_id)
        return register
    except BaseException:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        lock.release()
        raise


def open_register(folder: Path, passphrase: str) -> Register:
    """Open the existing register in ``folder``; see the module docstring for what it checks."""
    require_usable_passphrase(passphrase)
    if not register_exists(folder):
        raise RegisterFileMissing(folder) if register_file_lost(folder) else RegisterMissing(folder)
    _require_writable(folder)
    unwrap = _proven_passphrase(folder, passphrase)
    lock = _take_lock(folder)
    try:
        return _open_with(folder, lock, unwrap, passphrase)
    except BaseException:
        lock.release()
        raise


def open_register_with_key(
    folder: Path, unwrap: Callable[[KeyFile], DataKey]
) -> tuple[Register, KeyFile]:
    """Open the register with the data key that ``unwrap`` takes out of its key file (the
    recovery key does this). A register without a key file cannot be opened this way."""
    if not register_exists(folder):
        raise RegisterFileMissing(folder) if register_file_lost(folder) else RegisterMissing(folder)
    _require_writable(folder)
    lock = _take_lock(folder)
    try:
        register = _open_with(folder, lock, unwrap, None)
        return register, register.key_file()
    except BaseException:
        lock.release()
        raise


def replace_key_file(register: Register, key_file: KeyFile) -> None:
    """Write ``key_file`` for ``register`` atomically, the old one kept as ``.prev``. Only a
    key file of this register (same register id and salt) is accepted."""
    if key_file.register_id != register.register_id or key_file.database_salt != (
        register.data_key.salt
    ):
        raise ForeignKeyFile(register.key_path)
    write_key_file(register.key_path, key_file)


#: The smallest page SQLite (and so SQLCipher) knows: a register file is at least one page.
MIN_REGISTER_BYTES = 512
_PLAIN_SQLITE = b"SQLite format 3\x00"


def _proven_passphrase(folder: Path, passphrase: str) -> Callable[[KeyFile], DataKey]:
    """Refuse a wrong passphrase before anything in ``folder`` is written, not even the lock
    file, also after a crash (a WAL present); returns how to unwrap the data key, without
    running the slow key derivation a second time for the key file read here."""
    path = folder / DB_FILENAME
    _require_register_file(path)

    def unwrap(key_file: KeyFile) -> DataKey:
        return key_file.unwrap_with_passphrase(passphrase)

    key_path = folder / KEY_FILENAME
    if not key_path.exists():
        if not is_key_file_register(_header(path)):
            _prove_legacy_passphrase(path, passphrase)
        return unwrap
    try:
        read = read_key_file(key_path)
    except UserError:
        return unwrap  # the opening says what is wrong with it
    if not salt_matches(_header(path), read.database_salt):
        return unwrap  # another register's key file, or a damaged page 1: told apart later
    data_key = read.unwrap_with_passphrase(passphrase)
    return lambda key_file: data_key if key_file == read else unwrap(key_file)


def _require_writable(folder: Path) -> None:
    """Refuse, before SQLite opens anything, a folder or register file this account cannot
    write: SQLite would open it read-only, fail at the first write and leave a read-only
    ``-shm`` and ``-wal`` behind."""
    path = folder / DB_FILENAME
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        raise RegisterReadOnly(path, what=f"De map {folder} van het register")
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists() and not os.access(file, os.W_OK):
            raise RegisterReadOnly(path, what=f"Het bestand {file}")


def _require_register_file(path: Path) -> None:
    """Refuse a file that cannot be a SQLCipher register: shorter than one page, or a plain
    (unencrypted) SQLite file. It is never opened, so never replaced."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # opening says what is wrong with it
    if size < MIN_REGISTER_BYTES:
        raise NotARegister(path, f"het is maar {size} byte{'s' if size != 1 else ''} groot")
    if _header(path) == _PLAIN_SQLITE:
        raise NotARegister(path, "het is een onversleuteld SQLite-bestand")


def _header(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(16)
    except OSError:
        return b""


def _open_with(
    folder: Path,
    lock: FileLock,
    unwrap: Callable[[KeyFile], DataKey],
    legacy_passphrase: str | None,
) -> Register:
    path = folder / DB_FILENAME
    key_path = folder / KEY_FILENAME
    pending = path.with_name(path.name + REKEY_SUFFIX)
    _require_register_file(path)
    if not key_path.exists():
        # A re-keyed copy without key file: the re-keying stopped before its key was saved.
        pending.unlink(missing_ok=True)
        if is_key_file_register(_header(path)):
            raise KeyFileMissing(key_path)
        if legacy_passphrase is None:  # a register of before the key file has no recovery key
            raise NoRecoveryKey()
        _prove_legacy_passphrase(path, legacy_passphrase)
        return _rekey_legacy(folder, legacy_passphrase, lock)
    key_file = read_key_file(key_path)
    if len(_header(path)) < len(key_file.database_salt):
        raise RegisterDamaged(path, OSError("het bestand is te kort"), key_proven=True)
    if pending.exists():
        if salt_matches(_header(pending), key_file.database_salt):
            # Re-keying stopped between saving the key file and renaming the new copy: the copy
            # is complete (it was flushed before the key file was written). Finish it, once the
            # passphrase has proven right.
            unwrap(key_file)
            _put_in_place(pending, path)
        else:
            pending.unlink()
    header = _header(path)
    if not salt_matches(header, key_file.database_salt):
        if is_key_file_register(header):
            # Keyed through a key file, but another one: the key file is another register's.
            raise ForeignKeyFile(key_path)
        # The passphrase (or recovery key) first: a wrong one is told as such, nothing written.
        unwrap(key_file)
        if legacy_passphrase is not None:
            # A key file beside a register still keyed with the passphrase: a re-keying that
            # lost its new copy. Start again, but only when the old way really opens it.
            try:
                return _rekey_legacy(folder, legacy_passphrase, lock)
            except (WrongPassphrase, RegisterDamaged) as exc:
                raise RegisterDamaged(path, _header_error(), key_proven=True) from exc
        # The key file's slot opened: the register's first page is damaged (zeroed, say).
        raise RegisterDamaged(path, _header_error(), key_proven=True)
    data_key = unwrap(key_file)
    return _open(folder, data_key, key_file.register_id, lock)


def _prove_legacy_passphrase(path: Path, passphrase: str) -> None:
    """Raise WrongPassphrase unless ``passphrase`` opens the register keyed with it, without
    writing a byte: an ordinary connection would, on closing, fold a crashed session's WAL
    into the file even with a wrong key. An immutable connection reads page 1 of the file
    only (no WAL, no shared memory, no lock)."""
    conn = sqlcipher.connect(f"file:{path}?mode=ro&immutable=1", uri=True, isolation_level=None)
    try:
        conn.execute("PRAGMA key='{}'".format(passphrase.replace("'", "''")))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise WrongPassphrase(LEGACY_WRONG_PASSPHRASE) from exc
        # Anything else (WAL content the immutable view cannot see, say): the ordinary
        # opening that follows tells it apart.
    finally:
        conn.close()


def _header_error() -> OSError:
    return OSError("het begin van het bestand past niet bij het sleutelbestand")


def _put_in_place(new_copy: Path, path: Path) -> None:
    # Write-ahead files of the old file must not be applied to the new one.
    for stale in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    os.replace(new_copy, path)
    fsync_directory(path.parent)


def _rekey_legacy(folder: Path, passphrase: str, lock: FileLock) -> Register:
    """Re-key a register of before the key file (keyed with the passphrase) to a new data key.

    1. open it with the passphrase (a wrong one raises here, nothing written);
    2. copy it aside (``*-passphrase-keyed-*.db.bak``);
    3. export it, keyed with the new data key, to ``klachtdesk.db.rekey``; flush; close;
    4. write the key file (the data key wrapped under the passphrase);
    5. rename the new copy over ``klachtdesk.db``;
    6. open it with the data key; when SQLite's integrity check finds it whole, delete the copy
       of step 2 (keyed with the passphrase, it would open with the passphrase for good, also
       after a passphrase change).

    Interrupted before 4: no key file, so the next opening throws the copy away and starts
    again. Between 4 and 5: the key file's salt matches the copy, so the next opening finishes
    the rename (see :func:`_open_with`). After 5: an ordinary register.
    """
    path = folder / DB_FILENAME
    pending = path.with_name(path.name + REKEY_SUFFIX)
    pending.unlink(missing_ok=True)
    legacy = KlachtdeskDatabase(str(path), passphrase=passphrase, pragmas=PRAGMAS)
    legacy.connect()
    data_key = DataKey.new()
    try:
        found = _known_schema_version(legacy)
        backup = _backup(legacy, path, "passphrase-keyed")
        os.close(os.open(pending, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        legacy.execute_sql("PRAGMA foreign_keys = 0")
        legacy.execute_sql(
            "ATTACH DATABASE ? AS rekeyed KEY ?", (str(pending), data_key.sqlcipher_key)
        )
        legacy.execute_sql("SELECT sqlcipher_export('rekeyed')")
        legacy.execute_sql(f"PRAGMA rekeyed.user_version = {int(found)}")
        legacy.execute_sql("DETACH DATABASE rekeyed")
    except BaseException:
        pending.unlink(missing_ok=True)
        raise
    finally:
        legacy.close()
    with pending.open("rb+") as copy:
        os.fsync(copy.fileno())
    key_file = new_key_file(data_key, passphrase)
    write_key_file(folder / KEY_FILENAME, key_file)
    _put_in_place(pending, path)
    register = _open(folder, data_key, key_file.register_id, lock)
    _store_register_id(register.db, key_file.register_id)
    register.rekeyed = True
    # The copy aside is the whole register keyed with the passphrase: the passphrase would go
    # on opening it after a change. Once the re-keyed register has proven whole, it goes.
    if _whole(register.db):
        backup.unlink()
        fsync_directory(folder)
    elif register.backup is None:
        register.backup = backup
    return register


def _whole(db: KlachtdeskDatabase) -> bool:
    """SQLite's own check of the whole file (every page read and its structure checked)."""
    rows = db.execute_sql("PRAGMA integrity_check").fetchall()
    return [tuple(row) for row in rows] == [("ok",)]


def _store_register_id(db: KlachtdeskDatabase, register_id: str) -> None:
    db.execute_sql(
        "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
        (REGISTER_ID_SETTING, json.dumps(register_id)),
    )


def _open(
    folder: Path,
    data_key: DataKey,
    register_id: str,
    lock: FileLock,
    target_version: int = SCHEMA_VERSION,
) -> Register:
    global _current
    db = KlachtdeskDatabase(
        str(folder / DB_FILENAME),
        passphrase=data_key.sqlcipher_key,
        pragmas=PRAGMAS,
        key_proven=True,
    )
    db.connect()
    try:
        found = _known_schema_version(db)
        register = Register(folder, db, lock, register_id=register_id)
        _current = register
        if 0 < found < target_version:
            register.backup = _backup(db, folder / DB_FILENAME, f"schema{found}")
        database.initialize(db)
        try:
            register.migrated_to = migrate(db, target_version)
        except peewee.OperationalError as exc:
            if not _ALREADY_THERE.search(str(exc)):
                raise
            if register.backup is not None:  # the copy aside of an unchanged register
                register.backup.unlink(missing_ok=True)
            raise RegisterVersionMismatch(folder / DB_FILENAME, found) from exc
        return register
    except BaseException:
        db.close()
        if database.obj is db:
            database.initialize(None)
        if _current is not None and _current.db is db:
            _current = None
        raise


def _known_schema_version(db: KlachtdeskDatabase) -> int:
    """The register's schema version; a newer or an unknown one is refused untouched."""
    found = schema_version(db)
    if found > SCHEMA_VERSION:
        raise RegisterTooNew(found)
    if found < 0 or (found == 0 and _has_tables(db)):
        raise RegisterUnknownVersion(db.path, found)
    return found


def _has_tables(db: KlachtdeskDatabase) -> bool:
    row = db.execute_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()
    return bool(row[0])


def _backup(db: KlachtdeskDatabase, path: Path, what: str) -> Path:
    """Copy the (still encrypted) register aside before migrating or re-keying it."""
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}-{what}-{stamp}.db.bak")
    try:
        shutil.copy2(path, target)
        with target.open("rb+") as copy:
            os.fsync(copy.fileno())
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise CopyAsideFailed(target, exc) from exc
    return target
