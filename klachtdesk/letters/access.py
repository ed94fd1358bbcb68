"""Right of access (AVG/GDPR art. 15): everything the register holds about one person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .documents import Setup
from .layout import Block, Bullets, Facts, Heading, Letter, Text


@dataclass(frozen=True)
class AccessDossier:
    """One dossier about the person, as plain data."""

    reference: str
    facts: Sequence[tuple[str, str]]
    events: Sequence[tuple[str, str]]  # when, what
    documents: Sequence[str]  # the files written beside the PDF


def access_report(
    setup: Setup, day: date, person: str, matched_on: str, dossiers: Sequence[AccessDossier]
) -> Letter:
    """The overview a coordinator hands over to answer a request for access."""
    body: list[Block] = [
        Text(
            f"Overzicht van alle gegevens over {person} in het klachtenregister, op vraag van "
            "de betrokkene (recht op inzage, artikel 15 van de Algemene Verordening "
            f"Gegevensbescherming). Gezocht op {matched_on}: {len(dossiers)} "
            f"{'dossier' if len(dossiers) == 1 else 'dossiers'}. De documenten van de dossiers "
            "zijn als aparte bestanden bijgevoegd."
        ),
        Text(
            "Doel van de verwerking: de behandeling van klachten volgens het klachtenreglement "
            "(Decreet Lokaal Bestuur). De gegevens worden bewaard tot de bewaartermijn na het "
            "afsluiten van het dossier verstreken is en daarna geanonimiseerd."
        ),
    ]
    for dossier in dossiers:
        body.append(Heading(f"Dossier {dossier.reference}"))
        body.append(Facts(dossier.facts))
        body.append(Heading(f"Verloop van dossier {dossier.reference}"))
        body.append(Bullets([f"{when}: {what}" for when, what in dossier.events] or ["-"]))
        body.append(Heading(f"Documenten van dossier {dossier.reference}"))
        body.append(Bullets(list(dossier.documents) or ["Geen documenten."]))
    return Letter(
        letterhead=setup.letterhead,
        reference=dossiers[0].reference if dossiers else "",
        day=day,
        place=setup.place,
        subject="Inzage in persoonsgegevens (AVG art. 15)",
        body=body,
        signatory=setup.coordinator,
        contact_line="",
        title=f"Inzage persoonsgegevens {person}",
    )
