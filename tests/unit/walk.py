"""Walking a pure dossier to any state, for the procedure tests."""

from __future__ import annotations

from datetime import date, timedelta

from klachtdesk.procedure import Channel, Ground, Outcome, State
from klachtdesk.procedure import dossier as moves
from klachtdesk.procedure.dossier import Dossier

RECEIVED = date(2026, 3, 2)
TODAY = date(2026, 6, 30)


def day(n: int) -> date:
    return RECEIVED + timedelta(days=n)


def new(channel: Channel = Channel.PHONE, *, solved: bool = False) -> Dossier:
    return moves.start(channel, RECEIVED, RECEIVED, solved_immediately=solved, today=TODAY)


def walk_to(state: State, channel: Channel = Channel.PHONE) -> Dossier:
    """A dossier brought to ``state`` along the shortest path of the procedure."""
    d = new(channel)
    if state is State.REGISTERED:
        return d
    if state in (State.INADMISSIBLE,):
        return moves.decide_admissibility(
            d, {Ground.ANONYMOUS}, motivation="Geen naam.", on=day(1), today=TODAY
        )
    d = moves.decide_admissibility(d, set(), motivation="", on=day(1), today=TODAY)
    path = [
        (State.ACKNOWLEDGED, lambda d: moves.acknowledge(d, on=day(2), today=TODAY)),
        (State.WITH_HANDLER, lambda d: moves.send_to_handler(d, 7, on=day(3), today=TODAY)),
        (
            State.ASSESSED,
            lambda d: moves.assess(
                d,
                Outcome.PARTLY_WELL_FOUNDED,
                solution="Excuses en herstel.",
                no_judgement_reason=None,
                on=day(10),
                today=TODAY,
            ),
        ),
        (State.REPLY_RETURNED, lambda d: moves.record_returned(d, on=day(20), today=TODAY)),
        (
            State.APPROVED,
            lambda d: moves.review_neutrality(d, True, reason="", on=day(21), today=TODAY),
        ),
        (State.REPLY_SENT, lambda d: moves.record_reply_sent(d, on=day(22), today=TODAY)),
        (State.CLOSED, lambda d: moves.close(d, on=day(23), today=TODAY)),
    ]
    if state is State.ADMISSIBLE:
        return d
    for target, step in path:
        d = step(d)
        if d.state is target and target is state:
            return d
    if state is State.REINVESTIGATION:
        d = walk_to(State.REPLY_RETURNED, channel)
        return moves.review_neutrality(d, False, reason="Niet neutraal.", on=day(21), today=TODAY)
    raise AssertionError(f"no path to {state}")
