"""Pre-filling an e-mail intake from the citizen's message (an .eml file).

Any file either fills the intake or is refused with a Dutch reason; nothing else escapes.
An ``.eml`` comes from anywhere, so it is read defensively:

- its size is judged before it is read (one cap for every file, ``MAX_FILE_BYTES``), and the
  number of senders before any address is parsed (``MAX_ADDRESSES``);
- the message is split with the ``compat32`` policy, which keeps header values as raw text
  and never interprets them; the few headers the intake needs (From, Subject, Date) are
  decoded here: raw 8-bit bytes as UTF-8, else the message's declared charset, else
  Windows-1252 (a superset of Latin-1, what Western mail programs send undeclared), so that
  accents are kept; encoded words (``=?iso-8859-1?q?S=E9b?=``) the same way, with an unknown
  charset falling back likewise;
- what reaches a field is one clean line (names, address, subject) or text without control
  characters (the description), within the field's limit: CR/LF from an encoded word never
  reaches a header of a reply;
- an HTML body is converted incrementally and stops once the description is full.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from datetime import date
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from klachtdesk.procedure import Channel, UserError
from klachtdesk.procedure.intake import normalize_email
from klachtdesk.procedure.text_limits import (
    EMAIL,
    FIELD_LIMITS,
    MAX_ADDRESSES,
    NAME,
    UNENCODABLE,
    file_size_problem,
    one_line,
    without_forbidden_characters,
)
from klachtdesk.procedure.words import number

from .documents import Attachment

#: The description's limit: the subject and as much of the body as fits.
DESCRIPTION_CHARS = FIELD_LIMITS["description"].max_chars
#: The title of the stored e-mail in the dossier's documents.
TITLE_CHARS = 200
#: Raw header text decoded at most (an encoded word takes up to ~4 bytes per character).
HEADER_CHARS = 8 * DESCRIPTION_CHARS
#: HTML read at most when it holds little text (markup, inline images): the rest is skipped.
HTML_CHARS = 2 * 1024 * 1024
_HTML_CHUNK = 64 * 1024
#: A Content-Type or Content-Disposition is read up to this many bytes (real ones: < 300).
CONTENT_HEADER_BYTES = 1000
#: At most this many MIME parts (real messages: a few, a newsletter maybe a hundred).
MAX_PARTS = 1000
_FALLBACK_CHARSET = "cp1252"

#: The headers whose addresses are read (and counted on the raw bytes before).
_ADDRESS_HEADERS = (b"from",)
_NOT_CHARSETS = frozenset(
    ("utf-7", "punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined")
)
_MAX_COMMENTS = 20
_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def intake_from_eml_file(path: Path, today: date) -> tuple[dict[str, Any], Attachment]:
    """:func:`intake_from_email` for a file the coordinator dropped or chose; its size is
    judged before a byte is read."""
    try:
        size = path.stat().st_size
        if problem := file_size_problem(size, f"‘{path.name}’"):
            raise UserError(problem)
        with path.open("rb") as stream:
            raw = stream.read(size + 1)
    except OSError as exc:
        raise UserError(f"‘{path.name}’ kan niet gelezen worden ({exc.strerror}).") from exc
    return intake_from_email(raw, path.name, today)


def intake_from_email(raw: bytes, filename: str, today: date) -> tuple[dict[str, Any], Attachment]:
    """Values for the intake wizard (sender, date, subject and text) and the message itself.

    Raises :class:`UserError` with a Dutch reason for a file that cannot be an intake.
    """
    message = parse_message(raw, filename)
    charset = _declared_charset(message)
    headers = _raw_headers(message)
    sender_raw = headers.get("from", "")
    subject = _one_line(_decode_words(_repair(headers.get("subject", ""), charset), charset))
    if not (sender_raw.strip() or subject):
        raise UserError(f"‘{filename}’ is geen e-mailbericht (geen afzender of onderwerp).")
    values: dict[str, Any] = {"channel": Channel.EMAIL.value}
    name, address = _sender(_repair(sender_raw, charset), charset)
    if name:
        values["name"] = name
    if address:
        values["email"] = address
    received = _sent_on(headers.get("date", "")) or today
    values["received_on"] = min(received, today).isoformat()
    values["coordinator_received_on"] = today.isoformat()
    body = _body_text(message)
    description = f"{subject}\n\n{body}".strip() if subject else body
    values["description"] = _fitting_description(description)
    title = f"E-mail: {subject}"[:TITLE_CHARS].rstrip()
    return values, Attachment(filename, "message/rfc822", raw, title=title)


def parse_message(raw: bytes, filename: str) -> Message:
    """The message in ``raw``, parsed within this module's bounds (its size, its number of
    senders and parts, its Content-* headers cut); UserError in Dutch when it cannot be."""
    if problem := file_size_problem(len(raw), f"‘{filename}’"):
        raise UserError(problem)
    _check_sender_count(raw, filename)
    _check_part_count(raw, filename)
    try:
        return BytesParser(policy=policy.compat32).parsebytes(_bounded_for_parsing(raw))
    except Exception as exc:  # the parser is lenient; this is only for truly broken input
        raise UserError(f"‘{filename}’ is geen leesbaar e-mailbericht.") from exc


def attached_files(message: Message) -> list[tuple[str, str, bytes]]:
    """(file name, content type, content) of each file attached to ``message`` (a message
    parsed by :func:`parse_message`), in order; a message nested in one is not looked into."""
    files: list[tuple[str, str, bytes]] = []
    charset = _declared_charset(message)
    for part in _walk(message):
        if part.is_multipart():
            continue
        raw_name = _param_of(part, "content-disposition", "filename") or _param_of(
            part, "content-type", "name"
        )
        if not (raw_name or _is_attachment(part)):
            continue
        name = _one_line(_decode_words(_repair(raw_name or "", charset), charset), TITLE_CHARS)
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            files.append((name, part.get_content_type(), payload))
    return files


def _param_of(part: Message, header: str, name: str) -> str | None:
    value = part.get_param(name, header=header)
    if isinstance(value, tuple):  # RFC 2231: (charset, language, value)
        value = value[2]
    return value if isinstance(value, str) else None


def _fitting_description(text: str) -> str:
    """The text cut to what the description field takes: its characters and its lines (as
    the field counts them: every line break Python knows, a lone CR too)."""
    limit = FIELD_LIMITS["description"]
    if limit.max_lines is not None:
        text = "".join(text.splitlines(keepends=True)[: limit.max_lines])
    return text[:DESCRIPTION_CHARS].rstrip()


# -- limits judged on the raw bytes --------------------------------------------------------


def _header_block(raw: bytes) -> bytes:
    end = re.search(rb"\r?\n\r?\n", raw)
    return raw[: end.start()] if end else raw


def _check_sender_count(raw: bytes, filename: str) -> None:
    """Refuse a message with more senders than anyone sends, before they are parsed."""
    count = 0
    current = b""
    for line in _header_block(raw).splitlines():
        if line[:1] in (b" ", b"\t"):  # a folded line continues the previous header
            if current in _ADDRESS_HEADERS:
                count += line.count(b"@")
            continue
        current = line.split(b":", 1)[0].strip().lower()
        if current in _ADDRESS_HEADERS:
            count += line.count(b"@")
    if count > MAX_ADDRESSES:
        raise UserError(
            f"‘{filename}’ noemt {number(count)} afzenders; klachtdesk leest er hoogstens "
            f"{number(MAX_ADDRESSES)}. Neem de klacht met de hand over (Nieuwe klacht per "
            "e-mail) en voeg het bericht daar als bijlage toe."
        )


def _check_part_count(raw: bytes, filename: str) -> None:
    """Refuse a message of more parts than any mail program makes (every part costs the
    parser time), counted on the lines that could start one."""
    if raw.count(b"\n--") > MAX_PARTS:
        raise UserError(
            f"‘{filename}’ bestaat uit meer dan {number(MAX_PARTS)} delen; klachtdesk leest "
            "zo'n bericht niet. Neem de klacht met de hand over (Nieuwe klacht per e-mail) en "
            "voeg het bericht daar als bijlage toe."
        )


def _bounded_for_parsing(raw: bytes) -> bytes:
    """``raw`` with every Content-* header cut at ``CONTENT_HEADER_BYTES``: the parser reads
    their parameters in quadratic time (a 1 MB Content-Type took minutes). Only the copy
    that is parsed; the stored message is the file as it came."""

    def cut(match: re.Match[bytes]) -> bytes:
        if len(match[2]) <= CONTENT_HEADER_BYTES:
            return match[0]
        return match[1] + _FOLD.sub(b" ", match[2])[:CONTENT_HEADER_BYTES]

    return _CONTENT_HEADER.sub(cut, raw)


_CONTENT_HEADER = re.compile(rb"(?im)^(content-[a-z0-9-]*[ \t]*:)([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)")
_FOLD = re.compile(rb"\r?\n[ \t]")


# -- decoding -------------------------------------------------------------------------------


def _text_codec(charset: str | None) -> str | None:
    """The Python codec for a declared charset, or None when unknown or not a text codec."""
    if not charset:
        return None
    try:
        info = codecs.lookup(charset.strip().strip("\"'"))
    except (LookupError, ValueError, TypeError):
        return None
    # Only charsets: no 'hex', 'rot13' or 'zlib' (not text codecs), and none of Python's
    # codecs that are not a mail charset (punycode also takes quadratic time); UTF-7 can
    # hide markup. Such bytes are read like those of an unknown charset.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name


def _decode(data: bytes, charset: str | None, *, declared_first: bool = True) -> str:
    """Bytes as text in their declared charset, else UTF-8, else Windows-1252 (Latin-1 where
    it has no character); never fails, accents kept. Undeclared bytes in a header
    (``declared_first=False``) are tried as UTF-8 before the message's charset."""
    codec = _text_codec(charset)
    candidates = [codec, "utf-8"] if declared_first else ["utf-8", codec]
    for candidate in candidates:
        if candidate is None:
            continue
        try:
            return data.decode(candidate)
        except (UnicodeError, ValueError, TypeError, LookupError):
            continue
    return _cp1252_or_latin1(data)


def _cp1252_or_latin1(data: bytes) -> str:
    # Windows-1252 leaves five bytes undefined; those are read as Latin-1 (control codes,
    # removed later), so decoding never fails.
    return "".join(
        chunk.decode("latin-1") if index % 2 else chunk.decode(_FALLBACK_CHARSET)
        for index, chunk in enumerate(_CP1252_UNDEFINED.split(data))
    )


_CP1252_UNDEFINED = re.compile(rb"([\x81\x8d\x8f\x90\x9d])")


def _declared_charset(message: Message) -> str | None:
    """The charset the message declares (of its first text part), for undeclared 8-bit
    header bytes."""
    for part in _walk(message):
        if part.get_content_maintype() == "text":
            charset = _param(part, "charset")
            if charset:
                return charset
    return None


def _param(part: Message, name: str) -> str | None:
    value = part.get_param(name)
    if isinstance(value, tuple):  # RFC 2231: (charset, language, value)
        value = value[2]
    return value if isinstance(value, str) else None


def _raw_headers(message: Message) -> dict[str, str]:
    """The first value of each header, as raw text (8-bit bytes kept as surrogate escapes)."""
    headers: dict[str, str] = {}
    for key, value in message.raw_items():
        headers.setdefault(str(key).lower(), str(value)[:HEADER_CHARS])
    return headers


def _repair(raw: str, charset: str | None) -> str:
    """Raw 8-bit header bytes (kept by the parser as surrogate escapes) decoded as text."""
    if not UNENCODABLE.search(raw):
        return raw
    return _decode(raw.encode("utf-8", errors="surrogateescape"), charset, declared_first=False)


_ENCODED_WORD = re.compile(r"=\?([^?\s]*)\?([qQbB])\?([^?\s]*)\?=")
_QUOTED_BYTE = re.compile(rb"=([0-9A-Fa-f]{2})")


def _word_bytes(kind: str, data: str) -> bytes | None:
    """The bytes an encoded word carries; None when they cannot be read."""
    raw = data.encode("utf-8", errors="surrogateescape")
    if kind in "qQ":
        return _QUOTED_BYTE.sub(lambda m: bytes([int(m[1], 16)]), raw.replace(b"_", b" "))
    raw = re.sub(rb"[^A-Za-z0-9+/]", b"", raw)
    raw = raw[: len(raw) - len(raw) % 4] if len(raw) % 4 == 1 else raw + b"=" * (-len(raw) % 4)
    try:
        return base64.b64decode(raw)
    except (binascii.Error, ValueError):
        return None


def _decode_words(text: str, charset: str | None) -> str:
    """Encoded words (RFC 2047) decoded; a word in an unknown charset is read like undeclared
    bytes. Adjacent words of one charset are joined first (a character may span two)."""
    if "=?" not in text:
        return text
    out: list[str] = []
    pending: list[bytes] = []  # the bytes of adjacent words in one charset
    pending_charset: str | None = None
    previous_was_word = False
    position = 0
    for match in _ENCODED_WORD.finditer(text):
        between = text[position : match.start()]
        word = _word_bytes(match[2], match[3])
        word_charset = match[1].split("*", 1)[0] or None  # RFC 2231 adds '*language'
        # Blanks between two encoded words are not part of the text (RFC 2047, 6.2).
        joined = previous_was_word and not between.strip() and word is not None
        if pending and not (joined and word_charset == pending_charset):
            out.append(_decode(b"".join(pending), pending_charset or charset))
            pending = []
        if not joined:
            out.append(between)
        if word is None:
            out.append(match[0])
        else:
            pending.append(word)
            pending_charset = word_charset
        previous_was_word = word is not None
        position = match.end()
    if pending:
        out.append(_decode(b"".join(pending), pending_charset or charset))
    out.append(text[position:])
    return "".join(out)


def _one_line(text: str, limit: int = HEADER_CHARS) -> str:
    """Text fit for a one-line field or a header: no line breaks, tabs or control
    characters, spaces collapsed."""
    return one_line(text)[:limit].strip()


def _sender(raw: str, charset: str | None) -> tuple[str, str]:
    """The first sender's name and address, decoded and on one line each."""
    # Encoded words are atoms of the raw header: split into addresses first, decode after,
    # so that a decoded '<', ',' or line break cannot change what the address is.
    raw = _LINE_BREAKS.sub(" ", raw)
    if raw.count("(") > _MAX_COMMENTS:
        # The address parser reads comments recursively: nested deeply enough, it overflows
        # the stack. A real sender has a comment or two; many are markup noise.
        raw = raw.replace("(", " ").replace(")", " ")
    for name, address in getaddresses([raw]):
        address = _one_line(_decode_words(address, charset))
        if "@" in address:
            name = _one_line(_decode_words(name, charset), NAME.max_chars)
            return name.strip("\"' "), _address(address)
    return "", ""


def _address(text: str) -> str:
    """The address as the register keeps it; as found (one line, within the limit) when it
    is not valid, so that the coordinator sees and corrects it."""
    text = text[: EMAIL.max_chars].strip()
    try:
        return normalize_email(text)[: EMAIL.max_chars]
    except ValueError:
        return text


def _sent_on(raw: str) -> date | None:
    try:
        sent = parsedate_to_datetime(_one_line(raw, 200))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if sent is None or sent.year < 1970:  # a date before e-mail: not a date the mail was sent
        return None
    return sent.date()


# -- the body ------------------------------------------------------------------------------


def _walk(message: Message) -> list[Message]:
    """Every part, depth first; a message nested in an attachment is not looked into."""
    parts: list[Message] = []
    stack = [message]
    while stack and len(parts) < 10_000:
        part = stack.pop()
        parts.append(part)
        # Only a multipart's payload is asked for: a text part's would be decoded with its
        # declared charset, which may be any codec at all ('idna', 'undefined' ...).
        if part.is_multipart():
            payload = part.get_payload()
            if isinstance(payload, list):  # in document order
                stack.extend(reversed([p for p in payload if isinstance(p, Message)]))
    return parts


def _is_attachment(part: Message) -> bool:
    disposition = str(part.get("content-disposition", "")).split(";", 1)[0].strip().lower()
    return disposition == "attachment"


def _body_part(message: Message) -> Message | None:
    html = None
    for part in _walk(message):
        if part.is_multipart() or _is_attachment(part):
            continue
        kind = part.get_content_type()
        if kind == "text/plain":
            return part
        if kind == "text/html" and html is None:
            html = part
    return html


def _body_text(message: Message) -> str:
    part = _body_part(message)
    if part is None:
        return ""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    text = _decode(payload, part.get_content_charset())
    if part.get_content_type() == "text/html":
        text = _text_of_html(text)
    else:
        text = text[: DESCRIPTION_CHARS * 2]
    return _clean_text(text)


def _clean_text(text: str) -> str:
    """A multi-line text without control characters or unencodable code points."""
    text = without_forbidden_characters(_LINE_BREAKS.sub("\n", text).replace("\t", " "))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.skipping = 0

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)
            self.length += len(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self.skipping += 1
        elif tag in ("br", "p", "div", "li", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title") and self.skipping:
            self.skipping -= 1


def _text_of_html(html: str) -> str:
    """The readable text of an HTML body, fed in chunks until the description is full."""
    parser = _TextOfHtml()
    for start in range(0, min(len(html), HTML_CHARS), _HTML_CHUNK):
        parser.feed(html[start : start + _HTML_CHUNK])
        if parser.length > DESCRIPTION_CHARS:
            break
    else:
        parser.close()
    return "".join(parser.parts)
