"""Deadline watch from the system tray: icon with a badge, tooltip, menu and notifications.

The check runs after the window's first paint, every few minutes, after the computer wakes
(the timer fires late) and when the date changes. It reads the register on a worker thread,
through a connection of its own (services.worker_connection), so a large register neither
delays the first paint nor freezes the window; the result reaches the tray (or the window's
banner) when it is ready. Each limit that became due soon or overdue is announced once per
day and status; clicking the notification opens that dossier. While klachtdesk is locked the
register is closed: the watch then works from the dossiers it read last (no names in them)
and says only how many limits need attention.
"""

from __future__ import annotations

import contextlib
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject, QRectF, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPen
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from klachtdesk.procedure import Dossier, LimitStatus, TimeLimits, UserError
from klachtdesk.procedure.watch import Alert, alerts, describe, summary, to_announce
from klachtdesk.resources import icon_files
from klachtdesk.services import retention, watch
from klachtdesk.services.dossier_detail import complaint_detail
from klachtdesk.services.settings import time_limits
from klachtdesk.services.worker_connection import with_own_connection

from .first_paint import after_first_paint

CHECK_MINUTES = 5
MAX_SINGLE_NOTIFICATIONS = 3
BADGE = {LimitStatus.OVERDUE: QColor("#c62828"), LimitStatus.DUE_SOON: QColor("#ef8f00")}
#: How long quitting waits for a check still reading the register (it takes a fraction of a
#: second at 100,000 dossiers), so that no worker reads while the register closes.
STOP_WAIT_SECONDS = 10.0

Watched = list[tuple[int, str, Dossier]]


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


@dataclass(frozen=True)
class WatchReading:
    """What one check found: the alerts of ``day``, and what it read to find them."""

    day: date
    #: True when the register could not be read (locked, or closed under the check): the
    #: alerts then come from the dossiers read last.
    locked: bool
    dossiers: Watched
    limits: TimeLimits
    alerts: list[Alert]
    #: The alert keys announced today already, as the register keeps them (None: not read).
    announced: set[str] | None
    #: The yearly retention reminder when it is due (its being shown is noted on the
    #: register's own thread, with the announcements).
    retention_reminder: str | None


def read_watch(
    day: date, locked: bool, dossiers: Watched, limits: TimeLimits, *, remind: bool = True
) -> WatchReading:
    """One check's reading; ``dossiers`` and ``limits`` (read last) serve when locked.
    ``remind``: also ask whether the yearly retention reminder is due.

    Reads the register through the current thread's connection; pure work otherwise, so it
    may run on a worker thread (see :class:`WatchJob`).
    """
    announced: set[str] | None = None
    reminder: str | None = None
    if not locked:
        try:
            dossiers = watch.watched_dossiers(day)
            limits = time_limits()
        except UserError:
            locked = True  # the register was closed under us: work from what we had
    if not locked:
        try:
            announced = watch.announced(day)
            reminder = retention.retention_reminder(day) if remind else None
        except UserError:
            pass  # closed in the meantime: announced from memory, reminded next time
    return WatchReading(
        day, locked, dossiers, limits, alerts(dossiers, day, limits), announced, reminder
    )


class _JobSignals(QObject):
    done = Signal(object)  # WatchReading
    reminded = Signal(str, int)  # the retention reminder that is due, the job's generation


# Jobs stay referenced here until the GUI thread has heard they ended (as the figures' and
# the backups' jobs do): a QRunnable must not be freed while a worker still runs it.
_RUNNING: set[WatchJob] = set()


class WatchJob(QRunnable):
    """One check, read in Qt's thread pool through a connection of the worker's own, which
    is closed again when the reading is done (also when klachtdesk was locked meanwhile:
    then neither the connection nor the key stays in the worker).

    The alerts are handed over first; whether the retention reminder is due (which may count
    every closed dossier) is asked after, so it never holds up the tray or the banner.
    """

    def __init__(
        self, day: date, locked: bool, dossiers: Watched, limits: TimeLimits, generation: int
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.day = day
        self.locked = locked
        self.dossiers = dossiers
        self.limits = limits
        self.generation = generation
        self.signals = _JobSignals()
        self.ended = threading.Event()
        self._handed_over = False

    def run(self) -> None:
        try:
            if not self.locked:
                with_own_connection(self._read_register)
        except UserError:
            pass  # locked before the reading could start: from what was read last
        except Exception:  # never let a worker die silently; the details go to stderr
            traceback.print_exc()
        finally:
            if not self._handed_over:
                self._hand_over(read_watch(self.day, True, self.dossiers, self.limits))
            self.ended.set()

    def _read_register(self) -> None:
        reading = read_watch(self.day, False, self.dossiers, self.limits, remind=False)
        self._hand_over(reading)
        if reading.locked:
            return
        try:
            reminder = retention.retention_reminder(self.day)
        except UserError:
            return  # closed in the meantime: next time
        if reminder is not None:
            with contextlib.suppress(RuntimeError):  # the watch was deleted meanwhile
                self.signals.reminded.emit(reminder, self.generation)

    def _hand_over(self, reading: WatchReading) -> None:
        self._handed_over = True
        with contextlib.suppress(RuntimeError):  # the watch was deleted meanwhile
            self.signals.done.emit(reading)


def _release(job: WatchJob) -> None:
    """Let go of a job once its worker is out of run() (it emits just before it ends)."""
    if job.ended.is_set():
        _RUNNING.discard(job)
    else:
        QTimer.singleShot(20, lambda: _release(job))


class DeadlineWatch(QObject):
    """Keeps the tray (or, without a tray, the window's banner) up to date."""

    changed = Signal(str)  # the summary, for the banner
    checked = Signal(list)  # the alerts, each time a check's result is shown
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
        self.dossiers: Watched = []
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
        self.job: WatchJob | None = None
        self._again = False  # a check was asked for while one was reading
        self._generation = 0  # counts the checks started; an older result is not shown
        self._shown_generation = 0
        self._stopped = False
        # After sleep the timer fires as soon as the computer wakes; each check also
        # notices a new day, since alerts are computed for today.
        self.timer = QTimer(self, interval=CHECK_MINUTES * 60_000)
        self.timer.timeout.connect(self.check_in_background)

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

    def start(self, after_paint_of: QWidget | None = None) -> None:
        """Show the tray icon and start watching: the first check reads the register on a
        worker thread, once ``after_paint_of`` (the window) has been painted."""
        self._stopped = False
        if self.tray is not None:
            self.tray.show()
        self.timer.start()
        if after_paint_of is None:
            self.check_in_background()
        else:
            after_first_paint(after_paint_of, self.check_in_background)

    def stop(self) -> None:
        """Stop watching; a check still reading is waited for (the register may close next)
        and its result no longer shown."""
        self._stopped = True
        self.timer.stop()
        if self.tray is not None:
            self.tray.hide()
        for job in list(_RUNNING):  # also one asking for the retention reminder still
            job.ended.wait(STOP_WAIT_SECONDS)

    def check(self) -> list[Alert]:
        """Recompute the alerts now, on this thread; update icon and tooltip, announce what
        is new today. 'Vandaag' uses this: it shows the alerts at once."""
        self._generation += 1
        locked = self.is_locked()
        reading = read_watch(self.today(), locked, self.dossiers, self._limits)
        self._show(reading, self._generation)
        return self.current

    def check_in_background(self) -> None:
        """Recompute the alerts on a worker thread; the result is shown when it is ready
        (``checked``). Asked again while a check reads, one more check follows it."""
        if self._stopped:
            return
        if self.job is not None:
            self._again = True
            return
        self._generation += 1
        job = WatchJob(
            self.today(), self.is_locked(), self.dossiers, self._limits, self._generation
        )
        _RUNNING.add(job)
        self.job = job
        job.signals.done.connect(self._read)  # slots of this object: dropped with it
        job.signals.reminded.connect(self._reminded)
        QThreadPool.globalInstance().start(job)

    def _read(self, reading: WatchReading) -> None:
        job, self.job = self.job, None
        if job is not None:
            _release(job)
        if self._stopped:
            return
        if job is not None:
            self._show(reading, job.generation)
        if self._again:
            self._again = False
            self.check_in_background()

    def _reminded(self, text: str, generation: int) -> None:
        """A job found the retention reminder due, after its alerts were shown."""
        if self._stopped or generation != self._shown_generation or self.is_locked():
            return  # stopped, or a later check has spoken since: it asks again
        self._remind_retention(self.last_day or self.today(), text)

    def _show(self, reading: WatchReading, generation: int) -> None:
        if generation < self._shown_generation:
            return  # a check started later was shown already
        self._shown_generation = generation
        # Locked since the reading: nothing is written to the register now, nor shown about
        # it beyond the counts.
        locked = reading.locked or self.is_locked()
        if not reading.locked:
            self.dossiers = reading.dossiers
            self._limits = reading.limits
        today = reading.day
        limits = reading.limits
        self.current = reading.alerts
        self.last_day = today
        text = summary(self.current, limits)
        worst = self.current[0].status if self.current else None
        if self.tray is not None:
            self.tray.setIcon(tray_icon(worst))
            self.tray.setToolTip(f"klachtdesk – {text}")
        self.changed.emit(text)
        self._announce(today, locked, text, reading.announced)
        if not locked and reading.retention_reminder is not None:
            self._remind_retention(today, reading.retention_reminder)
        self.checked.emit(self.current)

    def _remind_retention(self, today: date, text: str) -> None:
        """Once a year: closed dossiers past their retention term wait to be anonymised."""
        try:
            retention.mark_retention_reminded(today)
        except UserError:
            return  # the register closed in the meantime: next time
        self.retention_reminded.emit(text)
        if self.tray is not None:
            self.clicked_dossier = None
            self.tray.showMessage(
                "klachtdesk – bewaartermijn", text, QSystemTrayIcon.MessageIcon.Information, 15_000
            )

    def _announce(self, today: date, locked: bool, text: str, stored: set[str] | None) -> None:
        shown = self._announced(today, locked, stored)
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

    def _announced(self, today: date, locked: bool, stored: set[str] | None) -> set[str]:
        if locked:
            return self._memory
        if stored is not None:
            return stored | self._memory
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
