"""Bestand → Importeren…, as a coordinator does it: the messy earlier register comes in."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLineEdit, QMessageBox, QTableWidget, QWizard
from pytestqt.qtbot import QtBot

from klachtdesk.models import Register
from klachtdesk.services.context import ServiceContext
from klachtdesk.ui.main_window import MainWindow
from tests.data.messy_register import XLSX

from .journey import Coordinator
from .person import visible_text


def preview_rows(table: QTableWidget) -> dict[str, tuple[str, str]]:
    return {
        table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 6).text())
        for r in range(table.rowCount())
    }


def test_coordinator_imports_the_old_register(
    qtbot: QtBot,
    register: Register,
    ctx: ServiceContext,
    settings: QSettings,
    tmp_path: Path,
) -> None:
    person = Coordinator(qtbot, tmp_path)
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    person.activate(window)

    person.menu("Bestand", "Importeren…", window=window)
    wizard = window.current_dialog
    assert isinstance(wizard, QWizard)
    qtbot.waitUntil(wizard.isVisible)
    person.in_file_dialog("Bladeren…", wizard, XLSX)
    path = person.field("Bestand", QLineEdit, wizard)
    qtbot.waitUntil(lambda: path.text() == str(XLSX))
    person.click("Volgende >", wizard)

    # The mapping page: the guessed columns, and the outcome the sheet calls 'opgelost'.
    qtbot.waitUntil(lambda: wizard.currentPage().title() == "Kolommen en waarden koppelen")
    assert person.field("Datum ontvangst", within=wizard).currentText() == "DATUM"
    assert person.field("Datum antwoord", within=wizard).currentText() == "Datum antwoord"
    assert person.field("Ontvangen door", within=wizard).currentText() == "(niet gebruiken)"
    opgelost = person.field("Uitkomst ‘opgelost’", within=wizard)
    assert opgelost.currentText() == "(rij niet importeren)"
    person.pick(opgelost, "gegrond")
    person.click("Volgende >", wizard)

    # The preview: every row with its result, nothing written yet.
    qtbot.waitUntil(lambda: wizard.currentPage().title() == "Voorbeeld")
    assert window.model.rowCount() == 0
    table = person.field("Voorbeeld van de import", QTableWidget, wizard)
    rows = preview_rows(table)
    assert rows["19"] == ("wordt geïmporteerd", "")
    assert rows["9"] == (
        "niet geïmporteerd",
        "Onbekend kanaal ‘Facebook’: koppel het aan een kanaal van klachtdesk.",
    )
    assert rows["10"] == ("niet geïmporteerd", "De datum van ontvangst ontbreekt.")
    assert person.sees("9 rijen worden geïmporteerd, 7 rijen niet", wizard)

    # Importeren asks first; 'Nee' writes nothing.
    seen = person.answer_message(QMessageBox.StandardButton.No)
    person.click("Importeren", wizard)
    qtbot.waitUntil(lambda: bool(seen))
    assert "9 dossiers uit messy_register.xlsx in het register opnemen?" in seen[0]
    assert wizard.currentPage().title() == "Voorbeeld" and window.model.rowCount() == 0
    seen = person.answer_message(QMessageBox.StandardButton.Yes)
    person.click("Importeren", wizard)
    qtbot.waitUntil(lambda: wizard.currentPage().title() == "Geïmporteerd")
    assert person.sees("9 rijen werden geïmporteerd", wizard)
    assert person.sees(
        "Nieuwe behandelaars (niet actief; activeer ze bij Instellingen): Tom Peeters", wizard
    )
    person.click("Sluiten", wizard)
    qtbot.waitUntil(lambda: not wizard.isVisible())

    # The list shows them, marked as imported, with references of their own years.
    qtbot.waitUntil(lambda: window.model.rowCount() == 9)
    references = {
        visible_text(str(window.model.index(r, 0).data())) for r in range(window.model.rowCount())
    }
    assert "2024-0004 (geïmporteerd)" in references
    assert "2023-0001 (geïmporteerd)" in references
    # The dossier says where it came from, and keeps the step the sheet showed.
    person.window = window
    person.list_row("2026-0001 (geïmporteerd)")
    qtbot.waitUntil(lambda: window.dossier.detail is not None)
    assert "Karel Maes" in person.state_text()
    assert "beoordeeld" in person.state_text()
    assert "(geïmporteerd uit een vorig register)" in person.state_text()


def _open_wizard(qtbot: QtBot, ctx: ServiceContext, settings: QSettings, person: Coordinator):
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    person.activate(window)
    person.menu("Bestand", "Importeren…", window=window)
    wizard = window.current_dialog
    assert isinstance(wizard, QWizard)
    qtbot.waitUntil(wizard.isVisible)
    return wizard


def test_a_file_that_cannot_be_read_is_explained_in_dutch_and_the_wizard_stays(
    qtbot: QtBot,
    register: Register,
    ctx: ServiceContext,
    settings: QSettings,
    tmp_path: Path,
) -> None:
    bad = tmp_path / "register.xlsx"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("xl/workbook.xml", b'<!DOCTYPE x [<!ENTITY e "e">]><workbook/>')
    person = Coordinator(qtbot, tmp_path)
    wizard = _open_wizard(qtbot, ctx, settings, person)
    person.in_file_dialog("Bladeren…", wizard, bad)
    seen = person.answer_message(QMessageBox.StandardButton.Ok)
    person.click("Volgende >", wizard)
    qtbot.waitUntil(lambda: bool(seen))
    assert "register.xlsx bevat een documenttypedefinitie (DTD)" in seen[0]
    assert wizard.currentPage().title() == "Bestand kiezen"
    person.click("Annuleren", wizard)


def test_a_sheet_without_a_channel_column_gets_the_channel_the_coordinator_chooses(
    qtbot: QtBot,
    register: Register,
    ctx: ServiceContext,
    settings: QSettings,
    tmp_path: Path,
) -> None:
    path = tmp_path / "zonder kanaal.csv"
    path.write_text(
        "Datum;Naam;Omschrijving;Beslissing;Datum antwoord\r\n"
        "3/2/2024;Jan Peeters;Container niet geledigd.;gegrond;1/3/2024\r\n",
        encoding="utf-8",
    )
    person = Coordinator(qtbot, tmp_path)
    wizard = _open_wizard(qtbot, ctx, settings, person)
    person.in_file_dialog("Bladeren…", wizard, path)
    person.click("Volgende >", wizard)
    qtbot.waitUntil(lambda: wizard.currentPage().title() == "Kolommen en waarden koppelen")
    empty = person.field("Kanaal wanneer leeg", within=wizard)
    assert empty.currentText() == "brief/fax"  # the guess for a sheet without the column
    person.pick(empty, "(rij niet importeren)")
    person.click("Volgende >", wizard)
    qtbot.waitUntil(lambda: wizard.currentPage().title() == "Voorbeeld")
    table = person.field("Voorbeeld van de import", QTableWidget, wizard)
    assert preview_rows(table)["2"] == ("niet geïmporteerd", "Het kanaal ontbreekt.")
    person.click("< Terug", wizard)
    qtbot.waitUntil(lambda: wizard.currentPage().title() == "Kolommen en waarden koppelen")
    person.pick(person.field("Kanaal wanneer leeg", within=wizard), "website")
    person.click("Volgende >", wizard)
    qtbot.waitUntil(lambda: wizard.currentPage().title() == "Voorbeeld")
    table = person.field("Voorbeeld van de import", QTableWidget, wizard)
    assert preview_rows(table)["2"][0] == "wordt geïmporteerd"
    person.click("Annuleren", wizard)


def test_a_department_spelled_with_an_ampersand_is_shown_as_written(
    qtbot: QtBot,
    register: Register,
    ctx: ServiceContext,
    settings: QSettings,
    tmp_path: Path,
) -> None:
    """'Milieu & Afval' in the sheet: the label says so (a lone '&' would become an Alt-key
    and show as 'Milieu _Afval')."""
    path = tmp_path / "diensten.csv"
    path.write_text(
        "Datum;Naam;Kanaal;Dienst;Omschrijving\r\n"
        "3/2/2024;Jan Peeters;brief;Milieu & Afval;Container niet geledigd.\r\n",
        encoding="utf-8",
    )
    person = Coordinator(qtbot, tmp_path)
    wizard = _open_wizard(qtbot, ctx, settings, person)
    person.in_file_dialog("Bladeren…", wizard, path)
    person.click("Volgende >", wizard)
    qtbot.waitUntil(lambda: wizard.currentPage().title() == "Kolommen en waarden koppelen")
    assert person.sees("Dienst ‘Milieu & Afval’:", wizard)
    person.click("Annuleren", wizard)
