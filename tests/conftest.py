"""Shared test helpers: an injected clock (tests never sleep and never patch datetime)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings

# tests/tray needs a real X server; test_tray_under_xvfb.py runs it in its own process.
collect_ignore = [] if os.environ.get("QT_QPA_PLATFORM") == "xcb" else ["tray"]


# Property tests: a modest number of examples locally, the counts the hardening issue asks for
# in CI (CI=true selects "ci"; a test states its own count with ``ci_examples(n)``). No
# deadline: the machines are shared and noisy; the suite's time is watched as a whole.
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


def ci_examples(count: int, local: int | None = None) -> int:
    """How many examples a property test runs: ``count`` in CI, ``local`` (default a tenth)
    on a developer's machine."""
    if os.environ.get("CI") == "true":
        return count
    return local if local is not None else max(10, count // 10)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, days: int = 0, **kwargs: float) -> None:
        self.current += timedelta(days=days, **kwargs)


@pytest.fixture(autouse=True)
def quick_key_derivation(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at the cost of a test, not of a real passphrase (128 MiB, 0.3 s per register
    made or opened). The parameters are recorded in each key file, so nothing else changes;
    tests marked ``real_kdf`` and every test running klachtdesk in a process of its own use the
    real ones."""
    if request.node.get_closest_marker("real_kdf"):
        return
    from klachtdesk.models import keyfile

    monkeypatch.setattr(keyfile, "DEFAULT_ARGON2", keyfile.Argon2Params(1, 8 * 1024, 1))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 9, 30))


from .smtp import smtp_server, smtp_server_without_smtputf8  # noqa: E402,F401  (fixtures for every test folder)
