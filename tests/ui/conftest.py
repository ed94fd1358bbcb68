"""GUI tests: real widgets, offscreen, on a real encrypted register in a temp folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from klachtdesk.app import make_application
from klachtdesk.models import Register, create_register
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup
from klachtdesk.ui.main_window import MainWindow

from ..conftest import FakeClock
from . import journey

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


@pytest.fixture
def window(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> Iterator[MainWindow]:
    """The main window on the test register, shown and active."""
    win = MainWindow(ctx, settings)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    assert QTest.qWaitForWindowActive(win)
    yield win
    if win.current_dialog is not None:
        win.current_dialog.done(0)  # clean-up of a dialog a test left open, not a user action


@pytest.fixture
def person(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, tmp_path: Path
) -> journey.Coordinator:
    """The coordinator at the main window on the test register (a module may define its own)."""
    coordinator = journey.Coordinator(qtbot, tmp_path)
    main = MainWindow(ctx, settings)
    qtbot.addWidget(main)
    main.show()
    coordinator.activate(main)
    coordinator.window = main
    return coordinator
