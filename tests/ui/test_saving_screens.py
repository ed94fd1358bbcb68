"""Saving the report's files from its preview where something is in the way: the reason in
Dutch in the window, nothing half-written (one save helper for letters and the report)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from klachtdesk.services.context import ServiceContext
from klachtdesk.ui.main_window import MainWindow

from .journey import Coordinator
from .person import answer_file_dialog
from .test_report_screens import complaints_of_2025, open_report_dialog


def answer_with(person: Coordinator, button: str, preview: QWidget, target: Path) -> None:
    handled = person.when_modal(lambda dialog: answer_file_dialog(dialog, target), QFileDialog)
    person.click(button, preview)
    person.qtbot.waitUntil(lambda: bool(handled))


def test_a_folder_in_the_way_of_the_word_file_is_told_in_dutch(
    qtbot: QtBot, window: MainWindow, ctx: ServiceContext, tmp_path: Path
) -> None:
    complaints_of_2025(ctx)
    person = Coordinator(qtbot, tmp_path)
    person.window = window
    dialog = open_report_dialog(person, window)
    person.click("Voorbeeld…", dialog)
    preview = person.preview()
    folder = tmp_path / "verslagen"
    folder.mkdir()
    (folder / "raad.docx").mkdir()  # the name typed, '.docx' added, is a folder
    answer_with(person, "Opslaan als Word…", preview, folder / "raad")
    qtbot.waitUntil(lambda: person.sees("kon niet bewaard worden", preview))
    assert person.sees("is een map of apparaat, geen gewoon bestand", preview)
    assert not person.sees("Is a directory", preview)
    assert sorted(p.name for p in folder.iterdir()) == ["raad.docx"]
    assert (folder / "raad.docx").is_dir()
    # The same preview saves once the name is free; the message goes.
    answer_with(person, "Opslaan als Word…", preview, folder / "raad-2025.docx")
    qtbot.waitUntil((folder / "raad-2025.docx").is_file)
    assert person.sees(f"Bewaard als {folder / 'raad-2025.docx'}", preview)
    assert not person.sees("kon niet bewaard worden", preview)
    assert sorted(p.name for p in folder.iterdir()) == ["raad-2025.docx", "raad.docx"]


def test_saving_to_a_long_path_does_not_widen_the_preview(
    qtbot: QtBot, window: MainWindow, ctx: ServiceContext, tmp_path: Path
) -> None:
    # "Bewaard als <path>" sat on one line beside the buttons: a long folder name pushed the
    # window wider (off the screen) and moved the buttons away from under the mouse.
    complaints_of_2025(ctx)
    person = Coordinator(qtbot, tmp_path)
    person.window = window
    dialog = open_report_dialog(person, window)
    person.click("Voorbeeld…", dialog)
    preview = person.preview()
    width = preview.width()
    folder = tmp_path / ("klachtencoördinatie-jaarverslagen-voor-de-gemeenteraad-" * 4)
    folder.mkdir()
    answer_with(person, "Opslaan als PDF…", preview, folder / "jaarverslag-2025.pdf")
    qtbot.waitUntil((folder / "jaarverslag-2025.pdf").is_file)
    assert person.sees("Bewaard als", preview)
    qtbot.wait(50)
    assert preview.width() == width
