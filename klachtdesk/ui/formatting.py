"""Dutch (Flemish) presentation of dates, limits and states, shared by every screen."""

from __future__ import annotations

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
