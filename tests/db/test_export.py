"""Exporting the register (issue 12 §4): the files read back with openpyxl and csv."""

from __future__ import annotations

import csv
import os
import stat
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from klachtdesk.models import (
    AuditEvent,
    Complaint,
    Handler,
    Register,
    database,
)
from klachtdesk.procedure import Channel, Norm, Outcome, Resolution, Route, UserError
from klachtdesk.services import complaints as svc
from klachtdesk.services.complaint_list import ListFilter, SortKey, ordered_ids
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.demo import fill_with_demo
from klachtdesk.services.export import (
    DOSSIERS_SHEET,
    PERSONAL_DATA_WARNING,
    WARNING_SHEET,
    ExportFormat,
    ExportRequest,
    export_dossiers,
    headers,
    suggested_file_name,
)
from klachtdesk.services.settings import time_limits

from ..conftest import FakeClock
from .helpers import handler, intake


def xlsx_rows(path: Path, sheet: str = DOSSIERS_SHEET) -> list[list[Any]]:
    book = load_workbook(path, read_only=True)
    try:
        rows = [list(row) for row in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()
    # Empty cells at the end of a row are not written: read them as empty.
    width = max((len(row) for row in rows), default=0)
    return [row + [None] * (width - len(row)) for row in rows]


def csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel"
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file, delimiter=";"))


def personal_values() -> list[str]:
    """Every complainant's name, street, e-mail, phone and description in the register."""
    values: list[str] = []
    for c in Complaint.select():
        values += [v for v in (c.name, c.street, c.email, c.phone, c.description) if v]
    return values


def file_text(path: Path) -> str:
    """All the text of an export: every cell of every sheet, or the CSV as it is."""
    if path.suffix == ".csv":
        return path.read_text(encoding="utf-8-sig")
    book = load_workbook(path, read_only=True)
    try:
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    finally:
        book.close()


def personal_exports() -> int:
    return AuditEvent.select().where(AuditEvent.action == "export_personal_data").count()


@pytest.fixture
def demo_register(register: Register, ctx: ServiceContext) -> Register:
    fill_with_demo(ctx, 120, seed=7)
    return register


@pytest.mark.parametrize("export_format", list(ExportFormat))
def test_export_without_personal_data_holds_the_facts_and_no_person(
    demo_register: Register, ctx: ServiceContext, tmp_path: Path, export_format: ExportFormat
) -> None:
    out = tmp_path / f"export.{export_format.value}"
    result = export_dossiers(ctx, ExportRequest(export_format=export_format), out)

    expected_ids = ordered_ids(ListFilter(), SortKey.RECEIVED, True, ctx.today(), time_limits())
    references = [Complaint.get_by_id(i).reference for i in expected_ids]
    assert result.dossiers == 120 and not result.with_personal_data
    rows = xlsx_rows(out) if export_format is ExportFormat.XLSX else csv_rows(out)
    assert rows[0] == headers(False)
    assert "Naam" not in rows[0] and "Behandelaar" not in rows[0]
    assert [row[0] for row in rows[1:]] == references  # the list's order, newest first
    text = file_text(out)
    leaked = [value for value in personal_values() if value in text]
    assert not leaked, leaked[:5]
    assert "persoonsgegevens" not in text.lower()
    assert personal_exports() == 0


def test_xlsx_dates_are_real_dates_and_labels_are_dutch(
    register: Register, ctx: ServiceContext, clock: FakeClock, tmp_path: Path
) -> None:
    handler_id = handler(ctx)
    department_id = Handler.get_by_id(handler_id).department_id
    complaint_id = svc.register_complaint(
        ctx, intake(received_on=date(2026, 2, 27), department_id=department_id)
    )
    clock.advance(days=1)
    svc.decide_admissibility(ctx, complaint_id, [])
    svc.record_acknowledgement(ctx, complaint_id)
    svc.send_to_handler(ctx, complaint_id, handler_id)
    clock.advance(days=3)
    svc.record_assessment(
        ctx,
        complaint_id,
        Outcome.PARTLY_WELL_FOUNDED,
        solution="Excuses.",
        resolution=Resolution.PARTLY_RESOLVED,
        norms=[Norm.REASONABLE_TIME, Norm.COURTESY],
    )
    with database.atomic():
        Complaint.update(route=Route.POLITICIAN).where(Complaint.id == complaint_id).execute()
    out = tmp_path / "een.xlsx"
    export_dossiers(ctx, ExportRequest(), out)

    header, row = xlsx_rows(out)
    values = dict(zip(header, row, strict=True))
    assert values["Referentie"] == "2026-0001"
    assert values["Ontvangen op"] == datetime(2026, 2, 27)  # a date, not a text
    assert values["Ontvangstmelding verstuurd op"] == datetime(2026, 3, 3)
    assert values["Kanaal"] == "telefoon"
    assert values["Ingediend via"] == "via een mandataris"
    assert values["Dienst"] == "Milieu en afval"
    assert values["Ontvankelijk"] == "ja"
    assert values["Uitkomst"] == "deels gegrond"
    assert values["Mate van oplossing"] == "deels opgelost"
    # In the Ombudsdienst's own order, whatever order they were recorded in.
    assert values["Ombudsnormen"] == "6. correcte bejegening; 13. redelijke behandeltermijn"
    assert values["Termijn ontvangstmelding"] == "gehaald"
    assert values["Termijn antwoord en afsluiten"] == "lopend"
    assert values["Termijn heronderzoek"] is None  # does not apply
    assert values["Geïmporteerd"] == "nee"
    book = load_workbook(out)
    received = book[DOSSIERS_SHEET]["B2"]
    assert received.is_date and received.number_format == "DD/MM/YYYY"
    book.close()


def test_inadmissible_grounds_in_the_procedures_order(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    from klachtdesk.procedure import Ground

    complaint_id = svc.register_complaint(ctx, intake())
    svc.decide_admissibility(
        ctx,
        complaint_id,
        [Ground.POLICY, Ground.NOT_A_COMPLAINT],
        motivation="Een vraag over het beleid van Marie Peeters' straat.",
    )
    out = tmp_path / "grond.csv"
    export_dossiers(ctx, ExportRequest(export_format=ExportFormat.CSV), out)
    header, row = csv_rows(out)
    values = dict(zip(header, row, strict=True))
    assert values["Ontvankelijk"] == "nee"
    assert values["Gronden van onontvankelijkheid"] == (
        "geen klacht; klacht over beleid en regelgeving"
    )
    assert values["Ontvangen op"] == "02/03/2026"  # as a Belgian Excel reads a date
    assert "Marie Peeters" not in out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("export_format", list(ExportFormat))
def test_export_with_personal_data_says_so_and_is_audited(
    demo_register: Register, ctx: ServiceContext, tmp_path: Path, export_format: ExportFormat
) -> None:
    name = suggested_file_name(ctx.today(), export_format, with_personal_data=True)
    assert name == f"klachten-2026-03-02-persoonsgegevens.{export_format.value}"
    out = tmp_path / name
    flt = ListFilter(channel=Channel.EMAIL)
    result = export_dossiers(
        ctx,
        ExportRequest(list_filter=flt, export_format=export_format, with_personal_data=True),
        out,
    )
    shown = ordered_ids(flt, SortKey.RECEIVED, True, ctx.today(), time_limits())
    assert result.dossiers == len(shown) > 0
    if export_format is ExportFormat.XLSX:
        book = load_workbook(out, read_only=True)
        assert book.sheetnames == [WARNING_SHEET, DOSSIERS_SHEET]  # the warning comes first
        book.close()
        warning = xlsx_rows(out, WARNING_SHEET)
        assert warning[0] == ["Bevat persoonsgegevens"]
        assert warning[1] == [PERSONAL_DATA_WARNING]
        rows = xlsx_rows(out)
    else:
        rows = csv_rows(out)
        assert rows[0] == [PERSONAL_DATA_WARNING]
        assert rows[0][0].startswith("Bevat persoonsgegevens")
        rows = rows[1:]
    assert rows[0] == headers(True)
    by_reference = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    for complaint in Complaint.select().where(Complaint.id.in_(shown)):
        values = by_reference[complaint.reference]
        assert (values["Naam"] or "") == complaint.name
        assert values["Omschrijving"] == complaint.description
        phone = values["Telefoon"] or ""
        assert phone.removeprefix("'") == complaint.phone  # CSV: '+32 … stays text in Excel
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # the coordinator's account only
    event = AuditEvent.get(AuditEvent.action == "export_personal_data")
    assert event.actor == "coördinator"
    assert f"{len(shown)} dossiers" in event.summary and out.name in event.summary
    assert '"channel": "email"' in event.after


def test_filters_search_and_sort_are_those_of_the_list(
    demo_register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    some = Complaint.select().where(Complaint.name != "").order_by(Complaint.id).first()
    year = some.received_on.year
    cases = [
        ListFilter(year=year),
        ListFilter(channel=Channel.LETTER, year=year),
        ListFilter(text=some.name.split()[-1]),
    ]
    for number, flt in enumerate(cases):
        for sort, descending in ((SortKey.COMPLAINANT, False), (SortKey.STATE, True)):
            out = tmp_path / f"filter-{number}-{sort.value}.csv"
            request = ExportRequest(
                list_filter=flt, sort=sort, descending=descending, export_format=ExportFormat.CSV
            )
            export_dossiers(ctx, request, out)
            shown = ordered_ids(flt, sort, descending, ctx.today(), time_limits())
            assert shown, flt
            assert [r[0] for r in csv_rows(out)[1:]] == [
                Complaint.get_by_id(i).reference for i in shown
            ]
    assert len(ordered_ids(cases[0], SortKey.RECEIVED, True, ctx.today(), time_limits())) < 120


def test_text_that_looks_like_a_formula_stays_text(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    cid = svc.register_complaint(ctx, intake(description="Gewoon"))
    # As a register from before the intake refused control characters may hold it.
    with database.atomic():
        description = '=HYPERLINK("http://x")\x0b en meer'
        Complaint.update(description=description).where(Complaint.id == cid).execute()
    out = tmp_path / "formule.xlsx"
    export_dossiers(ctx, ExportRequest(with_personal_data=True), out)
    book = load_workbook(out)
    sheet = book[DOSSIERS_SHEET]
    column = headers(True).index("Omschrijving") + 1
    cell = sheet.cell(row=2, column=column)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x") en meer'
    book.close()
    out_csv = tmp_path / "formule.csv"
    export_dossiers(
        ctx, ExportRequest(export_format=ExportFormat.CSV, with_personal_data=True), out_csv
    )
    values = dict(zip(*csv_rows(out_csv)[1:], strict=True))
    assert values["Omschrijving"].startswith("'=HYPERLINK")


def test_a_folder_that_cannot_be_written_leaves_nothing(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    svc.register_complaint(ctx, intake())
    tmp_path = tmp_path / "uit"
    tmp_path.mkdir()
    with pytest.raises(UserError, match="bestaat niet"):
        export_dossiers(ctx, ExportRequest(with_personal_data=True), tmp_path / "nee" / "x.xlsx")
    locked = tmp_path / "alleen-lezen"
    locked.mkdir()
    if os.geteuid() != 0:  # root writes anyway
        locked.chmod(0o500)
        try:
            with pytest.raises(UserError, match="niets geëxporteerd"):
                export_dossiers(ctx, ExportRequest(with_personal_data=True), locked / "x.xlsx")
        finally:
            locked.chmod(0o700)
    assert list(locked.iterdir()) == []
    # A target that is a folder: written beside it, then refused at the rename.
    target = tmp_path / "map.csv"
    target.mkdir()
    with pytest.raises(UserError, match="niets geëxporteerd"):
        export_dossiers(
            ctx,
            ExportRequest(export_format=ExportFormat.CSV, with_personal_data=True),
            target,
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alleen-lezen", "map.csv"]
    assert personal_exports() == 0  # nothing exported, nothing recorded


def test_an_empty_list_exports_the_headers(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    out = tmp_path / "leeg.xlsx"
    assert export_dossiers(ctx, ExportRequest(), out).dossiers == 0
    assert xlsx_rows(out) == [headers(False)]


def test_a_personal_export_of_a_figure_s_dossiers_records_the_restriction(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    import json

    from klachtdesk.services.complaint_list import Restriction

    ids = [svc.register_complaint(ctx, intake(name=f"Persoon {n}")) for n in range(3)]
    only = Restriction(frozenset(ids[:2]), "Kanaal: e-mail (2026)")
    out = tmp_path / "cijfer.xlsx"
    result = export_dossiers(
        ctx, ExportRequest(ListFilter(only=only), with_personal_data=True), out
    )
    assert result.dossiers == 2
    event = AuditEvent.get(AuditEvent.action == "export_personal_data")
    described = json.loads(event.after)["filter"]
    assert described["restricted_to"] == {"dossiers": 2, "label": "Kanaal: e-mail (2026)"}
    export_dossiers(ctx, ExportRequest(with_personal_data=True), tmp_path / "alles.xlsx")
    last = AuditEvent.select().where(AuditEvent.action == "export_personal_data")
    assert "restricted_to" not in json.loads(last.order_by(AuditEvent.id.desc())[0].after)["filter"]


def test_csv_fields_lose_control_characters_and_tab_or_cr_starts_stay_text(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    first = svc.register_complaint(ctx, intake(description="Kleur"))
    second = svc.register_complaint(ctx, intake(description="Gewoon"))
    # As an earlier import or a database tool may have stored them (intake refuses them).
    with database.atomic():
        description = "Kleur\x1b[31m rood\x07 bel"
        Complaint.update(description=description).where(Complaint.id == first).execute()
        Complaint.update(name="\tJan").where(Complaint.id == first).execute()
        Complaint.update(name="\r=1+1").where(Complaint.id == second).execute()
    out = tmp_path / "stuur.csv"
    export_dossiers(
        ctx, ExportRequest(export_format=ExportFormat.CSV, with_personal_data=True), out
    )
    raw = out.read_text(encoding="utf-8-sig")
    assert "\x1b" not in raw and "\x07" not in raw
    rows = csv_rows(out)
    header = rows[1]
    values = [dict(zip(header, row, strict=True)) for row in rows[2:]]
    assert {v["Omschrijving"] for v in values} == {"Kleur[31m rood bel", "Gewoon"}
    assert sorted(v["Naam"] for v in values) == ["'\tJan", "'\r=1+1"]


def test_what_the_export_calls_personal_is_what_anonymising_erases(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    """One list of personal fields: an anonymised dossier exported with personal data has
    every personal column empty (the handler, an employee's name, stays linked)."""
    from klachtdesk.procedure import FormOfAddress
    from klachtdesk.services.erasure import PERSONAL_FIELDS, anonymise_complaint

    from .helpers import walk_to_returned

    cid = svc.register_complaint(ctx, intake(form_of_address=FormOfAddress.MADAM))
    walk_to_returned(ctx, cid, handler(ctx))
    svc.review_neutrality(ctx, cid, True)
    svc.record_reply_sent(ctx, cid)
    svc.close_complaint(ctx, cid)
    before = tmp_path / "voor.csv"
    request = ExportRequest(export_format=ExportFormat.CSV, with_personal_data=True)
    export_dossiers(ctx, request, before)
    anonymise_complaint(ctx, cid)
    after = tmp_path / "na.csv"
    export_dossiers(ctx, request, after)
    personal = headers(True)[len(headers(False)) :]
    was = dict(zip(personal, csv_rows(before)[2][len(headers(False)) :], strict=True))
    now = dict(zip(personal, csv_rows(after)[2][len(headers(False)) :], strict=True))
    assert was["Aanspreking"] and was["Naam"] and was["Omschrijving"]
    assert {k: v for k, v in now.items() if v and k != "Behandelaar"} == {}
    assert len(personal) == len(PERSONAL_FIELDS) + 1  # + the handler's name
