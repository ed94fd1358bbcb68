"""How much, and which characters, the register accepts in a typed or imported text.

One table of limits for every field a person can type, an import can fill or an e-mail can
bring in, so that the forms (their counters), the services and the e-mail intake refuse the
same things with the same Dutch words. The limits are generous for real use (a name of 200
characters, a description of 20,000) and keep every letter, list and report fast: a 1 MB
name once took minutes to render.

Two kinds of characters are refused outright, wherever text enters: NUL and other control
characters (except tab and line breaks in multi-line texts), and lone surrogates, which no
file, database page or PDF can hold.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .errors import InvalidInput
from .words import number

#: One cap for every file the register takes in: a scan, an attachment, an ``.eml``; checked
#: on the file's size before it is read.
MAX_FILE_BYTES = 50 * 1024 * 1024
#: At most this many addresses are read from one e-mail's headers (To, Cc, From...).
MAX_ADDRESSES = 100


@dataclass(frozen=True)
class TextLimit:
    """The most characters a field holds, and whether it may span lines."""

    max_chars: int
    multiline: bool = False
    #: The most lines a multi-line text holds (None: as many as its characters allow). Every
    #: line is at least one printed line: 20,000 characters of line breaks made letters of
    #: hundreds of pages that took seconds to render.
    max_lines: int | None = None


#: A one-line field: names, a street, a city, a person or department.
NAME = TextLimit(200)
STREET = TextLimit(200)
POSTAL_CODE = TextLimit(10)
CITY = TextLimit(100)
#: RFC 5321: a path holds at most 254 characters.
EMAIL = TextLimit(254)
PHONE = TextLimit(40)
#: A one-line remark: a reason, a file's description, a motivation's title.
SHORT_TEXT = TextLimit(500)
#: A free text: the complaint, a motivation, a summary, a report, a reply.
#: At most 500 lines: about ten pages, as many as 20,000 characters of ordinary text fill.
FREE_TEXT = TextLimit(20_000, multiline=True, max_lines=500)

#: The limit of each text field of an intake and a dossier (the names of models.Complaint's
#: columns and of procedure.intake.Intake's fields).
FIELD_LIMITS: dict[str, TextLimit] = {
    "name": NAME,
    "street": STREET,
    "postal_code": POSTAL_CODE,
    "city": CITY,
    "phone": PHONE,
    "email": EMAIL,
    "received_by": NAME,
    "forwarded_by": NAME,
    "person_concerned": NAME,
    "description": FREE_TEXT,
    "immediate_solution": FREE_TEXT,
    "admissibility_motivation": FREE_TEXT,
    "investigation_contacts": FREE_TEXT,
    "investigation_summary": FREE_TEXT,
    "solution": FREE_TEXT,
    "report_text": FREE_TEXT,
    "reply_text": FREE_TEXT,
    "review_failed_reason": FREE_TEXT,
    "withdrawal_reason": FREE_TEXT,
    "extension_motivation": FREE_TEXT,
}

#: Control characters (tab, line feed and carriage return are judged apart), DEL, and the
#: bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): invisible,
#: they make a text show reversed ("Tweede\u202e omgekeerd" reads "Tweededreekegmo"). Hebrew
#: and Arabic need none of them; the marks U+200E/U+200F stay allowed.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAK = re.compile("[\r\n\x85\u2028\u2029]")
#: Code points no UTF-8 file can hold (a lone surrogate) or XML forbids (U+FFFE, U+FFFF).
UNENCODABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")


def has_forbidden_characters(text: str) -> bool:
    """Whether ``text`` holds a control character (other than tab and line breaks) or a lone
    surrogate: refused on input, where a person can still correct it."""
    return bool(CONTROL_CHARACTERS.search(text) or UNENCODABLE.search(text))


def without_forbidden_characters(text: str) -> str:
    """``text`` as a file can hold it when it can no longer be refused (an e-mail read, an
    old register's row exported): control characters other than tab and line breaks removed,
    a lone surrogate shown as U+FFFD (visibly, rather than silently gone)."""
    if CONTROL_CHARACTERS.search(text):
        text = CONTROL_CHARACTERS.sub("", text)
    if UNENCODABLE.search(text):
        text = UNENCODABLE.sub("\ufffd", text)
    return text


def one_line(text: str) -> str:
    """``text`` fit for a one-line field or a mail header when it can no longer be refused (a
    name read from an e-mail, a display name): line breaks, tabs and control characters read
    as spaces, blanks collapsed, a lone surrogate shown as U+FFFD."""
    text = CONTROL_CHARACTERS.sub(" ", _LINE_BREAK.sub(" ", UNENCODABLE.sub("\ufffd", text)))
    return " ".join(text.split())


def line_count(text: str) -> int:
    """How many lines ``text`` has as a letter prints it (\\r\\n is one break)."""
    return len(text.splitlines()) if text else 0


def text_problem(text: str, limit: TextLimit) -> str:
    """Why ``text`` cannot be accepted under ``limit``, in Dutch; empty when it can.

    The length is judged on the text as typed (the form's counter shows the same number).
    """
    if len(text) > limit.max_chars:
        return (
            f"Deze tekst is te lang: {number(len(text))} tekens, hoogstens "
            f"{number(limit.max_chars)}."
        )
    if limit.max_lines is not None and (lines := line_count(text)) > limit.max_lines:
        return (
            f"Deze tekst telt te veel regels: {number(lines)}, hoogstens {number(limit.max_lines)}."
        )
    if UNENCODABLE.search(text):
        return "Deze tekst bevat een ongeldig teken (een losse surrogaat); typ hem opnieuw."
    if CONTROL_CHARACTERS.search(text):
        return "Deze tekst bevat onzichtbare stuurtekens; verwijder ze of typ hem opnieuw."
    if not limit.multiline and _LINE_BREAK.search(text):
        return "Dit veld moet op één regel passen."
    if "\t" in text and not limit.multiline:
        return "Dit veld mag geen tab bevatten."
    return ""


def text_errors(
    values: dict[str, str], limits: dict[str, TextLimit] | None = None
) -> dict[str, str]:
    """The problems of each field in ``values`` (field name -> text) with a limit, by field."""
    limits = FIELD_LIMITS if limits is None else limits
    errors: dict[str, str] = {}
    for name, text in values.items():
        limit = limits.get(name)
        if limit is not None and (problem := text_problem(text, limit)):
            errors[name] = problem
    return errors


def check_texts(values: dict[str, str], limits: dict[str, TextLimit] | None = None) -> None:
    """Raise :class:`InvalidInput` naming every field of ``values`` that is not acceptable."""
    errors = text_errors(values, limits)
    if errors:
        raise InvalidInput(errors)


def file_size_problem(size: int, label: str = "Dit bestand") -> str:
    """Why a file of ``size`` bytes is refused, in Dutch; empty when it is accepted."""
    if size > MAX_FILE_BYTES:
        return (
            f"{label} is te groot ({number(math.ceil(size / 1024 / 1024))}\u00a0MB); klachtdesk neemt "
            f"bestanden tot {MAX_FILE_BYTES // 1024 // 1024}\u00a0MB op."
        )
    return ""
