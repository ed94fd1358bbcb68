"""The Cijfers window: choosing a period with keyboard and mouse, tables, charts, numbers to click.

These tests give the window report functions of their own, to see exactly which period it
asks for and what it does with what it gets; ``test_figures_journey.py`` runs it on the real
figures of a real register, from the main window's menu.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QDateEdit
from pytestqt.qtbot import QtBot

from klachtdesk.letters.report_model import ChartKind, Report, ReportSection, ReportTable
from klachtdesk.procedure.periods import Period, Selection
from klachtdesk.ui.figures_window import FiguresWindow
from klachtdesk.ui.report_chart import ReportChart
from klachtdesk.ui.report_table_model import cell_text

from .person import Person, visible_text

TODAY = date(2026, 3, 2)


class Figures:
    """Report functions that remember what the window asked for."""

    def __init__(self) -> None:
        self.periods: list[Period] = []
        self.selections: list[Selection] = []

    def report(self, period: Period, as_of: date) -> Report:
        assert as_of == TODAY
        self.periods.append(period)
        outcomes = ("Gegrond", "Ongegrond", "Geen oordeel")
        table = ReportTable(
            key="outcomes",
            title="Uitkomsten",
            headers=("Uitkomst", "Aantal", "Aandeel"),
            rows=((outcomes[0], 3, 0.5), (outcomes[1], 2, 1 / 3), (outcomes[2], 1, 1 / 6)),
            total=("Totaal", 6, 1.0),
            chart=ChartKind.PIE,
            selections=tuple(
                Selection(period, (("outcome", name),), f"Uitkomst: {name} ({period.label})")
                for name in outcomes
            ),
            percent_columns=(2,),
        )
        average = ReportTable(
            key="days",
            title="Doorlooptijd",
            headers=("Maat", "Dagen"),
            rows=(("Gemiddeld", 12.5), ("Mediaan", 11.0)),
            selections=(None, None),
        )
        return Report(
            title=f"Cijfers {period.label}",
            organisation="Gemeente Herent",
            period=period,
            made_on=as_of,
            sections=(
                ReportSection("1. Uitkomsten", "Hoe de klachten beoordeeld werden.", (table,)),
                ReportSection("2. Tijdigheid", tables=(average,)),
                ReportSection("3. Beoordeling", blank_lines=8),
            ),
        )

    def ids(self, selection: Selection, as_of: date) -> list[int]:
        self.selections.append(selection)
        return [7, 8, 9]


@pytest.fixture
def figures() -> Figures:
    return Figures()


@pytest.fixture
def shown(qtbot: QtBot, figures: Figures) -> Iterator[FiguresWindow]:
    window = FiguresWindow(lambda: TODAY, figures.report, figures.ids)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    see_heading(qtbot, window, "Cijfers 2026")
    yield window
    window.wait_until_counted()
    window.close()


def heading(window: FiguresWindow) -> str:
    return visible_text(window.heading.text())


def see_heading(qtbot: QtBot, window: FiguresWindow, text: str) -> None:
    """Wait until the figures of ``text`` are on screen (they are counted in the background)."""
    qtbot.waitUntil(lambda: heading(window) == text and not window.counting, timeout=5000)


def test_opens_on_the_current_year_and_steps_through_quarters_months_and_ranges(
    qtbot: QtBot, shown: FiguresWindow, figures: Figures
) -> None:
    person = Person(qtbot)
    see_heading(qtbot, shown, "Cijfers 2026")
    assert figures.periods == [Period.year(2026)]
    assert person.sees("Klachten ontvangen van 1 januari 2026 tot en met 31 december 2026")

    # Another year, typed: counted when Enter confirms it, not at every digit.
    person.type_into("Jaar", "2025", shown)
    assert figures.periods[-1] == Period.year(2026)
    person.press(Qt.Key.Key_Return)
    see_heading(qtbot, shown, "Cijfers 2025")

    person.choose("Soort periode", "Kwartaal", shown)
    person.choose("Kwartaal", "2e kwartaal", shown)
    see_heading(qtbot, shown, "Cijfers 2e kwartaal 2025")
    assert figures.periods[-1] == Period.quarter(2025, 2)
    person.click("◀ Vorige", shown)
    person.click("◀ Vorige", shown)
    see_heading(qtbot, shown, "Cijfers 4e kwartaal 2024")
    person.click("Volgende ▶", shown)
    see_heading(qtbot, shown, "Cijfers 1e kwartaal 2025")
    assert figures.periods[-1] == Period.quarter(2025, 1)

    person.choose("Soort periode", "Maand", shown)
    person.choose("Maand", "december", shown)
    person.click("Volgende ▶", shown)
    see_heading(qtbot, shown, "Cijfers januari 2026")

    # A range starts as the month shown, then takes the dates typed.
    person.choose("Soort periode", "Vrije periode", shown)
    see_heading(qtbot, shown, "Cijfers januari 2026")
    start = person.field("Van", QDateEdit, shown)
    assert not person.sees("Jaar", shown), "the year field is still shown beside the range"
    # Alt+letter selects the day; a date field moves on to the month and year by itself.
    person.alt("v")
    person.type("15112025")
    person.press(Qt.Key.Key_Tab)
    see_heading(qtbot, shown, "Cijfers 15 november 2025 – 31 januari 2026")
    assert figures.periods[-1] == Period(date(2025, 11, 15), date(2026, 1, 31))
    assert start.isVisible()

    # An end before the start: said in Dutch, and the figures shown stay those of the last
    # valid period.
    asked = len(figures.periods)
    person.alt("t")
    person.type("01102025")
    person.press(Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: person.sees("ligt vóór de begindatum", shown))
    assert len(figures.periods) == asked and not shown.counting
    see_heading(qtbot, shown, "Cijfers 15 november 2025 – 31 januari 2026")


def test_the_period_is_chosen_with_the_keyboard_alone(
    qtbot: QtBot, shown: FiguresWindow, figures: Figures
) -> None:
    person = Person(qtbot)
    person.alt("p")  # Soort periode
    kind = person.focused()
    assert isinstance(kind, QComboBox)
    person.press(Qt.Key.Key_Down)  # Jaar → Kwartaal
    assert kind.currentText() == "Kwartaal"
    person.alt("k")
    person.press(Qt.Key.Key_Down)  # the current quarter (1e, on 2 March) → 2e
    see_heading(qtbot, shown, "Cijfers 2e kwartaal 2026")
    person.alt("r")  # ◀ Vorige (a mnemonic clicks its button a moment later, as Qt animates it)
    see_heading(qtbot, shown, "Cijfers 1e kwartaal 2026")
    assert figures.periods[-1] == Period.quarter(2026, 1)


def test_tables_read_as_a_flemish_reader_writes_numbers_and_charts_sit_beside_them(
    qtbot: QtBot, shown: FiguresWindow
) -> None:
    table = shown.table("Uitkomsten")
    model = table.model()
    texts = [[model.index(r, c).data() for c in range(3)] for r in range(model.rowCount())]
    assert texts == [
        ["Gegrond", "3", "50,0 %"],
        ["Ongegrond", "2", "33,3 %"],
        ["Geen oordeel", "1", "16,7 %"],
        ["Totaal", "6", "100,0 %"],
    ]
    charts = shown.findChildren(ReportChart)
    assert [chart.accessibleName() for chart in charts] == ["Taartdiagram: Uitkomsten"]
    assert [shown.contents.item(i).text() for i in range(shown.contents.count())] == [
        "1. Uitkomsten",
        "2. Tijdigheid",
    ]  # the section left blank for the directeur's own text has nothing to show here
    assert cell_text(12345) == "12.345" and cell_text(None) == "–"


def test_a_count_is_clicked_or_chosen_with_enter_and_its_dossiers_are_handed_on(
    qtbot: QtBot, shown: FiguresWindow, figures: Figures
) -> None:
    chosen: list[tuple[list[int], str]] = []
    shown.dossiers_chosen.connect(lambda ids, label: chosen.append((ids, label)))
    table = shown.table("Uitkomsten")
    model = table.model()
    person = Person(qtbot)

    # Keyboard: from the contents (Alt+I), Tab reaches the first table on its first count;
    # the arrows move; Enter chooses.
    person.alt("i")
    person.press(Qt.Key.Key_Tab)
    assert person.focused() is table
    person.press(Qt.Key.Key_Down)
    person.press(Qt.Key.Key_Down)
    person.press(Qt.Key.Key_Return)
    assert chosen == [([7, 8, 9], "Uitkomst: Geen oordeel (2026)")]

    def click(row: int, column: int) -> None:
        rect = table.visualRect(model.index(row, column))
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    click(1, 1)  # Ongegrond: 2
    assert chosen[-1] == ([7, 8, 9], "Uitkomst: Ongegrond (2026)")
    assert figures.selections[-1].criteria == (("outcome", "Ongegrond"),)
    click(1, 0)  # the label is not a number to click
    click(3, 1)  # neither is the total
    click(1, 2)  # nor a share
    person.press(Qt.Key.Key_Down)  # onto the total: Enter does nothing there
    person.press(Qt.Key.Key_Down)
    person.press(Qt.Key.Key_Return)
    assert len(chosen) == 2


def test_a_period_seen_before_is_shown_at_once_until_the_register_changes(
    qtbot: QtBot, figures: Figures
) -> None:
    state = [1]
    window = FiguresWindow(lambda: TODAY, figures.report, figures.ids, version=lambda: state[0])
    qtbot.addWidget(window)
    window.show()
    see_heading(qtbot, window, "Cijfers 2026")
    person = Person(qtbot)
    person.click("◀ Vorige", window)
    see_heading(qtbot, window, "Cijfers 2025")
    person.click("Volgende ▶", window)
    see_heading(qtbot, window, "Cijfers 2026")
    assert figures.periods == [Period.year(2026), Period.year(2025)]
    state[0] = 2  # something was recorded in the register
    person.click("◀ Vorige", window)
    see_heading(qtbot, window, "Cijfers 2025")
    assert figures.periods[-1] == Period.year(2025) and len(figures.periods) == 3
    window.wait_until_counted()


@pytest.mark.parametrize("kind", list(ChartKind), ids=lambda k: k.value)
@pytest.mark.parametrize(
    "rows",
    [
        (("2024", 120, 0.5), ("2025", 0, 0.0), ("2026", 95, 1.0)),
        (("Enige", None, None),),
        (("Nul", 0, 0.0), ("Ook nul", 0, 0.0)),
    ],
    ids=["values", "nothing", "zeros"],
)
def test_every_chart_kind_paints_whatever_the_numbers(
    qtbot: QtBot, kind: ChartKind, rows: tuple[tuple[object, ...], ...]
) -> None:
    table = ReportTable(
        key="k",
        title="Trend",
        headers=("Jaar", "Klachten", "Aandeel ontvankelijk"),
        rows=rows,  # type: ignore[arg-type]
        chart=kind,
        percent_columns=(2,),
    )
    chart = ReportChart(table)
    qtbot.addWidget(chart)
    chart.resize(chart.sizeHint())
    image = chart.grab().toImage()
    assert image.width() > 100 and image.height() > 20
    painted = {
        image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)
    }
    assert len(painted) > 1, "nothing was drawn"
    assert image.format() != QImage.Format.Format_Invalid
