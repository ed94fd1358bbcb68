"""The system tray on a real X server with a real tray host (trayer)."""

from __future__ import annotations

import os
from datetime import date, datetime

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget
from pytestqt.qtbot import QtBot

from klachtdesk.models import Register
from klachtdesk.services import complaints as svc
from klachtdesk.services import watch
from klachtdesk.services.context import ServiceContext
from klachtdesk.ui.main_window import MainWindow

from ..conftest import FakeClock
from ..db.helpers import intake

SHOTS = os.environ.get("KLACHTDESK_TRAY_SHOTS", "")


def balloon() -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if widget.metaObject().className() == "QBalloonTip" and widget.isVisible():
            return widget
    return None


def test_tray_icon_tooltip_notification_and_click(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, clock: FakeClock
) -> None:
    assert QSystemTrayIcon.isSystemTrayAvailable()
    cid = svc.register_complaint(ctx, intake(received_on=date(2026, 2, 24)))  # ack due 6/3
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    window.watch.start()
    tray = window.watch.tray
    assert tray is not None and tray.isVisible() and not window.banner.isVisible()
    assert tray.toolTip() == "klachtdesk – Geen termijnen die aandacht vragen"
    quiet_icon = tray.icon().pixmap(32, 32).toImage()

    clock.current = datetime(2026, 3, 4, 8, 0)  # the limit is due in 2 days
    window.watch.check()
    assert tray.toolTip() == "klachtdesk – 1 termijn binnen 2 dagen"
    assert tray.icon().pixmap(32, 32).toImage() != quiet_icon  # the badge
    qtbot.waitUntil(lambda: balloon() is not None)
    tip = balloon()
    assert tip is not None
    if SHOTS:
        tip.grab().save(f"{SHOTS}/tray-notification.png")
    assert watch.announced(date(2026, 3, 4)) == {f"{cid}:acknowledgement:due_soon:2026-03-04"}
    window.watch.check()  # every few minutes: nothing new, no second notification
    assert watch.announced(date(2026, 3, 4)) == {f"{cid}:acknowledgement:due_soon:2026-03-04"}

    window.hide()
    with qtbot.waitSignal(window.watch.open_dossier):
        qtbot.mouseClick(tip, Qt.MouseButton.LeftButton)  # click the notification itself
    assert window.isVisible()
    assert window.dossier.detail is not None and window.dossier.detail.id == cid

    clock.current = datetime(2026, 3, 7, 8, 0)  # now overdue: announced again, as overdue
    window.watch.check()
    assert tray.toolTip() == "klachtdesk – 1 termijn verstreken"
    assert f"{cid}:acknowledgement:overdue:2026-03-07" in watch.announced(date(2026, 3, 7))
    window.watch.stop()


def test_tray_menu(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    window.watch.start()
    menu = window.watch.tray.contextMenu() if window.watch.tray else None
    assert menu is not None
    labels = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert labels == [
        "klachtdesk openen",
        "Nieuwe telefonische klacht…",
        "Vandaag…",
        "Vergrendelen",
        "Afsluiten",
    ]
    if SHOTS:
        menu.popup(window.mapToGlobal(window.rect().center()))
        qtbot.waitUntil(menu.isVisible)
        menu.grab().save(f"{SHOTS}/tray-menu.png")
        menu.hide()
    window.watch.stop()


def test_closing_keeps_running_and_quit_ends_it(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = MainWindow(ctx, settings)
    window.show()
    window.watch.start()
    app.setQuitOnLastWindowClosed(not window.watch.has_tray)
    window.close()  # the window's close button
    assert not window.isVisible()
    assert window.watch.timer.isActive() and window.watch.tray is not None
    assert window.watch.tray.isVisible()  # still watching from the tray
    assert settings.value("tray/hint_shown", type=bool)  # the one-time hint was given

    # Quit from the tray menu really ends the event loop.
    QTimer.singleShot(100, window.quit_action.trigger)
    QTimer.singleShot(5000, lambda: app.exit(99))  # safety: never hang the test run
    assert app.exec() == 0
    assert not window.watch.timer.isActive() and not window.watch.tray.isVisible()
    app.setQuitOnLastWindowClosed(True)
    window.deleteLater()
