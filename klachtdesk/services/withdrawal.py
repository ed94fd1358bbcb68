"""A withdrawal by the citizen: the dossier closes and keeps its completed report."""

from __future__ import annotations

from datetime import date

from klachtdesk.models import database

from .complaints import withdraw_complaint
from .context import ServiceContext
from .correspondence import COMPLETED_REPORT, generate


def withdraw_with_report(
    ctx: ServiceContext, complaint_id: int, reason: str = "", *, on: date | None = None
) -> None:
    """The citizen stops the procedure: close the dossier with the outcome 'stopzetting' and
    keep the completed report in it (what was done up to the stop), together or not at all."""
    with database.atomic():
        withdraw_complaint(ctx, complaint_id, reason, on=on)
        generate(ctx, complaint_id, COMPLETED_REPORT)
