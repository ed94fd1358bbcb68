"""Importing the messy earlier register of tests/data into a real encrypted register."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from klachtdesk.models import (
    AuditEvent,
    Complaint,
    ComplaintGround,
    Department,
    Handler,
    PersonKey,
    ReferenceCounter,
    Register,
)
from klachtdesk.models.search import matching_ids
from klachtdesk.procedure import Channel, Ground, Outcome, State
from klachtdesk.procedure.periods import Period
from klachtdesk.services import importing
from klachtdesk.services.audit import verify_audit_chain
from klachtdesk.services.complaints import register_complaint
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.figures import figures as period_figures
from klachtdesk.services.organisation import add_department
from tests.data import messy_register

from ..conftest import FakeClock
from .helpers import intake

XLSX = messy_register.XLSX
CSV = messy_register.CSV

REFUSED = {
    9: "Onbekend kanaal ‘Facebook’: koppel het aan een kanaal van klachtdesk.",
    10: "De datum van ontvangst ontbreekt.",
    11: "Datum ontvangst: ‘31/02/2024’ is geen bestaande datum.",
    15: "Dezelfde gegevens als rij 6 van dit bestand.",
    16: "De datum van ontvangst ligt in de toekomst.",
    17: "Telefoon: ‘12’ is geen geldig telefoonnummer.",
    19: "Onbekende uitkomst ‘opgelost’: koppel ze aan een uitkomst van klachtdesk.",
    21: "Open sinds 12/03/2024, langer dan de termijn van 45 dagen: vul de datum antwoord in.",
}


def _table_counts() -> dict[str, int]:
    return {
        t.__name__: t.select().count()
        for t in (
            Complaint,
            ComplaintGround,
            PersonKey,
            Department,
            Handler,
            ReferenceCounter,
            AuditEvent,
        )
    }


def _by_name() -> dict[str, Complaint]:
    return {c.name: c for c in Complaint.select()}


def test_the_committed_sample_files_are_what_the_script_makes(tmp_path: Path) -> None:
    messy_register.write_xlsx(tmp_path / "r.xlsx")
    messy_register.write_csv(tmp_path / "r.csv")
    assert importing.read_sheet(tmp_path / "r.xlsx").rows == importing.read_sheet(XLSX).rows
    assert (tmp_path / "r.csv").read_bytes() == CSV.read_bytes()


def test_messy_register_is_imported_exactly(register: Register, ctx: ServiceContext) -> None:
    add_department(ctx, "Milieu en afval")
    seen = importing.preview(ctx, XLSX)
    assert seen.mapping.header_row == 3  # below the title, subtitle and blank rows
    refused = {r.row_number: r.reason for r in seen.rows if r.reason}
    assert refused == REFUSED
    assert seen.empty_rows == 3
    # The three spellings are one department, the one already in the register.
    assert seen.new_departments == ["Burgerzaken"]
    assert seen.new_handlers == ["Inge Claes", "Tom Peeters"]

    result = importing.run(ctx, XLSX)
    assert (result.imported, result.refused, result.already) == (8, 8, 0)
    rows = _by_name()
    assert set(rows) == {
        "Marie Peeters",
        "Jan Janssens",
        "Els Wouters",
        "An De Smet",
        "Karel Maes",
        "Lies Maes",
        "Sofie Janssens",
        "Gert Stop",
    }
    # References of their own year, in order of receipt within the year.
    assert {n: c.reference for n, c in rows.items()} == {
        "Sofie Janssens": "2023-0001",
        "Marie Peeters": "2023-0002",
        "Els Wouters": "2024-0001",
        "Jan Janssens": "2024-0002",
        "Gert Stop": "2024-0003",
        "Lies Maes": "2025-0001",
        "Karel Maes": "2026-0001",
        "An De Smet": "2026-0002",
    }
    assert {n: c.received_on for n, c in rows.items()} == {
        "Sofie Janssens": date(2023, 1, 2),
        "Marie Peeters": date(2023, 3, 14),
        "Els Wouters": date(2024, 2, 2),  # Excel serial number 45324
        "Jan Janssens": date(2024, 2, 3),  # '3/2/2024'
        "An De Smet": date(2026, 2, 3),  # '03-02-2026'
        "Gert Stop": date(2024, 8, 1),
        "Karel Maes": date(2026, 2, 1),
        "Lies Maes": date(2025, 6, 2),
    }
    states = {n: (c.state, c.outcome, c.admissible) for n, c in rows.items()}
    assert states == {
        "Sofie Janssens": (State.CLOSED, Outcome.CORRECTED, True),
        "Marie Peeters": (State.CLOSED, Outcome.WELL_FOUNDED, True),
        "Els Wouters": (State.CLOSED, None, False),  # inadmissible, no date: closed
        "Jan Janssens": (State.CLOSED, Outcome.UNFOUNDED, True),
        "An De Smet": (State.WITH_HANDLER, None, True),
        "Gert Stop": (State.CLOSED, Outcome.STOPPED_BY_CITIZEN, True),
        "Karel Maes": (State.ASSESSED, Outcome.PARTLY_WELL_FOUNDED, True),
        "Lies Maes": (State.CLOSED, None, False),
    }
    marie = rows["Marie Peeters"]
    assert (marie.street, marie.postal_code, marie.city) == ("Kerkstraat 12", "3000", "Leuven")
    assert marie.phone == "+32 478 12 34 56"
    assert marie.channel is Channel.PHONE
    assert marie.description == "Container drie weken niet geledigd."
    assert marie.reply_sent_on == marie.closed_on == date(2023, 4, 20)
    # Steps the sheet does not date stay undated: no limit is met or late on a made-up date.
    for undated in (
        "decided_on",
        "acknowledged_on",
        "sent_to_handler_on",
        "assessed_on",
        "first_returned_on",
        "last_returned_on",
        "approved_on",
        "withdrawn_on",
    ):
        assert getattr(marie, undated) is None, undated
    assert marie.next_due_on is None
    assert Handler.get_by_id(marie.handler_id).name == "Inge Claes"
    assert not Handler.get_by_id(marie.handler_id).active
    sofie = rows["Sofie Janssens"]  # every cell with stray spaces
    assert (sofie.street, sofie.postal_code, sofie.city) == ("Dorpsstraat 3", "3000", "Leuven")
    assert sofie.description == "Paspoort niet klaar."
    assert sofie.closed_on == date(2023, 1, 15)  # '15/01/23'
    jan = rows["Jan Janssens"]
    assert jan.email == "jan.janssens@example.be" and jan.channel is Channel.EMAIL
    assert jan.closed_on == date(2024, 3, 3)  # '3 maart 2024'
    departments = {
        n: (Department.get_by_id(c.department_id).name if c.department_id else None)
        for n, c in rows.items()
    }
    assert departments == {
        "Sofie Janssens": "Burgerzaken",
        "Marie Peeters": "Milieu en afval",
        "Els Wouters": "Milieu en afval",
        "Jan Janssens": "Milieu en afval",
        "An De Smet": "Burgerzaken",
        "Gert Stop": "Burgerzaken",
        "Karel Maes": "Burgerzaken",
        "Lies Maes": None,  # the department cell was merged with the row above
    }
    assert Department.select().count() == 2
    els = rows["Els Wouters"]
    assert [g.ground for g in els.ground_rows] == [Ground.NOT_A_COMPLAINT]
    assert els.decided_on is None and els.acknowledged_on is None
    # Inadmissible without any date: closed on its date of receipt, nothing running.
    assert els.closed_on == date(2024, 2, 2) and els.next_due_on is None
    assert (els.acknowledgement_days, els.closing_days) == (10, 45)
    lies = rows["Lies Maes"]
    assert [g.ground for g in lies.ground_rows] == [Ground.POLICY]
    assert lies.acknowledged_on is None and lies.reply_sent_on is None
    assert lies.decided_on == lies.closed_on == date(2025, 6, 10)
    gert = rows["Gert Stop"]
    assert gert.withdrawn_on == gert.closed_on == date(2024, 8, 20)
    karel = rows["Karel Maes"]
    assert karel.acknowledged_on is None and karel.next_due_on == date(2026, 2, 11)
    assert all(c.import_key and len(c.import_key) == 64 for c in rows.values())
    assert {r.year: r.last for r in ReferenceCounter.select()} == {
        2023: 2,
        2024: 3,
        2025: 1,
        2026: 2,
    }


def test_reimporting_the_same_file_adds_nothing(register: Register, ctx: ServiceContext) -> None:
    importing.run(ctx, XLSX)
    before = _table_counts()
    again = importing.preview(ctx, XLSX)
    assert again.count(importing.RowStatus.ALREADY) == 8
    assert {r.reason for r in again.rows if r.status is importing.RowStatus.ALREADY} == {
        "Deze rij werd al eerder geïmporteerd."
    }
    result = importing.run(ctx, XLSX)
    assert (result.imported, result.already) == (0, 8)
    after = _table_counts()
    assert after["Complaint"] == before["Complaint"] == 8
    assert after["AuditEvent"] == before["AuditEvent"] + 1  # the (empty) import is recorded
    # Excel's CSV of the same sheet holds the same rows: nothing new either.
    assert importing.preview(ctx, CSV).count(importing.RowStatus.IMPORT) == 0


def test_an_import_is_one_audit_event(register: Register, ctx: ServiceContext) -> None:
    events = AuditEvent.select().count()
    importing.run(ctx, XLSX)
    assert AuditEvent.select().count() == events + 1
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert event.action == "import" and event.complaint_id is None
    assert event.summary.startswith("Register geïmporteerd uit messy_register.xlsx: 8 rijen")
    assert "2023-0001 t.e.m. 2023-0002" in event.summary
    # No complainant in the event (handlers, staff, are named).
    assert "Marie" not in event.summary + event.after
    assert "Janssens" not in event.summary + event.after
    assert verify_audit_chain().ok


def test_preview_writes_nothing(register: Register, ctx: ServiceContext) -> None:
    before = _table_counts()
    importing.preview(ctx, XLSX)
    assert _table_counts() == before


def test_a_failing_import_leaves_nothing(
    register: Register, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _table_counts()

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "append_event", broken)
    with pytest.raises(RuntimeError):
        importing.run(ctx, XLSX)
    assert _table_counts() == before


def test_imported_complaints_count_in_their_years_figures(
    register: Register, ctx: ServiceContext
) -> None:
    importing.run(ctx, XLSX)
    figures = period_figures(Period.year(2024), ctx.today())
    assert figures.received.count == 3
    assert (figures.admissible, figures.inadmissible) == (2, 1)
    assert {g: n.count for g, n in figures.grounds.items() if n.count} == {
        Ground.NOT_A_COMPLAINT: 1
    }
    assert {o: n.count for o, n in figures.outcomes.items() if n.count} == {
        Outcome.UNFOUNDED: 1,
        Outcome.STOPPED_BY_CITIZEN: 1,
    }
    assert (figures.assessed.count, figures.unassessed.count) == (2, 0)
    assert period_figures(Period.year(2023), ctx.today()).received.count == 2
    assert period_figures(Period.year(2025), ctx.today()).received.count == 1
    assert period_figures(Period.year(2026), ctx.today()).received.count == 2


def test_references_never_clash_with_new_ones(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    now = clock.current
    clock.current = datetime(2025, 3, 1, 10, 0)
    first = register_complaint(ctx, intake(received_on=date(2025, 3, 1)))
    clock.current = now
    importing.run(ctx, XLSX)
    assert Complaint.get_by_id(first).reference == "2025-0001"
    assert {
        c.reference
        for c in Complaint.select().where(Complaint.name.in_(["Karel Maes", "Lies Maes"]))
    } == {"2025-0002", "2026-0001"}
    clock.current = datetime(2025, 12, 1, 10, 0)
    later = register_complaint(ctx, intake(received_on=date(2025, 12, 1)))
    assert Complaint.get_by_id(later).reference == "2025-0003"


def test_imported_dossiers_are_searchable_and_keyed_like_registered_ones(
    register: Register, ctx: ServiceContext
) -> None:
    importing.run(ctx, XLSX)
    jan = Complaint.get(Complaint.name == "Jan Janssens")
    found = Complaint.select(Complaint.id).where(Complaint.id.in_(matching_ids("sluikstort")))
    assert [c.id for c in found] == [jan.id]
    keys = {k.key for k in PersonKey.select().where(PersonKey.complaint == jan.id)}
    assert keys == {"email:jan.janssens@example.be", "person:jan janssens|stationsstraat 5|3200"}


def test_the_csv_export_reads_like_the_workbook(register: Register, ctx: ServiceContext) -> None:
    from_xlsx = importing.preview(ctx, XLSX)
    from_csv = importing.preview(ctx, CSV)

    def seen(p: importing.ImportPreview) -> list[tuple[int, str, str, str]]:
        return [(r.row_number, r.status.value, r.what, r.reason) for r in p.rows]

    assert seen(from_csv) == seen(from_xlsx)


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8-sig", ","), ("utf-8", ";"), ("cp1252", ",")]
)
def test_csv_encodings_and_delimiters(
    register: Register, ctx: ServiceContext, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    path = tmp_path / "oud.csv"
    lines = [
        ["Datum", "Naam", "Kanaal", "Omschrijving", "Gemeente"],
        ["3 februari 2026", "Renée Français", "telefoon", "Café, te luid", "Sint-Genesius-Rode"],
    ]
    text = "\r\n".join(
        delimiter.join(f'"{v}"' if delimiter in v else v for v in line) for line in lines
    )
    path.write_bytes(text.encode(encoding))
    (row,) = importing.preview(ctx, path).rows
    assert row.status is importing.RowStatus.IMPORT and row.name == "Renée Français"
    importing.run(ctx, path)
    imported = Complaint.get()
    assert (imported.description, imported.city) == ("Café, te luid", "Sint-Genesius-Rode")


def test_files_that_cannot_be_read_say_why(tmp_path: Path) -> None:
    old = tmp_path / "register.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(importing.ImportProblem, match=r"bewaar het als Excel-werkmap \(\.xlsx\)"):
        importing.read_sheet(old)
    fake = tmp_path / "register.xlsx"
    fake.write_text("geen zip")
    with pytest.raises(importing.ImportProblem, match="geen geldige Excel-werkmap"):
        importing.read_sheet(fake)
    with pytest.raises(importing.ImportProblem, match="bestaat niet"):
        importing.read_sheet(tmp_path / "weg.csv")
