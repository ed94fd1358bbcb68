"""Dutch (Flemish) presentation of dates, limits and states, shared by every screen."""

from __future__ import annotations

import re

from klachtdesk.procedure import Deadline, LimitStatus
from klachtdesk.procedure.deadlines import days_left_words


def days_text(deadline: Deadline) -> str:
    """How much time is left, in words: '3 dagen', 'vandaag', '2 dagen te laat'."""
    if deadline.met_on is not None:
        return "gehaald" if deadline.status is LimitStatus.MET else "te laat gehaald"
    if deadline.status is LimitStatus.LAPSED:
        return "vervallen"
    return days_left_words(deadline.days_left)


STATUS_MARK = {
    LimitStatus.OVERDUE: "✖",
    LimitStatus.DUE_SOON: "⚠",
    LimitStatus.OPEN: "",
    LimitStatus.MET: "✔",
    LimitStatus.MET_LATE: "✔",
    LimitStatus.LAPSED: "–",
}


_LONG_RUN = re.compile(r"\S{40,}")


def breakable(text: str, every: int = 30) -> str:
    """``text`` with a zero-width space every ``every`` characters inside very long runs
    without spaces, so a label can wrap them instead of growing wider than the screen."""

    def split(match: re.Match[str]) -> str:
        run = match.group(0)
        return "\u200b".join(run[i : i + every] for i in range(0, len(run), every))

    return _LONG_RUN.sub(split, text)
