"""An intake in progress, kept inside the encrypted register so a crash loses nothing.

A draft is not part of any dossier yet, so saving one writes no audit event; it is
overwritten while typing and removed when the intake is registered or abandoned.
"""

from __future__ import annotations

import json
from typing import Any

from klachtdesk.models import Setting, database

DRAFT_KEY = "intake_draft"


def save_draft(values: dict[str, Any]) -> None:
    with database.atomic():
        Setting.replace(key=DRAFT_KEY, value=json.dumps(values, ensure_ascii=False)).execute()


def load_draft() -> dict[str, Any] | None:
    row = Setting.get_or_none(Setting.key == DRAFT_KEY)
    return None if row is None else dict(json.loads(row.value))


def discard_draft() -> None:
    Setting.delete().where(Setting.key == DRAFT_KEY).execute()
