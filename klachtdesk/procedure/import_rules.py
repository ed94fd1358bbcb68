"""Rules for importing an earlier register kept in a spreadsheet (issue 12, §5).

Pure: the cells come in as plain Python values (str, int, float, date, datetime, None), read
by :mod:`klachtdesk.services.importing`; nothing here opens a file or a database, and "today"
is a parameter.

The steps: find the header row below any title rows (:func:`find_header_row`), guess which
column holds which klachtdesk field from its Dutch header (:func:`guess_columns`), map the
values of the channel, department, outcome and ground columns (:func:`guess_values`), and turn
each data row into a planned dossier or a refusal with a Dutch reason (:func:`plan_row`).

Dossier dates the sheet does not give stay empty (NULL): an import never invents a date, so
no limit is counted as met or late on a date nobody wrote down. A closed imported dossier has
``reply_sent_on`` and ``closed_on`` (the reply's date) and ``acknowledged_on`` only when the
sheet gives it; ``decided_on``, ``sent_to_handler_on``, ``assessed_on``, ``first_returned_on``,
``last_returned_on`` and ``approved_on`` stay NULL. An inadmissible row without any date is
closed on its date of receipt (``closed_on``; nothing else dated); one with a reply date
is decided and closed on it (``decided_on``, ``closed_on``). An admissible row without
a reply whose closing limit has passed is refused (see :func:`plan_row`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from .dossier import Dossier
from .errors import InvalidInput
from .input_checks import field_problem
from .intake import Intake, intake_text_errors, validate_intake
from .limits import DossierLimits
from .states import State
from .text_limits import has_forbidden_characters
from .vocabulary import Channel, Ground, LabeledEnum, Outcome

Cell = str | int | float | date | datetime | time | timedelta | None

#: Rows scanned for the header row (title rows and blank rows above it).
HEADER_SEARCH_ROWS = 30
#: The channel guessed for every row of a sheet without a channel column: an earlier register
#: kept by hand mostly records the written complaints (letters, forms brought in); the
#: coordinator can choose another on the mapping page.
DEFAULT_CHANNEL = Channel.LETTER
#: Who received an imported complaint, when the sheet does not say.
DEFAULT_RECEIVED_BY = "geïmporteerd register"


class ImportField(LabeledEnum):
    """A klachtdesk field a spreadsheet column can fill; the label is what the mapping shows."""

    RECEIVED_ON = "received_on", "Datum ontvangst"
    NAME = "name", "Naam"
    ADDRESS = "address", "Adres (volledig)"
    STREET = "street", "Straat en nummer"
    POSTAL_CODE = "postal_code", "Postcode"
    CITY = "city", "Gemeente"
    PHONE = "phone", "Telefoon"
    EMAIL = "email", "E-mail"
    CHANNEL = "channel", "Kanaal"
    DEPARTMENT = "department", "Dienst"
    DESCRIPTION = "description", "Omschrijving"
    ADMISSIBLE = "admissible", "Ontvankelijk"
    GROUND = "ground", "Reden niet ontvankelijk"
    HANDLER = "handler", "Behandelaar"
    OUTCOME = "outcome", "Uitkomst"
    ACKNOWLEDGED_ON = "acknowledged_on", "Datum ontvangstmelding"
    REPLY_SENT_ON = "reply_sent_on", "Datum antwoord"
    RECEIVED_BY = "received_by", "Ontvangen door"


def fold(text: str) -> str:
    """A header or value as compared: case, accents, punctuation and spacing do not count,
    '&' reads as 'en'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("&", " en "))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain).replace("_", " ").split())


# Header words per field, folded. An exact header beats a header that starts with the words,
# which beats one that merely contains them; longer words beat shorter ones.
HEADER_WORDS: dict[ImportField, tuple[str, ...]] = {
    ImportField.RECEIVED_ON: (
        "datum",
        "datum ontvangst",
        "ontvangen op",
        "datum klacht",
        "ingediend op",
        "datum indiening",
        "binnengekomen",
        "ontvangstdatum",
    ),
    ImportField.NAME: ("naam", "naam klager", "klager", "indiener", "naam indiener"),
    ImportField.ADDRESS: ("adres", "adres klager", "woonadres"),
    ImportField.STREET: ("straat", "straat en nummer", "straat nr", "straatnaam"),
    ImportField.POSTAL_CODE: ("postcode", "postnummer"),
    ImportField.CITY: ("gemeente", "woonplaats", "plaats", "stad", "deelgemeente"),
    ImportField.PHONE: ("telefoon", "tel", "telefoonnummer", "gsm", "telefoon gsm"),
    ImportField.EMAIL: ("e mail", "email", "mail", "e mailadres", "emailadres", "mailadres"),
    ImportField.CHANNEL: ("kanaal", "ontvangen via", "via", "medium", "wijze van indienen"),
    ImportField.DEPARTMENT: ("dienst", "afdeling", "betrokken dienst", "dienst afdeling"),
    ImportField.DESCRIPTION: ("omschrijving", "klacht", "inhoud", "beschrijving", "onderwerp"),
    ImportField.ADMISSIBLE: ("ontvankelijk", "ontvankelijkheid", "ontvankelijk ja nee"),
    ImportField.GROUND: ("reden", "grond", "reden niet ontvankelijk", "onontvankelijk omdat"),
    ImportField.HANDLER: ("behandelaar", "klachtenbehandelaar", "behandeld door"),
    ImportField.OUTCOME: ("beslissing", "uitkomst", "resultaat", "oordeel", "conclusie"),
    ImportField.ACKNOWLEDGED_ON: (
        "datum ontvangstmelding",
        "ontvangstmelding",
        "ontvangstbevestiging",
        "datum ontvangstbevestiging",
    ),
    ImportField.REPLY_SENT_ON: (
        "datum antwoord",
        "antwoord op",
        "beantwoord op",
        "datum afhandeling",
        "afgehandeld op",
        "datum beslissing",
    ),
    ImportField.RECEIVED_BY: ("ontvangen door", "genoteerd door", "geregistreerd door"),
}


def _header_score(header: str, word: str) -> int:
    if header == word:
        return 3000 + len(word)
    if header.startswith(word + " "):
        return 2000 + len(word)
    if f" {word} " in f" {header} ":
        return 1000 + len(word)
    return 0


def header_field(header: Cell) -> tuple[ImportField | None, int]:
    """The field a header names, and how sure that is (0: not at all)."""
    if not isinstance(header, str):
        return None, 0
    folded = fold(header)
    best: tuple[ImportField | None, int] = (None, 0)
    for import_field, words in HEADER_WORDS.items():
        for word in words:
            score = _header_score(folded, word)
            if score > best[1]:
                best = (import_field, score)
    return best


def is_empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def find_header_row(rows: Sequence[Sequence[Cell]]) -> int:
    """The index of the row holding the column headers: the first row among the top ones that
    names the most known fields (title rows and blank rows above it are passed over).

    Raises InvalidInput when no row names at least two fields.
    """
    best_index, best_count = -1, 1
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        named = {header_field(cell)[0] for cell in row} - {None}
        if len(named) > best_count:
            best_index, best_count = index, len(named)
    if best_index < 0:
        raise InvalidInput(
            {
                "header": "Geen rij met kolomtitels gevonden (zoals ‘datum’, ‘naam’, "
                "‘omschrijving’). Zet de titels in één rij boven de gegevens."
            }
        )
    return best_index


def guess_columns(headers: Sequence[Cell]) -> dict[ImportField, int]:
    """Which column (0-based) holds each field, guessed from the headers; each column and
    each field is used at most once, the surest guesses first."""
    guesses = sorted(
        (
            (score, -column, import_field)
            for column, header in enumerate(headers)
            for import_field, score in [header_field(header)]
            if import_field is not None
        ),
        key=lambda g: (-g[0], -g[1]),
    )
    columns: dict[ImportField, int] = {}
    used: set[int] = set()
    for _score, negative_column, import_field in guesses:
        column = -negative_column
        if import_field in columns or column in used:
            continue
        columns[import_field] = column
        used.add(column)
    return columns


# ---- values -----------------------------------------------------------------------------


class OutcomeChoice(LabeledEnum):
    """What an outcome cell can say: one of the outcomes, or that the complaint was
    inadmissible (sheets often keep that in the same column)."""

    WELL_FOUNDED = "well_founded", Outcome.WELL_FOUNDED.label
    PARTLY_WELL_FOUNDED = "partly_well_founded", Outcome.PARTLY_WELL_FOUNDED.label
    CORRECTED = "corrected", Outcome.CORRECTED.label
    UNFOUNDED = "unfounded", Outcome.UNFOUNDED.label
    NO_JUDGEMENT = "no_judgement", Outcome.NO_JUDGEMENT.label
    STOPPED_BY_CITIZEN = "stopped_by_citizen", Outcome.STOPPED_BY_CITIZEN.label
    INADMISSIBLE = "inadmissible", "niet ontvankelijk"

    @property
    def outcome(self) -> Outcome | None:
        return None if self is OutcomeChoice.INADMISSIBLE else Outcome.from_code(self.value)


CHANNEL_WORDS: dict[str, Channel] = {
    **{fold(c.label): c for c in Channel},
    "tel": Channel.PHONE,
    "telefonisch": Channel.PHONE,
    "gsm": Channel.PHONE,
    "email": Channel.EMAIL,
    "mail": Channel.EMAIL,
    "e mail": Channel.EMAIL,
    "brief": Channel.LETTER,
    "fax": Channel.LETTER,
    "post": Channel.LETTER,
    "schriftelijk": Channel.LETTER,
    "per brief": Channel.LETTER,
    "web": Channel.WEBSITE,
    "online": Channel.WEBSITE,
    "webformulier": Channel.WEBSITE,
    "formulier": Channel.WEBSITE,
    "e loket": Channel.WEBSITE,
    "loket": Channel.IN_PERSON,
    "mondeling": Channel.IN_PERSON,
    "balie": Channel.IN_PERSON,
    "persoonlijk": Channel.IN_PERSON,
    "onthaal": Channel.IN_PERSON,
}

OUTCOME_WORDS: dict[str, OutcomeChoice] = {
    **{fold(c.label): c for c in OutcomeChoice},
    "gegrond": OutcomeChoice.WELL_FOUNDED,
    "deels gegrond": OutcomeChoice.PARTLY_WELL_FOUNDED,
    "gedeeltelijk gegrond": OutcomeChoice.PARTLY_WELL_FOUNDED,
    "gegrond maar gecorrigeerd": OutcomeChoice.CORRECTED,
    "gegrond reeds gecorrigeerd": OutcomeChoice.CORRECTED,
    "gegrond maar reeds gecorrigeerd": OutcomeChoice.CORRECTED,
    "gecorrigeerd": OutcomeChoice.CORRECTED,
    "ongegrond": OutcomeChoice.UNFOUNDED,
    "niet gegrond": OutcomeChoice.UNFOUNDED,
    "geen oordeel": OutcomeChoice.NO_JUDGEMENT,
    "stopzetting": OutcomeChoice.STOPPED_BY_CITIZEN,
    "stopgezet": OutcomeChoice.STOPPED_BY_CITIZEN,
    "ingetrokken": OutcomeChoice.STOPPED_BY_CITIZEN,
    "niet ontvankelijk": OutcomeChoice.INADMISSIBLE,
    "onontvankelijk": OutcomeChoice.INADMISSIBLE,
}

GROUND_WORDS: dict[str, Ground] = {
    **{fold(g.label): g for g in Ground},
    **{str(g.number): g for g in Ground},
    "vraag": Ground.NOT_A_COMPLAINT,
    "melding": Ground.NOT_A_COMPLAINT,
    "geen klacht melding": Ground.NOT_A_COMPLAINT,
    "eerder ingediend": Ground.FILED_BEFORE,
    "reeds ingediend": Ground.FILED_BEFORE,
    "ouder dan een jaar": Ground.OLDER_THAN_A_YEAR,
    "meer dan een jaar": Ground.OLDER_THAN_A_YEAR,
    "te laat": Ground.OLDER_THAN_A_YEAR,
    "beroep mogelijk": Ground.APPEALS_NOT_USED,
    "rechtbank": Ground.JUDICIAL_APPEAL_PENDING,
    "geen persoonlijk belang": Ground.NO_INTEREST,
    "beleid": Ground.POLICY,
    "regelgeving": Ground.POLICY,
    "andere overheid": Ground.NOT_LOCAL_GOVERNMENT,
    "niet lokaal": Ground.NOT_LOCAL_GOVERNMENT,
}

YES_WORDS = frozenset({"ja", "j", "yes", "x", "1", "ok", "ontvankelijk", "waar", "true"})
NO_WORDS = frozenset(
    {"nee", "neen", "n", "no", "0", "niet ontvankelijk", "onontvankelijk", "onwaar", "false"}
)


# Control characters (C0, DEL, C1) and lone surrogates: they break the report's XML and are
# never meant; whitespace among them becomes a space.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text without control characters or lone surrogates, spaces trimmed and not doubled
    (tabs and line breaks read as a space)."""
    return " ".join(_CONTROL.sub("", text).split())


def _number_text(number: float) -> str:
    # As Excel's 'Standaard' format shows a number: at most 15 significant digits.
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.15g}".replace("e+", "E+").replace("e-", "E-")


def cell_text(cell: Cell) -> str:
    """A cell as text, as the coordinator sees it in the sheet: trailing and doubled spaces and
    control characters removed, numbers without '.0' (at most 15 digits), truth values as
    WAAR/ONWAAR, times and durations as h:mm(:ss)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "WAAR" if cell else "ONWAAR"
    if isinstance(cell, datetime):
        if cell.time() == datetime.min.time():
            return f"{cell:%d/%m/%Y}"
        return f"{cell:%d/%m/%Y %H:%M}"
    if isinstance(cell, date):
        return f"{cell:%d/%m/%Y}"
    if isinstance(cell, time):
        return f"{cell:%H:%M}" if not cell.second else f"{cell:%H:%M:%S}"
    if isinstance(cell, timedelta):
        seconds = int(cell.total_seconds())
        sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
        return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    if isinstance(cell, float):
        return _number_text(cell)
    return clean_text(str(cell))


@dataclass(frozen=True)
class ImportMapping:
    """How a sheet's columns and values become klachtdesk's.

    ``columns``: field → column index (0-based). Value maps are keyed by the folded cell text
    (:func:`fold`); ``departments`` maps to the department's name (an existing one, or one the
    import creates). A value missing from a map is looked up in the standard words; a value
    mapped to None is refused.
    """

    header_row: int
    columns: dict[ImportField, int]
    channels: dict[str, Channel | None] = field(default_factory=dict)
    departments: dict[str, str | None] = field(default_factory=dict)
    outcomes: dict[str, OutcomeChoice | None] = field(default_factory=dict)
    grounds: dict[str, Ground | None] = field(default_factory=dict)
    default_channel: Channel | None = None
    """The channel of a row whose channel cell is empty (or of every row, when no column holds
    the channel); None: such a row is refused."""

    def with_column(self, import_field: ImportField, column: int | None) -> ImportMapping:
        """The same mapping with ``import_field`` read from ``column`` (None: not used)."""
        columns = {f: c for f, c in self.columns.items() if f is not import_field}
        if column is not None:
            columns = {f: c for f, c in columns.items() if c != column}
            columns[import_field] = column
        return replace(self, columns=columns)


def column_values(
    rows: Sequence[Sequence[Cell]], mapping: ImportMapping, import_field: ImportField
) -> list[str]:
    """The distinct texts (as written, trimmed) of one field's column below the header."""
    column = mapping.columns.get(import_field)
    if column is None:
        return []
    seen: dict[str, None] = {}
    for row in rows[mapping.header_row + 1 :]:
        text = cell_text(row[column]) if column < len(row) else ""
        if text:
            seen.setdefault(text, None)
    return list(seen)


def department_spelling_key(name: str) -> str:
    """Spellings of one department fold to one key: 'Milieu & Afval ', 'milieu en afval',
    'MILIEU-EN-AFVAL'; a leading 'dienst' does not count."""
    key = fold(name)
    return key.removeprefix("dienst ").strip()


def guess_values(
    rows: Sequence[Sequence[Cell]],
    mapping: ImportMapping,
    existing_departments: Iterable[str],
) -> ImportMapping:
    """The mapping with value maps for every value found in the sheet: channels, outcomes and
    grounds from the standard words (None where unknown), each department spelling to an
    existing department, or to its most frequent spelling in the sheet (a new department)."""
    channels = {
        fold(v): CHANNEL_WORDS.get(fold(v))
        for v in column_values(rows, mapping, ImportField.CHANNEL)
    }
    outcomes = {
        fold(v): OUTCOME_WORDS.get(fold(v))
        for v in column_values(rows, mapping, ImportField.OUTCOME)
    }
    grounds = {
        fold(v): GROUND_WORDS.get(fold(v)) for v in column_values(rows, mapping, ImportField.GROUND)
    }
    existing = {department_spelling_key(name): name for name in existing_departments}
    spellings: dict[str, Counter[str]] = {}
    column = mapping.columns.get(ImportField.DEPARTMENT)
    if column is not None:
        for row in rows[mapping.header_row + 1 :]:
            text = cell_text(row[column]) if column < len(row) else ""
            if text:
                spellings.setdefault(department_spelling_key(text), Counter())[text] += 1
    departments: dict[str, str | None] = {}
    for key, counts in spellings.items():
        # A spelling written as a name (capital first, not all capitals), the most frequent
        # of those, then the first seen.
        spelled = list(counts)
        name = existing.get(key) or max(
            spelled,
            key=lambda s: (s[:1].isupper() and not s.isupper(), counts[s], -spelled.index(s)),
        )
        for spelling in counts:
            departments[fold(spelling)] = name
    return replace(
        mapping, channels=channels, outcomes=outcomes, grounds=grounds, departments=departments
    )


def guess_mapping(
    rows: Sequence[Sequence[Cell]], existing_departments: Iterable[str]
) -> ImportMapping:
    """The automatic mapping of a sheet: its header row, columns and values."""
    header_row = find_header_row(rows)
    columns = guess_columns(rows[header_row])
    mapping = ImportMapping(
        header_row,
        columns,
        default_channel=DEFAULT_CHANNEL if ImportField.CHANNEL not in columns else None,
    )
    return guess_values(rows, mapping, existing_departments)


# ---- dates ------------------------------------------------------------------------------

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "febr": 2,
    "maart": 3,
    "mrt": 3,
    "maa": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_EXCEL_EPOCH = date(1899, 12, 30)
# Excel serial numbers of 1 January 1950 and 31 December 2099: anything else is not a date.
_SERIAL_RANGE = (18264, 73415)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def parse_date(cell: Cell) -> date | None:
    """A date from a cell: a real date, an Excel serial number, or text such as
    ``3/2/2024`` (3 February: day first, as in Belgium), ``03-02-2024``, ``3.2.24``,
    ``2024-02-03`` or ``3 februari 2024``. None for an empty cell; ValueError with a Dutch
    message for anything else."""
    if is_empty(cell):
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool | time | timedelta):
        raise ValueError(f"‘{cell_text(cell)}’ is geen datum.")
    if isinstance(cell, int | float):
        return _serial_date(cell)
    text = cell_text(cell)
    folded = fold(text)
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _serial_date(float(text))
    try:
        if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:\s+\d.*)?", text):
            day, month, year = int(match[1]), int(match[2]), _year(match[3])
        elif match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d.*)?", text):
            year, month, day = int(match[1]), int(match[2]), int(match[3])
        else:
            words = [w for w in folded.split() if w not in _WEEKDAYS]
            if len(words) == 3 and words[1] in MONTHS and words[0].isdigit() and words[2].isdigit():
                day, month, year = int(words[0]), MONTHS[words[1]], _year(words[2])
            else:
                raise ValueError(f"‘{text}’ is geen datum.")
        return date(year, month, day)
    except ValueError as exc:
        if "geen datum" in str(exc):
            raise
        raise ValueError(f"‘{text}’ is geen bestaande datum.") from None


#: The earliest year an imported date may have; the latest is next year.
EARLIEST_YEAR = 1950


def parse_date_in_range(cell: Cell, today: date) -> date | None:
    """:func:`parse_date`, refusing a year before 1950 or after next year (a typing error such
    as '1/1/0001' or '3/2/2204')."""
    parsed = parse_date(cell)
    if parsed is not None and not EARLIEST_YEAR <= parsed.year <= today.year + 1:
        raise ValueError(
            f"‘{cell_text(cell)}’ ligt buiten {EARLIEST_YEAR}–{today.year + 1}: "
            "kijk het jaartal na."
        )
    return parsed


def _serial_date(number: float) -> date:
    if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        raise ValueError(f"‘{cell_text(number)}’ is geen datum.")
    return _EXCEL_EPOCH + timedelta(days=int(number))


# ---- rows -------------------------------------------------------------------------------

_ADDRESS = re.compile(r"^(?P<street>.*?)[,\s]+(?P<postal>\d{4})\s+(?P<city>\S.*)$")


def split_address(text: str) -> tuple[str, str, str]:
    """'Kerkstraat 12, 3000 Leuven' → ('Kerkstraat 12', '3000', 'Leuven'); an address without
    a Belgian postal code stays whole as the street."""
    match = _ADDRESS.match(text.strip())
    if not match or not match["street"].strip(" ,"):
        return text.strip(), "", ""
    return match["street"].strip(" ,"), match["postal"], match["city"].strip()


def identity_key(received_on: date, name: str, description: str) -> str:
    """The import key of a complaint: sha256 of what makes it the same complaint — its date
    of receipt, the complainant's name and the description, each folded (case, accents,
    punctuation and spacing do not count). Neither the way a date is written, nor the order
    of the columns, nor columns filled in or added later (a reply date, remarks) change it, so
    a row already imported is recognised when the sheet is imported again."""
    text = "\x1f".join((received_on.isoformat(), fold(name), fold(description)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PlannedDossier:
    """A row that can be imported: the intake (department and handler still by name), and the
    dossier as the sheet shows it."""

    row_number: int
    import_key: str
    intake: Intake
    dossier: Dossier
    department: str | None
    handler: str | None
    grounds_motivation: str

    @property
    def what(self) -> str:
        """In Dutch, what it is imported as, e.g. 'dossier van 2024, afgehandeld (gegrond)'."""
        text = f"dossier van {self.dossier.received_on.year}, {self.dossier.state.label}"
        if self.dossier.outcome is not None:
            text += f" ({self.dossier.outcome.label})"
        elif self.dossier.admissible is False:
            text += " (" + ", ".join(g.label for g in sorted(self.dossier.grounds)) + ")"
        return text


@dataclass(frozen=True)
class RefusedRow:
    """A row that cannot be imported, and why (Dutch)."""

    row_number: int
    reason: str


_FIELD_NAMES_NL = {
    "received_on": "datum ontvangst",
    "coordinator_received_on": "datum ontvangst",
    "description": "omschrijving",
    "received_by": "ontvangen door",
    "phone": "telefoon",
    "email": "e-mail",
    "postal_code": "postcode",
    "facts_on": "datum feiten",
}


def _value(row: Sequence[Cell], mapping: ImportMapping, import_field: ImportField) -> Cell:
    column = mapping.columns.get(import_field)
    if column is None or column >= len(row):
        return None
    return row[column]


def _text(row: Sequence[Cell], mapping: ImportMapping, import_field: ImportField) -> str:
    return cell_text(_value(row, mapping, import_field))


def _date(
    row: Sequence[Cell],
    mapping: ImportMapping,
    import_field: ImportField,
    problems: list[str],
    today: date,
) -> date | None:
    try:
        return parse_date_in_range(_value(row, mapping, import_field), today)
    except ValueError as exc:
        problems.append(f"{import_field.label}: {exc}")
        return None


def forbidden_cells(row: Sequence[Cell], mapping: ImportMapping) -> list[str]:
    """The imported cells of ``row`` holding a control character or a lone surrogate, each
    said in Dutch: such a row is refused (not silently changed), so the coordinator finds
    and corrects the cell in the sheet."""
    return [
        f"{import_field.label}: de cel bevat een ongeldig teken (een stuurteken of een losse "
        "surrogaat); verbeter ze in het bestand."
        for import_field in ImportField
        if isinstance(cell := _value(row, mapping, import_field), str)
        and has_forbidden_characters(cell)
    ]


def plan_row(
    row: Sequence[Cell],
    row_number: int,
    mapping: ImportMapping,
    *,
    today: date,
    limits: DossierLimits,
) -> PlannedDossier | RefusedRow:
    """One data row as a dossier to import, or refused with every reason found (Dutch)."""
    problems = forbidden_cells(row, mapping)
    received_on = _date(row, mapping, ImportField.RECEIVED_ON, problems, today)
    acknowledged_on = _date(row, mapping, ImportField.ACKNOWLEDGED_ON, problems, today)
    reply_sent_on = _date(row, mapping, ImportField.REPLY_SENT_ON, problems, today)
    if received_on is None and not problems:
        problems.append("De datum van ontvangst ontbreekt.")

    channel_text = _text(row, mapping, ImportField.CHANNEL)
    channel: Channel | None = None
    if not channel_text:
        channel = mapping.default_channel
        if channel is None:
            problems.append("Het kanaal ontbreekt.")
    else:
        key = fold(channel_text)
        channel = mapping.channels[key] if key in mapping.channels else CHANNEL_WORDS.get(key)
        if channel is None:
            problems.append(
                f"Onbekend kanaal ‘{channel_text}’: koppel het aan een kanaal van klachtdesk."
            )

    department: str | None = None
    department_text = _text(row, mapping, ImportField.DEPARTMENT)
    if department_text:
        key = fold(department_text)
        department = mapping.departments.get(key, department_text)
        if department is None:
            problems.append(f"De dienst ‘{department_text}’ werd niet gekoppeld.")

    outcome_text = _text(row, mapping, ImportField.OUTCOME)
    choice: OutcomeChoice | None = None
    if outcome_text:
        key = fold(outcome_text)
        choice = mapping.outcomes[key] if key in mapping.outcomes else OUTCOME_WORDS.get(key)
        if choice is None:
            problems.append(
                f"Onbekende uitkomst ‘{outcome_text}’: koppel ze aan een uitkomst van klachtdesk."
            )

    admissible_text = fold(_text(row, mapping, ImportField.ADMISSIBLE))
    admissible: bool | None = None
    if admissible_text in YES_WORDS:
        admissible = True
    elif admissible_text in NO_WORDS:
        admissible = False
    elif admissible_text:
        problems.append(
            f"‘{_text(row, mapping, ImportField.ADMISSIBLE)}’ bij ontvankelijk: verwacht ja of nee."
        )
    if choice is OutcomeChoice.INADMISSIBLE:
        if admissible is True:
            problems.append(
                "Ontvankelijk volgens de ene kolom, niet ontvankelijk volgens de uitkomst."
            )
        admissible = False
    elif choice is not None:
        if admissible is False:
            problems.append(
                "Niet ontvankelijk, maar toch met een uitkomst "
                f"(‘{outcome_text}’): kijk na welke van beide klopt."
            )
        admissible = True

    ground_text = _text(row, mapping, ImportField.GROUND)
    grounds: frozenset[Ground] = frozenset()
    if ground_text:
        key = fold(ground_text)
        ground = mapping.grounds[key] if key in mapping.grounds else GROUND_WORDS.get(key)
        if ground is None:
            if admissible is False:
                problems.append(
                    f"Onbekende reden ‘{ground_text}’: koppel ze aan een grond van niet-ontvankelijkheid."
                )
        else:
            grounds = frozenset({ground})
            if admissible is None:
                admissible = False
    if admissible is False and not grounds and not problems:
        problems.append(
            "Niet ontvankelijk zonder reden: vul de reden in (een van de tien gronden)."
        )

    handler = _text(row, mapping, ImportField.HANDLER) or None
    for name, text, import_field in (
        ("handler", handler or "", ImportField.HANDLER),
        ("department", department_text, ImportField.DEPARTMENT),
        ("admissibility_motivation", ground_text, ImportField.GROUND),
    ):
        if problem := field_problem(name, text, label=import_field.label):
            problems.append(problem)
    street = _text(row, mapping, ImportField.STREET)
    postal_code = _text(row, mapping, ImportField.POSTAL_CODE)
    city = _text(row, mapping, ImportField.CITY)
    address = _text(row, mapping, ImportField.ADDRESS)
    if address:
        a_street, a_postal, a_city = split_address(address)
        street, postal_code, city = street or a_street, postal_code or a_postal, city or a_city

    for later, label in (
        (acknowledged_on, "De ontvangstmelding"),
        (reply_sent_on, "Het antwoord"),
    ):
        if later is not None and received_on is not None and later < received_on:
            problems.append(f"{label} ({later:%d/%m/%Y}) ligt vóór de ontvangst.")
        if later is not None and later > today:
            problems.append(f"{label} ({later:%d/%m/%Y}) ligt in de toekomst.")

    if problems or received_on is None or channel is None:
        return RefusedRow(row_number, " ".join(problems))

    intake = Intake(
        channel=channel,
        received_on=received_on,
        coordinator_received_on=received_on,
        description=_text(row, mapping, ImportField.DESCRIPTION),
        received_by=_text(row, mapping, ImportField.RECEIVED_BY) or DEFAULT_RECEIVED_BY,
        name=_text(row, mapping, ImportField.NAME),
        street=street,
        postal_code=postal_code,
        city=city,
        phone=_text(row, mapping, ImportField.PHONE),
        email=_text(row, mapping, ImportField.EMAIL),
    )
    # The intake's own text refusals name their field already.
    text_errors = intake_text_errors(intake)
    try:
        intake = validate_intake(intake, today)
    except InvalidInput as exc:
        reasons = [
            f"{_FIELD_NAMES_NL.get(name, name).capitalize()}: {message}"
            if name not in ("description", "received_on") and name not in text_errors
            else message
            for name, message in exc.errors.items()
            if not (name == "coordinator_received_on" and "received_on" in exc.errors)
        ]
        return RefusedRow(row_number, " ".join(reasons))

    closing_due = received_on + timedelta(days=limits.closing_days)
    if (
        admissible is not False
        and choice is not OutcomeChoice.STOPPED_BY_CITIZEN
        and reply_sent_on is None
        and closing_due < today
    ):
        # Imported open it would be late for ever (and on the Vandaag list); closed, it would
        # need a date nobody wrote down. The coordinator knows, the sheet does not.
        return RefusedRow(
            row_number,
            f"Open sinds {received_on:%d/%m/%Y}, langer dan de termijn van "
            f"{limits.closing_days} dagen: vul de datum antwoord in.",
        )

    dossier = _dossier(
        intake, admissible, grounds, choice, acknowledged_on, reply_sent_on, handler, limits
    )
    return PlannedDossier(
        row_number=row_number,
        import_key=identity_key(intake.received_on, intake.name, intake.description),
        intake=intake,
        dossier=dossier,
        department=department,
        handler=handler,
        grounds_motivation=ground_text if grounds else "",
    )


def _dossier(
    intake: Intake,
    admissible: bool | None,
    grounds: frozenset[Ground],
    choice: OutcomeChoice | None,
    acknowledged_on: date | None,
    reply_sent_on: date | None,
    handler: str | None,
    limits: DossierLimits,
) -> Dossier:
    """The dossier in the step the row shows (see the module's note on undated steps)."""
    received_on = intake.received_on
    base = Dossier(
        channel=intake.channel,
        received_on=received_on,
        coordinator_received_on=received_on,
        acknowledgement_days=limits.acknowledgement_days,
        handler_days=limits.handler_days,
        reinvestigation_days=limits.reinvestigation_days,
        closing_days=limits.closing_days,
    )
    outcome = choice.outcome if choice is not None else None
    if admissible is None and handler is None and acknowledged_on is None and reply_sent_on is None:
        return base
    if admissible is False:
        # Closed on the reply that told it was inadmissible, else on the date of receipt: an
        # earlier register's inadmissible row was dealt with; no other step gets a date.
        answered = reply_sent_on or acknowledged_on
        return replace(
            base,
            state=State.CLOSED,
            admissible=False,
            grounds=grounds,
            decided_on=answered,
            acknowledged_on=acknowledged_on,
            closed_on=answered or received_on,
        )
    if outcome is Outcome.STOPPED_BY_CITIZEN:
        stopped = reply_sent_on or acknowledged_on or received_on
        return replace(
            base,
            state=State.CLOSED,
            admissible=True,
            acknowledged_on=acknowledged_on,
            outcome=outcome,
            withdrawn_on=stopped,
            closed_on=stopped,
        )
    if reply_sent_on is not None:
        # Closed on the reply; the steps before it are not dated unless the sheet dates them.
        return replace(
            base,
            state=State.CLOSED,
            admissible=True,
            acknowledged_on=acknowledged_on,
            outcome=outcome,
            reply_sent_on=reply_sent_on,
            closed_on=reply_sent_on,
        )
    # Open: the furthest step the row shows; undated steps stay undated.
    if outcome is not None:
        state = State.ASSESSED
    elif handler is not None:
        state = State.WITH_HANDLER
    elif acknowledged_on is not None:
        state = State.ACKNOWLEDGED
    else:
        state = State.ADMISSIBLE
    return replace(
        base,
        state=state,
        admissible=True,
        acknowledged_on=acknowledged_on,
        outcome=outcome,
    )


def plan_rows(
    rows: Sequence[Sequence[Cell]],
    mapping: ImportMapping,
    *,
    today: date,
    limits: DossierLimits,
) -> tuple[list[PlannedDossier | RefusedRow], int]:
    """Every data row below the header planned or refused, in sheet order, and the number of
    empty rows passed over. Row numbers are the sheet's own (1 = the first row)."""
    results: list[PlannedDossier | RefusedRow] = []
    empty = 0
    seen: dict[str, int] = {}
    for index in range(mapping.header_row + 1, len(rows)):
        row = rows[index]
        if all(is_empty(c) for c in row):
            empty += 1
            continue
        result = plan_row(row, index + 1, mapping, today=today, limits=limits)
        if isinstance(result, PlannedDossier):
            first = seen.setdefault(result.import_key, result.row_number)
            if first != result.row_number:
                result = RefusedRow(
                    result.row_number, f"Dezelfde gegevens als rij {first} van dit bestand."
                )
        results.append(result)
    return results, empty
