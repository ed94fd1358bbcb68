"""The deadline watch over a sequence of days: which alerts fire, once each, and the counts."""

from __future__ import annotations

from datetime import date, timedelta

from klachtdesk.procedure import Action, Channel, Ground, LimitKind, LimitStatus, TimeLimits
from klachtdesk.procedure import dossier as moves
from klachtdesk.procedure.watch import alerts, describe, summary, to_announce

LIMITS = TimeLimits()
START = date(2026, 3, 2)


def registered(received: date) -> moves.Dossier:
    return moves.start(Channel.PHONE, received, received, solved_immediately=False, today=received)


def test_alerts_fire_once_per_day_and_status_over_a_fortnight() -> None:
    d = registered(START)  # acknowledgement due 12 March
    acknowledged = moves.acknowledge(
        moves.decide_admissibility(registered(START), set(), motivation="", on=START, today=START),
        on=START + timedelta(days=1), today=START + timedelta(days=1),
    )  # fmt: skip
    shown: set[str] = set()
    fired: dict[date, list[tuple[str, LimitKind, LimitStatus]]] = {}
    for offset in range(0, 16):
        today = START + timedelta(days=offset)
        current = alerts([(1, "2026-0001", d), (2, "2026-0002", acknowledged)], today, LIMITS)
        for _ in range(3):  # the watch runs every few minutes: repeats must not fire again
            new = to_announce(current, shown)
            shown |= {a.key for a in new}
            if new:
                fired.setdefault(today, []).extend((a.reference, a.kind, a.status) for a in new)
    ack = LimitKind.ACKNOWLEDGEMENT
    assert fired == {
        date(2026, 3, 10): [("2026-0001", ack, LimitStatus.DUE_SOON)],
        date(2026, 3, 11): [("2026-0001", ack, LimitStatus.DUE_SOON)],
        date(2026, 3, 12): [("2026-0001", ack, LimitStatus.DUE_SOON)],
        date(2026, 3, 13): [("2026-0001", ack, LimitStatus.OVERDUE)],
        date(2026, 3, 14): [("2026-0001", ack, LimitStatus.OVERDUE)],
        date(2026, 3, 15): [("2026-0001", ack, LimitStatus.OVERDUE)],
        date(2026, 3, 16): [("2026-0001", ack, LimitStatus.OVERDUE)],
        date(2026, 3, 17): [("2026-0001", ack, LimitStatus.OVERDUE)],
    }  # the acknowledged dossier (limit met) never fires


def test_counts_and_words() -> None:
    today = date(2026, 3, 13)
    current = alerts(
        [
            (1, "2026-0001", registered(START)),  # 1 day overdue
            (2, "2026-0002", registered(START - timedelta(days=5))),  # 6 days overdue
            (3, "2026-0003", registered(START + timedelta(days=2))),  # due tomorrow
            (4, "2026-0004", registered(START + timedelta(days=9))),  # not yet
        ],
        today,
        LIMITS,
    )
    assert [a.reference for a in current] == ["2026-0002", "2026-0001", "2026-0003"]
    assert summary(current, LIMITS) == "2 termijnen verstreken, 1 binnen 2 dagen"
    assert summary(current[2:], LIMITS) == "1 termijn binnen 2 dagen"
    assert summary([], LIMITS) == "Geen termijnen die aandacht vragen"
    assert describe(current[0]) == "Ontvangstmelding versturen: 6 dagen te laat (2026-0002)"
    assert describe(current[2]) == "Ontvangstmelding versturen: morgen (2026-0003)"
    assert current[0].next_action is Action.DECIDE_ADMISSIBILITY


def test_closed_and_withdrawn_dossiers_never_alert() -> None:
    today = START + timedelta(days=40)
    withdrawn = moves.withdraw(registered(START), on=START, today=START)
    closed_at_intake = moves.close(
        moves.start(Channel.PHONE, START, START, solved_immediately=True, today=START),
        on=START, today=START,
    )  # fmt: skip
    inadmissible = moves.acknowledge(
        moves.decide_admissibility(
            registered(START), {Ground.POLICY}, motivation="Beleid.", on=START, today=START
        ),
        on=START + timedelta(days=20),
        today=START + timedelta(days=20),
    )  # fmt: skip — closed, with its acknowledgement 10 days late
    dossiers = [(1, "a", withdrawn), (2, "b", closed_at_intake), (3, "c", inadmissible)]
    assert alerts(dossiers, today, LIMITS) == []
    # The same dossier still open would alert: the check above can fail.
    assert alerts([(4, "d", registered(START))], today, LIMITS)


def test_retention_reminder_comes_once_a_year_and_only_with_expired_dossiers() -> None:
    from klachtdesk.procedure.watch import retention_reminder_due

    assert retention_reminder_due(None, START, 3)
    assert not retention_reminder_due(None, START, 0)
    assert not retention_reminder_due(START, date(2027, 3, 1), 3)
    assert retention_reminder_due(START, date(2027, 3, 2), 3)
    assert retention_reminder_due(date(2028, 2, 29), date(2029, 2, 28), 1)
    assert not retention_reminder_due(date(2028, 2, 29), date(2029, 2, 27), 1)
