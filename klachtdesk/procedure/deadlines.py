"""The procedure's time limits and their status on a given day.

All limits are in calendar days (the procedure does not say working days) and configurable,
because a council may adopt other limits in its own regulations. A dossier's due dates come
from the limits it keeps (:attr:`Dossier.limits`); the configured :class:`TimeLimits` only add
the warning window (``due_soon_days``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .dossier import Dossier
from .limits import DossierLimits, TimeLimits, day_count
from .vocabulary import LabeledEnum

__all__ = [
    "Deadline",
    "DossierLimits",
    "LimitKind",
    "LimitStatus",
    "TimeLimits",
    "acknowledgement_due",
    "answer_expected_by",
    "closing_due",
    "day_count",
    "days_left_words",
    "deadlines",
    "due_dates",
    "next_deadline",
    "next_due_on",
]


class LimitKind(LabeledEnum):
    """The four time limits of the procedure."""

    ACKNOWLEDGEMENT = "acknowledgement", "ontvangstmelding versturen"
    HANDLER_REPORT = "handler_report", "rapport en antwoord van de behandelaar"
    REINVESTIGATION = "reinvestigation", "heronderzoek na neutraliteitstoets"
    CLOSING = "closing", "antwoord versturen en dossier afsluiten"

    @property
    def short_label(self) -> str:
        """For narrow places such as a list column."""
        return _SHORT_LIMIT_LABELS[self]

    @property
    def field(self) -> str:
        """The name of this limit's number of days in :class:`DossierLimits`."""
        return _LIMIT_FIELDS[self]

    def days(self, limits: DossierLimits) -> int:
        """This limit's number of days in ``limits``."""
        return int(getattr(limits, self.field))


_LIMIT_FIELDS = {
    "acknowledgement": "acknowledgement_days",
    "handler_report": "handler_days",
    "reinvestigation": "reinvestigation_days",
    "closing": "closing_days",
}


_SHORT_LIMIT_LABELS = {
    LimitKind.ACKNOWLEDGEMENT: "ontvangstmelding",
    LimitKind.HANDLER_REPORT: "rapport behandelaar",
    LimitKind.REINVESTIGATION: "heronderzoek",
    LimitKind.CLOSING: "afsluiten",
}


class LimitStatus(LabeledEnum):
    OPEN = "open", "lopend"
    DUE_SOON = "due_soon", "verloopt binnenkort"
    OVERDUE = "overdue", "verstreken"
    MET = "met", "gehaald"
    MET_LATE = "met_late", "te laat gehaald"
    # Still running when the dossier was closed (a stop by the citizen): no longer applies.
    LAPSED = "lapsed", "vervallen (dossier afgesloten)"

    @property
    def is_pending(self) -> bool:
        return self in (LimitStatus.OPEN, LimitStatus.DUE_SOON, LimitStatus.OVERDUE)


@dataclass(frozen=True)
class Deadline:
    kind: LimitKind
    due_on: date
    met_on: date | None
    status: LimitStatus
    days_left: int
    """Days from ``today`` to the due date; negative when overdue. For met limits: the margin;
    for lapsed ones: the days that were left when the dossier closed."""
    #: The closing limit was extended (its due date includes the extension).
    extended: bool = False

    @property
    def label(self) -> str:
        """The limit's name, e.g. 'antwoord versturen en dossier afsluiten (verlengd)'."""
        return extended_label(self.kind.label, self.extended)

    @property
    def short_label(self) -> str:
        """For narrow places: 'afsluiten (verlengd)'."""
        return extended_label(self.kind.short_label, self.extended)


def extended_label(label: str, extended: bool) -> str:
    """A limit's name, marked when it was extended."""
    return f"{label} (verlengd)" if extended else label


def due_dates(dossier: Dossier) -> list[tuple[LimitKind, date, date | None]]:
    """Every limit that applies to the dossier, with its due date and the date it was met.

    This depends on the dossier and its own limits only, not on the day or the settings;
    :func:`deadlines` adds the status. On a closed dossier a limit not met has lapsed.
    """
    result: list[tuple[LimitKind, date, date | None]] = []
    limits = dossier.limits
    # A complaint solved at once and closed at intake needs no further letters.
    closed_at_intake = dossier.closed_at_intake

    def add(kind: LimitKind, due_on: date, met_on: date | None) -> None:
        result.append((kind, due_on, met_on))

    if not closed_at_intake:
        add(
            LimitKind.ACKNOWLEDGEMENT,
            acknowledgement_due(dossier.received_on, limits),
            dossier.acknowledged_on,
        )
    if dossier.admissible is not False and not closed_at_intake:
        add(
            LimitKind.HANDLER_REPORT,
            dossier.coordinator_received_on + timedelta(days=limits.handler_days),
            dossier.first_returned_on,
        )
    if dossier.review_failed_on is not None:
        met = dossier.last_returned_on
        if met is not None and met < dossier.review_failed_on:
            met = None
        add(
            LimitKind.REINVESTIGATION,
            dossier.review_failed_on + timedelta(days=limits.reinvestigation_days),
            met,
        )
    if not closed_at_intake:
        add(
            LimitKind.CLOSING,
            closing_due(dossier),
            dossier.closed_on,
        )
    return result


def deadlines(dossier: Dossier, today: date, settings: TimeLimits) -> list[Deadline]:
    """Each applicable limit with its due date and its status on ``today``.

    The due dates come from the dossier's own limits; of the configured ``settings`` only the
    warning window (``due_soon_days``) is read.
    """
    out = []
    for kind, due_on, met_on in due_dates(dossier):
        if met_on is not None:
            status = LimitStatus.MET if met_on <= due_on else LimitStatus.MET_LATE
            days_left = (due_on - met_on).days
        elif dossier.closed_on is not None:
            # Closed (stopped by the citizen) while this limit still ran: it no longer applies.
            status = LimitStatus.LAPSED
            days_left = (due_on - dossier.closed_on).days
        else:
            days_left = (due_on - today).days
            if days_left < 0:
                status = LimitStatus.OVERDUE
            elif days_left <= settings.due_soon_days:
                status = LimitStatus.DUE_SOON
            else:
                status = LimitStatus.OPEN
        extended = kind is LimitKind.CLOSING and dossier.extended
        out.append(Deadline(kind, due_on, met_on, status, days_left, extended))
    return out


def next_due_on(dossier: Dossier) -> date | None:
    """The earliest due date among the limits still running; None when nothing runs.

    It depends neither on the day nor on the settings, so it can be stored and sorted on in
    the register.
    """
    if dossier.closed_on is not None:
        return None
    pending = [due for _, due, met in due_dates(dossier) if met is None]
    return min(pending, default=None)


def next_deadline(dossier: Dossier, today: date, settings: TimeLimits) -> Deadline | None:
    """The most urgent limit still running on ``today`` (``settings``: the warning window)."""
    pending = [d for d in deadlines(dossier, today, settings) if d.status.is_pending]
    return min(pending, key=lambda d: d.due_on, default=None)


def acknowledgement_due(received_on: date, limits: DossierLimits) -> date:
    """Step 7: the date by which the acknowledgement must have gone out."""
    return received_on + timedelta(days=limits.acknowledgement_days)


def answer_expected_by(received_on: date, limits: DossierLimits) -> date:
    """Step 7: the date by which the complainant may expect an answer (not extended: see
    :func:`closing_due` for a dossier)."""
    return received_on + timedelta(days=limits.closing_days)


def closing_due(dossier: Dossier) -> date:
    """The closing limit's due date of this dossier, its extension included."""
    return dossier.received_on + timedelta(days=dossier.closing_days + dossier.extension_days)


def days_left_words(days_left: int) -> str:
    """How much time a running limit has, in words: '3 dagen', 'vandaag', '2 dagen te laat'."""
    if days_left == 0:
        return "vandaag"
    if days_left == 1:
        return "morgen"
    if days_left > 0:
        return day_count(days_left)
    return f"{day_count(-days_left)} te laat"
