"""Shared test helpers: an injected clock (tests never sleep and never patch datetime)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest

# tests/tray needs a real X server; test_tray_under_xvfb.py runs it in its own process.
collect_ignore = [] if os.environ.get("QT_QPA_PLATFORM") == "xcb" else ["tray"]


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, days: int = 0, **kwargs: float) -> None:
        self.current += timedelta(days=days, **kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 9, 30))


from .smtp import smtp_server  # noqa: E402,F401  (a fixture for every test folder)
