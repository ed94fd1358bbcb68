"""GUI tests: real widgets, offscreen, on a real encrypted register in a temp folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from klachtdesk.app import make_application
from klachtdesk.models import Register, create_register
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup

from ..conftest import FakeClock

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSPHRASE = "correct paard batterij nietje"


@pytest.fixture(autouse=True, scope="session")
def dutch_application(qapp: QApplication) -> QApplication:
    """The application as klachtdesk builds it: Dutch Qt texts, Belgian locale."""
    return make_application()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "klachtdesk-data"


@pytest.fixture
def ctx(clock: FakeClock) -> ServiceContext:
    return ServiceContext(actor="Ann Coördinator", clock=clock)


@pytest.fixture
def register(data_dir: Path, ctx: ServiceContext) -> Iterator[Register]:
    reg = create_register(data_dir, PASSPHRASE)
    initial_setup(
        ctx,
        Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
        Coordinator("Ann Coördinator", phone="016 85 30 00", email="klachten@herent.example"),
        ["Milieu en afval", "Burgerzaken"],
        [("Inge Claes", "inge.claes@herent.example", "Milieu en afval")],
    )
    yield reg
    reg.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
