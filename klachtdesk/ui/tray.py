"""Deadline watch from the system tray: icon with a badge, tooltip, menu and notifications.

The check runs at start, every few minutes, after the computer wakes (the timer fires late)
and when the date changes. Each limit that became due soon or overdue is announced once per
day and status; clicking the notification opens that dossier. While klachtdesk is locked the
register is closed: the watch then works from the dossiers it read last (no names in them)
and says only how many limits need attention.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, QRectF, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPen
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from klachtdesk.procedure import Dossier, LimitStatus, TimeLimits, UserError
from klachtdesk.procedure.watch import Alert, alerts, describe, summary, to_announce
from klachtdesk.resources import icon_files
from klachtdesk.services import retention, watch
from klachtdesk.services.dossier_detail import complaint_detail
from klachtdesk.services.settings import time_limits

CHECK_MINUTES = 5
MAX_SINGLE_NOTIFICATIONS = 3
BADGE = {LimitStatus.OVERDUE: QColor("#c62828"), LimitStatus.DUE_SOON: QColor("#ef8f00")}


def app_icon() -> QIcon:
    """klachtdesk's icon, in every size it ships in."""
    icon = QIcon()
    for path in icon_files():
        icon.addFile(str(path))
    return icon


def tray_icon(status: LimitStatus | None) -> QIcon:
    """The application icon, with a red (overdue) or orange (due soon) badge."""
    pixmap = app_icon().pixmap(64, 64)
    if status in BADGE:
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(BADGE[status])
        painter.setPen(QPen(QColor("white"), 3))
        painter.drawEllipse(QRectF(36, 2, 26, 26))
        painter.end()
    return QIcon(pixmap)


class DeadlineWatch(QObject):
    """Keeps the tray (or, without a tray, the window's banner) up to date."""

    changed = Signal(str)  # the summary, for the banner
    open_dossier = Signal(int)
    show_window = Signal()  # the tray icon was clicked or double-clicked
    retention_reminded = Signal(str)  # the yearly retention reminder (issue 11)

    def __init__(
        self,
        today: Callable[[], date],
        is_locked: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.today = today
        self.is_locked = is_locked
        self.dossiers: list[tuple[int, str, Dossier]] = []
        self.current: list[Alert] = []
        self.last_day: date | None = None
        self.clicked_dossier: int | None = None
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(tray_icon(None), self)
            self.tray.messageClicked.connect(self._message_clicked)
            self.tray.activated.connect(self._activated)
        self._limits = TimeLimits()
        self._memory: set[str] = set()
        # After sleep the timer fires as soon as the computer wakes; each check also
        # notices a new day, since alerts are computed for today.
        self.timer = QTimer(self, interval=CHECK_MINUTES * 60_000)
        self.timer.timeout.connect(self.check)

    @property
    def has_tray(self) -> bool:
        return self.tray is not None

    def set_menu(self, actions: list[QAction | None]) -> None:
        if self.tray is None:
            return
        menu = QMenu()
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        self._menu = menu
        self.tray.setContextMenu(menu)

    def start(self) -> None:
        if self.tray is not None:
            self.tray.show()
        self.check()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.tray is not None:
            self.tray.hide()

    def check(self) -> list[Alert]:
        """Recompute the alerts, update icon and tooltip, announce what is new today."""
        today = self.today()
        locked = self.is_locked()
        if not locked:
            try:
                self.dossiers = watch.watched_dossiers(today)
                self._limits = time_limits()
            except UserError:
                locked = True  # the register was closed under us: work from what we had
        limits = self._limits
        self.current = alerts(self.dossiers, today, limits)
        self.last_day = today
        text = summary(self.current, limits)
        worst = self.current[0].status if self.current else None
        if self.tray is not None:
            self.tray.setIcon(tray_icon(worst))
            self.tray.setToolTip(f"klachtdesk – {text}")
        self.changed.emit(text)
        self._announce(today, locked, text)
        if not locked:
            self._remind_retention(today)
        return self.current

    def _remind_retention(self, today: date) -> None:
        """Once a year: closed dossiers past their retention term wait to be anonymised."""
        try:
            text = retention.retention_reminder(today)
            if text is None:
                return
            retention.mark_retention_reminded(today)
        except UserError:
            return  # the register closed in the meantime: next time
        self.retention_reminded.emit(text)
        if self.tray is not None:
            self.clicked_dossier = None
            self.tray.showMessage(
                "klachtdesk – bewaartermijn", text, QSystemTrayIcon.MessageIcon.Information, 15_000
            )

    def _announce(self, today: date, locked: bool, text: str) -> None:
        shown = self._announced(today, locked)
        new = to_announce(self.current, shown)
        if not new:
            return
        if self.tray is not None:
            icon = QSystemTrayIcon.MessageIcon.Warning
            if locked or len(new) > MAX_SINGLE_NOTIFICATIONS:
                self.clicked_dossier = None
                self.tray.showMessage("klachtdesk – termijnen", text, icon, 15_000)
            else:
                for alert in new:
                    self.clicked_dossier = alert.complaint_id
                    self.tray.showMessage("klachtdesk – termijn", describe(alert), icon, 15_000)
        self._remember(new, today, locked)

    def _announced(self, today: date, locked: bool) -> set[str]:
        if locked:
            return self._memory
        try:
            return watch.announced(today) | self._memory
        except UserError:
            return self._memory

    def _remember(self, new: list[Alert], today: date, locked: bool) -> None:
        keys = [a.key for a in new]
        self._memory |= set(keys)
        if not locked:
            with contextlib.suppress(UserError):  # kept in memory if the register closed
                watch.mark_announced(keys, today)

    def announce_registered(self, complaint_id: int) -> None:
        """A complaint registered while the window is hidden (an intake started from the
        tray menu): say its reference; clicking the notification opens the dossier."""
        if self.tray is None:
            return
        try:
            reference = complaint_detail(complaint_id, self.today()).reference
        except UserError:
            return  # the register closed in the meantime: nothing to show
        self.clicked_dossier = complaint_id
        self.tray.showMessage(
            "klachtdesk",
            f"Klacht {reference} geregistreerd. Klik hier om het dossier te openen.",
            QSystemTrayIcon.MessageIcon.Information,
            10_000,
        )

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.show_window.emit()

    def _message_clicked(self) -> None:
        if self.clicked_dossier is not None and not self.is_locked():
            self.open_dossier.emit(self.clicked_dossier)
