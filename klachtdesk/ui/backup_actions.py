"""Backups from the window: File → Reservekopie maken / terugzetten…, the status bar's word on
the last good backup, and the automatic backups (first unlock of the day, at exit).

The backup itself runs in Qt's thread pool: a 100,000-dossier register takes seconds to copy
and verify, and the window keeps working meanwhile (the worker reads through a connection
of its own).
"""

from __future__ import annotations

import contextlib
import threading

from PySide6.QtCore import QEventLoop, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QProgressDialog

from klachtdesk.procedure import UserError
from klachtdesk.procedure.words import counted
from klachtdesk.services.backup import BackupInfo, BackupKeeper, backup_settings

from .main_window import MainWindow
from .messages import show_error
from .restore_dialog import RestoreDialog

STATUS_REFRESH_MS = 5 * 60_000
WARNING_STYLE = "background: #fff3cd; color: #202020; padding: 0 6px; border: 1px solid #e0c36a;"


class _Signals(QObject):
    done = Signal(object, str)  # the BackupInfo, or None and the Dutch reason


# Jobs Qt does not delete (autoDelete off) stay referenced here until the GUI thread has heard
# they ended (never dropped from the worker itself, which is still inside the job's run()), so
# that no job is freed while a worker thread runs it.
_RUNNING: set[BackupJob] = set()


class BackupJob(QRunnable):
    def __init__(self, keeper: BackupKeeper) -> None:
        super().__init__()
        self.keeper = keeper
        self.signals = _Signals()
        self.ended = threading.Event()
        # Read here, on the register's own thread: the worker then needs no connection of
        # the register's (peewee's are per thread) and reads only through one of its own.
        self.settings = backup_settings()
        self.register_id = keeper.register_id()

    def run(self) -> None:
        try:
            info, error = self.keeper.make(self.settings, self.register_id), ""
        except UserError as exc:
            info, error = None, exc.message
        except Exception:  # never let a worker die silently
            info, error = None, "De reservekopie kon niet gemaakt worden (onverwachte fout)."
        # The window may have been closed meanwhile (its signals object gone with it); the
        # outcome is in the status file either way.
        with contextlib.suppress(RuntimeError):
            self.signals.done.emit(info, error)
        self.ended.set()


def exit_notice() -> QProgressDialog:
    """A small window without buttons while the backup at exit runs."""
    notice = QProgressDialog("Er wordt een reservekopie gemaakt voor klachtdesk sluit…", "", 0, 0)
    notice.setWindowTitle("klachtdesk")
    notice.setCancelButton(None)
    notice.setMinimumDuration(0)
    notice.show()
    return notice


def _wait_for(job: BackupJob) -> None:
    """Keep the event loop (and the notice) alive until ``job`` has ended."""
    loop = QEventLoop()
    poll = QTimer(interval=50)
    poll.timeout.connect(lambda: loop.quit() if job.ended.is_set() else None)
    poll.start()
    loop.exec()
    poll.stop()


class BackupActions(QObject):
    """Adds the backup menu items and status to ``window``."""

    finished = Signal(str)  # "" after a good backup, else the reason

    def __init__(self, window: MainWindow, keeper: BackupKeeper) -> None:
        super().__init__(window)
        self.window = window
        self.keeper = keeper
        self.job: BackupJob | None = None
        self.automatic = False
        self.exited = False
        self.make_action = QAction("Reservekopie maken", window)
        self.make_action.triggered.connect(lambda _=False: self.backup_now())
        self.restore_action = QAction("Reservekopie terugzetten…", window)
        self.restore_action.triggered.connect(lambda _=False: self.show_restore())
        window.file_menu.insertAction(window.quit_action, self.make_action)
        window.file_menu.insertAction(window.quit_action, self.restore_action)
        window.file_menu.insertSeparator(window.quit_action)
        self.label = QLabel()
        self.label.setAccessibleName("Reservekopie")
        window.statusBar().addPermanentWidget(self.label)
        self.timer = QTimer(self, interval=STATUS_REFRESH_MS)
        self.timer.timeout.connect(self.refresh_status)
        # A klachtdesk left open over night (never locked) still makes the day's backup.
        self.timer.timeout.connect(self.backup_if_due)
        self.timer.start()
        self.refresh_status()

    @property
    def busy(self) -> bool:
        return self.job is not None

    def refresh_status(self) -> None:
        if self.exited or self.keeper.register.locked:
            return
        text, warning = self.keeper.status_text()
        self.label.setText(text)
        self.label.setToolTip(str(self.keeper.status().last_good_path or ""))
        self.label.setStyleSheet(WARNING_STYLE if warning else "")

    def backup_now(self, *, automatic: bool = False) -> bool:
        """Start a backup in the background; False when one is already running."""
        if self.job is not None:
            return False
        self.job = BackupJob(self.keeper)
        self.job.setAutoDelete(False)
        _RUNNING.add(self.job)
        self.automatic = automatic
        # A slot of this object: Qt drops the connection when the window (and this) is gone.
        self.job.signals.done.connect(self._done)
        self.make_action.setEnabled(False)
        self.restore_action.setEnabled(False)
        self.label.setText("Reservekopie wordt gemaakt…")
        QThreadPool.globalInstance().start(self.job)
        return True

    def _done(self, info: BackupInfo | None, error: str) -> None:
        automatic = self.automatic
        _RUNNING.discard(self.job)
        self.job = None
        if self.exited:
            return  # delivered after the register closed: nothing left to show
        self.make_action.setEnabled(True)
        self.restore_action.setEnabled(True)
        self.refresh_status()
        if info is not None:
            self.window.statusBar().showMessage(
                f"Reservekopie gemaakt en gecontroleerd: {counted(info.dossiers, 'dossier')}.",
                10_000,
            )
        elif not automatic and not self.window.is_locked():
            show_error(self.window, error, "Reservekopie mislukt")
        self.finished.emit(error)

    def backup_if_due(self) -> None:
        """The first unlock of the day makes a backup (once a day, even if it fails)."""
        if self.keeper.register.locked or not self.keeper.due_today():
            return
        self.keeper.note_attempt()
        self.backup_now(automatic=True)

    def at_exit(self) -> None:
        """Wait for a running backup; then, when something changed since the last good
        backup, make one before the register closes. On a large register that takes seconds
        (12 s at 100,000 dossiers): a small window says what klachtdesk is still doing."""
        self.exited = True
        self.timer.stop()
        running = self.job
        due = not self.keeper.register.locked and self._changed()
        if running is None and not due:
            return
        notice = exit_notice()
        try:
            if running is not None:
                _wait_for(running)
                self.job = None
                due = not self.keeper.register.locked and self._changed()
            if due:
                self.backup_now(automatic=True)
                if self.job is not None:
                    _wait_for(self.job)
        finally:
            notice.close()

    def _changed(self) -> bool:
        try:
            return self.keeper.changed()
        except UserError:
            return False  # unreadable status: the next start's backup of the day covers it

    def show_restore(self) -> RestoreDialog | None:
        if self.job is not None:
            return None
        dialog = RestoreDialog(self.keeper, self.window)
        dialog.restored.connect(self._restored)
        self.window.current_dialog = dialog
        dialog.open()
        return dialog

    def _restored(self) -> None:
        self.window.fill_filter_choices()
        self.window.model.reload()
        self.window.apply_filter()
        self.window.dossier.clear()
        self.refresh_status()
