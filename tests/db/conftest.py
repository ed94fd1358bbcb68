"""A real encrypted register in a temp folder for every test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from klachtdesk.models import Register, create_register
from klachtdesk.services.context import ServiceContext

from ..conftest import FakeClock

PASSPHRASE = "correct paard batterij nietje"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "klachtdesk-data"


@pytest.fixture
def register(data_dir: Path) -> Iterator[Register]:
    reg = create_register(data_dir, PASSPHRASE)
    yield reg
    reg.close()


@pytest.fixture
def ctx(clock: FakeClock) -> ServiceContext:
    return ServiceContext(actor="coördinator", clock=clock)
