"""Searching or filtering while a dossier is open: the dossier stays as it is when the list
still holds it (it is not built again at every keystroke), and goes when the list drops it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from klachtdesk.models import Complaint, Register
from klachtdesk.services.complaints import register_complaint
from klachtdesk.services.context import ServiceContext
from klachtdesk.ui import main_window
from klachtdesk.ui.main_window import MainWindow

from ..db.helpers import intake
from .journey import Coordinator


def test_a_search_that_keeps_the_open_dossier_leaves_it_as_it_is(
    qtbot: QtBot,
    register: Register,
    ctx: ServiceContext,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    marie = register_complaint(ctx, intake(name="Marie Peeters"))
    register_complaint(ctx, intake(name="Jan Peeters"))
    register_complaint(ctx, intake(name="Els Claes"))
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    person = Coordinator(qtbot, Path())
    person.window = window
    person.activate(window)
    reference = Complaint.get_by_id(marie).reference
    person.list_row(reference)
    qtbot.waitUntil(lambda: window.dossier.detail is not None)
    assert person.dossier_reference() == reference

    shown: list[int] = []
    original = main_window.complaint_detail

    def counted(complaint_id: int, *args: Any) -> Any:
        shown.append(complaint_id)
        return original(complaint_id, *args)

    monkeypatch.setattr(main_window, "complaint_detail", counted)
    search = person.field_with_placeholder("Zoeken (Ctrl+F)")
    person.focus(search)
    QTest.keyClicks(search, "peeters")
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    QTest.qWait(300)  # every keystroke's search has run
    assert shown == []  # not read and built again
    assert person.dossier_reference() == reference
    assert window.selected_id() == marie

    search.selectAll()
    QTest.keyClicks(search, "claes")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    qtbot.waitUntil(lambda: window.dossier.detail is None)
    assert "Kies een klacht" in window.dossier.title.text()
    assert shown == []
