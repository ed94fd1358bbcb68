"""Dutch words for counts: '1 dossier', '2 dossiers' — never '1 dossiers' or 'dossier(s)' —
and numbers as a Flemish reader writes them: '21.543', '12,5', '12,5 %'."""

from __future__ import annotations

from babel import Locale
from babel.numbers import format_decimal, format_percent

FLEMISH = Locale.parse("nl_BE")  # parsed once: a Cijfers refresh formats some 400 numbers

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
    "rij": "rijen",
    "afwijking": "afwijkingen",
    "beveiliging": "beveiligingen",
    "ander document": "andere documenten",
    "herinnering": "herinneringen",
}


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun``, singular for one, the number as a Flemish reader writes it:
    counted(1, "dossier") == "1 dossier", counted(100000, "dossier") == "100.000 dossiers"."""
    return f"{number(count)} {noun if count == 1 else PLURALS[noun]}"


def number(value: float, decimals: int = 0) -> str:
    """'21.543' for 21543; with ``decimals`` 1: '23,4' (rounded)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, pattern, locale=FLEMISH)


def percent(share: float, decimals: int = 1) -> str:
    """A share from 0 to 1 as a percentage: '12,5 %'."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + " %"
    return format_percent(share, pattern, locale=FLEMISH)
