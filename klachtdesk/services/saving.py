"""Saving a file the coordinator made (a letter, the report) where they chose, whole or not
at all, with a Dutch reason when it cannot be saved."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from klachtdesk.models.keyfile import os_reason
from klachtdesk.procedure import UserError


def save_file(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` (replacing a file already there: the file dialog asked).

    Written beside it under a temporary name and renamed, so a full disk leaves the old file,
    never half a new one; a folder or a device of that name is never replaced. UserError in
    Dutch."""
    if (target.is_symlink() or target.exists()) and not target.is_file():
        raise UserError(
            f"Het bestand kon niet bewaard worden: {target} is een map of apparaat, geen "
            "gewoon bestand."
        )
    folder = target.parent if str(target.parent) else Path(".")
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(prefix=".klachtdesk-", suffix=target.suffix, dir=folder)
        temporary = Path(name)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise UserError(f"Het bestand kon niet bewaard worden: {os_reason(exc)}.") from exc
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
