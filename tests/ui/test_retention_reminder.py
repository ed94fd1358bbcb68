"""The yearly retention reminder comes with the deadline watch (issue 11)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from klachtdesk.models import Register
from klachtdesk.procedure import State
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.organisation import handlers
from klachtdesk.ui.tray import DeadlineWatch

from ..conftest import FakeClock
from .test_crawler import dossier_in


def test_the_watch_reminds_once_a_year_of_dossiers_past_their_term(
    qtbot: QtBot, register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    dossier_in(ctx, State.CLOSED, handlers()[0].id, 1)
    watch = DeadlineWatch(ctx.today, lambda: False)
    reminders: list[str] = []
    watch.retention_reminded.connect(reminders.append)
    watch.check()
    assert reminders == []  # closed this year: nothing to anonymise yet
    clock.advance(days=6 * 365)
    watch.check()
    watch.check()  # the same day, and the next days: once
    clock.advance(days=200)
    watch.check()
    assert len(reminders) == 1
    assert reminders[0].startswith("1 afgesloten dossier is de bewaartermijn voorbij")
    clock.advance(days=200)  # a year after the reminder
    watch.check()
    assert len(reminders) == 2
