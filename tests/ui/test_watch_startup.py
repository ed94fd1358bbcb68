"""The deadline watch after the window's first paint, on a worker thread (issue 14).

klachtdesk as it opens its window (``app.open_main_window``): the window is painted before
the watch reads anything, the watch reads on a worker thread, and its counts appear in the
banner when they are ready. Locking while the watch reads leaves no connection (and so no
key) open in the worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlcipher3 import dbapi2 as sqlcipher

from klachtdesk.app import open_main_window
from klachtdesk.models import Register, database
from klachtdesk.procedure import Dossier, State
from klachtdesk.services import complaints as svc
from klachtdesk.services import retention, watch
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.organisation import handlers
from klachtdesk.ui.main_window import MainWindow

from ..conftest import FakeClock
from ..db.helpers import intake
from .conftest import PASSPHRASE
from .journey import Coordinator
from .test_crawler import dossier_in

EXPECTED = "Termijnen: 1 termijn verstreken, 1 binnen 2 dagen."


class PaintCounter(QObject):
    """Notes which main windows were painted (installed before the window exists)."""

    def __init__(self) -> None:
        super().__init__()
        self.painted: list[QObject] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, MainWindow):
            self.painted.append(watched)
        return False


def two_limits_need_attention(ctx: ServiceContext) -> None:
    """One acknowledgement overdue, one due tomorrow (the clock stands on 2 March 2026)."""
    svc.register_complaint(ctx, intake(received_on=date(2026, 2, 18)))
    svc.register_complaint(ctx, intake(received_on=date(2026, 2, 21)))


def watch_reads(
    monkeypatch: pytest.MonkeyPatch, then: Callable[[], None] = lambda: None
) -> list[dict[str, Any]]:
    """Record each time the watch reads the register's dossiers (and ``then`` run there)."""
    reads: list[dict[str, Any]] = []
    real = watch.watched_dossiers

    def recorded(today: date, days_ahead: int = 7) -> list[tuple[int, str, Dossier]]:
        found = real(today, days_ahead)
        reads.append(
            {
                "worker": threading.current_thread() is not threading.main_thread(),
                "connection": database.obj.connection(),
            }
        )
        then()
        return found

    monkeypatch.setattr(watch, "watched_dossiers", recorded)
    return reads


def start(person: Coordinator, register: Register, ctx: ServiceContext) -> MainWindow:
    """klachtdesk's window as it opens on the register; the offer to make a recovery key
    (this register has none) is answered 'Later'."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    person.register = register
    person.window = window = open_main_window(app, register, register.folder, ctx)
    person.qtbot.addWidget(window)
    person.qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    offer = QApplication.activeModalWidget()
    assert isinstance(offer, QMessageBox)
    person.click("Later", offer)
    person.activate(window)
    return window


def test_the_window_is_painted_before_the_watch_reads_and_its_counts_follow(
    qtbot: QtBot, register: Register, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_limits_need_attention(ctx)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    counter = PaintCounter()
    app.installEventFilter(counter)
    painted_at_read: list[list[QObject]] = []
    reads = watch_reads(monkeypatch, then=lambda: painted_at_read.append(list(counter.painted)))
    person = Coordinator(qtbot, register.folder)
    try:
        window = start(person, register, ctx)
        qtbot.waitUntil(lambda: window.banner.isVisible() and window.banner.text() == EXPECTED)
        assert person.sees("1 termijn verstreken, 1 binnen 2 dagen", window)
    finally:
        app.removeEventFilter(counter)
        person.register = None  # the register fixture closes it
        person.stop()
    assert len(reads) == 1 and reads[0]["worker"]  # read once, off the GUI thread
    assert window in painted_at_read[0]  # the window was on screen before the watch read
    with pytest.raises(sqlcipher.ProgrammingError):  # the worker's connection closed after
        reads[0]["connection"].execute("SELECT 1")


def test_locking_while_the_watch_reads_leaves_no_connection_in_the_worker(
    qtbot: QtBot, register: Register, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_limits_need_attention(ctx)
    reading = threading.Event()
    locked = threading.Event()

    def hold_until_locked() -> None:
        reading.set()
        assert locked.wait(30)

    reads = watch_reads(monkeypatch, then=hold_until_locked)
    person = Coordinator(qtbot, register.folder)
    try:
        window = start(person, register, ctx)
        qtbot.waitUntil(reading.is_set)  # the worker has read, through its own connection
        person.menu("Beeld", "Vergrendelen", window=window)
        lock = window.idle_lock
        assert lock is not None and lock.dialog is not None and register.locked
        assert register.db.connect_params["passphrase"] == ""  # the key is forgotten
        locked.set()
        qtbot.waitUntil(lambda: window.banner.text() == EXPECTED)  # the result still arrives
        worker_connection = reads[0]["connection"]
        with pytest.raises(sqlcipher.ProgrammingError):  # closed: the key went with it
            worker_connection.execute("SELECT 1")
        # Nothing was written while locked; unlocking shows the window with the counts.
        person.type_into("Wachtwoord", PASSPHRASE, lock.dialog)
        with qtbot.waitSignal(lock.unlocked):
            person.click("Openen", lock.dialog)
        qtbot.waitUntil(window.isVisible)
        assert window.banner.isVisible() and window.banner.text() == EXPECTED
        assert watch.announced(ctx.today()) == set()
    finally:
        locked.set()
        person.register = None  # the register fixture closes it
        person.stop()
    assert len(reads) == 1 and reads[0]["worker"]


def test_the_yearly_retention_reminder_follows_the_counts(
    qtbot: QtBot, register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    """Asked after the alerts are on screen (it may count every closed dossier); shown in
    the status bar once, and noted so that the next check does not repeat it."""
    dossier_in(ctx, State.CLOSED, handlers()[0].id, 1)
    clock.advance(days=6 * 365)  # past the five-year term
    person = Coordinator(qtbot, register.folder)
    try:
        window = start(person, register, ctx)
        # It stays in the status bar (the day's backup, made at the same moment, says its
        # own passing message there too, and wiped a passing reminder within a second).
        qtbot.waitUntil(
            lambda: window.retention_note.text().startswith(
                "1 afgesloten dossier is de bewaartermijn voorbij"
            )
        )
        qtbot.waitUntil(
            lambda: window.statusBar().currentMessage().startswith("Reservekopie gemaakt"),
            timeout=30_000,
        )
        assert window.retention_note.text().startswith("1 afgesloten dossier")
        # Until the coordinator opens the list it speaks of.
        person.menu("Register", "Bewaartermijn verstreken…", window=window)
        dialog = person.wait_for_window("Bewaartermijn")
        assert window.retention_note.isHidden()
        person.click("Sluiten", dialog)
        assert window.banner.text() == "Termijnen: Geen termijnen die aandacht vragen."
        assert retention.retention_reminder(ctx.today()) is None  # reminded: not again
    finally:
        person.register = None  # the register fixture closes it
        person.stop()
