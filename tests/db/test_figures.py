"""Every figure of the yearly report (issue 12 §3), exact, on a register counted by hand.

The register is built in figures_register.py through the real services; the expected numbers
below are counted by hand from that file, not computed.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from datetime import date

import pytest

from klachtdesk.models import Register, database
from klachtdesk.procedure import (
    ActKind,
    Channel,
    Ground,
    LimitKind,
    LimitStatus,
    Nature,
    NoJudgementReason,
    Outcome,
    Subject,
)
from klachtdesk.procedure.periods import Period, Selection
from klachtdesk.procedure.vocabulary import ActionStatus, Norm, Resolution, Route
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.figures import CRITERIA, UNKNOWN, WITHDRAWN, figures
from klachtdesk.services.report import period_report, selection_ids

from ..conftest import FakeClock
from . import figures_register
from .figures_register import AS_OF, Built

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
def built(register: Register, ctx: ServiceContext) -> Iterator[Built]:
    yield figures_register.build(ctx)


def counts(mapping: dict[object, object]) -> dict[object, int]:
    return {key: value.count for key, value in mapping.items()}  # type: ignore[attr-defined]


def keyed(built: Built, *keys: str) -> list[int]:
    return sorted(built.ids[key] for key in keys)


def test_every_figure_of_the_year_is_exact(built: Built) -> None:
    f = figures(YEAR, AS_OF)
    assert f.received.count == 16
    assert f.grounds[Ground.NOT_A_COMPLAINT].count == 1
    assert counts(f.admissibility) == {
        "admissible": 10,
        "inadmissible": 3,
        "undecided": 3,
        "solved_at_intake": 1,
        "withdrawn_undecided": 1,
        "pending": 1,
    }
    assert (f.admissible, f.inadmissible, f.undecided) == (10, 3, 3)
    # All ten grounds; d10 has two, so the rows add up to more than the 3 inadmissible.
    assert counts(f.grounds) == {
        g: {Ground.NOT_A_COMPLAINT: 1, Ground.ANONYMOUS: 2, Ground.FILED_BEFORE: 1}.get(g, 0)
        for g in Ground
    }
    assert counts(f.outcomes) == {
        Outcome.WELL_FOUNDED: 2,
        Outcome.PARTLY_WELL_FOUNDED: 1,
        Outcome.CORRECTED: 1,
        Outcome.UNFOUNDED: 1,
        Outcome.NO_JUDGEMENT: 3,
        Outcome.STOPPED_BY_CITIZEN: 2,
    }
    assert (f.assessed.count, f.unassessed.count) == (10, 1)
    assert (f.well_founded.count, f.judged.count, f.solution_asked.count) == (4, 8, 3)
    assert counts(f.no_judgement_reasons) == dict.fromkeys(NoJudgementReason, 1)
    assert counts(f.resolutions) == {
        Resolution.RESOLVED: 1,
        Resolution.PARTLY_RESOLVED: 1,
        Resolution.NOT_RESOLVED: 1,
        None: 0,
    }
    # Each dossier's own limits: d15 was acknowledged on day 12 of its 14.
    assert {kind: counts(statuses) for kind, statuses in f.limits.items()} == {
        LimitKind.ACKNOWLEDGEMENT: {
            **{MET: 11, LATE: 2, OVERDUE: 0, OPEN: 1, LAPSED: 1},
            **{WITHDRAWN: 0, UNKNOWN: 0},
        },
        LimitKind.HANDLER_REPORT: {
            **{MET: 7, LATE: 1, OVERDUE: 1, OPEN: 1, LAPSED: 2},
            **{WITHDRAWN: 0, UNKNOWN: 0},
        },
        # d8 and d12 were stopped by the citizen: closed, but not answered (in time or not).
        LimitKind.CLOSING: {
            **{MET: 10, LATE: 1, OVERDUE: 1, OPEN: 1, LAPSED: 0},
            **{WITHDRAWN: 2, UNKNOWN: 0},
        },
    }
    assert f.limit_days == {
        LimitKind.ACKNOWLEDGEMENT: (10, 14),
        LimitKind.HANDLER_REPORT: (30, 30),
        LimitKind.CLOSING: (45, 45),
    }
    # Days to the reply: d8 (7 days) and d12 (2 days) were stopped, not answered.
    days = [23, 51, 24, 27, 26, 21, 19, 14, 2, 45, 2]
    assert f.closed.count == 13
    assert len(selection_ids(Selection(YEAR, f.closed.criteria), AS_OF)) == 13
    assert f.average_days_to_close == pytest.approx(254 / 11) == statistics.fmean(days)
    assert f.median_days_to_close == 23
    assert (f.open_on, f.still_open.count) == (date(2026, 12, 31), 2)
    assert counts(f.channels) == {
        Channel.PHONE: 6,
        Channel.EMAIL: 5,
        Channel.LETTER: 2,
        Channel.WEBSITE: 2,
        Channel.IN_PERSON: 1,
    }
    assert counts(f.routes) == {
        Route.DIRECT: 13,
        Route.POLITICIAN: 1,
        Route.ORGANISATION: 1,
        None: 1,
    }
    deps = built.departments
    assert {key: (name, n.count) for key, (name, n) in f.departments.items()} == {
        deps["Burgerzaken"]: ("Burgerzaken", 5),
        deps["Milieu en afval"]: ("Milieu en afval", 10),
        deps["Openbare werken"]: ("Openbare werken", 0),
        None: ("", 1),
    }
    assert counts(f.subjects) == {
        Subject.EMPLOYEE: 13,
        Subject.DEPARTMENT: 1,
        Subject.POLITICIAN: 1,
        None: 1,
    }
    assert counts(f.natures) == {
        Nature.WRONGLY_DONE: 13,
        Nature.DEVIATION: 1,
        Nature.NOT_DONE: 1,
        None: 1,
    }
    assert counts(f.act_kinds) == {
        ActKind.TREATMENT: 13,
        ActKind.TIME_LIMIT: 1,
        ActKind.DECISION: 1,
        None: 1,
    }
    touched = {Norm.COURTESY: 3, Norm.CORRESPONDENCE: 1, Norm.REASONABLE_TIME: 1}
    touched |= {Norm.LAWFULNESS: 1, Norm.INFORMATION: 1}
    assert counts(f.norms) == {n: touched.get(n, 0) for n in Norm}
    assert f.with_norms.count == 6
    assert {n: {o: c for o, c in row.items() if c} for n, row in f.norms_by_outcome.items()} == {
        **{n: {} for n in Norm},
        Norm.COURTESY: {
            Outcome.WELL_FOUNDED: 1,
            Outcome.PARTLY_WELL_FOUNDED: 1,
            Outcome.NO_JUDGEMENT: 1,
        },
        Norm.CORRESPONDENCE: {Outcome.WELL_FOUNDED: 1},
        Norm.REASONABLE_TIME: {Outcome.CORRECTED: 1},
        Norm.LAWFULNESS: {Outcome.UNFOUNDED: 1},
        Norm.INFORMATION: {Outcome.WELL_FOUNDED: 1},
    }
    # Actions started in 2026 (the one of 2025 is not), with their state today.
    assert [(a.description, a.department, a.status) for a in f.actions] == [
        ("Ophaalrondes dubbel controleren", "Milieu en afval", ActionStatus.DONE),
        (
            "Termijnen opvolgen in de wekelijkse teamvergadering",
            "Burgerzaken",
            ActionStatus.ONGOING,
        ),
        ("Standaardbrieven herschrijven in klare taal", "Milieu en afval", ActionStatus.PLANNED),
    ]
    assert f.action_statuses == dict.fromkeys(ActionStatus, 1)
    # 16 registrations, d9 no complaint (ground 1): 15 complaints for 20,000 inhabitants.
    assert f.complaints == 15
    assert f.inhabitants == 20_000 and f.per_thousand == pytest.approx(0.75)
    trend = [
        (t.year, t.received, t.share_admissible, t.share_well_founded, t.share_in_time)
        for t in f.trend
    ]
    assert trend == [
        (2022, 0, None, None, None),
        (2023, 0, None, None, None),
        (2024, 0, None, None, None),
        (2025, 1, 1.0, 0.0, 1.0),
        # In time: 10 of the 12 answered or overdue (the two stopped ones left out).
        (2026, 16, pytest.approx(10 / 13), 0.5, pytest.approx(10 / 12)),
    ]
    assert f.trend[3].per_thousand == pytest.approx(1000 / 19_800)
    assert f.trend[4].per_thousand == pytest.approx(0.75)


def test_the_criteria_select_exactly_the_dossiers_counted(built: Built) -> None:
    def ids(*criteria: tuple[str, str | None]) -> list[int]:
        return selection_ids(Selection(YEAR, tuple(criteria)), AS_OF)

    assert ids(("ground", Ground.ANONYMOUS.value)) == keyed(built, "d10", "d16")
    assert ids(("admissibility", "pending")) == keyed(built, "d13")
    assert ids(("admissibility", "solved_at_intake")) == keyed(built, "d11")
    assert ids(("limit", "acknowledgement:met_late")) == keyed(built, "d2", "d10")
    assert ids(("limit", "handler_report:lapsed")) == keyed(built, "d8", "d12")
    assert ids(("limit", "closing:overdue,open")) == keyed(built, "d13", "d14")
    assert ids(("open_on", "2026-12-31")) == keyed(built, "d13", "d14")
    assert ids(("outcome", Outcome.STOPPED_BY_CITIZEN.value)) == keyed(built, "d8", "d12")
    assert ids(("department", None)) == keyed(built, "d16")
    assert ids(("route", None)) == keyed(built, "d4")
    assert ids(("norm", Norm.COURTESY.value)) == keyed(built, "d1", "d2", "d7")
    assert ids(("norm", "any")) == keyed(built, "d1", "d2", "d3", "d4", "d7", "d15")
    assert ids(("outcome_group", "solution"), ("resolution", None)) == []
    assert ids(("outcome_group", "solution"), ("resolution", "not_resolved")) == keyed(built, "d15")
    # The year before holds only d0; an open dossier judged before its limit ran out.
    assert selection_ids(Selection(Period.year(2025)), AS_OF) == keyed(built, "d0")
    # Every criterion a selection may hold is documented in the one place.
    report = period_report(YEAR, AS_OF)
    used = {name for t in report.tables for s in t.selections if s for name, _ in s.criteria}
    assert used <= CRITERIA.keys()
    assert len(used) >= 15


def test_every_row_of_the_report_opens_exactly_the_dossiers_it_counts(built: Built) -> None:
    for period in (YEAR, Period.quarter(2026, 3), Period.month(2026, 5), Period.year(2025)):
        report = period_report(period, AS_OF)
        checked = 0
        for table in report.tables:
            assert table.selections == () or len(table.selections) == len(table.rows)
            for row, selection in zip(table.rows, table.selections, strict=False):
                if selection is None:
                    continue
                assert (
                    selection.label and selection.period == period
                ) or table.key == "trend_counts"
                assert len(selection_ids(selection, AS_OF)) == row[1], (table.key, row)
                checked += 1
        assert checked >= 40


def test_the_yearly_report_shows_these_figures_in_dutch(built: Built) -> None:
    report = period_report(YEAR, AS_OF)
    assert report.title == "Jaarverslag klachtenbehandeling 2026"
    assert report.organisation == "Gemeente Zottegem"
    assert report.made_on == AS_OF
    titles = [s.title for s in report.sections]
    assert titles[0] == "Inleiding en kerncijfers"
    assert "Evolutie over vijf jaar" in titles
    assert titles[-1] == "Beoordeling en aanbevelingen van de algemeen directeur"
    assert report.sections[-1].blank_lines > 0 and report.sections[-1].tables == ()
    tables = {t.key: t for t in report.tables}
    assert len(tables) == len(report.tables), "table keys are unique"
    assert tables["summary"].rows == (
        ("Ontvangen registraties", 16),
        ("waarvan geen klacht (grond 1)", 1),
        ("Ontvankelijke klachten", 10),
        ("Niet-ontvankelijke klachten", 3),
        ("Beoordeelde klachten (met een uitkomst)", 10),
        ("(Deels) gegronde klachten", 4),
        ("Afgesloten binnen de termijn", 10),
        ("Afsluittermijn verlengd", 0),
        ("Nog open op 31/12/2026", 2),
        ("Klachten per 1.000 inwoners", 0.75),
    )
    assert "zonder die welke geen klacht waren (grond 1)" in tables["summary"].note
    # The list opened on a number says what it shows.
    summary = tables["summary"].selections
    assert summary[1] is not None and summary[1].label == "Geen klacht (grond 1) (2026)"
    assert summary[-1] is None  # per 1,000 inhabitants is no set of dossiers
    channel = tables["channels"].selections[0]
    assert channel is not None and channel.label == "Kanaal: telefoon (2026)"
    grounds = tables["grounds"]
    assert len(grounds.rows) == 10 and grounds.rows[7][:2] == ("8. anoniem", 2)
    assert grounds.total == ("Niet-ontvankelijke klachten", 3, 1.0)
    assert "meer dan één grond" in grounds.note
    assert [r[:2] for r in tables["outcomes"].rows] == [
        ("gegrond", 2),
        ("deels gegrond", 1),
        ("gegrond maar reeds tijdens het onderzoek gecorrigeerd", 1),
        ("ongegrond", 1),
        ("geen oordeel", 3),
        ("stopzetting procedure door burger", 2),
        ("nog niet beoordeeld (ontvankelijk)", 1),
    ]
    assert tables["limit_acknowledgement"].title == (
        "Ontvangstmelding (termijn: 10 tot 14 dagen, volgens het dossier)"
    )
    assert tables["limit_closing"].title == "Antwoord en afsluiting (termijn: 45 dagen)"
    assert [r[:2] for r in tables["limit_closing"].rows] == [
        ("binnen de termijn", 10),
        ("later dan de termijn", 1),
        ("nog niet gebeurd, termijn verstreken", 1),
        ("nog niet gebeurd, termijn loopt nog", 1),
        ("stopgezet door de burger", 2),
    ]
    assert tables["limit_closing"].total == ("Dossiers waarvoor de termijn geldt", 15, 1.0)
    assert tables["limit_handler_report"].total == ("Dossiers waarvoor de termijn geldt", 12, 1.0)
    applies = Selection(YEAR, (("limit", "handler_report:applies"),))
    assert len(selection_ids(applies, AS_OF)) == 12
    assert tables["duration"].rows[1:3] == (
        ("Gemiddeld aantal dagen van ontvangst tot antwoord", 23.1),
        ("Mediaan van het aantal dagen tot antwoord", 23.0),
    )
    assert [r[:2] for r in tables["departments"].rows] == [
        ("Milieu en afval", 10),
        ("Burgerzaken", 5),
        ("geen dienst", 1),
    ]
    assert tables["routes"].rows[-1][:2] == ("niet ingevuld", 1)
    assert tables["norms"].rows[5] == ("6. correcte bejegening", 3, 1, 1, 0, 0, 1, 0, 0)
    assert tables["norms"].total is not None and tables["norms"].total[:2] == (
        "Klachten met minstens één ombudsnorm",
        6,
    )
    assert tables["actions"].rows[0][:3] == (
        "Ophaalrondes dubbel controleren",
        "Milieu en afval",
        "uitgevoerd",
    )
    assert tables["trend_counts"].rows[-2:] == (("2025", 1, 0.05), ("2026", 16, 0.75))
    assert tables["trend_shares"].percent_columns == (1, 2, 3)


def test_a_quarter_gives_a_shorter_overview_without_the_trend(built: Built) -> None:
    report = period_report(Period.quarter(2026, 2), AS_OF)
    assert report.title == "Overzicht klachtenbehandeling 2e kwartaal 2026"
    assert "Evolutie over vijf jaar" not in [s.title for s in report.sections]
    tables = {t.key: t for t in report.tables}
    # April to June: d4, d5, d6, d7, d8.
    assert tables["summary"].rows[0] == ("Ontvangen registraties", 5)
    # The inhabitants are a year's: no 'per 1,000' for a quarter, and the note says why.
    assert figures(Period.quarter(2026, 2), AS_OF).per_thousand is None
    assert "Klachten per 1.000 inwoners" not in [row[0] for row in tables["summary"].rows]
    assert "enkel in een jaaroverzicht" in tables["summary"].note
    assert tables["action_statuses"].total == ("Totaal", 0)
    assert "actions" not in tables


def test_the_figures_equal_direct_sql_counts(built: Built) -> None:
    """The same numbers, counted with SQL written independently of the figures service."""
    f = figures(YEAR, AS_OF)

    def sql(query: str, *params: object) -> int:
        return int(database.execute_sql(query, params).fetchone()[0])

    where = "received_on BETWEEN '2026-01-01' AND '2026-12-31'"
    assert sql(f"SELECT COUNT(*) FROM complaint WHERE {where}") == f.received.count
    assert sql(f"SELECT COUNT(*) FROM complaint WHERE {where} AND admissible = 1") == 10
    assert sql(f"SELECT COUNT(*) FROM complaint WHERE {where} AND admissible = 0") == 3
    assert sql(f"SELECT COUNT(*) FROM complaint WHERE {where} AND admissible IS NULL") == 3
    for ground in Ground:
        assert (
            sql(
                "SELECT COUNT(*) FROM complaint_ground g JOIN complaint c ON c.id = g.complaint_id"
                f" WHERE c.{where} AND g.ground = ?",
                ground.value,
            )
            == f.grounds[ground].count
        )
    for outcome in Outcome:
        assert (
            sql(f"SELECT COUNT(*) FROM complaint WHERE {where} AND outcome = ?", outcome.value)
            == f.outcomes[outcome].count
        )
    for channel in Channel:
        assert (
            sql(f"SELECT COUNT(*) FROM complaint WHERE {where} AND channel = ?", channel.value)
            == f.channels[channel].count
        )
    for norm in Norm:
        assert (
            sql(
                "SELECT COUNT(*) FROM complaint_norm n JOIN complaint c ON c.id = n.complaint_id"
                f" WHERE c.{where} AND n.norm = ?",
                norm.value,
            )
            == f.norms[norm].count
        )
    assert (
        sql(f"SELECT COUNT(*) FROM complaint WHERE {where} AND department_id IS NULL")
        == f.departments[None][1].count
    )
    at_intake = "(closed_on IS NOT NULL AND acknowledged_on IS NULL AND withdrawn_on IS NULL)"
    in_time = (
        f"SELECT COUNT(*) FROM complaint WHERE {where} AND NOT {at_intake} AND closed_on <= "
        "date(received_on, '+' || closing_days || ' days') AND withdrawn_on IS NULL"
    )
    assert sql(in_time) == f.limits[LimitKind.CLOSING][MET].count == 10
    ack_late = (
        f"SELECT COUNT(*) FROM complaint WHERE {where} AND acknowledged_on > "
        "date(received_on, '+' || acknowledgement_days || ' days')"
    )
    assert sql(ack_late) == f.limits[LimitKind.ACKNOWLEDGEMENT][LATE].count == 2
    still_open = (
        f"SELECT COUNT(*) FROM complaint WHERE {where} AND "
        "(closed_on IS NULL OR closed_on > '2026-12-31')"
    )
    assert sql(still_open) == f.still_open.count
    average = database.execute_sql(
        "SELECT AVG(julianday(closed_on) - julianday(received_on)) FROM complaint "
        f"WHERE {where} AND closed_on IS NOT NULL AND NOT {at_intake} AND withdrawn_on IS NULL"
    ).fetchone()[0]
    assert average == pytest.approx(f.average_days_to_close)
    assert sql("SELECT COUNT(*) FROM improvement_action WHERE created_on LIKE '2026-%'") == 3


def test_figures_before_the_year_ends_judge_running_limits_on_that_day(built: Built) -> None:
    """Made on 15 October, d14's limits still ran then; d13 was not yet received."""
    f = figures(YEAR, date(2026, 10, 15))
    assert f.open_on == date(2026, 10, 15)
    handler_report = f.limits[LimitKind.HANDLER_REPORT]
    closing = f.limits[LimitKind.CLOSING]
    # The register holds d13 already (received 28/12): its limits run on 15 October too.
    assert (handler_report[OPEN].count, handler_report[OVERDUE].count) == (2, 0)
    assert (closing[OPEN].count, closing[OVERDUE].count) == (2, 0)


def test_a_limit_due_on_the_day_still_runs_and_is_overdue_the_day_after(built: Built) -> None:
    """d13 (received 28/12) must be acknowledged by 7 January: open on that day, late after."""
    acknowledgement = LimitKind.ACKNOWLEDGEMENT
    on_the_day = figures(YEAR, date(2027, 1, 7)).limits[acknowledgement]
    day_after = figures(YEAR, date(2027, 1, 8)).limits[acknowledgement]
    assert (on_the_day[OPEN].count, on_the_day[OVERDUE].count) == (1, 0)
    assert (day_after[OPEN].count, day_after[OVERDUE].count) == (0, 1)
    late = Selection(YEAR, (("limit", "acknowledgement:overdue"),))
    assert selection_ids(late, date(2027, 1, 7)) == []
    assert selection_ids(late, date(2027, 1, 8)) == keyed(built, "d13")
