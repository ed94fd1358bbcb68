"""How a date is written in short everywhere: screens, messages, the timeline (dd/mm/jjjj)."""

from __future__ import annotations

from datetime import date


def short_date(day: date | None) -> str:
    """E.g. '03/03/2026'; empty for no date."""
    return "" if day is None else day.strftime("%d/%m/%Y")
