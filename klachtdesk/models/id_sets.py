"""A set of dossier ids as one SQL operand, whatever its size.

The figures' "click a number" hands the complaint list up to tens of thousands of ids. An
``id IN (?, ?, …)`` needs a bound parameter per id, and SQLite refuses more than its build
allows (32,766 by default, 250,000 in sqlcipher3's); a temporary table is per connection and must be kept in step with the filter (and is
lost when the register locks). One JSON array bound as one parameter and read with SQLite's
built-in ``json_each`` has neither problem; SQLite builds its lookup once per query. On a
100,000-dossier register all four ways cost about the same (~1 ms for 1,000 ids): the time
goes into reading the rows, not into the set (see ``services/complaint_list.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from peewee import SQL


def id_set(ids: Iterable[int]) -> SQL:
    """A sub-select of ``ids`` for ``column.in_(…)``: one bound parameter, any number of ids."""
    return SQL("(SELECT value FROM json_each(?))", (json.dumps(sorted(int(i) for i in ids)),))
