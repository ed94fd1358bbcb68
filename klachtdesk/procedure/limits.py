"""The procedure's time limits: the ones a dossier keeps, and the ones configured in Settings.

A dossier keeps the limits that were in force when it was registered (:class:`DossierLimits`),
so adopting other limits later never re-grades a dossier that is already closed. The
configured :class:`TimeLimits` add the coordinator's warning window, which is a preference
for the watch and the list, not a limit of the procedure.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .words import counted


@dataclass(frozen=True)
class DossierLimits:
    """The four limits of the procedure, in calendar days, with the procedure's values."""

    acknowledgement_days: int = 10
    handler_days: int = 30
    reinvestigation_days: int = 7
    closing_days: int = 45

    def __post_init__(self) -> None:
        # LIMIT_NAMES, not fields(): this runs for every dossier whose limits are looked at
        # (dataclasses.fields() was a tenth of `demo`'s time).
        for name in LIMIT_NAMES:
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least one day")

    def for_dossier(self) -> DossierLimits:
        """Only the procedure's limits (drops the warning window of :class:`TimeLimits`)."""
        return DossierLimits(**{name: getattr(self, name) for name in LIMIT_NAMES})


@dataclass(frozen=True)
class TimeLimits(DossierLimits):
    """The configured limits for new dossiers, and how many days ahead the watch warns."""

    due_soon_days: int = 2

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.due_soon_days < 0:
            raise ValueError("due_soon_days cannot be negative")


LIMIT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(DossierLimits))


def day_count(days: int) -> str:
    """A number of calendar days in words: '1 dag', '7 dagen'."""
    return counted(days, "dag")
