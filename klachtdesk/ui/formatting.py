"""Dutch (Flemish) presentation of dates, limits and states, shared by every screen."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from klachtdesk.procedure import Deadline, LimitStatus

LOCALE = "nl_BE"


def short_date(day: date | None) -> str:
    return "" if day is None else day.strftime("%d/%m/%Y")


def long_date(day: date) -> str:
    """E.g. '3 maart 2026'."""
    return format_date(day, "d MMMM y", locale=LOCALE)


def days_text(deadline: Deadline) -> str:
    """How much time is left, in words: '3 dagen', 'vandaag', '2 dagen te laat'."""
    if deadline.met_on is not None:
        return "gehaald" if deadline.status is LimitStatus.MET else "te laat gehaald"
    days = deadline.days_left
    if days == 0:
        return "vandaag"
    if days == 1:
        return "morgen"
    if days > 0:
        return f"{days} dagen"
    return "1 dag te laat" if days == -1 else f"{-days} dagen te laat"


STATUS_MARK = {
    LimitStatus.OVERDUE: "✖",
    LimitStatus.DUE_SOON: "⚠",
    LimitStatus.OPEN: "",
    LimitStatus.MET: "✔",
    LimitStatus.MET_LATE: "✔",
}
