"""Sending mail off the GUI thread, so the window never freezes on a slow server."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from klachtdesk.procedure import UserError


class _Signals(QObject):
    done = Signal(str)  # "" on success, else the Dutch error


class MailJob(QRunnable):
    """Runs ``work`` (which talks to the SMTP server) in Qt's thread pool."""

    def __init__(self, work: Callable[[], None]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            self.work()
        except UserError as exc:
            self.signals.done.emit(exc.message)
            return
        except Exception as exc:  # never let a worker die silently
            self.signals.done.emit(f"Het bericht werd niet verstuurd: {exc}")
            return
        self.signals.done.emit("")


def start(work: Callable[[], None], when_done: Callable[[str], None]) -> MailJob:
    job = MailJob(work)
    job.signals.done.connect(when_done)
    QThreadPool.globalInstance().start(job)
    return job
