"""The system tray on a real X server with a real tray host (trayer)."""

from __future__ import annotations

import os
from datetime import date, datetime

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QSystemTrayIcon, QWidget
from pytestqt.qtbot import QtBot

from klachtdesk.models import Complaint, Register
from klachtdesk.services import complaints as svc
from klachtdesk.services import watch
from klachtdesk.services.context import ServiceContext
from klachtdesk.ui.intake_wizard import IntakeWizard
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
    window.watch.start(after_paint_of=window)
    tray = window.watch.tray
    assert tray is not None and tray.isVisible() and not window.banner.isVisible()
    # Read on a worker thread after the window's first paint: the tooltip follows.
    qtbot.waitUntil(lambda: tray.toolTip() == "klachtdesk – Geen termijnen die aandacht vragen")
    assert not window.banner.isVisible()
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
    labels = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
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


def tray_icon_widget() -> QWidget:
    """The icon as it sits in the tray host (Qt's XEmbed tray widget)."""
    for widget in QApplication.topLevelWidgets():
        if widget.metaObject().className() == "QSystemTrayIconSys" and widget.isVisible():
            return widget
    raise AssertionError("no tray icon on screen")


def test_clicking_the_tray_icon_opens_the_window(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    window.watch.start()
    qtbot.waitUntil(lambda: tray_icon_widget() is not None)
    for click in (QTest.mouseClick, QTest.mouseDClick):
        window.hide()
        assert not window.isVisible()
        click(tray_icon_widget(), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(window.isVisible)
        assert not window.isMinimized()
    window.hide()
    QTest.mouseClick(tray_icon_widget(), Qt.MouseButton.MiddleButton)  # not an "open"
    assert not window.isVisible()
    window.watch.stop()


def test_a_phone_intake_from_the_tray_menu_says_its_reference(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    window.watch.start()
    window.hide()  # closed to the tray
    icon = tray_icon_widget()
    QTest.mouseClick(icon, Qt.MouseButton.RightButton)
    menu = window.watch.tray.contextMenu() if window.watch.tray else None
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    item = next(a for a in menu.actions() if a.text() == "Nieuwe telefonische klacht…")
    QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(item).center())
    qtbot.waitUntil(lambda: isinstance(window.current_dialog, IntakeWizard))
    wizard = window.current_dialog
    assert isinstance(wizard, IntakeWizard)
    qtbot.waitUntil(wizard.isVisible)
    assert not window.isVisible()  # the call is taken without the window
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is wizard.person.name)
    for text in ("Marie Peeters", "Kerkstraat 12", "3000", "Leuven", "0478 12 34 56"):
        QTest.keyClicks(QApplication.focusWidget(), text)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is wizard.complaint.description)
    QTest.keyClicks(QApplication.focusWidget(), "De container werd niet geledigd.")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.summary
    with qtbot.waitSignal(wizard.registered):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Voltooien
    cid = Complaint.get().id
    qtbot.waitUntil(lambda: balloon() is not None)
    tip = balloon()
    assert tip is not None
    shown = " ".join(label.text() for label in tip.findChildren(QLabel))
    assert "Klacht 2026-0001 geregistreerd" in shown
    if SHOTS:
        tip.grab().save(f"{SHOTS}/tray-registered.png")
    assert not window.isVisible()
    with qtbot.waitSignal(window.watch.open_dossier):
        qtbot.mouseClick(tip, Qt.MouseButton.LeftButton)
    assert window.isVisible()
    assert window.dossier.detail is not None and window.dossier.detail.id == cid
    window.watch.stop()
