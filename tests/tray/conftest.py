"""Tray tests run in their own process on a real X server with a tray host (see
tests/ui/test_tray_under_xvfb.py, which starts Xvfb and trayer and then this folder)."""

from __future__ import annotations

import os

import pytest

if os.environ.get("QT_QPA_PLATFORM") != "xcb" or not os.environ.get("DISPLAY"):
    pytest.skip("needs the X server started by test_tray_under_xvfb.py", allow_module_level=True)

from ..ui.conftest import (  # noqa: F401  (the same real register fixtures)
    ctx,
    data_dir,
    dutch_application,
    register,
    settings,
)
