"""Many rows into one table at once, for imports.

peewee's ``insert_many`` builds one SQL node per value, which for 10,000 complaints of some 70
columns costs more than the database's own work; here one prepared INSERT is run for every
row (``executemany``), each value converted by its field exactly as peewee would.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peewee import Field

from .tables import BaseModel, database


def insert_rows(
    model: type[BaseModel], fields: Sequence[Field], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert ``rows`` (values in the order of ``fields``); call inside a transaction."""
    if not rows:
        return
    # peewee adds the columns with a default that were not given: give them here, in its order.
    # (Fields compare by name here: a peewee Field's == builds an SQL expression.)
    given = {f.name for f in fields}
    extra = [f for f in model._meta.sorted_fields if f.name not in given and f.default is not None]
    if extra:
        defaults = [f.default() if callable(f.default) else f.default for f in extra]
        fields = [*fields, *extra]
        rows = [[*row, *defaults] for row in rows]
    sql, first = model.insert_many([tuple(rows[0])], fields=list(fields)).sql()
    converters = [f.db_value for f in fields]
    params = [
        [convert(value) for convert, value in zip(converters, row, strict=True)] for row in rows
    ]
    if list(first) != params[0]:  # peewee added or ordered columns otherwise: its own way
        for start in range(0, len(rows), 200):
            model.insert_many(
                [tuple(r) for r in rows[start : start + 200]], fields=list(fields)
            ).execute()
        return
    database.cursor().executemany(sql, params)
