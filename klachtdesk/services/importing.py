"""Import an earlier register kept in Excel or as CSV (File → Importeren, ``klachtdesk import``).

The sheet is read with a maintained reader (openpyxl in read-only mode for .xlsx, the csv
module for .csv); :mod:`klachtdesk.procedure.import_rules` maps it. :func:`preview` says per
row what it would become, writing nothing; :func:`run` writes every importable row in ONE
transaction with ONE audit event.

An imported dossier keeps its own dates and outcome, gets a reference number of the year it
was received in (from the same counter as new ones, so the two never clash), its row's
fingerprint in ``import_key`` (a row already imported is passed over, so importing the same
file again adds nothing), the time limits in force today, its next due date, its person keys
and, through the database's triggers, its place in the search index.

Merged cells: openpyxl's read-only mode gives a merged range's value in its first (top-left)
cell; the other cells of the range read as empty and are treated as empty (a department merged
over three rows belongs to the first of them only).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, cast

from klachtdesk.models import (
    Complaint,
    ComplaintGround,
    Department,
    Handler,
    PersonKey,
    ReferenceCounter,
    database,
)
from klachtdesk.models.bulk import bulk_insert, search_index_deferred
from klachtdesk.procedure import UserError, next_due_on, person_keys
from klachtdesk.procedure.import_rules import (
    HEADER_SEARCH_ROWS,
    Cell,
    ImportField,
    ImportMapping,
    PlannedDossier,
    RefusedRow,
    department_spelling_key,
    fold,
    guess_mapping,
    plan_rows,
)
from klachtdesk.procedure.vocabulary import LabeledEnum
from klachtdesk.procedure.words import counted, number

from .audit import append_event
from .complaints import INTAKE_FIELDS
from .context import ServiceContext
from .dossiers import DOSSIER_COLUMNS, next_complaint_id
from .settings import time_limits

IMPORT_ACTION = "import"
READABLE_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt")


class ImportProblem(UserError):
    """A file that cannot be read as a register (Dutch message)."""


class RowStatus(LabeledEnum):
    """What happens to a row of the sheet."""

    IMPORT = "import", "wordt geïmporteerd"
    ALREADY = "already", "al geïmporteerd"
    REFUSED = "refused", "niet geïmporteerd"


@dataclass(frozen=True)
class RowResult:
    """One data row of the sheet, as the preview shows it."""

    row_number: int
    status: RowStatus
    what: str
    """What it becomes, e.g. 'dossier van 2024, afgehandeld (gegrond)'; empty when refused."""
    reason: str
    """Why it is not imported (Dutch); empty when it is."""
    received_on: date | None = None
    name: str = ""
    department: str = ""
    plan: PlannedDossier | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class ImportSheet:
    """A sheet read from a file: its rows of cells as the reader gave them."""

    path: Path
    rows: list[list[Cell]]

    def headers(self, mapping: ImportMapping) -> list[str]:
        """The header row's texts (a column without a title is 'kolom C')."""
        width = max((len(r) for r in self.rows), default=0)
        header = self.rows[mapping.header_row] if self.rows else []
        return [
            (str(header[i]).strip() if i < len(header) and header[i] is not None else "")
            or f"kolom {_column_letter(i)}"
            for i in range(width)
        ]


@dataclass(frozen=True)
class ImportPreview:
    """What an import of the sheet with this mapping would do."""

    sheet: ImportSheet
    mapping: ImportMapping
    rows: list[RowResult]
    empty_rows: int
    new_departments: list[str]
    new_handlers: list[str]

    def count(self, status: RowStatus) -> int:
        return sum(1 for r in self.rows if r.status is status)

    @property
    def summary(self) -> str:
        """In Dutch, e.g. '12 rijen worden geïmporteerd, 3 niet, 2 waren al geïmporteerd.'"""
        return summary_line(
            self.count(RowStatus.IMPORT),
            self.count(RowStatus.REFUSED),
            self.count(RowStatus.ALREADY),
            self.empty_rows,
            future=True,
        )


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    imported: int
    refused: int
    already: int
    empty_rows: int
    references: list[str]
    new_departments: list[str]
    new_handlers: list[str]

    @property
    def summary(self) -> str:
        return summary_line(self.imported, self.refused, self.already, self.empty_rows)


def _rows(count: int) -> str:
    return counted(count, "rij")


def summary_line(
    imported: int, refused: int, already: int, empty: int, future: bool = False
) -> str:
    """The Dutch one-line account of an import (or, ``future``, of its preview)."""
    if future:
        verb = "wordt" if imported == 1 else "worden"
        parts = [f"{_rows(imported)} {verb} geïmporteerd"]
    else:
        verb = "werd" if imported == 1 else "werden"
        parts = [f"{_rows(imported)} {verb} geïmporteerd"]
    if refused:
        parts.append(f"{_rows(refused)} niet (zie de reden)")
    if already:
        parts.append(f"{_rows(already)} al eerder geïmporteerd")
    if empty:
        parts.append(f"{_rows(empty)} leeg en overgeslagen")
    return ", ".join(parts) + "."


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---- reading ----------------------------------------------------------------------------


def read_sheet(path: Path | str) -> ImportSheet:
    """The first (active) sheet of an .xlsx file, or a .csv file, as rows of cells."""
    path = Path(path).expanduser()
    suffix = path.suffix.casefold()
    if suffix == ".xls":
        raise ImportProblem(
            f"{path.name} is een oud Excel-bestand (.xls). Open het in Excel of LibreOffice, "
            "bewaar het als Excel-werkmap (.xlsx) en importeer dat bestand."
        )
    if suffix not in READABLE_SUFFIXES:
        raise ImportProblem(
            f"{path.name}: klachtdesk leest een Excel-werkmap (.xlsx) of een CSV-bestand (.csv)."
        )
    if not path.is_file():
        raise ImportProblem(f"Het bestand {path} bestaat niet.")
    try:
        rows = _read_csv(path) if suffix in (".csv", ".txt") else _read_xlsx(path)
    except ImportProblem:
        raise
    except OSError as exc:
        raise ImportProblem(
            f"{path.name} kan niet gelezen worden ({exc.strerror or exc})."
        ) from None
    except (ValueError, LookupError, TypeError, csv.Error, MemoryError, RecursionError):
        # Whatever a damaged file makes a reader raise: said in Dutch, never a traceback.
        raise ImportProblem(
            f"{path.name} kan niet gelezen worden: het bestand is beschadigd of geen register."
        ) from None
    return ImportSheet(path, rows)


#: Limits on what is read, checked before the reader starts (measured: openpyxl needs about
#: 0.25 ms and 1.2 kB per cell; a register of 100,000 rows of 30 columns reads in ~25 s).
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_SHARED_STRINGS = 1_000_000
_SCAN_CHUNK = 1 << 20
_DANGEROUS_XML = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
# A formula cell without its calculated value: '<f>…</f></c>' or '<f …/></c>' (no <v>).
_FORMULA_WITHOUT_VALUE = re.compile(
    rb"(</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*(<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</"
)
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")
_SHARED_STRING_TAG = re.compile(rb"<(?:\w+:)?si[\s>]")


def _check_workbook(path: Path) -> None:
    """Refuse, before openpyxl reads a byte of XML, a workbook that is not one, is too large,
    holds a DTD (entity expansion, external entities) or formulas without their values."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportProblem(f"{path.name} is geen geldige Excel-werkmap (.xlsx).") from None
    with archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names:
            if "word/document.xml" in names:
                raise ImportProblem(
                    f"{path.name} is een Word-document, geen Excel-werkmap. "
                    "Importeer het register zelf (.xlsx of .csv)."
                )
            raise ImportProblem(f"{path.name} is geen geldige Excel-werkmap (.xlsx).")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise ImportProblem(
                f"{path.name} is te groot: uitgepakt {total // (1024 * 1024)} MB, "
                f"klachtdesk leest hoogstens {MAX_UNCOMPRESSED // (1024 * 1024)} MB. "
                "Verdeel het register over meerdere bestanden."
            )
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            sheet = info.filename.startswith("xl/worksheets/")
            shared = info.filename == "xl/sharedStrings.xml"
            rows = strings = 0
            tail = b""
            try:
                with archive.open(info) as member:
                    while chunk := member.read(_SCAN_CHUNK):
                        data = tail + chunk
                        if _DANGEROUS_XML.search(data):
                            raise ImportProblem(
                                f"{path.name} bevat een documenttypedefinitie (DTD) in "
                                f"{info.filename}; Excel maakt zulke bestanden niet en klachtdesk "
                                "leest ze niet. Open het in Excel en bewaar het opnieuw."
                            )
                        if sheet and _FORMULA_WITHOUT_VALUE.search(data):
                            raise ImportProblem(
                                f"{path.name} bevat een formule zonder berekende waarde: open en "
                                "bewaar het bestand in Excel, en importeer het dan opnieuw."
                            )
                        # Count each tag once: a tag that ends in the new part starts at
                        # most its length minus one before it ('<row ' 5, '<si>' 4 bytes).
                        start = len(tail)
                        if sheet:
                            rows += len(_ROW_TAG.findall(data, max(0, start - 4)))
                        if shared:
                            strings += len(_SHARED_STRING_TAG.findall(data, max(0, start - 3)))
                        tail = data[-64:]
                        if rows > MAX_ROWS + HEADER_SEARCH_ROWS:
                            raise ImportProblem(
                                f"{path.name} heeft meer dan {number(MAX_ROWS)} rijen; "
                                "verdeel het register over meerdere bestanden."
                            )
                        if strings > MAX_SHARED_STRINGS:
                            raise ImportProblem(
                                f"{path.name} bevat meer dan {number(MAX_SHARED_STRINGS)} "
                                "verschillende teksten; verdeel het register over meerdere "
                                "bestanden."
                            )
            except (zipfile.BadZipFile, EOFError, OSError, zlib.error, RuntimeError):
                raise ImportProblem(
                    f"{path.name} is beschadigd ({info.filename} kan niet uitgepakt worden)."
                ) from None


def _read_xlsx(path: Path) -> list[list[Cell]]:
    from openpyxl import load_workbook

    _check_workbook(path)
    damaged = ImportProblem(
        f"{path.name} is beschadigd of geen gewone Excel-werkmap: open het in Excel, bewaar het "
        "opnieuw als Excel-werkmap (.xlsx) en importeer dat bestand."
    )
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # any reader failure on a damaged file is the same problem to the user
        raise damaged from None
    try:
        sheet = workbook.active
        if sheet is None:
            raise ImportProblem(f"{path.name} bevat geen werkblad.")
        if (sheet.max_column or 0) > MAX_COLUMNS:
            raise _too_many_columns(path, sheet.max_column)
        rows = _collected(path, sheet.iter_rows(values_only=True), empty=None)
    except ImportProblem:
        raise
    except Exception:
        raise damaged from None
    finally:
        workbook.close()
    return rows


def _collected(path: Path, lines: Iterable[Sequence[Cell]], *, empty: Cell) -> list[list[Cell]]:
    """The sheet's rows without their trailing ``empty`` cells, within the size limits."""
    rows: list[list[Cell]] = []
    for values in lines:
        row = list(values)
        while row and row[-1] == empty:
            row.pop()
        if len(row) > MAX_COLUMNS:
            raise _too_many_columns(path, len(row))
        rows.append(row)
        if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise ImportProblem(
                f"{path.name} heeft meer dan {number(MAX_ROWS)} rijen; "
                "verdeel het register over meerdere bestanden."
            )
    return rows


def _too_many_columns(path: Path, columns: int) -> ImportProblem:
    return ImportProblem(
        f"{path.name} heeft {number(columns)} kolommen; klachtdesk leest er hoogstens "
        f"{MAX_COLUMNS}. Verwijder de lege of overbodige kolommen en bewaar het opnieuw."
    )


def _decode(data: bytes, name: str) -> str:
    """UTF-16 with its byte-order mark (Excel's 'Unicode-tekst'), UTF-8 (with or without
    byte-order mark), else Windows-1252 (Excel's 'CSV' on Windows). A file that is UTF-8 in
    part and not in another is refused: read as Windows-1252, its accented letters would be
    imported garbled ('JosÃ©')."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportProblem(f"{name} is geen geldige Unicode-tekst (UTF-16).") from None
    utf8_bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return data[3:].decode("utf-8") if utf8_bom else data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if utf8_bom or _UTF8_SEQUENCE.search(data):
            line = data[: exc.start + (3 if utf8_bom else 0)].count(b"\n") + 1
            raise ImportProblem(
                f"{name} is deels UTF-8 en deels een andere codering (regel {line}); zo zouden "
                "letters met accenten verminkt worden. Bewaar het in Excel opnieuw als "
                "‘CSV UTF-8’ en importeer dat bestand."
            ) from None
        return data.decode("cp1252", errors="replace")


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _read_csv(path: Path) -> list[list[Cell]]:
    if path.stat().st_size > MAX_UNCOMPRESSED:
        raise ImportProblem(
            f"{path.name} is te groot; klachtdesk leest hoogstens "
            f"{MAX_UNCOMPRESSED // (1024 * 1024)} MB."
        )
    text = _decode(path.read_bytes(), path.name)
    sample = "\n".join(text.splitlines()[:50])
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = "excel"
        if sample.count(";") > sample.count(","):
            dialect = "excel-semicolon"
            csv.register_dialect("excel-semicolon", delimiter=";")
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        rows = _collected(path, reader, empty="")
    except csv.Error:
        raise ImportProblem(
            f"{path.name}: regel {reader.line_num} kan niet gelezen worden (een cel van meer "
            f"dan {number(csv.field_size_limit())} tekens, of een aanhalingsteken dat "
            "niet gesloten wordt)."
        ) from None
    return rows


# ---- mapping and preview ----------------------------------------------------------------


def _department_names() -> list[str]:
    return [d.name for d in Department.select(Department.name)]


def guess(sheet: ImportSheet) -> ImportMapping:
    """The automatic mapping of the sheet (header row, columns, values); departments are
    matched to the register's."""
    return guess_mapping(sheet.rows, _department_names())


def remap_values(sheet: ImportSheet, mapping: ImportMapping) -> ImportMapping:
    """The value maps again, after a column was changed (the coordinator's own value choices
    for values still in the new columns are kept)."""
    from klachtdesk.procedure.import_rules import guess_values

    fresh = guess_values(sheet.rows, mapping, _department_names())

    def keep(new: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
        return {k: old.get(k, v) for k, v in new.items()}

    return replace(
        fresh,
        channels=keep(fresh.channels, mapping.channels),
        departments=keep(fresh.departments, mapping.departments),
        outcomes=keep(fresh.outcomes, mapping.outcomes),
        grounds=keep(fresh.grounds, mapping.grounds),
    )


def _sheet(source: Path | str | ImportSheet) -> ImportSheet:
    return source if isinstance(source, ImportSheet) else read_sheet(source)


def preview(
    ctx: ServiceContext,
    source: Path | str | ImportSheet,
    mapping: ImportMapping | None = None,
) -> ImportPreview:
    """Per data row of the sheet: imported as what, already imported, or refused and why.
    Writes nothing. Without ``mapping`` the automatic one (:func:`guess`)."""
    sheet = _sheet(source)
    if mapping is None:
        mapping = guess(sheet)
    if ImportField.RECEIVED_ON not in mapping.columns:
        raise ImportProblem("Kies de kolom met de datum van ontvangst: zonder kan niets in.")
    planned, empty = plan_rows(
        sheet.rows, mapping, today=ctx.today(), limits=time_limits().for_dossier()
    )
    keys = [p.import_key for p in planned if isinstance(p, PlannedDossier)]
    known: dict[str, tuple[Any, ...]] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        query = Complaint.select(
            Complaint.import_key, *(getattr(Complaint, name) for name in _COMPARED)
        ).where(Complaint.import_key.in_(chunk))
        for key, *stored in cast(Iterable[tuple[Any, ...]], query.tuples()):
            known[str(key)] = tuple(stored)
    results: list[RowResult] = []
    for item in planned:
        if isinstance(item, RefusedRow):
            results.append(RowResult(item.row_number, RowStatus.REFUSED, "", item.reason))
            continue
        status = RowStatus.ALREADY if item.import_key in known else RowStatus.IMPORT
        results.append(
            RowResult(
                item.row_number,
                status,
                item.what,
                _already_reason(item, known[item.import_key])
                if status is RowStatus.ALREADY
                else "",
                item.intake.received_on,
                item.intake.name,
                item.department or "",
                item if status is RowStatus.IMPORT else None,
            )
        )
    plans = [r.plan for r in results if r.plan is not None]
    existing = {department_spelling_key(n) for n in _department_names()}
    new_departments = sorted(
        {p.department for p in plans if p.department}
        - {
            n
            for n in {p.department for p in plans if p.department}
            if department_spelling_key(n) in existing
        }
    )
    known_handlers = {fold(h.name) for h in Handler.select(Handler.name)}
    new_handlers: dict[str, str] = {}
    for p in plans:
        if p.handler and fold(p.handler) not in known_handlers:
            new_handlers.setdefault(fold(p.handler), p.handler)
    return ImportPreview(
        sheet, mapping, results, empty, new_departments, sorted(new_handlers.values())
    )


# What the preview compares between a row already imported and its dossier.
_COMPARED = ("admissible", "outcome", "acknowledged_on", "reply_sent_on", "closed_on")


def _shown(value: Any) -> str:
    if value is None:
        return "leeg"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, str) and not isinstance(value, LabeledEnum):
        try:
            return f"{date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            return value
    return str(getattr(value, "label", value))


def _already_reason(plan: PlannedDossier, stored: tuple[Any, ...]) -> str:
    """'Deze rij werd al eerder geïmporteerd.', and what the sheet now says otherwise than the
    dossier (a reply date filled in later, ...): the dossier is not changed by an import."""
    names = {
        "admissible": "ontvankelijk",
        "outcome": "uitkomst",
        "acknowledged_on": "datum ontvangstmelding",
        "reply_sent_on": "datum antwoord",
        "closed_on": "afgesloten op",
    }
    changed = []
    for name, was in zip(_COMPARED, stored, strict=True):
        now = getattr(plan.dossier, name)
        if _shown(now) != _shown(was):
            changed.append(f"{names[name]} {_shown(now)} (in het register: {_shown(was)})")
    text = "Deze rij werd al eerder geïmporteerd."
    if changed:
        text += (
            " Het bestand zegt nu: "
            + "; ".join(changed)
            + ". Een import wijzigt het dossier niet: werk het zelf bij."
        )
    return text


# ---- writing ----------------------------------------------------------------------------


def run(
    ctx: ServiceContext,
    source: Path | str | ImportSheet,
    mapping: ImportMapping | None = None,
) -> ImportResult:
    """Import every importable row in one transaction with one audit event.

    New departments and handlers named in the sheet are created (imported handlers start
    inactive: an earlier register names people who may have left; Settings can activate them).
    """
    sheet = _sheet(source)
    with database.atomic():
        seen = preview(ctx, sheet, mapping)
        plans = sorted(
            (r.plan for r in seen.rows if r.plan is not None),
            key=lambda p: (p.intake.received_on, p.row_number),
        )
        departments = _department_ids(plans)
        handlers = _handler_ids(plans, departments)
        references = _references(plans)
        now = ctx.now()
        first_id = next_complaint_id()
        complaint_rows: list[dict[str, Any]] = []
        ground_rows: list[dict[str, Any]] = []
        key_rows: list[dict[str, Any]] = []
        for offset, plan in enumerate(plans):
            complaint_id = first_id + offset
            intake, dossier = plan.intake, plan.dossier
            values: dict[str, Any] = {
                name: getattr(intake, name) for name in INTAKE_FIELDS if name != "department_id"
            }
            values.update({name: getattr(dossier, name) for name in DOSSIER_COLUMNS})
            values.update(
                id=complaint_id,
                reference=references[offset],
                registered_at=now,
                updated_at=now,
                department=departments.get(department_spelling_key(plan.department))
                if plan.department
                else None,
                handler=handlers.get(fold(plan.handler)) if plan.handler else None,
                next_due_on=next_due_on(dossier),
                admissibility_motivation=plan.grounds_motivation,
                import_key=plan.import_key,
            )
            for name, default in _COMPLAINT_DEFAULTS.items():
                values.setdefault(name, default)
            complaint_rows.append(values)
            ground_rows.extend(
                {"complaint": complaint_id, "ground": g} for g in sorted(dossier.grounds)
            )
            key_rows.extend(
                {"complaint": complaint_id, "key": k} for k in sorted(person_keys(intake))
            )
        # One prepared statement per table, values converted by their fields as peewee
        # would; the search index filled in one pass at the end (as the demo generator does).
        with search_index_deferred(first_id):
            for table, rows in (
                (Complaint, complaint_rows),
                (ComplaintGround, ground_rows),
                (PersonKey, key_rows),
            ):
                if rows:
                    columns = list(rows[0])
                    fields = [table._meta.fields[name] for name in columns]
                    bulk_insert(
                        table,
                        columns,
                        [[f.db_value(r[f.name]) for f in fields] for r in rows],
                    )
        result = ImportResult(
            imported=len(plans),
            refused=seen.count(RowStatus.REFUSED),
            already=seen.count(RowStatus.ALREADY),
            empty_rows=seen.empty_rows,
            references=[references[i] for i in range(len(plans))],
            new_departments=seen.new_departments,
            new_handlers=seen.new_handlers,
        )
        append_event(
            ctx,
            IMPORT_ACTION,
            f"Register geïmporteerd uit {sheet.path.name}: {result.summary}"
            + (f" Referenties {reference_ranges(result.references)}." if result.references else ""),
            after={
                "file": sheet.path.name,
                "imported": result.imported,
                "refused": result.refused,
                "already_imported": result.already,
                "references": reference_ranges(result.references),
                "new_departments": result.new_departments,
                "new_handlers": result.new_handlers,
            },
        )
        return result


# The columns an import leaves at their default (the texts later steps add, ...): a bulk
# insert gives every column itself.
_COMPLAINT_DEFAULTS: dict[str, Any] = {
    f.name: f.default
    for f in Complaint._meta.sorted_fields
    if f.default is not None and not callable(f.default)
}


def _department_ids(plans: Iterable[PlannedDossier]) -> dict[str, int]:
    """Department ids by spelling key; departments not yet in the register are created."""
    ids = {department_spelling_key(d.name): int(d.id) for d in Department.select()}
    for plan in plans:
        if plan.department and department_spelling_key(plan.department) not in ids:
            created = Department.create(name=plan.department, active=True)
            ids[department_spelling_key(plan.department)] = int(created.id)
    return ids


def _handler_ids(plans: Iterable[PlannedDossier], departments: dict[str, int]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for handler in Handler.select().order_by(Handler.active.desc(), Handler.id):
        ids.setdefault(fold(handler.name), int(handler.id))
    for plan in plans:
        if plan.handler and fold(plan.handler) not in ids:
            department = (
                departments.get(department_spelling_key(plan.department))
                if plan.department
                else None
            )
            created = Handler.create(
                name=" ".join(plan.handler.split()), department=department, active=False
            )
            ids[fold(plan.handler)] = int(created.id)
    return ids


def _references(plans: Sequence[PlannedDossier]) -> list[str]:
    """Reference numbers of each dossier's own year, continuing that year's counter."""
    last: dict[int, int] = {}
    references = []
    for plan in plans:
        year = plan.intake.received_on.year
        if year not in last:
            counter = ReferenceCounter.get_or_none(ReferenceCounter.year == year)
            last[year] = counter.last if counter else 0
        last[year] += 1
        references.append(f"{year}-{last[year]:04d}")
    for year, last_number in last.items():
        ReferenceCounter.replace(year=year, last=last_number).execute()
    return references


def reference_ranges(references: Sequence[str]) -> str:
    """'2023-0001 t.e.m. 2023-0004, 2024-0012 t.e.m. 2024-0013' (per year, in order)."""
    by_year: dict[str, list[str]] = {}
    for reference in sorted(references):
        by_year.setdefault(reference[:4], []).append(reference)
    return ", ".join(
        refs[0] if len(refs) == 1 else f"{refs[0]} t.e.m. {refs[-1]}" for refs in by_year.values()
    )
