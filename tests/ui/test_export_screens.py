"""Bestand → Exporteren… and Instellingen → Inwoners, as a coordinator uses them (issue 12)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from klachtdesk.models import AuditEvent, Register
from klachtdesk.procedure import Channel
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.export import PERSONAL_DATA_WARNING, headers
from klachtdesk.services.population import populations
from klachtdesk.ui.main_window import MainWindow
from klachtdesk.ui.settings_dialog import SettingsDialog

from ..db.helpers import intake
from .journey import Coordinator
from .person import answer_file_dialog

PEOPLE = [
    ("Marie Peeters", "Kerkstraat 12", "marie.peeters@example.be", Channel.EMAIL, 2),
    ("Jan Janssens", "Stationsstraat 4", "jan.janssens@example.be", Channel.EMAIL, 3),
    ("Luc De Smet", "Molenweg 9", "luc.desmet@example.be", Channel.PHONE, 4),
]


def register_people(ctx: ServiceContext) -> None:
    """Three dossiers, received on different days, two of them by e-mail."""
    for name, street, email, channel, day in PEOPLE:
        svc.register_complaint(
            ctx,
            intake(
                name=name,
                street=street,
                email=email,
                channel=channel,
                received_on=date(2026, 2, day),
                description=f"Klacht van {name} over de container.",
            ),
        )


@pytest.fixture
def register(register: Register, ctx: ServiceContext) -> Register:
    """The register as the coordinator finds it on opening klachtdesk: three dossiers in it
    (the window of every test here opens on it, its list and filters filled as it starts)."""
    register_people(ctx)
    return register


def export_dialog(person: Coordinator, window: MainWindow) -> QWidget:
    person.menu("Bestand", "Exporteren…", window=window)
    dialog = window.current_dialog
    assert dialog is not None and dialog.windowTitle() == "Exporteren"
    person.qtbot.waitUntil(dialog.isVisible)
    return dialog


def save_in_file_dialog(person: Coordinator, dialog: QWidget, target: Path) -> list[str]:
    """Click Exporteren…, read the name the file dialog suggests, and type ``target``."""
    suggested: list[str] = []

    def answer(file_dialog: QWidget) -> None:
        assert isinstance(file_dialog, QFileDialog)
        edit = file_dialog.findChild(QLineEdit, "fileNameEdit")
        assert edit is not None
        suggested.append(edit.text())
        answer_file_dialog(file_dialog, target)

    handled = person.when_modal(answer, QFileDialog)
    person.click("Exporteren…", dialog)
    person.qtbot.waitUntil(lambda: bool(handled))
    person.qtbot.waitUntil(lambda: not dialog.isVisible())
    return suggested


def test_export_without_personal_data_of_the_filtered_list(
    qtbot: QtBot, window: MainWindow, ctx: ServiceContext, tmp_path: Path
) -> None:
    person = Coordinator(qtbot, tmp_path)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    person.pick(person.combo_showing("Alle kanalen", window), "e-mail")
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    dialog = export_dialog(person, window)
    assert person.sees("2 dossiers, zoals de lijst ze nu toont", dialog)
    target = tmp_path / "klachten.xlsx"
    suggested = save_in_file_dialog(person, dialog, target)
    assert suggested == ["klachten-2026-03-02.xlsx"]
    assert "2 dossiers geëxporteerd naar" in window.statusBar().currentMessage()

    book = load_workbook(target, read_only=True)
    assert book.sheetnames == ["Dossiers"]
    rows = [list(r) for r in book["Dossiers"].iter_rows(values_only=True)]
    book.close()
    assert rows[0] == headers(False)
    assert len(rows) == 3  # the two e-mail complaints, not the phone one
    everything = " ".join(str(v) for row in rows for v in row if v is not None)
    for name, street, email, _channel, _day in PEOPLE:
        assert name not in everything and street not in everything and email not in everything
    assert "telefoon" not in [row[headers(False).index("Kanaal")] for row in rows[1:]]
    assert AuditEvent.select().where(AuditEvent.action == "export_personal_data").count() == 0


def test_export_with_personal_data_as_csv_says_so_and_is_logged(
    qtbot: QtBot, window: MainWindow, ctx: ServiceContext, tmp_path: Path
) -> None:
    person = Coordinator(qtbot, tmp_path)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    dialog = export_dialog(person, window)
    note = "Het bestand bevat dan namen"
    assert not person.sees(note, dialog)
    person.check("Met persoonsgegevens", dialog)
    assert person.sees(note, dialog) and person.sees("komt in het", dialog)
    person.toggle("Met persoonsgegevens", dialog)  # changed their mind…
    assert not person.sees(note, dialog)
    person.check("Met persoonsgegevens", dialog)  # …and back
    person.check("CSV voor Excel", dialog)
    target = tmp_path / "met-namen.csv"
    suggested = save_in_file_dialog(person, dialog, target)
    assert suggested == ["klachten-2026-03-02-persoonsgegevens.csv"]
    assert "(met persoonsgegevens)" in window.statusBar().currentMessage()

    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    with target.open(encoding="utf-8-sig", newline="") as file:
        lines = list(csv.reader(file, delimiter=";"))
    assert lines[0] == [PERSONAL_DATA_WARNING]
    assert lines[1] == headers(True)
    names = [line[headers(True).index("Naam")] for line in lines[2:]]
    assert names == ["Luc De Smet", "Jan Janssens", "Marie Peeters"]  # newest first, as listed
    event = AuditEvent.get(AuditEvent.action == "export_personal_data")
    assert event.actor == "Ann Coördinator" and "3 dossiers" in event.summary


def test_a_refused_export_keeps_the_dialog_open_with_the_reason(
    qtbot: QtBot, window: MainWindow, ctx: ServiceContext, tmp_path: Path
) -> None:
    """A name typed without extension gets it; here a folder of that name is in the way, so
    the export is refused with the reason, and the dialog stays open to try again."""
    person = Coordinator(qtbot, tmp_path)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    dialog = export_dialog(person, window)
    (tmp_path / "klachten.xlsx").mkdir()

    def answer(file_dialog: QWidget) -> None:
        assert isinstance(file_dialog, QFileDialog)
        answer_file_dialog(file_dialog, tmp_path / "klachten")

    handled = person.when_modal(answer, QFileDialog)
    person.click("Exporteren…", dialog)
    qtbot.waitUntil(lambda: bool(handled))
    assert dialog.isVisible()
    assert person.sees("geen gewoon bestand", dialog)
    assert person.sees("Er werd niets geëxporteerd.", dialog)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("klachten", "."))) == [
        "klachten.xlsx"
    ]
    # Once the folder is out of the way, the same name works.
    (tmp_path / "klachten.xlsx").rmdir()
    save_in_file_dialog(person, dialog, tmp_path / "klachten")
    assert (tmp_path / "klachten.xlsx").is_file()


def settings(qtbot: QtBot, ctx: ServiceContext, tmp_path: Path) -> tuple[Coordinator, QWidget]:
    d = SettingsDialog(ctx)
    qtbot.addWidget(d)
    d.show()
    person = Coordinator(qtbot, tmp_path)
    person.activate(d)
    person.tab("Inwoners", d)
    return person, d


def table_rows(d: QWidget) -> list[tuple[str, str]]:
    from PySide6.QtWidgets import QTableWidget

    table = next(
        t for t in d.findChildren(QTableWidget) if t.accessibleName() == "Inwoners per jaar"
    )
    return [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]


def test_inhabitants_per_year_typed_with_the_keyboard(
    qtbot: QtBot, register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    person, d = settings(qtbot, ctx, tmp_path)
    person.type_into("Jaar", "2025", d)
    person.press(Qt.Key.Key_Return)  # Enter in the year goes on to the inhabitants
    person.type("21.543")
    person.press(Qt.Key.Key_Return)  # Enter in the Inwoners field saves the year ...
    assert table_rows(d) == [("2025", "21.543")]
    # ... and only that: not the dialog's Opslaan, which would check the other tabs and jump
    # to the first one with a problem (the next typing then landed in the municipality).
    assert d.isVisible() and person.sees("Elke wijziging wordt meteen bewaard", d)
    person.type_into("Jaar", "2026", d)
    person.type_into("Inwoners", "21 987", d)
    person.click("Toevoegen of wijzigen", d)
    assert table_rows(d) == [("2026", "21.987"), ("2025", "21.543")]  # newest first

    # Wrong input: said in Dutch, nothing saved.
    person.type_into("Jaar", "twintig", d)
    person.type_into("Inwoners", "-5", d)
    person.click("Toevoegen of wijzigen", d)
    assert person.sees("Het jaar moet een positief geheel getal zijn.", d)
    assert person.sees("Het aantal inwoners moet een positief geheel getal zijn.", d)
    person.type_into("Jaar", "2024", d)
    person.type_into("Inwoners", "0", d)
    person.click("Toevoegen of wijzigen", d)
    assert person.sees("Het aantal inwoners moet tussen 1 en 10.000.000 liggen.", d)
    assert [p.year for p in populations()] == [2026, 2025]

    # A correction, then a year removed.
    person.type_into("Jaar", "2025", d)
    person.type_into("Inwoners", "21600", d)
    person.click("Toevoegen of wijzigen", d)
    assert table_rows(d) == [("2026", "21.987"), ("2025", "21.600")]
    assert not person.sees("positief geheel getal", d)
    person.type_into("Jaar", "2026", d)
    person.click("Jaar verwijderen", d)
    assert table_rows(d) == [("2025", "21.600")]
    assert [(p.year, p.inhabitants) for p in populations()] == [(2025, 21600)]
    summaries = [
        e.summary
        for e in AuditEvent.select()
        .where(AuditEvent.action == "population")
        .order_by(AuditEvent.id)
    ]
    assert summaries == [
        "Inwoners 2025: 21.543",
        "Inwoners 2026: 21.987",
        "Inwoners 2025 gewijzigd: 21.543 → 21.600",
        "Inwoners 2026 verwijderd",
    ]
    # Saved at once: closing with Annuleren keeps them.
    person.click("Annuleren", d)
    assert [p.year for p in populations()] == [2025]
