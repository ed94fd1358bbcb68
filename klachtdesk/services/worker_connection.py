"""Reading the register from a worker thread, through a connection of the thread's own.

Peewee keeps one connection per thread: a worker that reads through the models opens its own
(keyed as the register's, at its first query) and must close it again when it is done, so no
connection, and no key, stays open in a pooled thread after the work, after a lock or after
the register is closed. The window uses this to count the figures off the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from klachtdesk.models import database
from klachtdesk.procedure import UserError

T = TypeVar("T")


class RegisterLocked(UserError):
    """The register was locked before queued work could read it."""

    def __init__(self) -> None:
        super().__init__(
            "Het register werd vergrendeld voor de telling kon beginnen. Ontgrendel het en "
            "kies de periode opnieuw."
        )


def with_own_connection(work: Callable[[], T]) -> T:
    """Run ``work`` on this (worker) thread, then close the connection it opened here.

    On the main thread (the register's own) ``work`` just runs: its connection stays open.
    """
    db = database.obj  # the register's database, even if it is closed meanwhile
    worker = threading.current_thread() is not threading.main_thread()
    if worker and db is not None and not db.connect_params.get("passphrase"):
        # Locked since the work was queued: without the key a new connection would only
        # read 'file is not a database'.
        raise RegisterLocked()
    try:
        return work()
    finally:
        if worker and db is not None and not db.is_closed():
            db.close()
