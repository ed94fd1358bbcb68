"""Sending the reminders to handlers from the deadline watch (issue 15).

After each check of the watch, while the register is unlocked and a mail server is set: the
reminders due are composed on the register's own thread (reading the stored report, or making
it), handed to a worker in Qt's thread pool that talks to the SMTP server (no register there),
and each one the server accepted is recorded back on the register's thread — a reminder row
and its timeline event in one transaction. A refused one records nothing and is tried again
at the next check. One round at a time.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from email.message import EmailMessage
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from klachtdesk.procedure import UserError
from klachtdesk.procedure.words import counted
from klachtdesk.services import mail
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.reminders import (
    DueReminder,
    prepared_reminders,
    record_reminder,
    reminder_settings,
)

if TYPE_CHECKING:
    from .main_window import MainWindow

#: Reminders composed (on the GUI thread: a missing report is made with ReportLab) per round;
#: when a round was full, the next follows at once. Switching reminders on for a register with
#: many late dossiers so never freezes the window.
PER_ROUND = 10

# As the watch's jobs: referenced until the GUI thread has heard they ended.
_RUNNING: set[_SendJob] = set()


class _SendSignals(QObject):
    one = Signal(int, str)  # index of the message, "" when accepted or the Dutch reason
    done = Signal()


class _SendJob(QRunnable):
    """Hands each message to the SMTP server; touches no register."""

    def __init__(self, smtp: mail.SmtpSettings, messages: list[EmailMessage]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.smtp = smtp
        self.messages = messages
        self.signals = _SendSignals()
        self.ended = threading.Event()

    def run(self) -> None:
        try:
            for index, message in enumerate(self.messages):
                try:
                    mail.send(self.smtp, message)
                    problem = ""
                except UserError as exc:
                    problem = exc.message
                except Exception as exc:  # never let a worker die silently
                    problem = f"Het bericht werd niet verstuurd: {exc}"
                with contextlib.suppress(RuntimeError):  # the sender was deleted meanwhile
                    self.signals.one.emit(index, problem)
        finally:
            with contextlib.suppress(RuntimeError):
                self.signals.done.emit()
            self.ended.set()


def _release(job: _SendJob) -> None:
    if job.ended.is_set():
        _RUNNING.discard(job)
    else:
        QTimer.singleShot(20, lambda: _release(job))


class ReminderSender(QObject):
    """Sends the reminders due after each check of the deadline watch (see the module)."""

    #: A sentence for the status bar once a round ended: what was sent, what was not.
    reported = Signal(str)
    #: The reminders sent and recorded in the round that ended.
    sent = Signal(list)

    def __init__(
        self, ctx: ServiceContext, is_locked: Callable[[], bool], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.is_locked = is_locked
        self.job: _SendJob | None = None
        self._round: list[DueReminder] = []
        self._sent: list[DueReminder] = []
        self._failed: list[str] = []
        #: Accepted by the server while the register was locked: recorded at the next check.
        self._unrecorded: list[DueReminder] = []

    def _locked(self) -> bool:
        return self.is_locked()

    def check(self) -> None:
        """Send what is due now, unless a round is still sending or the register is locked."""
        if self.job is not None or self._locked():
            return
        try:
            self._record_unrecorded()
            smtp = mail.smtp_settings()
            if smtp is None or not smtp.host or not reminder_settings().enabled:
                return
            ready, _problems = prepared_reminders(self.ctx, self.ctx.today(), PER_ROUND)
        except UserError:
            return  # the register closed in the meantime: next check
        # A reminder that cannot go by mail (no address) waits in 'Vandaag', said there.
        self._failed = []
        if not ready:
            return
        self._round = [due for due, _message in ready]
        self._sent = []
        job = _SendJob(smtp, [message for _due, message in ready])
        job.signals.one.connect(self._one)
        job.signals.done.connect(self._done)
        _RUNNING.add(job)
        self.job = job
        QThreadPool.globalInstance().start(job)

    @property
    def sending(self) -> bool:
        return self.job is not None

    def _one(self, index: int, problem: str) -> None:
        due = self._round[index]
        if problem:
            self._failed.append(f"{due.describe()}: {problem}")
            return
        self._record(due)

    def _record(self, due: DueReminder) -> None:
        if self._locked():
            self._unrecorded.append(due)
            return
        try:
            record_reminder(self.ctx, due, by_mail=True)
        except UserError:
            self._unrecorded.append(due)
            return
        self._sent.append(due)

    def _record_unrecorded(self) -> None:
        """Record what the server accepted while the register was locked; what cannot be
        recorded yet (locked again) keeps waiting instead of being sent a second time."""
        while self._unrecorded:
            record_reminder(self.ctx, self._unrecorded[0], by_mail=True)  # UserError: later
            self._unrecorded.pop(0)

    def _done(self) -> None:
        job, self.job = self.job, None
        if job is not None:
            _release(job)
        parts = []
        if self._sent:
            parts.append(f"{counted(len(self._sent), 'herinnering')} aan behandelaars verstuurd")
        if self._failed:
            parts.append(f"niet verstuurd: {'; '.join(self._failed)}")
        if parts:
            text = ", ".join(parts)
            self.reported.emit(text[:1].upper() + text[1:] + ".")
        self.sent.emit(list(self._sent))
        if len(self._round) >= PER_ROUND and self._sent:
            QTimer.singleShot(0, self.check)  # more may be due: the next round

    def stop(self) -> None:
        """Wait for a round still sending (klachtdesk is quitting)."""
        for job in list(_RUNNING):
            job.ended.wait(30)


def attach_reminders(window: MainWindow) -> ReminderSender:
    """Send reminders after each check of ``window``'s deadline watch; say in the status bar
    what went out, and show it in the list and the dossier on screen."""
    sender = ReminderSender(window.ctx, window.is_locked, window)
    window.watch.checked.connect(lambda _alerts: sender.check())
    sender.reported.connect(lambda text: window.statusBar().showMessage(text, 30_000))
    sender.sent.connect(lambda sent: reminders_recorded(window, [due.complaint_id for due in sent]))
    return sender


def reminders_recorded(window: MainWindow, complaint_ids: list[int]) -> None:
    """The list's rows and the dossier on screen show the reminders just recorded."""
    if not complaint_ids:
        return
    window.model.refresh_rows()
    shown = window.dossier.detail
    if shown is not None and shown.id in complaint_ids:
        window.show_dossier(shown.id)
