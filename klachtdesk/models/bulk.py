"""Fast bulk inserts for generated data, past peewee's per-value query building."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from peewee import Model

from .tables import database


def bulk_insert(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows of values (in ``columns`` order) with one prepared statement.

    Values must already be what SQLite stores: None, int, float, str (procedure enums are
    str), bytes, date or datetime (stored as ISO text, as peewee does). Call inside a
    transaction.
    """
    fields = [model._meta.fields[name] for name in columns]
    names = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = ", ".join("?" for _ in fields)
    sql = f'INSERT INTO "{model._meta.table_name}" ({names}) VALUES ({marks})'
    database.cursor().executemany(sql, rows)


@contextmanager
def search_index_deferred(first_id: int) -> Iterator[None]:
    """Index complaints with id >= ``first_id`` in one pass instead of row by row.

    Per-row FTS5 inserts from the trigger make a 100,000-row bulk insert 2.4x slower
    (12.1 s against 5.0 s, measured). Inside the caller's transaction the insert trigger is
    set aside, the new rows are indexed in one statement, and the trigger is put back exactly
    as the schema defines it, so a failure rolls all of it back together.
    """
    trigger_sql = database.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_FTS_TRIGGER,)
    ).fetchone()[0]
    columns = ", ".join(row[1] for row in database.execute_sql("PRAGMA table_info(complaint_fts)"))
    database.execute_sql(f"DROP TRIGGER {_FTS_TRIGGER}")
    yield
    database.execute_sql(
        f"INSERT INTO complaint_fts(rowid, {columns}) SELECT id, {columns} FROM complaint "
        "WHERE id >= ?",
        (first_id,),
    )
    database.execute_sql(trigger_sql)


_FTS_TRIGGER = "complaint_fts_insert"


@contextmanager
def written_once() -> Iterator[None]:
    """Write a bulk fill's pages once, into the register file, instead of twice through the WAL.

    In WAL mode every page of a large transaction is written to the WAL and then copied into
    the file by the checkpoint; with a rollback journal, pages the file did not have yet are
    written once and only the few pages it had are journaled. The transaction stays atomic and
    durable (synchronous=full). The register goes back to WAL afterwards, as its pragmas
    want it. Inside a caller's transaction, or while another connection has the file open, the
    journal mode cannot change: the fill then goes through the WAL as usual.
    """
    if database.in_transaction():
        yield
        return
    try:
        mode = database.execute_sql("PRAGMA journal_mode = DELETE").fetchone()[0]
    except Exception:  # another connection has the file open: WAL it stays, written twice
        mode = "wal"
    try:
        yield
    finally:
        if str(mode).lower() != "wal":
            database.execute_sql("PRAGMA journal_mode = WAL")
