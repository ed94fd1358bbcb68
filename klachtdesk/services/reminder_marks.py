"""When a dossier's handler was last reminded, for the rows of the complaint list's page.

Apart from :mod:`klachtdesk.services.reminders` so that the list does not import what
composing a reminder needs (issue 14: the window opens fast).
"""

from __future__ import annotations

import json
from datetime import date

from klachtdesk.models import database


def last_reminded(ids: list[int]) -> dict[int, date]:
    """The day the handler was last reminded, for those of ``ids`` that were: one statement
    for the whole page, through the reminders' (complaint, kind) index."""
    if not ids:
        return {}
    rows = database.execute_sql(
        "SELECT complaint_id, MAX(sent_on) FROM reminder "
        "WHERE complaint_id IN (SELECT value FROM json_each(?)) GROUP BY complaint_id",
        (json.dumps(ids),),
    ).fetchall()
    return {int(complaint_id): date.fromisoformat(str(day)[:10]) for complaint_id, day in rows}
