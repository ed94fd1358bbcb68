"""Files that ship with klachtdesk (icons), found both in a pip install and in a bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """A file under klachtdesk/resources, wherever klachtdesk runs from.

    A PyInstaller bundle unpacks data next to the program (``sys._MEIPASS``); installed or
    from source, the files sit beside this module.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    base = (
        Path(frozen_root) / "klachtdesk" / "resources"
        if frozen_root
        else Path(__file__).resolve().parent
    )
    return base.joinpath(*parts)


ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def icon_files() -> list[Path]:
    """The application icon's PNG sizes (rendered from klachtdesk.svg by tools/make_icons.py)."""
    return [resource_path("icons", f"klachtdesk-{size}.png") for size in ICON_SIZES]
