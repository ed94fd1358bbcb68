"""The deadline watch reads its dossiers as plain rows: the same dossiers as through the
model objects it used before (issue 14), in every state a demo register holds."""

from __future__ import annotations

from datetime import date, timedelta

from klachtdesk.models import Complaint, Register
from klachtdesk.procedure import State
from klachtdesk.procedure.watch import alerts
from klachtdesk.services import watch
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.demo import fill_with_demo
from klachtdesk.services.dossiers import DOSSIER_COLUMNS, limits_dossier
from klachtdesk.services.settings import time_limits


def through_model_objects(today: date, days_ahead: int) -> list[tuple[int, str, object]]:
    """What watched_dossiers returned before it read plain rows."""
    limits = time_limits()
    horizon = today + timedelta(days=max(limits.due_soon_days, days_ahead))
    columns = [getattr(Complaint, name) for name in DOSSIER_COLUMNS]
    rows = Complaint.select(Complaint.id, Complaint.reference, Complaint.handler, *columns).where(
        Complaint.next_due_on <= horizon, Complaint.state != str(State.CLOSED)
    )
    return [(row.id, row.reference, limits_dossier(row)) for row in rows]


def test_the_watch_reads_the_same_dossiers_as_through_model_objects(
    register: Register, ctx: ServiceContext
) -> None:
    fill_with_demo(ctx, 300, seed=7)
    today = ctx.today()
    for days_ahead in (7, 3 * 365):  # the watch's window, and every open dossier
        found = watch.watched_dossiers(today, days_ahead)
        assert sorted(found, key=lambda d: d[0]) == sorted(
            through_model_objects(today, days_ahead), key=lambda d: d[0]
        )
    assert alerts(watch.watched_dossiers(today), today, time_limits())  # alerts come of them
    states = {dossier.state for _, _, dossier in found}
    assert len(found) >= 10 and len(states) >= 3  # a comparison over several states
