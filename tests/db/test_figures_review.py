"""Review findings on the figures: imported dossiers whose earlier register did not record a
date, stops by the citizen in the timeliness, periods outside any plausible year.

The register here is small and its own (not figures_register's, whose hand counts stay as
they are); imported dossiers are written with the models, as the import leaves them: their
own dates where the sheet had them, NULL where it had none.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from klachtdesk.models import Complaint, Register, create_register
from klachtdesk.procedure import Channel, InvalidInput, LimitKind, LimitStatus, Outcome, State
from klachtdesk.procedure.periods import (
    FIRST_YEAR,
    LAST_YEAR,
    YEAR_RANGE_TEXT,
    Period,
    Selection,
)
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.figures import UNKNOWN, WITHDRAWN, figures, trend
from klachtdesk.services.organisation import add_department
from klachtdesk.services.report import period_report, selection_ids
from klachtdesk.services.worker_connection import RegisterLocked, with_own_connection

from ..conftest import FakeClock
from . import figures_register
from .conftest import PASSPHRASE
from .figures_register import AS_OF
from .helpers import intake
from .test_cli import run

YEAR = Period.year(2026)
MET, LATE, OVERDUE, OPEN, LAPSED = (
    LimitStatus.MET,
    LimitStatus.MET_LATE,
    LimitStatus.OVERDUE,
    LimitStatus.OPEN,
    LimitStatus.LAPSED,
)


@pytest.fixture
def clock() -> FakeClock:
    return figures_register.clock()


@pytest.fixture
def imported(register: Register, ctx: ServiceContext) -> Iterator[dict[str, int]]:
    """i1: imported and closed (answered after 20 days), without acknowledgement, sending to
    the handler or handler's report on record; i2: imported, still open, no dates on record
    beyond its receipt; i3: imported, stopped by the citizen; n1: registered here, solved at
    once and closed at registration."""
    department = add_department(ctx, "Burgerzaken")
    ids: dict[str, int] = {}
    for key, received in (
        ("i1", date(2026, 3, 2)),
        ("i2", date(2026, 2, 1)),
        ("i3", date(2026, 5, 4)),
    ):
        ids[key] = svc.register_complaint(
            ctx, intake(channel=Channel.LETTER, received_on=received, department_id=department)
        )
        # As the import writes it: nothing the old sheet did not record.
        Complaint.update(
            import_key=f"sheet-row-{key}",
            acknowledged_on=None,
            sent_to_handler_on=None,
            first_returned_on=None,
            last_returned_on=None,
            decided_on=None,
        ).where(Complaint.id == ids[key]).execute()
    Complaint.update(
        state=State.CLOSED,
        admissible=True,
        outcome=Outcome.UNFOUNDED,
        closed_on=date(2026, 3, 22),
    ).where(Complaint.id == ids["i1"]).execute()
    Complaint.update(admissible=True).where(Complaint.id == ids["i2"]).execute()
    Complaint.update(
        state=State.CLOSED, withdrawn_on=date(2026, 5, 10), closed_on=date(2026, 5, 10)
    ).where(Complaint.id == ids["i3"]).execute()
    ids["n1"] = svc.register_complaint(
        ctx,
        intake(
            channel=Channel.PHONE,
            received_on=date(2026, 4, 1),
            department_id=department,
            solved_immediately=True,
            immediate_solution="Meteen rechtgezet.",
        ),
    )
    svc.close_complaint(ctx, ids["n1"], on=date(2026, 4, 1))
    yield ids


def counts(mapping: dict[object, object]) -> dict[object, int]:
    return {key: value.count for key, value in mapping.items()}  # type: ignore[attr-defined]


def test_imported_dossiers_without_a_date_count_as_not_known(imported: dict[str, int]) -> None:
    f = figures(YEAR, AS_OF)
    i1, i2, i3, n1 = (imported[k] for k in ("i1", "i2", "i3", "n1"))
    none = {MET: 0, LATE: 0, OVERDUE: 0, OPEN: 0, LAPSED: 0, WITHDRAWN: 0}
    assert {kind: counts(rows) for kind, rows in f.limits.items()} == {
        # Not acknowledged on record is not 'closed at intake', nor lapsed, nor overdue.
        LimitKind.ACKNOWLEDGEMENT: {**none, UNKNOWN: 3},
        LimitKind.HANDLER_REPORT: {**none, UNKNOWN: 3},
        # The closing date is always known: i1 answered in time, i2 truly still open.
        LimitKind.CLOSING: {**none, MET: 1, OVERDUE: 1, WITHDRAWN: 1, UNKNOWN: 0},
    }
    # Only the dossier registered here was solved at once and closed at registration.
    assert f.admissibility["solved_at_intake"].count == 1
    assert selection_ids(Selection(YEAR, f.admissibility["solved_at_intake"].criteria), AS_OF) == [
        n1
    ]
    unknown = Selection(YEAR, f.limits[LimitKind.ACKNOWLEDGEMENT][UNKNOWN].criteria)
    assert selection_ids(unknown, AS_OF) == sorted([i1, i2, i3])
    stopped = Selection(YEAR, f.limits[LimitKind.CLOSING][WITHDRAWN].criteria)
    assert selection_ids(stopped, AS_OF) == [i3]
    # The days to the reply: i1's 20 only, i3 was stopped, not answered.
    assert (f.average_days_to_close, f.median_days_to_close) == (20.0, 20.0)
    assert f.closed.count == 2

    tables = {t.key: t for s in period_report(YEAR, AS_OF).sections for t in s.tables}
    assert [r[:2] for r in tables["limit_acknowledgement"].rows] == [
        ("binnen de termijn", 0),
        ("later dan de termijn", 0),
        ("nog niet gebeurd, termijn verstreken", 0),
        ("nog niet gebeurd, termijn loopt nog", 0),
        ("vervallen (stopgezet door de burger)", 0),
        ("niet gekend (geïmporteerd)", 3),
    ]
    assert [r[:2] for r in tables["limit_closing"].rows] == [
        ("binnen de termijn", 1),
        ("later dan de termijn", 0),
        ("nog niet gebeurd, termijn verstreken", 1),
        ("nog niet gebeurd, termijn loopt nog", 0),
        ("stopgezet door de burger", 1),
    ]
    # Every number opens exactly the dossiers it counts.
    for table in tables.values():
        for row, selection in zip(table.rows, table.selections, strict=False):
            if selection is not None:
                assert len(selection_ids(selection, AS_OF)) == row[1], (table.key, row)


def test_a_register_without_imports_shows_no_unknown_row(imported: dict[str, int]) -> None:
    """The 'niet gekend' row only appears when an import left dates out."""
    tables = {t.key: t for s in period_report(Period.year(2025), AS_OF).sections for t in s.tables}
    assert all(
        row[0] != "niet gekend (geïmporteerd)"
        for key in ("limit_acknowledgement", "limit_handler_report", "limit_closing")
        for row in tables[key].rows
    )


# --- The range of years ------------------------------------------------------------------


@pytest.mark.parametrize("year", [-1, 0, 1, 4, FIRST_YEAR - 1, LAST_YEAR + 1, 10000])
def test_a_year_outside_the_range_is_refused_in_dutch(year: int) -> None:
    for make in (
        lambda: Period.year(year),
        lambda: Period.quarter(year, 1),
        lambda: Period.month(year, 1),
    ):
        with pytest.raises(InvalidInput) as refused:
            make()
        assert f"{FIRST_YEAR} tot en met {LAST_YEAR}" in str(refused.value)


def test_a_range_outside_the_years_is_refused() -> None:
    with pytest.raises(InvalidInput):
        Period(date(1, 1, 1), date(2026, 1, 1))
    with pytest.raises(InvalidInput):
        Period(date(2026, 1, 1), date(9999, 12, 31))
    assert Period.year(FIRST_YEAR).start == date(FIRST_YEAR, 1, 1)
    assert Period.year(LAST_YEAR).end == date(LAST_YEAR, 12, 31)


def test_the_trend_starts_no_earlier_than_the_range(register: Register) -> None:
    years = [t.year for t in trend(FIRST_YEAR + 1, AS_OF)]
    assert years == [FIRST_YEAR, FIRST_YEAR + 1]
    assert [t.year for t in figures(Period.year(FIRST_YEAR), AS_OF).trend] == [FIRST_YEAR]


def test_the_day_after_the_range_is_no_period() -> None:
    with pytest.raises(InvalidInput):
        Period(date(LAST_YEAR, 12, 31), date(LAST_YEAR, 12, 31) + timedelta(days=1))


def test_the_commands_refuse_a_year_outside_the_range_in_dutch(
    data_dir: Path, tmp_path: Path
) -> None:
    with create_register(data_dir, PASSPHRASE):
        pass
    out = tmp_path / "uit"
    commands = [
        *(("report", "--year", year, "--out", str(out)) for year in ("0", "-1", "1", "4", "10000")),
        ("report", "--year", "0", "--quarter", "2", "--out", str(out)),
        ("report", "--year", "10000", "--month", "3", "--out", str(out)),
        *(
            ("export", "--format", "csv", "--out", str(tmp_path / "x.csv"), "--year", year)
            for year in ("0", "-1", "10000")
        ),
    ]
    for command in commands:
        done = run(*command, data_dir=data_dir)
        assert done.returncode == 1, (command, done.stderr)
        assert "Traceback" not in done.stderr and "Error" not in done.stderr, command
        year = command[command.index("--year") + 1]
        assert done.stderr.strip() == f"Het jaar {year} kan niet. {YEAR_RANGE_TEXT}", command
    assert not out.exists() and not (tmp_path / "x.csv").exists()


# --- Counting after the idle lock ---------------------------------------------------------


def test_work_queued_before_a_lock_is_refused_in_dutch(register: Register) -> None:
    """A count still queued when the register locks finds no key: it says so in Dutch
    instead of 'DatabaseError: file is not a database'; unlocked, it counts again."""
    outcome: list[object] = []

    def count_in_a_worker() -> None:
        try:
            outcome.append(with_own_connection(lambda: figures(YEAR, AS_OF).received.count))
        except Exception as exc:  # the test reports whatever came out
            outcome.append(exc)

    register.lock()
    worker = threading.Thread(target=count_in_a_worker)
    worker.start()
    worker.join()
    assert isinstance(outcome[0], RegisterLocked), outcome
    assert outcome[0].message.startswith("Het register werd vergrendeld")

    register.unlock(PASSPHRASE)
    worker = threading.Thread(target=count_in_a_worker)
    worker.start()
    worker.join()
    assert outcome[1] == 0
