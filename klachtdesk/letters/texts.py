"""The standard texts of the letters, with placeholders, and their checking.

A coordinator may rewrite every paragraph in Settings. Placeholders are written like
``{naam}``; an unknown one is refused when the text is saved, so a letter never goes out
with a hole in it. Values are plain text: whatever a citizen typed is shown as typed.
"""

from __future__ import annotations

from string import Formatter

from klachtdesk.procedure import Ground, InvalidInput, NoJudgementReason

#: Every placeholder a standard text may use, with what it stands for (shown in Settings).
PLACEHOLDERS: dict[str, str] = {
    "naam": "naam van de klager",
    "aanspreking": "wie ‘Geachte …’ aanspreekt, bv. mevrouw De Smet",
    "referentie": "ons kenmerk, bv. 2026-0042",
    "ontvangen_op": "datum waarop de klacht ontvangen werd",
    "antwoord_uiterlijk": "datum waartegen de klager een antwoord mag verwachten",
    "antwoord_oorspronkelijk": "datum waartegen de klager eerst een antwoord mocht verwachten (vóór de verlenging)",
    "behandelaar": "naam van de klachtenbehandelaar",
    "onderzocht_door": "wie de klacht onderzoekt: de behandelaar en/of de dienst",
    "redenen": "‘reden’ of ‘redenen’, naar het aantal gronden",
    "dienst": "de dienst waarover de klacht gaat",
    "coordinator": "naam van de klachtencoördinator",
    "bestuur": "naam van het bestuur",
    "beoordeling": "de beoordeling van de klacht, in woorden",
    "oplossing": "de oplossing, als er een is",
}

#: The paragraphs of each letter, in the order they appear.
DEFAULT_TEXTS: dict[str, str] = {
    "aanhef": "Geachte {aanspreking},",
    "ontvangst_ontvankelijk": (
        "Op {ontvangen_op} ontvingen wij uw klacht. Uw klacht is ontvankelijk: dat betekent "
        "dat ze voldoet aan de voorwaarden van onze klachtenprocedure en dat wij ze nu "
        "grondig onderzoeken."
    ),
    "termijn": (
        "Uw klacht wordt onderzocht door {onderzocht_door}. U mag uiterlijk op "
        "{antwoord_uiterlijk} een antwoord verwachten."
    ),
    "ontvangst_niet_ontvankelijk": (
        "Op {ontvangen_op} ontvingen wij uw klacht. Na onderzoek moeten wij u meedelen dat "
        "uw klacht niet ontvankelijk is. Wij kunnen ze daarom niet verder behandelen, om de "
        "volgende {redenen}:"
    ),
    # One text for every letter that must say where the citizen can still go.
    "elders_terecht": (
        "Bent u het niet eens met onze beslissing of met ons antwoord, dan kunt u zich "
        "wenden tot de Vlaamse Ombudsdienst (www.vlaamseombudsdienst.be, gratis nummer 1700)."
    ),
    "contact": (
        "Heeft u nog vragen, neem dan contact op met de klachtencoördinator, {coordinator}. "
        "Vermeld daarbij altijd ons kenmerk {referentie}."
    ),
    "antwoord_inleiding": (
        "Op {ontvangen_op} diende u een klacht in. De klachtenbehandelaar heeft uw klacht "
        "onderzocht. Hieronder leest u het resultaat."
    ),
    "antwoord_beoordeling": "Wij beoordelen uw klacht als {beoordeling}.",
    "antwoord_oplossing": "Om het probleem op te lossen, doen wij het volgende. {oplossing}",
    # The notice that the closing limit is extended (issue 15); the reasons follow it.
    "verlenging_inleiding": (
        "Op {ontvangen_op} ontvingen wij uw klacht. Wij lieten u weten dat u uiterlijk op "
        "{antwoord_oorspronkelijk} een antwoord mocht verwachten. Het onderzoek van uw klacht "
        "vraagt echter meer tijd. Daarom verlengen wij de termijn om u te antwoorden, om de "
        "volgende reden:"
    ),
    "verlenging_termijn": (
        "U mag nu uiterlijk op {antwoord_uiterlijk} een antwoord verwachten. Onze "
        "klachtenregeling laat toe deze termijn één keer te verlengen; hij wordt dus niet "
        "opnieuw verlengd."
    ),
    "slot": "Met vriendelijke groeten,",
}

TEXT_LABELS: dict[str, str] = {
    "aanhef": "Aanhef",
    "ontvangst_ontvankelijk": "Ontvangstmelding – ontvankelijk",
    "termijn": "Ontvangstmelding – termijn en behandelaar",
    "ontvangst_niet_ontvankelijk": "Ontvangstmelding – niet ontvankelijk",
    "elders_terecht": "Waar de klager nog terecht kan",
    "contact": "Contact",
    "antwoord_inleiding": "Motiverende brief – inleiding",
    "antwoord_beoordeling": "Motiverende brief – beoordeling",
    "antwoord_oplossing": "Motiverende brief – oplossing",
    "verlenging_inleiding": "Kennisgeving verlenging – inleiding",
    "verlenging_termijn": "Kennisgeving verlenging – nieuwe termijn",
    "slot": "Slot",
}

#: The grounds' explanations are standard texts too, under these keys.
GROUND_KEYS = {ground: f"grond_{ground.value}" for ground in Ground}
for _ground, _key in GROUND_KEYS.items():
    DEFAULT_TEXTS[_key] = _ground.explanation
    TEXT_LABELS[_key] = f"Grond {_ground.number}: {_ground.label}"

#: The reasoned reply for "geen oordeel" says which of the three reasons applies.
NO_JUDGEMENT_KEYS = {reason: f"geen_oordeel_{reason.value}" for reason in NoJudgementReason}
_NO_JUDGEMENT_TEXTS = {
    NoJudgementReason.UNCLEAR: (
        "Wij kunnen over uw klacht geen oordeel geven: ook na onderzoek blijft onvoldoende "
        "duidelijk wat er precies gebeurd is."
    ),
    NoJudgementReason.DOUBT: (
        "Wij kunnen over uw klacht geen oordeel geven: het blijft twijfelachtig of er beter "
        "bestuurd had kunnen worden."
    ),
    NoJudgementReason.TOO_SMALL: (
        "Wij kunnen over uw klacht geen oordeel geven: de fout is te klein om in aanmerking "
        "te nemen."
    ),
}
for _reason, _key in NO_JUDGEMENT_KEYS.items():
    DEFAULT_TEXTS[_key] = _NO_JUDGEMENT_TEXTS[_reason]
    TEXT_LABELS[_key] = f"Motiverende brief – geen oordeel: {_reason.label}"


def placeholders_in(text: str) -> list[str]:
    """The placeholder names a text uses; raises InvalidInput for broken braces."""
    try:
        return [name for _, name, _, _ in Formatter().parse(text) if name is not None]
    except ValueError as exc:
        raise InvalidInput(
            {
                "text": "Accolades { } horen bij een veld zoals {naam}; schrijf {{ of }} voor een gewone accolade."
            }
        ) from exc


def check_text(key: str, text: str) -> str:
    """The text if it may be saved as standard text ``key``; InvalidInput otherwise."""
    if key not in DEFAULT_TEXTS:
        raise InvalidInput({"key": f"Er is geen standaardtekst ‘{key}’."})
    unknown = sorted({name for name in placeholders_in(text) if name not in PLACEHOLDERS})
    if unknown:
        known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        raise InvalidInput(
            {
                "text": "Onbekend veld "
                + ", ".join("{" + name + "}" for name in unknown)
                + f" in ‘{TEXT_LABELS[key]}’. Deze velden bestaan: {known}."
            }
        )
    if not text.strip():
        raise InvalidInput({"text": f"‘{TEXT_LABELS[key]}’ mag niet leeg zijn."})
    return text


def fill(text: str, values: dict[str, str]) -> str:
    """The text with its placeholders filled in (missing values become empty)."""
    return text.format_map({name: values.get(name, "") for name in PLACEHOLDERS})
