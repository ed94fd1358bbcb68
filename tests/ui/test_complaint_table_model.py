"""The list's table model without a view: rows, filters, search and sort on a big register."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from klachtdesk.models import Complaint, Register
from klachtdesk.procedure import Channel, LimitStatus, State, TimeLimits
from klachtdesk.procedure.intake import name_sort_key
from klachtdesk.services.complaint_list import DueFilter, ListFilter
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.demo import fill_with_demo
from klachtdesk.ui.complaint_table_model import (
    DAYS_COLUMN,
    NEXT_LIMIT_COLUMN,
    OVERDUE_BACKGROUND,
    ComplaintTableModel,
)

COUNT = 4000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Register, date]]:
    from klachtdesk.models import create_register

    from ..conftest import FakeClock
    from .conftest import PASSPHRASE

    clock = FakeClock(datetime(2026, 11, 28, 9, 0))
    reg = create_register(tmp_path_factory.mktemp("big") / "data", PASSPHRASE)
    fill_with_demo(ServiceContext(actor="demo", clock=clock), COUNT, seed=7)
    yield reg, clock().date()
    reg.close()


def model_for(today: date) -> ComplaintTableModel:
    model = ComplaintTableModel(lambda: today, TimeLimits)
    model.reload()
    settle(model)
    return model


def settle(model: ComplaintTableModel) -> None:
    """Let the event loop turn once: the list reads its rest after the first screenful."""
    QApplication.processEvents()
    assert model.complete


def column(model: ComplaintTableModel, col: int, rows: range) -> list[str]:
    return [model.data(model.index(r, col)) for r in rows]


def test_all_rows_newest_first(big: tuple[Register, date]) -> None:
    model = model_for(big[1])
    assert model.rowCount() == COUNT and model.columnCount() == 9
    received = [Complaint.get_by_id(model.complaint_id(r)).received_on for r in range(0, COUNT, 97)]
    assert received == sorted(received, reverse=True)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Kenmerk"


def test_rows_far_down_are_fetched_on_demand(big: tuple[Register, date]) -> None:
    model = model_for(big[1])
    last = model.index(COUNT - 1, 0)
    reference = model.data(last)
    assert reference == Complaint.get_by_id(model.data(last, ComplaintTableModel.ID_ROLE)).reference


@pytest.mark.parametrize("sort_column", range(9))
def test_sort_in_sql_on_every_column(big: tuple[Register, date], sort_column: int) -> None:
    model = model_for(big[1])
    model.sort(sort_column, Qt.SortOrder.AscendingOrder)
    settle(model)
    ids_up = [model.complaint_id(r) for r in range(COUNT)]
    model.sort(sort_column, Qt.SortOrder.DescendingOrder)
    settle(model)
    ids_down = [model.complaint_id(r) for r in range(COUNT)]
    assert sorted(ids_up) == sorted(ids_down) and len(set(ids_up)) == COUNT
    if sort_column == 2:
        names = [Complaint.get_by_id(i).name for i in ids_up]
        assert names == sorted(names, key=name_sort_key)
    if sort_column == 3:  # channels by the label shown, not by the stored code
        shown = column(model, 3, range(COUNT))
        assert shown == sorted(shown, reverse=True) and len(set(shown)) == len(Channel)
    if sort_column == 5:  # steps by number, closed and withdrawn after every step
        shown = column(model, 5, range(COUNT))
        steps = [int(text.split(".")[0]) if text[0].isdigit() else 99 for text in shown]
        assert steps == sorted(steps, reverse=True) and len(set(steps)) > 5


def test_text_search_uses_the_index(big: tuple[Register, date]) -> None:
    model = model_for(big[1])
    model.set_filter(ListFilter(text="peeters"))
    settle(model)
    expected = (
        Complaint.select()
        .where(Complaint.name.contains("Peeters") | Complaint.email.contains("peeters"))
        .count()
    )
    assert model.rowCount() == expected > 0
    for r in range(model.rowCount()):
        found = Complaint.get_by_id(model.complaint_id(r))
        assert "peeters" in (found.name + found.email).casefold()


def test_filters(big: tuple[Register, date]) -> None:
    today = big[1]
    model = model_for(today)
    model.set_filter(ListFilter(channel=Channel.LETTER))
    settle(model)
    assert model.rowCount() == Complaint.select().where(Complaint.channel == "letter").count()
    assert set(column(model, 3, range(model.rowCount()))) == {"brief/fax"}

    model.set_filter(ListFilter(states=frozenset({State.WITH_HANDLER})))
    settle(model)
    assert (
        model.rowCount() == Complaint.select().where(Complaint.state == "with_handler").count() > 0
    )

    model.set_filter(ListFilter(year=2025))
    settle(model)
    years = {
        Complaint.get_by_id(model.complaint_id(r)).received_on.year for r in range(model.rowCount())
    }
    assert years == {2025}

    model.set_filter(ListFilter(due=DueFilter.OVERDUE))
    settle(model)
    overdue = model.rowCount()
    assert overdue == Complaint.select().where(Complaint.next_due_on < today).count() > 0
    statuses = {model.data(model.index(r, DAYS_COLUMN)) for r in range(overdue)}
    assert all("te laat" in s for s in statuses)
    assert model.data(model.index(0, NEXT_LIMIT_COLUMN)).startswith("✖")
    assert (
        model.data(model.index(0, DAYS_COLUMN), Qt.ItemDataRole.BackgroundRole).color()
        == OVERDUE_BACKGROUND
    )

    model.set_filter(ListFilter(due=DueFilter.URGENT))
    settle(model)
    soon = today + timedelta(days=2)
    assert (
        model.rowCount()
        == Complaint.select().where(Complaint.next_due_on <= soon).count()
        > overdue
    )

    handler_id = (
        Complaint.select(Complaint.handler)
        .where(Complaint.handler.is_null(False))
        .first()
        .handler_id
    )
    model.set_filter(ListFilter(handler_id=handler_id, channel=Channel.EMAIL))
    settle(model)
    assert (
        model.rowCount()
        == Complaint.select()
        .where((Complaint.handler == handler_id) & (Complaint.channel == "email"))
        .count()
    )


def test_limit_colours_are_backed_by_text(big: tuple[Register, date]) -> None:
    model = model_for(big[1])
    model.set_filter(ListFilter(due=DueFilter.URGENT))
    settle(model)
    for r in range(model.rowCount()):
        text = model.data(model.index(r, NEXT_LIMIT_COLUMN))
        tip = model.data(model.index(r, NEXT_LIMIT_COLUMN), Qt.ItemDataRole.ToolTipRole)
        assert text[0] in "✖⚠", text
        assert LimitStatus.OVERDUE.label in tip or LimitStatus.DUE_SOON.label in tip


def test_a_long_list_shows_its_first_screen_then_reads_the_rest(
    big: tuple[Register, date],
) -> None:
    from klachtdesk.services.complaint_list import SortKey, ordered_ids
    from klachtdesk.ui.complaint_table_model import FIRST_ROWS

    today = big[1]
    model = ComplaintTableModel(lambda: today, TimeLimits)
    completed: list[int] = []
    model.completed.connect(lambda: completed.append(model.rowCount()))
    model.set_filter(ListFilter(text="de"))
    whole = ordered_ids(ListFilter(text="de"), SortKey.RECEIVED, True, today, TimeLimits())
    assert len(whole) > FIRST_ROWS
    # Before the event loop turns: the first screenful, in the list's order.
    assert not model.complete and completed == []
    assert [model.complaint_id(r) for r in range(model.rowCount())] == whole[:FIRST_ROWS]
    QApplication.processEvents()
    assert model.complete and completed == [len(whole)]
    assert [model.complaint_id(r) for r in range(model.rowCount())] == whole


def test_a_newer_query_is_not_overwritten_by_the_rest_of_an_older_one(
    big: tuple[Register, date],
) -> None:
    model = model_for(big[1])
    model.set_filter(ListFilter(text="de"))
    model.set_filter(ListFilter(channel=Channel.LETTER))
    QApplication.processEvents()
    letters = Complaint.select().where(Complaint.channel == "letter").count()
    assert model.complete and model.rowCount() == letters
    assert set(column(model, 3, range(letters))) == {"brief/fax"}


def test_finding_a_dossier_below_the_first_screen_reads_the_rest_at_once(
    big: tuple[Register, date],
) -> None:
    from klachtdesk.services.complaint_list import SortKey, ordered_ids

    today = big[1]
    model = ComplaintTableModel(lambda: today, TimeLimits)
    model.set_filter(ListFilter())
    last = ordered_ids(ListFilter(), SortKey.RECEIVED, True, today, TimeLimits())[-1]
    assert model.row_of(last) == COUNT - 1 and model.complete
