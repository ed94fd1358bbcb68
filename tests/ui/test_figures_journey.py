"""A coordinator reads the figures of a quarter, clicks a number and works the list it opens.

On a register made here with hand-counted contents: the number read in the Cijfers window is
the number of dossiers the list then shows, and exactly those.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView, QTableWidget
from pytestqt.qtbot import QtBot

from klachtdesk.letters.report_model import Report
from klachtdesk.models import Register
from klachtdesk.procedure import Channel, Outcome
from klachtdesk.procedure.periods import Period
from klachtdesk.procedure.vocabulary import Norm, Resolution
from klachtdesk.services import complaints as svc
from klachtdesk.services import correspondence
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.organisation import handlers
from klachtdesk.ui.figures_window import FiguresWindow
from klachtdesk.ui.main_window import MainWindow

from ..conftest import FakeClock
from ..db.helpers import intake
from .person import Person, visible_text

TODAY = datetime(2026, 3, 2, 9, 30)
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def dossier(
    ctx: ServiceContext, clock: FakeClock, received: date, name: str, outcome: Outcome | None,
    *, closed: bool = False,
) -> int:  # fmt: skip
    """A complaint received on ``received``, walked through the services to its outcome."""
    clock.current = datetime.combine(received, time(10))
    email = name.lower().replace(" ", ".") + "@example.be"
    cid = svc.register_complaint(
        ctx, intake(channel=Channel.EMAIL, email=email, name=name, received_on=received)
    )
    if outcome is None:
        return cid
    svc.decide_admissibility(ctx, cid, [], "")
    correspondence.generate(ctx, cid, correspondence.ACKNOWLEDGEMENT)
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handlers()[0].id)
    correspondence.generate(ctx, cid, correspondence.REPORT)
    solution = "Extra ophaalronde." if outcome is Outcome.WELL_FOUNDED else ""
    # Record's rules: gegrond needs a mate van oplossing and an ombudsnorm.
    well_founded = outcome is Outcome.WELL_FOUNDED
    svc.record_assessment(
        ctx,
        cid,
        outcome,
        solution=solution,
        resolution=Resolution.RESOLVED if well_founded else None,
        norms=(Norm.ACCURACY,) if well_founded else (),
    )
    if closed:
        svc.record_returned(ctx, cid, report_text="Rapport.", reply_text="Ongegrond.")
        svc.review_neutrality(ctx, cid, True, "")
        correspondence.generate(ctx, cid, correspondence.REPLY)
        svc.record_reply_sent(ctx, cid)
        correspondence.close_with_report(ctx, cid)
    return cid


@pytest.fixture
def register_of_two_quarters(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> dict[str, int]:
    """Hand-counted: in the 4th quarter of 2025 two unfounded complaints (one closed, one
    still open), one well-founded and one not yet assessed; in 2026 one more unfounded."""
    ids = {
        "Bram Peeters": dossier(ctx, clock, date(2025, 10, 6), "Bram Peeters", Outcome.UNFOUNDED),
        "Anke Maes": dossier(
            ctx, clock, date(2025, 11, 17), "Anke Maes", Outcome.UNFOUNDED, closed=True
        ),
        "Carl Wouters": dossier(
            ctx, clock, date(2025, 12, 1), "Carl Wouters", Outcome.WELL_FOUNDED
        ),
        "Dina Claes": dossier(ctx, clock, date(2025, 12, 19), "Dina Claes", None),
        "Emiel Aerts": dossier(ctx, clock, date(2026, 2, 3), "Emiel Aerts", Outcome.UNFOUNDED),
    }
    clock.current = TODAY
    return ids


def figures_window(person: Person) -> FiguresWindow:
    window = person.wait_for_window("Cijfers")
    assert isinstance(window, FiguresWindow)
    return window


def wait_for_figures(qtbot: QtBot, window: FiguresWindow, heading: str) -> None:
    qtbot.waitUntil(
        lambda: visible_text(window.heading.text()) == heading and not window.counting,
        timeout=10_000,
    )


def row_of(table: QTableView, label: str) -> int:
    model = table.model()
    rows = [r for r in range(model.rowCount()) if model.index(r, 0).data() == label]
    assert rows, f"no row {label!r} in {table.accessibleName()!r}"
    return rows[0]


def click_header(table: QTableView, title: str) -> None:
    header = table.horizontalHeader()
    model = table.model()
    column = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == title
    )
    point = QPoint(
        header.sectionViewportPosition(column) + header.sectionSize(column) // 2,
        header.height() // 2,
    )
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)


def listed_names(window: MainWindow) -> list[str]:
    model = window.model
    return [model.index(row, 2).data() for row in range(model.rowCount())]


def test_a_number_of_a_quarter_opens_the_list_on_exactly_its_dossiers(
    qtbot: QtBot, register_of_two_quarters: dict[str, int], window: MainWindow
) -> None:
    person = Person(qtbot)
    assert window.model.rowCount() == 5
    # The coordinator was looking at the open dossiers before turning to the figures.
    person.pick(person.combo_showing("Alle dossiers", window), "Lopende dossiers")
    open_before = listed_names(window)
    assert 0 < len(open_before) < 5

    person.menu("Beeld", "Cijfers…", window=window)
    figures = figures_window(person)
    wait_for_figures(qtbot, figures, "Cijfers 2026")

    person.choose("Soort periode", "Kwartaal", figures)
    person.type_into("Jaar", "2025", figures)
    person.press(Qt.Key.Key_Return)
    person.choose("Kwartaal", "4e kwartaal", figures)
    wait_for_figures(qtbot, figures, "Cijfers 4e kwartaal 2025")

    # Read the number of unfounded complaints where a person finds it: the section from the
    # contents, then the row in the outcomes table.
    person.list_item("Beoordeling van de klachten", figures)
    table = person.field("Uitkomst van de behandeling", QTableView, figures)
    model = table.model()
    row = row_of(table, "ongegrond")
    number = model.index(row, 1).data()
    assert number == "2"
    qtbot.waitUntil(lambda: table.visibleRegion().boundingRect().contains(
        table.visualRect(model.index(row, 1)).center()
    ))  # fmt: skip
    rect = table.visualRect(model.index(row, 1))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    # The main window comes forward with exactly those dossiers and says why.
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    assert window.model.rowCount() == int(number)
    assert sorted(listed_names(window)) == ["Anke Maes", "Bram Peeters"]
    banner = person.label_with("Gefilterd op:", window)
    assert visible_text(banner.text()) == "Gefilterd op: Uitkomst: ongegrond (4e kwartaal 2025)"
    assert visible_text(window.count_label.text()) == "2 klachten"

    # With the other filters: only the one still open.
    person.pick(person.combo_showing("Alle dossiers", window), "Lopende dossiers")
    assert listed_names(window) == ["Bram Peeters"]
    person.pick(person.combo_showing("Lopende dossiers", window), "Alle dossiers")
    # And sorted as the coordinator clicks the Klager header (once, then the other way).
    click_header(window.table, "Klager")
    first_order = listed_names(window)
    assert sorted(first_order) == ["Anke Maes", "Bram Peeters"]
    click_header(window.table, "Klager")
    assert listed_names(window) == list(reversed(first_order))
    assert banner.isVisible()

    # Filter wissen: the bar is gone and the list is back as the coordinator left it.
    person.click("Filter wissen", window)
    assert not person.sees("Gefilterd op:", window)
    assert listed_names(window) == open_before
    person.pick(person.combo_showing("Lopende dossiers", window), "Alle dossiers")
    assert window.model.rowCount() == 5


def test_the_shortcut_opens_the_figures_and_brings_them_back_after_closing(
    qtbot: QtBot,
    register_of_two_quarters: dict[str, int],
    window: MainWindow,
    ctx: ServiceContext,
) -> None:
    person = Person(qtbot)
    shortcuts = [
        key.toString()
        for action in window.findChildren(QAction)
        for key in action.shortcuts()
        if not key.isEmpty()
    ]
    assert "Ctrl+Shift+C" in shortcuts
    assert len(shortcuts) == len(set(shortcuts)), f"one key for two actions: {sorted(shortcuts)}"
    QTest.keyClick(window, Qt.Key.Key_C, CTRL_SHIFT)
    figures = figures_window(person)
    wait_for_figures(qtbot, figures, "Cijfers 2026")
    kernel = person.field("Kerncijfers", QTableView, figures)
    assert kernel.model().index(row_of(kernel, "Ontvangen registraties"), 1).data() == "1"
    figures.close()
    # Meanwhile a complaint is registered: the figures shown again count it.
    svc.register_complaint(ctx, intake(name="Fien Goossens", email="fien@example.be"))
    qtbot.waitUntil(lambda: not figures.isVisible())
    qtbot.waitUntil(window.isActiveWindow)  # back to the main window, where the keys go
    QTest.keyClick(window, Qt.Key.Key_C, CTRL_SHIFT)
    assert figures_window(person) is figures
    wait_for_figures(qtbot, figures, "Cijfers 2026")
    kernel = person.field("Kerncijfers", QTableView, figures)
    assert kernel.model().index(row_of(kernel, "Ontvangen registraties"), 1).data() == "2"


def test_a_dossier_opened_from_vandaag_is_shown_even_when_the_list_was_restricted(
    qtbot: QtBot, register_of_two_quarters: dict[str, int], window: MainWindow
) -> None:
    person = Person(qtbot)
    names = listed_names(window)
    dina = window.model.index(names.index("Dina Claes"), 0).data()  # her reference, as listed
    QTest.keyClick(window, Qt.Key.Key_C, CTRL_SHIFT)
    figures = figures_window(person)
    wait_for_figures(qtbot, figures, "Cijfers 2026")
    kernel = person.field("Kerncijfers", QTableView, figures)
    row = row_of(kernel, "Ontvangen registraties")
    rect = kernel.visualRect(kernel.model().index(row, 1))
    QTest.mouseClick(kernel.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(window.isActiveWindow)
    assert listed_names(window) == ["Emiel Aerts"]

    # Vandaag (Ctrl+T) lists Dina Claes's overdue acknowledgement (received in 2025).
    QTest.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = person.wait_for_window("Vandaag")
    table = person.the_only(QTableWidget, dialog)
    rows = [r for r in range(table.rowCount()) if table.item(r, 0).text() == dina]
    assert rows, [table.item(r, 0).text() for r in range(table.rowCount())]
    point = table.visualItemRect(table.item(rows[0], 0)).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: window.dossier.detail is not None)
    assert window.dossier.detail is not None
    assert window.dossier.detail.id == register_of_two_quarters["Dina Claes"]
    assert window.model.rowCount() == 5 and not person.sees("Gefilterd op:", window)
    assert window.selected_id() == register_of_two_quarters["Dina Claes"]


def test_a_number_clicked_after_midnight_opens_the_dossiers_it_counted(
    qtbot: QtBot, register_of_two_quarters: dict[str, int], window: MainWindow, clock: FakeClock
) -> None:
    """The window stays open over midnight: Emiel Aerts's answer (received 3 February, 45
    days) is still 'loopt nog' in the figures on screen, made on 20 March; clicked on 21
    March, when it is overdue, the list opens exactly that dossier, as the number said."""
    person = Person(qtbot)
    clock.current = datetime(2026, 3, 20, 23, 50)
    person.menu("Beeld", "Cijfers…", window=window)
    figures = figures_window(person)
    wait_for_figures(qtbot, figures, "Cijfers 2026")
    person.list_item("Tijdigheid", figures)
    table = person.field("Antwoord en afsluiting (termijn: 45 dagen)", QTableView, figures)
    model = table.model()
    row = row_of(table, "nog niet gebeurd, termijn loopt nog")
    assert model.index(row, 1).data() == "1"

    clock.current = datetime(2026, 3, 21, 0, 10)
    qtbot.waitUntil(lambda: table.visibleRegion().boundingRect().contains(
        table.visualRect(model.index(row, 1)).center()
    ))  # fmt: skip
    QTest.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=table.visualRect(model.index(row, 1)).center(),
    )
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    assert listed_names(window) == ["Emiel Aerts"]


def test_an_unexpected_failure_while_counting_is_said_in_dutch(
    qtbot: QtBot, register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(period: Period, as_of: date) -> Report:
        raise RuntimeError("no such column: boom")

    figures = FiguresWindow(lambda: date(2026, 3, 2), broken, lambda selection, as_of: [])
    qtbot.addWidget(figures)
    figures.show()
    qtbot.waitUntil(lambda: not figures.counting and figures.error.isVisible(), timeout=10_000)
    person = Person(qtbot)
    assert person.sees("De cijfers konden niet geteld worden door een onverwachte fout.", figures)
    assert "RuntimeError" not in figures.error.text() and "boom" not in figures.error.text()
    assert "RuntimeError: no such column: boom" in capsys.readouterr().err  # the details
