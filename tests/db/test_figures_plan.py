"""The figures read the complaint table only through indexes that hold every column they need.

A year of a 100,000-dossier register is ~10,000 wide rows that do not fit SQLCipher's page
cache; through the covering index of migration 9 the figures read ~100 bytes per dossier. A
later change to the figures that reads a column the index lacks would silently fall back to
the rows: this test names the query and the column set to extend.
"""

from __future__ import annotations

import logging
import re
from datetime import date

from klachtdesk.models import Register, database
from klachtdesk.procedure.periods import Period
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.demo import fill_with_demo
from klachtdesk.services.report import period_report


class _Queries(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[tuple[str, tuple[object, ...]]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, tuple):
            sql, params = record.msg
            self.seen.append((sql, tuple(params)))


def test_every_query_of_a_report_reads_complaints_through_a_covering_index(
    register: Register, ctx: ServiceContext
) -> None:
    fill_with_demo(ctx, 300)
    logger = logging.getLogger("peewee")
    queries = _Queries()
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(queries)
    try:
        period_report(Period.year(ctx.today().year), ctx.today())
        period_report(Period.quarter(ctx.today().year, 1), date(ctx.today().year, 12, 31))
    finally:
        logger.removeHandler(queries)
        logger.setLevel(level)
    reading = [(sql, params) for sql, params in queries.seen if '"complaint"' in sql]
    assert reading, "the report read no complaints?"
    for sql, params in reading:
        plan = " | ".join(
            str(row[-1]) for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params)
        )
        [alias] = re.findall(r'"complaint" AS "(t\d+)"', sql)
        on_complaint = [
            step for step in plan.split(" | ") if re.match(rf"(SCAN|SEARCH) {alias}\b", step)
        ]
        assert on_complaint, (sql, plan)
        for step in on_complaint:
            assert "COVERING INDEX" in step, (
                f"{step}\n in {sql}\nreads whole complaint rows: add the column to "
                "models.migrations.FIGURES_INDEX_COLUMNS (a new migration)"
            )
