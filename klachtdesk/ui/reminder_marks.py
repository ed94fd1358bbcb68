"""What the complaint list says about a handler reminded of their limit (issue 15)."""

from __future__ import annotations

from klachtdesk.procedure import LimitKind
from klachtdesk.procedure.dates import short_date
from klachtdesk.procedure.deadlines import days_left_words
from klachtdesk.services.complaint_list import ListRow


def _reminded_about_next_limit(row: ListRow) -> bool:
    deadline = row.next_deadline
    return (
        row.reminded_on is not None
        and deadline is not None
        and deadline.kind is LimitKind.HANDLER_REPORT
    )


def reminded_text(row: ListRow) -> str:
    """'herinnerd op 02/04' in the days column while the handler's limit is the next one and
    the handler was reminded of it; empty otherwise (the days left show, and the tooltip)."""
    if not _reminded_about_next_limit(row) or row.reminded_on is None:
        return ""
    return f"herinnerd op {row.reminded_on:%d/%m}"


def reminded_tip(row: ListRow) -> str:
    """The tooltip's addition: the days left and the reminder's whole date."""
    deadline = row.next_deadline
    if not _reminded_about_next_limit(row) or row.reminded_on is None or deadline is None:
        return ""
    return f" ({days_left_words(deadline.days_left)}); herinnerd op {short_date(row.reminded_on)}"
