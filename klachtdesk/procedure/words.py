"""Dutch words for counts: '1 dossier', '2 dossiers' — never '1 dossiers' or 'dossier(s)'."""

from __future__ import annotations

#: The plural of the nouns klachtdesk counts.
PLURALS = {
    "dossier": "dossiers",
    "gebeurtenis": "gebeurtenissen",
    "document": "documenten",
    "geanonimiseerd dossier": "geanonimiseerde dossiers",
    "dag": "dagen",
    "klacht": "klachten",
    "termijn": "termijnen",
    "pagina": "pagina's",
    "verbeteractie": "verbeteracties",
}


def counted(number: int, noun: str) -> str:
    """``number`` and ``noun``, singular for one: counted(1, "dossier") == "1 dossier"."""
    return f"{number} {noun if number == 1 else PLURALS[noun]}"
