"""A withdrawal by the citizen: the dossier closes and keeps its completed report."""

from __future__ import annotations

from datetime import date

from klachtdesk.models import database

from .complaints import withdraw_complaint
from .context import ServiceContext
from .correspondence import COMPLETED_REPORT, generate
from .dossiers import dossier_of, load_complaint


def withdraw_with_report(
    ctx: ServiceContext, complaint_id: int, reason: str = "", *, on: date | None = None
) -> bool:
    """The citizen stops the procedure: close the dossier with the outcome 'stopzetting' and,
    when a report was started (step 8), keep the completed report in it; together or not at
    all. Returns whether a report was kept."""
    with database.atomic():
        withdraw_complaint(ctx, complaint_id, reason, on=on)
        dossier = dossier_of(load_complaint(complaint_id))
        # The report exists from step 8 on: an admissible complaint sent to a handler.
        if not (dossier.admissible and dossier.handler_id is not None):
            return False
        generate(ctx, complaint_id, COMPLETED_REPORT)
        return True
