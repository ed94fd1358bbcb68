"""What went wrong with the register's file, told once: full, read-only, damaged or busy.

SQLite (and the operating system under it) reports a full disk, a read-only file, a damaged
page or a file another program holds as codes and English texts. :func:`storage_problem` is
the one place that turns them into a :class:`StorageError` with a Dutch message saying what
happened and what to do; the original error stays attached (``original``, and ``__cause__``
where it is raised). Every statement of a register's connection passes through
:class:`StorageCursor`, so a service never sees anything else; the window and the command
line ask :func:`storage_problem` too for the rare error that reaches them otherwise.

A :class:`StorageError` is a :class:`~klachtdesk.procedure.UserError` (the screens show it as
is) and still a ``peewee.DatabaseError`` and a ``sqlcipher3`` ``DatabaseError`` (code that
catches database errors keeps doing so).
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any, NoReturn

import peewee
from sqlcipher3 import dbapi2 as sqlcipher

from klachtdesk.procedure import UserError

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

#: Where the window offers a backup back (the File menu's action, as main_window and
#: backup_actions name them), and the same on the command line: every message that sends the
#: coordinator to a backup names them with these words.
RESTORE_MENU = "Bestand → Reservekopie terugzetten…"
RESTORE_COMMAND = "klachtdesk restore MAP-VAN-DE-RESERVEKOPIE"
#: Every way back to a backup, for a message that may be read before the register opens.
RESTORE_WAYS = (
    f"in klachtdesk {RESTORE_MENU} (of ‘Reservekopie terugzetten…’ in het venster om het "
    f"register te openen), op de opdrachtregel {RESTORE_COMMAND}"
)


def _technical(error: BaseException) -> str:
    return f" (technische melding: {error})" if str(error) else ""


class StorageError(UserError, peewee.DatabaseError, sqlcipher.DatabaseError):  # type: ignore[misc]
    """The register's file could not be read or written; ``original`` is SQLite's (or the
    system's) own error. Also a ``peewee.DatabaseError`` and a driver ``DatabaseError``, so
    that code catching either (around a fetch, say) keeps catching it."""

    def __init__(self, message: str, original: BaseException | None = None) -> None:
        UserError.__init__(self, message)
        self.original = original


class DiskFull(StorageError):
    def __init__(self, path: Path | None, error: BaseException) -> None:
        where = f" voor het register {path}" if path else ""
        super().__init__(
            f"De schijf is vol: er is geen plaats meer{where}. Een handeling wordt altijd "
            "helemaal of helemaal niet bewaard: deze werd niet bewaard, en wat al in het "
            "register stond, blijft ongewijzigd. Maak ruimte vrij op de schijf en probeer het "
            f"opnieuw{_technical(error)}.",
            error,
        )


class RegisterReadOnly(StorageError):
    def __init__(
        self, path: Path | None, error: BaseException | None = None, *, what: str = ""
    ) -> None:
        subject = what or (f"Het register {path}" if path else "Het register")
        super().__init__(
            f"{subject} is alleen-lezen: klachtdesk kan er niets in bewaren. Er werd niets "
            "gewijzigd. Vraag de informaticadienst om schrijfrechten op het registerbestand en "
            f"zijn map, of kies een map waarin u mag schrijven{_technical(error) if error else ''}.",
            error,
        )


class RegisterBusy(StorageError):
    def __init__(self, path: Path | None, error: BaseException) -> None:
        where = f" {path}" if path else ""
        super().__init__(
            f"Het register{where} is even bezet door een ander programma (een back-up- of "
            "synchronisatieprogramma, een virusscanner). De handeling werd niet bewaard; "
            f"probeer het zo meteen opnieuw{_technical(error)}.",
            error,
        )


class RegisterDamaged(StorageError):
    """The file is there and the key may well be right, but SQLite cannot read the register.

    ``key_proven``: the key file proved the key right, so the register itself is damaged.
    """

    def __init__(
        self, path: Path | None, error: BaseException, *, key_proven: bool = False
    ) -> None:
        code = _primary_code(error)
        damaged = key_proven or code in (SQLITE_CORRUPT, SQLITE_NOTADB)
        what = "is beschadigd" if damaged else "kan niet gelezen worden"
        if code == SQLITE_IOERR and not key_proven:
            what = "kan niet gelezen of beschreven worden (een fout van de schijf)"
        subject = f"Het register {path}" if path else "Het register"
        super().__init__(
            f"{subject} {what}{_technical(error)}. Het wachtwoord is daarbij niet het "
            "probleem, en klachtdesk wijzigt het bestand niet. Laat het register controleren "
            f"(klachtdesk check) en zet een reservekopie terug ({RESTORE_WAYS}), of vraag de "
            "informaticadienst om hulp.",
            error,
        )


class NotARegister(RegisterDamaged):
    """The register file cannot be a SQLCipher register (too small, or plain SQLite); it is
    refused and never replaced."""

    def __init__(self, path: Path, why: str) -> None:
        StorageError.__init__(
            self,
            f"Het bestand {path} is geen klachtdesk-register ({why}). klachtdesk opent het "
            f"niet en vervangt het niet; er werd niets gewijzigd. Zet een reservekopie terug "
            f"({RESTORE_WAYS}) of vraag de informaticadienst om hulp.",
            None,
        )


def _primary_code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def _causes(error: BaseException) -> list[BaseException]:
    """``error`` and what it wraps: peewee keeps SQLite's error as ``orig``."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop(0)
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        todo += [getattr(current, "orig", None), current.__cause__, current.__context__]
    return seen


def sqlite_error_name(error: BaseException) -> str:
    """SQLite's name for ``error`` or the first error it wraps that has one
    (``SQLITE_CORRUPT``, ``SQLITE_NOTADB``...); empty when none has."""
    for cause in _causes(error):
        name = getattr(cause, "sqlite_errorname", None)
        if name:
            return str(name)
    return ""


def storage_problem(error: BaseException, path: Path | None = None) -> StorageError | None:
    """The :class:`StorageError` that ``error`` (or an error it wraps) is, with a Dutch
    message about ``path``; None when it is no storage fault (a bug, a constraint...)."""
    for cause in _causes(error):
        if isinstance(cause, StorageError):
            return cause
        if isinstance(cause, OSError) and cause.errno in (errno.ENOSPC, errno.EDQUOT):
            return DiskFull(path, cause)
        if isinstance(cause, OSError) and cause.errno == errno.EROFS:
            return RegisterReadOnly(path, cause)
        code = _primary_code(cause)
        if code == SQLITE_FULL:
            return DiskFull(path, cause)
        if code == SQLITE_READONLY:
            return RegisterReadOnly(path, cause)
        if code in (SQLITE_BUSY, SQLITE_LOCKED):
            return RegisterBusy(path, cause)
        if code in (SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_IOERR, SQLITE_CANTOPEN):
            return RegisterDamaged(path, cause)
    return None


def _translate(error: sqlcipher.Error, path: Path | None) -> NoReturn:
    problem = storage_problem(error, path)
    if problem is None:
        raise error
    raise problem from error


class StorageCursor(sqlcipher.Cursor):  # type: ignore[misc]
    """A cursor whose storage faults arrive as :class:`StorageError` (see the module
    docstring), whether they happen when a statement starts or while its rows are read."""

    register_path: Path | None = None

    def execute(self, sql: str, parameters: Any = ()) -> Any:
        try:
            return super().execute(sql, parameters)
        except sqlcipher.Error as exc:
            _translate(exc, self.register_path)

    def executemany(self, sql: str, parameters: Any) -> Any:
        try:
            return super().executemany(sql, parameters)
        except sqlcipher.Error as exc:
            _translate(exc, self.register_path)

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlcipher.Error as exc:
            _translate(exc, self.register_path)

    def fetchmany(self, size: int | None = None) -> list[Any]:
        try:
            return super().fetchmany(self.arraysize if size is None else size)  # type: ignore[no-any-return]
        except sqlcipher.Error as exc:
            _translate(exc, self.register_path)

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()  # type: ignore[no-any-return]
        except sqlcipher.Error as exc:
            _translate(exc, self.register_path)

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlcipher.Error as exc:
            _translate(exc, self.register_path)
