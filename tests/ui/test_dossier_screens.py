"""What the list and the dossier show and offer, checked as a coordinator sees them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from klachtdesk.models import Complaint
from klachtdesk.procedure import Action, Channel, State
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.organisation import handlers
from klachtdesk.services.viewing_copies import remove_copies

from ..db.helpers import intake
from .journey import Coordinator
from .person import visible_text
from .test_crawler import dossier_in


def make_menu_items(person: Coordinator) -> list[str]:
    assert person.window is not None
    menu = person.window.dossier.make_button.menu()
    assert menu is not None
    return [visible_text(a.text()) for a in menu.actions()]


def test_document_maken_offers_only_what_belongs_to_the_step(
    person: Coordinator, ctx: ServiceContext
) -> None:
    handler_id = handlers()[0].id
    expected = {
        State.REGISTERED: [],
        State.ADMISSIBLE: ["Ontvangstmelding"],
        State.WITH_HANDLER: ["Rapport voor de behandelaar"],
        State.APPROVED: ["Motiverende brief"],
        State.CLOSED: ["Afgewerkt rapport"],
    }
    for n, (state, offered) in enumerate(expected.items()):
        cid = dossier_in(ctx, state, handler_id, n)
        show_dossier(person, cid)
        person.tab("Documenten", person.window.dossier)
        assert make_menu_items(person) == offered, state
        assert person.window.dossier.make_button.isEnabled() == bool(offered)


def show_dossier(person: Coordinator, complaint_id: int) -> None:
    """The list as it is now, and the dossier clicked in it."""
    assert person.window is not None
    person.window.model.reload()
    person.list_row(str(Complaint.get_by_id(complaint_id).reference))


def test_documents_are_listed_once_with_their_date(
    person: Coordinator, ctx: ServiceContext
) -> None:
    cid = dossier_in(ctx, State.ACKNOWLEDGED, handlers()[0].id, 1)
    show_dossier(person, cid)
    person.tab("Documenten", person.window.dossier)
    documents = person.window.dossier.documents
    texts = [documents.item(row).text() for row in range(documents.count())]
    assert texts == ["Ontvangstmelding (02/03/2026)"]


def test_a_letter_by_post_without_an_address_is_announced(
    person: Coordinator, ctx: ServiceContext
) -> None:
    cid = svc.register_complaint(
        ctx, intake(channel=Channel.LETTER, street="", postal_code="", city="",
                    email="marie@example.be")
    )  # fmt: skip
    svc.decide_admissibility(ctx, cid, [])
    show_dossier(person, cid)
    dialog = person.step(Action.ACKNOWLEDGE.step.button)
    warning = person.label_with("geen volledig adres", dialog)
    assert "per e-mail sturen naar marie@example.be" in visible_text(warning.text())
    assert "afdrukken en laten afhalen" in visible_text(warning.text())
    seen = person.answer_message(QMessageBox.StandardButton.No)
    person.click("De ontvangstmelding maken en versturen…", dialog)
    person.qtbot.waitUntil(lambda: bool(seen))
    assert "Geen adres" in seen[0] or "geen volledig adres" in seen[0]
    assert QApplication.activeModalWidget() is dialog  # no letter made: the choice is theirs
    person.click("Annuleren", dialog)


def copies_left(runtime: Path) -> list[Path]:
    """Files handed to other programs that are still on disk (the run's lock file aside)."""
    return [p for p in runtime.rglob("*") if p.is_file() and p.name != "owner.lock"]


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A runtime folder of the test's own (0700, as the system makes it)."""
    remove_copies()  # a run folder an earlier test of this process made elsewhere
    folder = tmp_path / "run"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    yield folder
    remove_copies()


def test_opening_a_document_without_a_viewer_says_so_and_offers_saving(
    person: Coordinator, ctx: ServiceContext, runtime: Path
) -> None:
    cid = dossier_in(ctx, State.ACKNOWLEDGED, handlers()[0].id, 1)
    show_dossier(person, cid)
    person.tab("Documenten", person.window.dossier)
    person.list_item("Ontvangstmelding", person.window.dossier)
    # The offscreen platform has no program to open a PDF with, as a bare workstation.
    seen = person.answer_message(QMessageBox.StandardButton.Cancel)
    person.click("Openen", person.window.dossier)
    person.qtbot.waitUntil(lambda: bool(seen))
    assert "geen programma" in seen[0].lower() and "opslaan" in seen[0].lower()
    # No program took the decrypted copy: it is gone at once, not at the lock or the exit.
    assert copies_left(runtime) == []


def test_an_empty_today_says_there_is_nothing_urgent(person: Coordinator) -> None:
    assert person.window is not None
    QTest.keyClick(person.window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    person.qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)
    today = QApplication.activeModalWidget()
    assert today is not None
    assert person.sees("niets dringends", today)
    assert not person.sees("Dubbelklik", today)
    person.click("Sluiten", today)


def test_the_first_window_is_never_taller_than_the_screen(person: Coordinator) -> None:
    """On a laptop (768 pixels, here the test screen's 800) the status bar, with the state of
    the backups, stays on screen."""
    window = person.window
    assert window is not None
    screen = window.screen().availableGeometry()
    assert window.frameGeometry().height() <= screen.height()
    assert window.statusBar().geometry().bottom() <= window.height()


def test_the_list_fits_the_window_and_the_step_column_is_not_cramped(
    person: Coordinator, ctx: ServiceContext
) -> None:
    for n, state in enumerate(State):
        dossier_in(ctx, state, handlers()[0].id, n)
    window = person.window
    assert window is not None
    window.model.reload()
    table = window.table
    for width in (1280, 1600):
        window.resize(width, 820)
        QTest.qWait(50)
        assert table.horizontalScrollBar().maximum() == 0, width
        assert table.columnWidth(8) < 200  # Dagen
    # At 1,600 px every step reads in full.
    steps = [window.model.index(row, 5).data() for row in range(window.model.rowCount())]
    widest = max(table.fontMetrics().horizontalAdvance(str(text)) for text in steps)
    assert table.columnWidth(5) >= widest + 8, (table.columnWidth(5), widest)


def test_the_step_filter_shows_only_that_step(person: Coordinator, ctx: ServiceContext) -> None:
    handler_id = handlers()[0].id
    with_handler = dossier_in(ctx, State.WITH_HANDLER, handler_id, 1)
    dossier_in(ctx, State.REGISTERED, handler_id, 2)
    window = person.window
    assert window is not None
    window.model.reload()
    assert window.model.rowCount() == 2
    person.pick(window.state_filter, State.WITH_HANDLER.label)
    person.qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert window.model.complaint_id(0) == with_handler
    assert window.count_label.text() == "1 klacht"


def test_in_mailprogramma_without_a_mail_program_says_so_and_saves_the_draft(
    person: Coordinator, ctx: ServiceContext, tmp_path: Path, runtime: Path
) -> None:
    cid = dossier_in(ctx, State.ADMISSIBLE, handlers()[0].id, 1)
    show_dossier(person, cid)
    dialog = person.step(Action.ACKNOWLEDGE.step.button)
    person.click("De ontvangstmelding maken en versturen…", dialog)
    preview = person.preview()
    # The offscreen platform has no mail program, as a workstation without one.
    person.in_file_dialog("In mailprogramma…", preview, tmp_path / "concept.eml")
    person.qtbot.waitUntil(lambda: (tmp_path / "concept.eml").exists())
    assert "geen mailprogramma" in preview.error.text()
    assert b"X-Unsent: 1" in (tmp_path / "concept.eml").read_bytes()
    assert copies_left(runtime) == []  # only the copy the coordinator saved remains
    assert "Concept bewaard als" in preview.info.text()
    assert "geopend" not in preview.info.text()
    person.click("Sluiten", preview)
    person.click("Annuleren", dialog)
