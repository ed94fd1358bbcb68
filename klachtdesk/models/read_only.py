"""Reading a register file so that nothing in its folder changes: for ``klachtdesk check``.

The ordinary opening (``database.py``) writes: it sets the journal mode, migrates, and SQLite
checkpoints a leftover write-ahead log (``-wal``) into the file when the last connection
closes, and leaves a ``-shm`` file behind. A check must not: the file it examines may be
damaged, or an old register restored by hand next to a WAL that belongs to a newer one, which
a checkpoint would write into it for good. So the check reads the file

- without a WAL (none, or an empty one): ``immutable=1``, SQLite opens nothing else and takes
  no lock (the folder's lock file keeps klachtdesk itself away meanwhile);
- with a WAL: read-only, through the ``unix-none`` VFS in exclusive locking mode, which keeps
  SQLite's index of the WAL in memory instead of a ``-shm`` file; the file is opened read-only,
  so the checkpoint SQLite tries when the connection closes cannot write.

Every damage probe (see :func:`locate_damage`) gets a connection of its own: after SQLCipher
met a page it cannot decrypt, later reads on that connection may fail as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from filelock import FileLock
from playhouse.sqlcipher_ext import SqlCipherDatabase
from sqlcipher3 import dbapi2 as sqlcipher

from klachtdesk.procedure import UserError
from klachtdesk.procedure.intake import name_sort_key

from .database import (
    DB_FILENAME,
    KEY_FILENAME,
    LEGACY_WRONG_PASSPHRASE,
    REKEY_SUFFIX,
    KlachtdeskDatabase,
    _header,
    _take_lock,
)
from .keyfile import (
    ForeignKeyFile,
    KeyFileMissing,
    WrongPassphrase,
    is_key_file_register,
    read_key_file,
    salt_matches,
)
from .migrations import SORT_KEY_FUNCTION

#: SQLCipher 4's page size (the register never changes it).
PAGE_SIZE = 4096
SALT_SIZE = 16

# Reading only; a connection never writes through these.
READ_PRAGMAS = {"query_only": 1, "temp_store": "memory", "cache_size": -32_000}


@dataclass(frozen=True)
class RegisterFile:
    """Where and how to read a register file: its path, its SQLCipher key and the mode.

    ``read_wal``: read the WAL beside the file too (the normal case; off to look at the file
    alone). ``shared``: the register is open in this process (the window's check): a plain
    read-only connection that shares the register's ``-shm``.
    """

    path: Path
    sqlcipher_key: str
    read_wal: bool = True
    shared: bool = False

    @property
    def wal(self) -> Path:
        return self.path.with_name(self.path.name + "-wal")

    def has_wal(self) -> bool:
        """A WAL with something in it beside the file."""
        try:
            return self.wal.stat().st_size > 0
        except OSError:
            return False

    def without_wal(self) -> RegisterFile:
        return replace(self, read_wal=False, shared=False)

    @property
    def _nolock(self) -> bool:
        return not self.shared and self.read_wal and self.has_wal()

    def uri(self) -> str:
        path = quote(str(self.path))
        if self.shared:
            return f"file:{path}?mode=ro"
        if self._nolock:
            return f"file:{path}?mode=ro&vfs=unix-none"
        return f"file:{path}?mode=ro&immutable=1"

    def connect(self) -> Any:
        """A bare, keyed connection that reads and never writes."""
        conn = sqlcipher.connect(self.uri(), uri=True, isolation_level=None)
        try:
            conn.execute("PRAGMA key='{}'".format(self.sqlcipher_key.replace("'", "''")))
            if self._nolock:
                conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("PRAGMA query_only = 1")
            conn.create_function(SORT_KEY_FUNCTION, 1, name_sort_key, deterministic=True)
        except BaseException:
            conn.close()
            raise
        return conn

    def database(self) -> ReadOnlyDatabase:
        """A Peewee database on this file, for the models (``database.initialize``)."""
        return ReadOnlyDatabase(self)


class ReadOnlyDatabase(KlachtdeskDatabase):
    """The models' database on a :class:`RegisterFile`: nothing is proven at connecting (the
    check reports what cannot be read) and nothing is written."""

    def __init__(self, source: RegisterFile) -> None:
        super().__init__(
            source.uri(),
            passphrase=source.sqlcipher_key,
            pragmas=READ_PRAGMAS,
            uri=True,
            key_proven=True,
        )
        self.source = source

    def _add_conn_hooks(self, conn: Any) -> None:
        if self.source._nolock:
            # Before the first read: the WAL's index then lives in memory, not in a -shm file.
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        # Skips KlachtdeskDatabase's probe of the first page: reading is the check's business.
        SqlCipherDatabase._add_conn_hooks(self, conn)


def source_of(db: Any) -> RegisterFile | None:
    """The file behind a models' database: a read-only one's own, or the open register's (read
    read-only beside the register's connection); None for another kind of database."""
    if isinstance(db, ReadOnlyDatabase):
        return db.source
    if isinstance(db, KlachtdeskDatabase):
        key = str(db.connect_params.get("passphrase", ""))
        return RegisterFile(Path(db.database), key, shared=True) if key else None
    return None


@dataclass(frozen=True)
class Damage:
    """Where reading a register file fails."""

    #: The tables (each with its indexes) SQLite cannot read whole.
    tables: list[str]
    #: SQLite's error name when not even the list of tables (on page 1) can be read.
    schema_error: str | None = None


def locate_damage(source: RegisterFile) -> Damage:
    """Probe each table on a connection of its own (see the module docstring)."""
    try:
        conn = source.connect()
        try:
            names = [
                str(row[0])
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY rootpage"
                )
            ]
        finally:
            conn.close()
    except sqlcipher.Error as exc:
        return Damage([], str(getattr(exc, "sqlite_errorname", "") or type(exc).__name__))
    damaged = []
    for name in names:
        try:
            conn = source.connect()
            try:
                rows = conn.execute(
                    'PRAGMA integrity_check("{}")'.format(name.replace('"', '""'))
                ).fetchall()
            finally:
                conn.close()
        except sqlcipher.Error:
            rows = []
        if [tuple(row) for row in rows] != [("ok",)]:
            damaged.append(name)
    return Damage(damaged)


def schema_objects(db: Any) -> tuple[dict[int, str], dict[str, str]]:
    """Each table's and index's first page, and each one's name, with the name of its table."""
    rows = db.execute_sql("SELECT name, tbl_name, rootpage FROM sqlite_master").fetchall()
    roots = {int(page): str(table) for _name, table, page in rows if page}
    return roots, {str(name): str(table) for name, table, _page in rows}


@dataclass(frozen=True)
class OpenedForCheck:
    """A register file opened for the check (see :func:`open_for_check`)."""

    source: RegisterFile
    #: The file's first 16 bytes (its salt) are exactly those the key file names.
    salt_matches: bool
    size: int
    schema_version: int | None
    #: Keyed with the passphrase itself (a register of before the key file).
    legacy: bool


@contextmanager
def open_for_check(folder: Path, passphrase: str) -> Iterator[OpenedForCheck]:
    """Take the folder's lock and the key for ``folder``'s register, without writing anything.

    A wrong passphrase, a missing or foreign key file raise their UserError; what is wrong with
    the register file itself is for the check to report. ``schema_version`` is None when the
    file cannot even say it.
    """
    path = folder / DB_FILENAME
    key_path = folder / KEY_FILENAME
    lock: FileLock = _take_lock(folder)
    try:
        header = _header(path)
        size = path.stat().st_size
        legacy = False
        if key_path.exists():
            key_file = read_key_file(key_path)
            data_key = key_file.unwrap_with_passphrase(passphrase)
            key = data_key.sqlcipher_key
            # Exactly: opening tolerates a few damaged bytes in the salt, a check reports them.
            matches = header[:SALT_SIZE] == key_file.database_salt[:SALT_SIZE]
            pending = path.with_name(path.name + REKEY_SUFFIX)
            if not salt_matches(header, key_file.database_salt) and salt_matches(
                _header(pending), key_file.database_salt
            ):
                raise UserError(
                    "Een vorige omzetting van het register naar een sleutelbestand werd "
                    "onderbroken. Open het register met klachtdesk om ze af te werken, en "
                    "controleer het daarna. Er werd niets gewijzigd."
                )
            foreign = not salt_matches(header, key_file.database_salt)
            if foreign and is_key_file_register(header):
                raise ForeignKeyFile(key_path)
        elif is_key_file_register(header):
            raise KeyFileMissing(key_path)
        else:
            key, matches, legacy = passphrase, True, True
        source = RegisterFile(path, key)
        version = _schema_version(source)
        if legacy and version is None:
            # Keyed with the passphrase: a wrong one and a damaged first page look alike.
            raise WrongPassphrase(LEGACY_WRONG_PASSPHRASE)
        yield OpenedForCheck(source, matches, size, version, legacy)
    finally:
        lock.release()


def _schema_version(source: RegisterFile) -> int | None:
    try:
        conn = source.connect()
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlcipher.Error:
        return None
