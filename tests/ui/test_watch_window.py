"""The deadline watch in the window: 'Vandaag', and the banner where there is no tray."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from klachtdesk.models import Register
from klachtdesk.services import complaints as svc
from klachtdesk.services import watch
from klachtdesk.services.context import ServiceContext
from klachtdesk.ui.idle_lock import IdleLock
from klachtdesk.ui.main_window import MainWindow
from klachtdesk.ui.today_dialog import TodayDialog

from ..conftest import FakeClock
from ..db.helpers import intake


def test_without_a_tray_a_banner_shows_the_counts_and_closing_quits(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, clock: FakeClock
) -> None:
    assert not QSystemTrayIcon.isSystemTrayAvailable()  # offscreen has no tray
    svc.register_complaint(ctx, intake(received_on=date(2026, 2, 18)))  # acknowledgement due 28/2
    svc.register_complaint(ctx, intake(received_on=date(2026, 2, 21)))  # due 3/3: tomorrow
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    assert not window.banner.isVisible()  # no empty banner before the first check
    window.watch.start(after_paint_of=window)
    # The watch reads on a worker thread: its counts appear when they are ready.
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert not window.watch.has_tray
    assert window.banner.text() == "Termijnen: 1 termijn verstreken, 1 binnen 2 dagen."
    window.watch.stop()
    window.close()
    assert not window.isVisible() and not window.quitting  # closed, nothing runs on hidden


def test_today_lists_what_is_due_most_urgent_first(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    late = svc.register_complaint(ctx, intake(name="Jan Laat", received_on=date(2026, 2, 10)))
    soon = svc.register_complaint(ctx, intake(name="Els Binnenkort", received_on=date(2026, 2, 21)))
    svc.register_complaint(ctx, intake(name="Piet Op Tijd", received_on=date(2026, 3, 1)))
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    window.today_action.trigger()
    dialog = window.current_dialog
    assert isinstance(dialog, TodayDialog)
    assert [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())] == [
        "2026-0001",
        "2026-0002",
    ]
    assert dialog.table.item(0, 3).text() == "10 dagen te laat"
    assert dialog.table.item(0, 4).text() == "Ontvankelijkheid beoordelen"
    dialog.table.cellDoubleClicked.emit(1, 0)
    assert window.dossier.detail is not None and window.dossier.detail.id == soon
    assert dialog.alerts[0].complaint_id == late


def test_while_locked_the_watch_counts_without_the_register(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, clock: FakeClock
) -> None:
    svc.register_complaint(ctx, intake(received_on=date(2026, 2, 25)))  # due 7/3
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    window.idle_lock = lock = IdleLock(register, 60)
    window.watch.start()
    qtbot.waitUntil(
        lambda: window.banner.text() == "Termijnen: Geen termijnen die aandacht vragen."
    )
    lock.lock()
    assert register.locked
    clock.current = datetime(2026, 3, 6, 9, 0)  # a new day while locked
    window.watch.check()
    assert window.banner.text() == "Termijnen: 1 termijn binnen 2 dagen."
    assert register.locked  # the check did not open or need the register
    lock.timer.stop()
    window.watch.stop()
    assert lock.dialog is not None
    lock.dialog.passphrase.setText("correct paard batterij nietje")
    lock.dialog.accept()
    assert watch.announced(date(2026, 3, 6)) == set()  # nothing announced: no tray offscreen
