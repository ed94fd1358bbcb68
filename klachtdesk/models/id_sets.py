"""A set of dossier ids as one SQL operand, whatever its size.

The figures' "click a number" hands the complaint list up to tens of thousands of ids. An
``id IN (?, ?, …)`` needs a bound parameter per id, and SQLite refuses more than its build
allows (32,766 by default, 250,000 in sqlcipher3's); a temporary table is per connection and must be kept in step with the filter (and is
lost when the register locks). One JSON array bound as one parameter and read with SQLite's
built-in ``json_each`` has neither problem, and SQLite builds its lookup index once per query
(measured in benchmarks/figures_view.py: about 4 ms for 10,000 ids on 100,000 dossiers).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from peewee import SQL


def id_set(ids: Iterable[int]) -> SQL:
    """A sub-select of ``ids`` for ``column.in_(…)``: one bound parameter, any number of ids."""
    return SQL("(SELECT value FROM json_each(?))", (json.dumps(sorted(int(i) for i in ids)),))
