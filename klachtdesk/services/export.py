"""Exporting the register: the dossiers the list shows, as an XLSX or a CSV file.

Without personal data by default: the file then holds the dossiers' facts (dates, channel,
route, department, classification, state, admissibility and grounds, outcome, resolution,
ombudsnormen and whether the time limits were met) and no name of any person. Personal data
(the complainant's name, address, phone, e-mail, the description and every free text, and the
names of the employees involved: who received the complaint, who forwarded it, the person
concerned, the handler) is added only on request; the file then says so on its first line or
sheet, and the export is an audit event.

Everything is read in one transaction (one consistent snapshot) and streamed: the rows are
fetched a chunk at a time and written at once (openpyxl's write-only mode), so 100,000 dossiers
never sit in memory as objects.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from peewee import JOIN

from klachtdesk.letters.cell_text import clean_text, force_text, is_formula_like
from klachtdesk.models import (
    Complaint,
    ComplaintGround,
    ComplaintNorm,
    Department,
    Handler,
    database,
)
from klachtdesk.models.keyfile import os_reason
from klachtdesk.procedure import Dossier, Ground, LimitKind, Norm, TimeLimits, UserError, deadlines
from klachtdesk.procedure.words import counted

from .audit import append_event
from .complaint_list import ListFilter, SortKey, ordered_ids
from .context import ServiceContext
from .dossiers import DOSSIER_COLUMNS
from .erasure import PERSONAL_FIELDS
from .settings import time_limits

#: Dossiers fetched per query while streaming.
CHUNK = 500

#: The first line (CSV) or the first sheet's text (XLSX) of a file with personal data.
PERSONAL_DATA_WARNING = (
    "Bevat persoonsgegevens — dit bestand bevat namen, adressen, telefoonnummers, "
    "e-mailadressen en omschrijvingen van klachten. Bewaar het beveiligd, deel het enkel met "
    "wie het nodig heeft en verwijder het zodra het niet meer nodig is (AVG)."
)

#: Sheet names of the XLSX.
DOSSIERS_SHEET = "Dossiers"
WARNING_SHEET = "Persoonsgegevens"

#: Excel's date format as a Belgian reader expects it.
DATE_FORMAT = "DD/MM/YYYY"


class ExportFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"

    @property
    def label(self) -> str:
        return {"xlsx": "Excel-werkmap (.xlsx)", "csv": "CSV voor Excel (.csv, puntkomma)"}[
            self.value
        ]


@dataclass(frozen=True)
class ExportRequest:
    """What to export: the list's filter and order, the format, and whether personal data."""

    list_filter: ListFilter = field(default_factory=ListFilter)
    sort: SortKey = SortKey.RECEIVED
    descending: bool = True
    export_format: ExportFormat = ExportFormat.XLSX
    with_personal_data: bool = False


class ExportCancelled(UserError):
    """The coordinator stopped the export; nothing was written or recorded."""

    def __init__(self) -> None:
        super().__init__("De export werd geannuleerd; er werd niets geschreven.")


#: Told how many dossiers of how many are written; may raise ExportCancelled to stop.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    dossiers: int
    with_personal_data: bool


@dataclass(frozen=True)
class _Column:
    header: str
    value: Callable[[dict[str, Any]], Any]
    is_date: bool = False


def _label(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row[name].label if row[name] is not None else None


def _day(name: str) -> _Column:
    return _Column(_DATE_HEADERS[name], lambda row: row[name], is_date=True)


def _text(header: str, name: str) -> _Column:
    return _Column(header, lambda row: row[name] or None)


def _limit(kind: LimitKind, header: str) -> _Column:
    return _Column(header, lambda row: row["limits"].get(kind))


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("ja" if value else "nee")


_DATE_HEADERS = {
    "received_on": "Ontvangen op",
    "coordinator_received_on": "Ontvangen door coördinator op",
    "facts_on": "Datum van de feiten",
    "decided_on": "Ontvankelijkheid beslist op",
    "acknowledged_on": "Ontvangstmelding verstuurd op",
    "sent_to_handler_on": "Naar behandelaar op",
    "assessed_on": "Beoordeeld op",
    "first_returned_on": "Rapport terug op",
    "approved_on": "Neutraliteitstoets goedgekeurd op",
    "reply_sent_on": "Antwoord verstuurd op",
    "closed_on": "Afgesloten op",
    "withdrawn_on": "Stopgezet door burger op",
}

#: The limits' statuses get a column each (empty where a limit does not apply).
_LIMIT_HEADERS = {
    LimitKind.ACKNOWLEDGEMENT: "Termijn ontvangstmelding",
    LimitKind.HANDLER_REPORT: "Termijn rapport behandelaar",
    LimitKind.REINVESTIGATION: "Termijn heronderzoek",
    LimitKind.CLOSING: "Termijn antwoord en afsluiten",
}

COLUMNS: list[_Column] = [
    _Column("Referentie", lambda row: row["reference"]),
    _day("received_on"),
    _day("coordinator_received_on"),
    _day("facts_on"),
    _Column("Kanaal", _label("channel")),
    _Column("Ingediend via", _label("route")),
    _Column("Dienst", lambda row: row["department_name"]),
    _Column("Klacht over", _label("subject")),
    _Column("Aard", _label("nature")),
    _Column("Soort handeling", _label("act_kind")),
    _Column("Onmiddellijk opgelost", lambda row: _yes_no(row["solved_immediately"])),
    _Column("Stand", _label("state")),
    _Column("Ontvankelijk", lambda row: _yes_no(row["admissible"])),
    _day("decided_on"),
    _Column("Gronden van onontvankelijkheid", lambda row: row["grounds"]),
    _day("acknowledged_on"),
    _day("sent_to_handler_on"),
    _day("assessed_on"),
    _Column("Uitkomst", _label("outcome")),
    _Column("Reden geen oordeel", _label("no_judgement_reason")),
    _Column("Mate van oplossing", _label("resolution")),
    _Column("Ombudsnormen", lambda row: row["norms"]),
    _day("first_returned_on"),
    _Column("Diensthoofd op de hoogte", lambda row: _yes_no(row["head_informed"])),
    _Column("Neutraliteitstoetsen niet goedgekeurd", lambda row: row["failed_reviews"]),
    _day("approved_on"),
    _day("reply_sent_on"),
    _day("closed_on"),
    _day("withdrawn_on"),
    *(_limit(kind, header) for kind, header in _LIMIT_HEADERS.items()),
    _Column("Geïmporteerd", lambda row: "ja" if row["import_key"] else "nee"),
]

#: Added only when the coordinator asks for personal data.
PERSONAL_COLUMNS: list[_Column] = [
    _Column("Aanspreking", lambda row: row["form_of_address"].shown or None),
    _text("Naam", "name"),
    _text("Straat en nummer", "street"),
    _text("Postcode", "postal_code"),
    _text("Gemeente", "city"),
    _text("Telefoon", "phone"),
    _text("E-mail", "email"),
    _text("Omschrijving", "description"),
    _text("Ontvangen door", "received_by"),
    _text("Doorgestuurd door", "forwarded_by"),
    _text("Betrokken persoon", "person_concerned"),
    _Column("Behandelaar", lambda row: row["handler_name"] or None),
    _text("Onmiddellijke oplossing", "immediate_solution"),
    _text("Motivering ontvankelijkheid", "admissibility_motivation"),
    _text("Contacten tijdens het onderzoek", "investigation_contacts"),
    _text("Samenvatting van het onderzoek", "investigation_summary"),
    _text("Oplossing", "solution"),
    _text("Rapport", "report_text"),
    _text("Antwoord", "reply_text"),
    _text("Reden neutraliteitstoets", "review_failed_reason"),
    _text("Reden stopzetting", "withdrawal_reason"),
    _text("Motivering verlenging", "extension_motivation"),
]

_FACT_FIELDS = tuple(
    dict.fromkeys(
        [
            "id",
            "reference",
            *DOSSIER_COLUMNS,
            "facts_on",
            "subject",
            "nature",
            "act_kind",
            "route",
            "resolution",
            "import_key",
            "head_informed",
        ]
    )
)


def columns(with_personal_data: bool) -> list[_Column]:
    """The columns of an export, in file order."""
    return COLUMNS + PERSONAL_COLUMNS if with_personal_data else list(COLUMNS)


def headers(with_personal_data: bool) -> list[str]:
    """The Dutch column headers of an export."""
    return [column.header for column in columns(with_personal_data)]


def suggested_file_name(today: date, export_format: ExportFormat, with_personal_data: bool) -> str:
    """'klachten-2026-12-06.xlsx', or 'klachten-2026-12-06-persoonsgegevens.xlsx'."""
    personal = "-persoonsgegevens" if with_personal_data else ""
    return f"klachten-{today.isoformat()}{personal}.{export_format.value}"


def export_dossiers(
    ctx: ServiceContext, request: ExportRequest, out: Path, progress: Progress | None = None
) -> ExportResult:
    """Write the dossiers the list shows (its filter and order) to ``out``.

    One read transaction; the file appears complete or not at all (written beside ``out``
    and renamed). With personal data the export is an audit event (who, how many, where) in
    the same transaction, and the file is readable by the coordinator's account only.
    ``progress`` is called after every chunk of dossiers (and may raise ExportCancelled).
    Raises UserError in Dutch when the file cannot be written.
    """
    out = out.expanduser()
    limits = time_limits()
    today = ctx.today()
    if (out.is_symlink() or out.exists()) and not out.is_file():
        # A folder, or a device such as /dev/full: never replaced by the export.
        raise UserError(
            f"{out} is geen gewoon bestand (er staat een map of apparaat met die naam); kies "
            "een bestandsnaam. Er werd niets geëxporteerd."
        )
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"De map {folder} bestaat niet; er werd niets geëxporteerd.")
    try:
        handle, temporary_name = tempfile.mkstemp(
            prefix=".klachtdesk-export-", suffix=f".{request.export_format.value}", dir=folder
        )
    except OSError as exc:
        raise UserError(
            f"Kan niet schrijven in {folder}: {os_reason(exc)}. Er werd niets geëxporteerd."
        ) from exc
    os.close(handle)
    temporary = Path(temporary_name)
    replaced = False
    try:
        with database.atomic():
            ids = ordered_ids(request.list_filter, request.sort, request.descending, today, limits)
            rows = _rows(ids, request.with_personal_data, today, limits, progress)
            chosen = columns(request.with_personal_data)
            try:
                if request.export_format is ExportFormat.XLSX:
                    _write_xlsx(temporary, chosen, rows, request.with_personal_data)
                else:
                    _write_csv(temporary, chosen, rows, request.with_personal_data)
                if not request.with_personal_data:
                    # Facts only: as readable as any file the coordinator saves.
                    os.chmod(temporary, 0o644)
            except OSError as exc:
                raise UserError(
                    f"Het bestand {out} kon niet geschreven worden: {os_reason(exc)}. "
                    "Er werd niets geëxporteerd."
                ) from exc
            if request.with_personal_data:
                append_event(
                    ctx,
                    "export_personal_data",
                    f"Export met persoonsgegevens: {counted(len(ids), 'dossier')} naar {out.name}",
                    after={
                        "file": str(out),
                        "format": request.export_format.value,
                        "dossiers": len(ids),
                        "filter": _filter_description(request),
                    },
                )
            try:
                os.replace(temporary, out)
            except OSError as exc:
                raise UserError(
                    f"Het bestand {out} kon niet bewaard worden: {os_reason(exc)}. "
                    "Er werd niets geëxporteerd."
                ) from exc
            replaced = True
    except BaseException:
        temporary.unlink(missing_ok=True)
        if replaced:  # the audit event did not commit: no file with personal data without it
            out.unlink(missing_ok=True)
        raise
    return ExportResult(out, len(ids), request.with_personal_data)


def _filter_description(request: ExportRequest) -> dict[str, Any]:
    """The filter in the audit event: what was exported, without the search text itself
    (it may be a name, and the audit trail is append-only)."""
    flt = request.list_filter
    described: dict[str, Any] = {
        "search": bool(flt.text.strip()),
        "states": sorted(str(s) for s in flt.states),
        "due": flt.due.value,
        "year": flt.year,
        "channel": None if flt.channel is None else str(flt.channel),
        "department_id": flt.department_id,
        "handler_id": flt.handler_id,
        "sort": request.sort.value,
        "descending": request.descending,
    }
    if flt.only is not None:  # the dossiers behind a number of the figures
        described["restricted_to"] = {"dossiers": len(flt.only.ids), "label": flt.only.label}
    return described


def _rows(
    ids: Sequence[int],
    with_personal_data: bool,
    today: date,
    limits: TimeLimits,
    progress: Progress | None = None,
) -> Iterator[dict[str, Any]]:
    """The dossiers of ``ids`` in that order, as dicts of their stored values, a chunk of
    queries at a time, with their department, grounds, norms and limit statuses."""
    names = _FACT_FIELDS + (PERSONAL_FIELDS if with_personal_data else ())
    selected = [getattr(Complaint, name) for name in dict.fromkeys(names)]
    selected.append(Complaint.handler.alias("handler_id"))
    selected.append(Department.name.alias("department_name"))
    if with_personal_data:
        selected.append(Handler.name.alias("handler_name"))
    for start in range(0, len(ids), CHUNK):
        if progress is not None:
            progress(start, len(ids))
        chunk = list(ids[start : start + CHUNK])
        query = (
            Complaint.select(*selected)
            .join(Department, JOIN.LEFT_OUTER, on=(Complaint.department == Department.id))
            .switch(Complaint)
        )
        if with_personal_data:
            query = query.join(Handler, JOIN.LEFT_OUTER, on=(Complaint.handler == Handler.id))
        fetched: Iterator[dict[str, Any]] = iter(query.where(Complaint.id.in_(chunk)).dicts())
        found = {row["id"]: row for row in fetched}
        grounds = _joined(
            ComplaintGround.select(ComplaintGround.complaint, ComplaintGround.ground)
            .where(ComplaintGround.complaint.in_(chunk))
            .tuples(),
            lambda ground: ground.label,
            [ground.value for ground in Ground],
        )
        norms = _joined(
            ComplaintNorm.select(ComplaintNorm.complaint, ComplaintNorm.norm)
            .where(ComplaintNorm.complaint.in_(chunk))
            .tuples(),
            lambda norm: norm.numbered,
            [norm.value for norm in Norm],
        )
        for complaint_id in chunk:
            row = found.get(complaint_id)
            if row is None:
                continue
            row["grounds"] = grounds.get(complaint_id)
            row["norms"] = norms.get(complaint_id)
            row["limits"] = _limit_statuses(row, today, limits)
            yield row
    if progress is not None:
        progress(len(ids), len(ids))


def _joined(pairs: Any, label: Callable[[Any], str], order: list[str]) -> dict[int, str]:
    """'label; label' per dossier, in the procedure's own order of the members."""
    members: dict[int, list[Any]] = {}
    for complaint_id, member in pairs:
        members.setdefault(int(complaint_id), []).append(member)
    return {
        complaint_id: "; ".join(label(m) for m in sorted(found, key=lambda m: order.index(m)))
        for complaint_id, found in members.items()
    }


def _limit_statuses(row: dict[str, Any], today: date, limits: TimeLimits) -> dict[LimitKind, str]:
    values = {name: row[name] for name in DOSSIER_COLUMNS}
    dossier = Dossier(**values, handler_id=row["handler_id"], grounds=frozenset())
    return {d.kind: d.status.label for d in deadlines(dossier, today, limits)}


def _write_xlsx(
    path: Path, chosen: list[_Column], rows: Iterator[dict[str, Any]], personal: bool
) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    try:
        _write_workbook(book, path, chosen, rows, personal)
    except BaseException as exc:
        _discard_sheets(book)
        # The write-only sheets are streamed into temporary files by lxml, which reports a
        # full temporary disk as SerialisationError('IO_ENOSPC'), not as an OSError.
        if not isinstance(exc, OSError) and type(exc).__module__.startswith("lxml"):
            raise _as_os_error(exc) from exc
        raise


def _discard_sheets(book: Any) -> None:
    """Close a write-only workbook's half-written sheets and remove their temporary files
    now (they hold the exported rows, personal data too): openpyxl would otherwise keep them
    in the temp folder until the program exits — for ever after a crash — and, on a full
    disk, print a traceback when the garbage collector closes them."""
    for sheet in list(getattr(book, "_sheets", [])):
        writer = getattr(sheet, "_writer", None)
        for generator in (getattr(sheet, "_rows", None), getattr(writer, "xf", None)):
            with contextlib.suppress(Exception):
                if generator is not None:
                    generator.close()
        out = getattr(writer, "out", None)
        if isinstance(out, str):
            with contextlib.suppress(Exception):
                writer.cleanup()  # type: ignore[union-attr]
            with contextlib.suppress(OSError):
                os.remove(out)


def _write_workbook(
    book: Any, path: Path, chosen: list[_Column], rows: Iterator[dict[str, Any]], personal: bool
) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if personal:
        warning = book.create_sheet(WARNING_SHEET)
        title = WriteOnlyCell(warning, value="Bevat persoonsgegevens")
        title.font = Font(bold=True, color="A61B1B", size=14)
        warning.append([title])
        warning.append([PERSONAL_DATA_WARNING])
        warning.column_dimensions["A"].width = 120
    sheet = book.create_sheet(DOSSIERS_SHEET)
    sheet.freeze_panes = "B2"
    for index, column in enumerate(chosen, start=1):
        width = 12 if column.is_date else max(14, min(40, len(column.header) + 2))
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for column in chosen:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    # One styled cell per date column, reused row after row: the writer serialises each row
    # as it is appended, and styling a fresh cell per date costs more than the rest together.
    date_cells = {
        index: WriteOnlyCell(sheet) for index, column in enumerate(chosen) if column.is_date
    }
    for cell in date_cells.values():
        cell.number_format = DATE_FORMAT
    for row in rows:
        values: list[Any] = []
        for index, column in enumerate(chosen):
            value = column.value(row)
            if value is not None and index in date_cells:
                cell = date_cells[index]
                cell.value = value
                value = cell
            elif isinstance(value, str):
                value = _xlsx_text(sheet, value)
            values.append(value)
        sheet.append(values)
    # Zipped in memory, then written in one go: openpyxl's ZipFile on the file itself, when
    # the disk fills, is left open and tries again when collected, printing an English
    # traceback after the Dutch message. The zipped workbook is small beside the rows.
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getbuffer())


def _as_os_error(exc: BaseException) -> OSError:
    """lxml's ``IO_ENOSPC``/``IO_EFBIG``… as the OSError it stands for."""
    name = re.search(r"IO_(E[A-Z]+)", str(exc))
    number = getattr(errno, name[1], errno.EIO) if name else errno.EIO
    return OSError(number, os.strerror(number))


def _xlsx_text(sheet: Any, text: str) -> Any:
    """Text as an XLSX cell holds it: without the control characters XML cannot carry (a
    pasted e-mail may contain them), and a text starting with '=' stays text (openpyxl would
    write it as a formula)."""
    from openpyxl.cell import WriteOnlyCell

    text = clean_text(text)
    if not is_formula_like(text):
        return text
    return force_text(WriteOnlyCell(sheet, value=text))


#: Excel evaluates a CSV field starting with one of these as a formula (CSV injection); a
#: leading tab or carriage return is skipped by some spreadsheets before they look.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(text: str) -> str:
    """A text field Excel shows as text: without control characters (ESC, BEL...), and with
    a leading apostrophe before a formula character (so '+32 478 12 34 56' and
    '=HYPERLINK(...)' stay text), as OWASP advises."""
    text = clean_text(text)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        return _csv_text(value)
    return str(value)


def _write_csv(
    path: Path, chosen: list[_Column], rows: Iterator[dict[str, Any]], personal: bool
) -> None:
    # UTF-8 with a BOM and ';' between fields: what Excel with Belgian (Dutch or French)
    # regional settings opens directly, accents intact, one column per field.
    with open(path, "w", encoding="utf-8-sig", newline="") as file:
        _write_csv_rows(file, chosen, rows, personal)


def _write_csv_rows(
    file: TextIO, chosen: list[_Column], rows: Iterator[dict[str, Any]], personal: bool
) -> None:
    writer = csv.writer(file, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    if personal:
        writer.writerow([PERSONAL_DATA_WARNING])
    writer.writerow([column.header for column in chosen])
    for row in rows:
        writer.writerow([_csv_value(column.value(row)) for column in chosen])
