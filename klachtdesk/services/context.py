"""Who acts, and when: passed to every service so that time is injected, never read globally."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime


def _system_now() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class ServiceContext:
    """The actor recorded in the audit trail and the clock the services read."""

    actor: str = field(default_factory=getpass.getuser)
    clock: Callable[[], datetime] = _system_now

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().date()
