"""Intake data (step 2), its validation, and the admissibility suggestions (step 6).

Validation normalises what it accepts (a phone number typed as ``0478 12 34 56`` becomes
``+32 478 12 34 56``) and raises :class:`InvalidInput` with a Dutch message per field for what
it does not. Suggestions are only suggestions: the coordinator decides.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from .dates import short_date
from .dossier import receipt_date_errors
from .errors import InvalidInput
from .input_checks import date_errors, field_problem
from .text_limits import FIELD_LIMITS, FREE_TEXT, TextLimit
from .vocabulary import ActKind, Channel, FormOfAddress, Ground, Nature, Route, Subject

if TYPE_CHECKING:
    from email_validator import ValidatedEmail
    from phonenumbers import PhoneNumber

# phonenumbers (with its geographic data) and email-validator take a quarter of a second to
# import: they are imported where a phone number or an e-mail address is first checked, not
# when klachtdesk starts (issue 14; tests/unit/test_lazy_imports.py keeps it so).

DEFAULT_PHONE_REGION = "BE"
DESCRIPTION_MAX = FREE_TEXT.max_chars


@dataclass(frozen=True)
class Intake:
    """Everything recorded when a complaint is received (steps 2-4)."""

    channel: Channel
    received_on: date
    description: str
    received_by: str
    coordinator_received_on: date | None = None
    name: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    forwarded_by: str = ""
    facts_on: date | None = None
    subject: Subject | None = None
    department_id: int | None = None
    person_concerned: str = ""
    nature: Nature | None = None
    act_kind: ActKind | None = None
    solved_immediately: bool = False
    immediate_solution: str = ""
    form_of_address: FormOfAddress = FormOfAddress.NONE
    #: Who brought the complaint in; None for dossiers from before it was asked ('niet
    #: ingevuld'). The intake wizard proposes 'rechtstreeks door de burger'.
    route: Route | None = None

    @property
    def is_anonymous(self) -> bool:
        return not self.name.strip()

    @property
    def address(self) -> str:
        return address_line(self.street, self.postal_code, self.city)


def place_line(postal_code: str, city: str) -> str:
    """ "3000 Leuven", or whichever of the two is known."""
    return " ".join(p for p in (postal_code.strip(), city.strip()) if p)


def address_line(street: str, postal_code: str, city: str) -> str:
    """The address on one line, as a letter or a list shows it: "Kerkstraat 12, 3000 Leuven"."""
    return ", ".join(p for p in (street.strip(), place_line(postal_code, city)) if p)


# Words that start a Flemish (or other) surname after the given name: "Van den Broeck".
_SURNAME_PARTICLES = frozenset(
    "de den der d' del della des di da du el al ben bin ibn abu la le lo op t' 't te ten ter "
    "van vande vanden vander ver von vd".split()
)


def surname(name: str) -> str:
    """The surname in a full name, as a salutation uses it: "Marleen De Smet" -> "De Smet".

    From the first particle after the given name ("Jan Van den Broeck" -> "Van den Broeck"),
    otherwise the last word; a single word is the whole name.
    """
    words = name.split()
    for index, word in enumerate(words[1:-1], start=1):
        if word.casefold() in _SURNAME_PARTICLES:
            return " ".join(words[index:])
    return words[-1] if words else ""


def salutation(form: FormOfAddress | str, name: str) -> str:
    """Who "Geachte ..." addresses: "mevrouw De Smet", "heer De Smet", "Marleen De Smet",
    or "mevrouw, meneer" when the name is not known."""
    form = FormOfAddress.from_code(str(form))
    name = " ".join(name.split())
    title = {FormOfAddress.MADAM: "mevrouw", FormOfAddress.SIR: "heer"}.get(form)
    if not name:
        return title or "mevrouw, meneer"
    return f"{title} {surname(name)}" if title else name


def _parse_phone(raw: str) -> PhoneNumber:
    import phonenumbers

    text = raw.strip()
    try:
        number = phonenumbers.parse(text, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"‘{text}’ is geen telefoonnummer.") from exc
    if not (phonenumbers.is_valid_number(number) or _unallocated_area(number)):
        raise ValueError(f"‘{text}’ is geen geldig telefoonnummer.")
    return number


def _unallocated_area(number: PhoneNumber) -> str:
    """The zone of a possible number not (yet) in the numbering data, e.g. 03 123 45 67.

    Such a number has the length and a known zone prefix of a real one, but its block is not
    listed as allocated (yet); empty for anything else (a digit missing, no zone recognised).
    """
    import phonenumbers
    from phonenumbers import geocoder

    if phonenumbers.is_valid_number(number) or not phonenumbers.is_possible_number(number):
        return ""
    zone = geocoder.description_for_valid_number(number, "nl")
    return "" if zone == geocoder.country_name_for_number(number, "nl") else zone


def normalize_phone(raw: str) -> str:
    """A phone number in international format, Belgian when no country code is given.

    Raises ValueError with a Dutch message when it is not a possible number. A possible
    number with a known zone that the numbering data do not list (yet) is accepted:
    :func:`phone_hint` then says so.
    """
    import phonenumbers

    number = _parse_phone(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_hint(raw: str) -> str:
    """A gentle Dutch remark on an accepted but unusual phone number; empty when none."""
    try:
        zone = _unallocated_area(_parse_phone(raw))
    except ValueError:
        return ""
    if not zone:
        return ""
    return (
        f"Let op: dit nummer is mogelijk in de zone {zone}, maar staat (nog) niet in de "
        "lijsten van toegekende nummers. Vraag het voor de zekerheid nog eens na."
    )


_NOT_IN_AN_ADDRESS = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029\ud800-\udfff]")


def normalize_email(raw: str) -> str:
    """An e-mail address checked for syntax only (no network look-up).

    Blanks around it are trimmed; a line break, control character or lone surrogate anywhere
    is refused (it would end up in a mail header). An international address is accepted: a
    domain in Unicode (jan@bücher.be) is sent in its IDNA form, a local part in Unicode
    (jürgen@...) needs a mail server offering SMTPUTF8 (see :func:`needs_smtputf8`).
    """
    text = raw.strip()
    shown = _NOT_IN_AN_ADDRESS.sub("", text)
    if _NOT_IN_AN_ADDRESS.search(text):
        raise ValueError(
            f"‘{shown}’ is geen geldig e-mailadres (het bevat een regeleinde of stuurteken)."
        )
    from email_validator import EmailNotValidError

    try:
        result = _validated_email(text)
    except EmailNotValidError as exc:
        raise ValueError(f"‘{text}’ is geen geldig e-mailadres.") from exc
    return str(result.normalized)


def _validated_email(text: str) -> ValidatedEmail:
    """email-validator's verdict on the syntax only (no network look-up)."""
    from email_validator import validate_email

    return validate_email(text, check_deliverability=False)


#: The texts of an intake, as typed or imported. Those on one line have their spaces tidied
#: (a line break from a spreadsheet cell or a paste reads as a space).
INTAKE_TEXTS = (
    "name", "street", "postal_code", "city", "phone", "email", "received_by", "forwarded_by",
    "person_concerned", "description", "immediate_solution",
)  # fmt: skip
_TIDIED = ("name", "street", "city", "received_by", "forwarded_by", "person_concerned")
_DATE_LABELS = {
    "received_on": "Ontvangen op",
    "coordinator_received_on": "Bij de coördinator op",
    "facts_on": "Datum van de feiten",
}


def intake_text_errors(intake: Intake) -> dict[str, str]:
    """Texts too long or holding characters no register can keep, and dates in a year it
    cannot hold, by field, in Dutch: judged on the text as typed (as the form's counter
    counts it); a line break in a one-line field is no error there, it becomes a space."""
    errors: dict[str, str] = {}
    for name in INTAKE_TEXTS:
        limit = FIELD_LIMITS[name]
        if name in _TIDIED:
            limit = TextLimit(limit.max_chars, multiline=True)
        if problem := field_problem(name, getattr(intake, name), limit=limit):
            errors[name] = problem
    errors.update(
        date_errors({name: (getattr(intake, name), label) for name, label in _DATE_LABELS.items()})
    )
    return errors


def address_parts(address: str) -> tuple[str, str]:
    """The local part and the domain in ASCII (IDNA) of a valid address, as a mail server is
    given them: ``jan@bücher.be`` -> ``("jan", "xn--bcher-kva.be")``. ValueError (Dutch) when
    the address is not valid."""
    normalized = normalize_email(address)
    result = _validated_email(normalized)
    return str(result.local_part), str(result.ascii_domain)


def needs_smtputf8(address: str) -> bool:
    """Whether mail to (or from) ``address`` needs a server offering SMTPUTF8: its local part
    (before the @) holds a character outside ASCII. A Unicode domain does not: it is sent in
    its IDNA form."""
    return not address.rsplit("@", 1)[0].isascii()


def validate_intake(intake: Intake, today: date) -> Intake:
    """Check the intake and return it normalised; raise InvalidInput listing every problem."""
    # A text or date refused here is not judged further (normalising it could fail), and
    # its refusal is the one shown for the field.
    refused = intake_text_errors(intake)
    errors: dict[str, str] = {}
    cleaned = replace(
        intake,
        name=" ".join(intake.name.split()),
        street=" ".join(intake.street.split()),
        postal_code=intake.postal_code.strip(),
        city=" ".join(intake.city.split()),
        description=intake.description.strip(),
        received_by=" ".join(intake.received_by.split()),
        forwarded_by=" ".join(intake.forwarded_by.split()),
        person_concerned=" ".join(intake.person_concerned.split()),
        immediate_solution=intake.immediate_solution.strip(),
        coordinator_received_on=intake.coordinator_received_on or intake.received_on,
    )
    try:  # a screen may hand the code back as a plain str (QVariant)
        cleaned = replace(
            cleaned, form_of_address=FormOfAddress.from_code(str(intake.form_of_address))
        )
    except ValueError:
        errors["form_of_address"] = "Kies een aanspreking: mevrouw, meneer of geen."
    if intake.route is not None:
        try:  # idem
            cleaned = replace(cleaned, route=Route.from_code(str(intake.route)))
        except ValueError:
            errors["route"] = "Kies via wie de klacht ingediend werd."
    if not cleaned.description:
        errors["description"] = "Geef een korte omschrijving van de klacht."
    if not cleaned.received_by:
        errors["received_by"] = "Vul in wie de klacht ontving."
    if cleaned.phone.strip() and "phone" not in refused:
        try:
            cleaned = replace(cleaned, phone=normalize_phone(cleaned.phone))
        except ValueError as exc:
            errors["phone"] = str(exc)
    else:
        cleaned = replace(cleaned, phone="")
    if cleaned.email.strip() and "email" not in refused:
        try:
            cleaned = replace(cleaned, email=normalize_email(cleaned.email))
        except ValueError as exc:
            errors["email"] = str(exc)
    else:
        cleaned = replace(cleaned, email="")
        if cleaned.channel is Channel.EMAIL:
            errors["email"] = "Een klacht per e-mail heeft een e-mailadres nodig voor het antwoord."
    if cleaned.postal_code and not re.fullmatch(r"[A-Za-z0-9 -]{3,10}", cleaned.postal_code):
        errors["postal_code"] = f"‘{cleaned.postal_code}’ is geen postcode."
    errors.update(
        receipt_date_errors(
            cleaned.received_on, cleaned.coordinator_received_on or cleaned.received_on, today
        )
    )
    if cleaned.facts_on is not None and cleaned.facts_on > cleaned.received_on:
        errors["facts_on"] = "De feiten kunnen niet na de klacht gebeurd zijn."
    if cleaned.solved_immediately and not cleaned.immediate_solution:
        errors["immediate_solution"] = "Beschrijf de oplossing die meteen geboden werd."
    errors = {**errors, **refused}
    if errors:
        raise InvalidInput(errors)
    return cleaned


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (or earlier); 29 February becomes 28 February.

    Beyond the calendar's ends (before year 1, after 9999) it is the first or last day there
    is, never an error.
    """
    year = day.year + years
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", without_accents).split())


def name_sort_key(name: str) -> str:
    """Where a name goes in an alphabetical list, as a Flemish reader expects: case, accents
    and punctuation do not count ("Élise" by "Elise", "de Smet" by "De Smet"), and a prefix
    is part of the name ("Van Damme" under V)."""
    return _fold(name)


def person_keys(intake: Intake) -> set[str]:
    """Keys that identify the complainant: name + address, e-mail, or phone.

    Two complaints sharing a key are probably from the same person (step 6, ground 2).
    Expects a validated intake (normalised phone and e-mail).
    """
    keys: set[str] = set()
    if intake.email:
        keys.add("email:" + intake.email.casefold())
    if intake.phone:
        keys.add("phone:" + re.sub(r"\D", "", intake.phone))
    if intake.name.strip() and intake.street.strip():
        keys.add(f"person:{_fold(intake.name)}|{_fold(intake.street)}|{_fold(intake.postal_code)}")
    return keys


@dataclass(frozen=True)
class EarlierComplaint:
    """An earlier complaint by (probably) the same person, as the register found it."""

    complaint_id: int
    reference: str
    received_on: date
    matched_on: frozenset[str]


@dataclass(frozen=True)
class Suggestion:
    """A ground the coordinator should consider, and why."""

    ground: Ground
    reason: str
    earlier: tuple[EarlierComplaint, ...] = ()


_MATCH_LABELS = {"email": "e-mailadres", "phone": "telefoonnummer", "person": "naam en adres"}


def matched_on_label(matched_on: Iterable[str]) -> str:
    """The Dutch words for what an earlier complaint matched on, e.g. 'e-mailadres'."""
    kinds = sorted({key.split(":", 1)[0] for key in matched_on})
    return " en ".join(_MATCH_LABELS.get(kind, kind) for kind in kinds)


def suggest_grounds(intake: Intake, earlier: Iterable[EarlierComplaint]) -> list[Suggestion]:
    """The inadmissibility grounds the intake hints at. The coordinator decides."""
    suggestions: list[Suggestion] = []
    earlier = tuple(sorted(earlier, key=lambda e: e.received_on))
    if earlier:
        listed = ", ".join(f"{e.reference} ({matched_on_label(e.matched_on)})" for e in earlier)
        suggestions.append(
            Suggestion(
                Ground.FILED_BEFORE,
                f"Deze persoon diende eerder een klacht in: {listed}. "
                "Ga na of het over dezelfde feiten gaat.",
                earlier,
            )
        )
    if intake.facts_on is not None and intake.facts_on < add_years(intake.received_on, -1):
        suggestions.append(
            Suggestion(
                Ground.OLDER_THAN_A_YEAR,
                f"De feiten ({short_date(intake.facts_on)}) liggen meer dan een jaar vóór de "
                f"klacht ({short_date(intake.received_on)}).",
            )
        )
    if intake.is_anonymous:
        suggestions.append(Suggestion(Ground.ANONYMOUS, "De klager gaf geen naam op."))
    suggestions.sort(key=lambda s: s.ground.number)
    return suggestions
