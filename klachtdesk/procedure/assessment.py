"""Step 10, what the assessment records beside the outcome: how far a (partly) well-founded
complaint was resolved (mate van oplossing) and which ombudsnormen it touched.

The yearly report counts both, so the rules are strict where the Vlaamse Ombudsdienst's
reporting needs an answer and open elsewhere:

- gegrond and deels gegrond need a mate van oplossing; no other outcome has one;
- gegrond, deels gegrond and 'gegrond maar reeds gecorrigeerd' need at least one norm (a
  complaint found right was right about *something*); for the others norms are optional.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import InvalidInput
from .vocabulary import Norm, NormGroup, Outcome, Resolution

#: Outcomes for which the complaint was (at least partly) right: a norm was touched.
NORM_REQUIRED = frozenset({Outcome.WELL_FOUNDED, Outcome.PARTLY_WELL_FOUNDED, Outcome.CORRECTED})


def requires_resolution(outcome: Outcome) -> bool:
    """Gegrond and deels gegrond are recorded with how far they were resolved."""
    return outcome in (Outcome.WELL_FOUNDED, Outcome.PARTLY_WELL_FOUNDED)


def requires_norm(outcome: Outcome) -> bool:
    """At least one ombudsnorm for the outcomes in :data:`NORM_REQUIRED`."""
    return outcome in NORM_REQUIRED


def norms_by_group() -> dict[NormGroup, list[Norm]]:
    """The 15 norms under their two groups, in the Ombudsdienst's order (as a list shows)."""
    grouped: dict[NormGroup, list[Norm]] = {group: [] for group in NormGroup}
    for norm in Norm:
        grouped[norm.group].append(norm)
    return grouped


def sorted_norms(norms: Iterable[Norm]) -> list[Norm]:
    """Norms in the Ombudsdienst's order."""
    return sorted(set(norms), key=lambda n: n.number)


def check_assessment_record(
    outcome: Outcome,
    resolution: Resolution | str | None,
    norms: Iterable[Norm | str],
) -> tuple[Resolution | None, frozenset[Norm]]:
    """The mate van oplossing and norms to store with ``outcome``, checked.

    Codes coming back from a screen as plain strings are accepted. Raises InvalidInput with
    a Dutch message per field ('resolution', 'norms') for what the rules above refuse.
    """
    errors: dict[str, str] = {}
    chosen_resolution: Resolution | None = None
    if resolution is not None:
        try:
            chosen_resolution = Resolution.from_code(str(resolution))
        except ValueError:
            errors["resolution"] = "Kies een geldige mate van oplossing."
    chosen_norms: set[Norm] = set()
    for norm in norms:
        try:
            chosen_norms.add(Norm.from_code(str(norm)))
        except ValueError:
            errors["norms"] = f"‘{norm}’ is geen ombudsnorm."
    if "resolution" not in errors:
        if requires_resolution(outcome) and chosen_resolution is None:
            labels = [r.label for r in Resolution]
            errors["resolution"] = (
                f"Kies bij de beoordeling ‘{outcome.label}’ de mate van oplossing: "
                f"{', '.join(labels[:-1])} of {labels[-1]}."
            )
        elif not requires_resolution(outcome) and chosen_resolution is not None:
            errors["resolution"] = (
                "Een mate van oplossing hoort enkel bij een gegronde of deels gegronde klacht."
            )
    if "norms" not in errors and requires_norm(outcome) and not chosen_norms:
        errors["norms"] = (
            f"Vink bij de beoordeling ‘{outcome.label}’ minstens één ombudsnorm aan die de "
            "klacht raakt."
        )
    if errors:
        raise InvalidInput(errors)
    return chosen_resolution, frozenset(chosen_norms)
