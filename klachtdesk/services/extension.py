"""The one extension of a dossier's closing limit (issue 15, section 4).

Many local reglementen allow the 45-day limit to be extended once (e.g. to 90 days) when the
investigation needs it, with a motivated notice to the complainant before the original limit
ends. Whether that is allowed, and by how many days, is a setting (off by default); "once per
dossier" is the rule itself (:func:`klachtdesk.procedure.dossier.extend_closing_limit`), not a
setting. Extending writes the dossier and its event in one transaction; the notice is a
document of its own (:data:`klachtdesk.services.correspondence.EXTENSION`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from klachtdesk.models import database
from klachtdesk.procedure import Dossier, InvalidInput, UserError
from klachtdesk.procedure import dossier as moves
from klachtdesk.procedure.dates import short_date
from klachtdesk.procedure.deadlines import closing_due
from klachtdesk.procedure.input_checks import check_fields

from .audit import append_event
from .context import ServiceContext
from .dossiers import diff, dossier_of, load_complaint, snapshot, write_dossier
from .erasure import is_erased
from .settings import get_setting, set_setting

EXTENSION_KEY = "closing_extension"
#: The event of an extension in the dossier's timeline (replayed by the tampering check).
EXTENSION_ACTION = "extension"
DEFAULT_EXTENSION_DAYS = 45
MAX_EXTENSION_DAYS = 365


@dataclass(frozen=True)
class ExtensionRule:
    """May the closing limit be extended (once per dossier), and by how many days."""

    allowed: bool = False
    days: int = DEFAULT_EXTENSION_DAYS


def extension_rule() -> ExtensionRule:
    """The configured rule; not allowed when nothing was configured."""
    stored = get_setting(EXTENSION_KEY, {})
    return ExtensionRule(
        bool(stored.get("allowed", False)), int(stored.get("days", DEFAULT_EXTENSION_DAYS))
    )


def set_extension_rule(ctx: ServiceContext, rule: ExtensionRule) -> None:
    """Store the rule (one transaction, audited); it holds for every extension from now on."""
    if not 1 <= rule.days <= MAX_EXTENSION_DAYS:
        raise InvalidInput(
            {"extension_days": f"Kies een verlenging tussen 1 en {MAX_EXTENSION_DAYS} dagen."}
        )
    summary = (
        f"Verlenging van de afsluittermijn toegestaan ({rule.days} dagen, één keer per dossier)"
        if rule.allowed
        else "Verlenging van de afsluittermijn niet toegestaan"
    )
    set_setting(ctx, EXTENSION_KEY, {"allowed": rule.allowed, "days": rule.days}, summary)


def extension_offered(dossier: Dossier, today: date, *, erased: bool = False) -> bool:
    """Whether the dossier view offers 'Termijn verlengen…' for this dossier today."""
    return (
        not erased and extension_rule().allowed and moves.extension_refusal(dossier, today) is None
    )


def extended_due(dossier: Dossier, rule: ExtensionRule | None = None) -> date:
    """The closing limit's due date once extended by the configured days."""
    return moves.original_closing_due(dossier) + timedelta(days=(rule or extension_rule()).days)


def extend_closing_limit(
    ctx: ServiceContext, complaint_id: int, motivation: str, on: date | None = None
) -> Dossier:
    """Extend the dossier's closing limit once by the configured days, dated ``on`` (today by
    default): the dossier, its next due date and an event in its timeline, together or not at
    all. Returns the extended dossier."""
    rule = extension_rule()
    if not rule.allowed:
        raise UserError(
            "Termijnen verlengen staat uit. Zet het aan bij Instellingen (tabblad Termijnen)."
        )
    check_fields({"extension_motivation": motivation})
    today = ctx.today()
    with database.atomic():
        row = load_complaint(complaint_id)
        if is_erased(complaint_id):
            raise UserError(f"Dossier {row.reference} werd geanonimiseerd.")
        before = snapshot(row)
        dossier = moves.extend_closing_limit(
            dossier_of(row), rule.days, motivation=motivation, on=on or today, today=today
        )
        write_dossier(row, dossier)
        row.extension_motivation = motivation.strip()
        row.updated_at = ctx.now()
        row.save()
        changed_before, changed_after = diff(before, snapshot(row))
        append_event(
            ctx,
            EXTENSION_ACTION,
            f"Termijn verlengd tot {short_date(closing_due(dossier))}: {motivation.strip()}",
            complaint_id=row.id,
            before=changed_before,
            after=changed_after,
        )
    return dossier
