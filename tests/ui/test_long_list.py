"""A list longer than a screen: its first rows are painted first and the rest read right
after, so the count, the scroll bar and Ctrl+End are those of the whole list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from klachtdesk.models import Complaint, Register
from klachtdesk.procedure import TimeLimits
from klachtdesk.services.complaint_list import ListFilter, SortKey, ordered_ids
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.demo import fill_with_demo
from klachtdesk.ui.complaint_table_model import FIRST_ROWS
from klachtdesk.ui.idle_lock import IdleLock
from klachtdesk.ui.main_window import MainWindow

from .journey import Coordinator

COUNT = 3 * FIRST_ROWS


def long_list_window(
    qtbot: QtBot, ctx: ServiceContext, settings: QSettings, seed: int, lock: IdleLock | None = None
) -> tuple[MainWindow, Coordinator]:
    """The window on COUNT demo dossiers (with an idle ``lock``), shown, its list whole."""
    fill_with_demo(ctx, COUNT, seed=seed)
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.idle_lock = lock
    window.show()
    person = Coordinator(qtbot, Path())
    person.window = window
    person.activate(window)
    qtbot.waitUntil(lambda: window.count_label.text() == f"{COUNT} klachten")
    return window, person


def test_a_long_list_counts_scrolls_and_searches_as_a_whole(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    window, person = long_list_window(qtbot, ctx, settings, seed=11)
    today = ctx.today()

    # Ctrl+End in the list: the very last dossier of the whole list, not of its first rows.
    everything = ordered_ids(ListFilter(), SortKey.RECEIVED, True, today, TimeLimits())
    person.list_row(Complaint.get_by_id(everything[0]).reference)
    person.press(Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.selected_id() == everything[-1])
    last = Complaint.get_by_id(everything[-1]).reference
    qtbot.waitUntil(lambda: person.dossier_reference() == last)

    # A broad search: the count is that of every hit once the rest is read.
    hits = ordered_ids(ListFilter(text="de"), SortKey.RECEIVED, True, today, TimeLimits())
    assert len(hits) > FIRST_ROWS
    search = person.field_with_placeholder("Zoeken (Ctrl+F)")
    person.focus(search)
    QTest.keyClicks(search, "de")
    qtbot.waitUntil(lambda: window.count_label.text() == f"{len(hits)} klachten")
    assert [window.model.complaint_id(r) for r in range(window.model.rowCount())] == hits


def test_a_list_whose_rest_is_due_while_locked_is_read_at_the_unlock(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    """The window sits hidden (in the tray), so the list is not painted and its rest waits
    for REST_AFTER_MS; the idle lock comes first. Reading then would meet a register without
    its key: the rest is read once the coordinator has unlocked."""
    from klachtdesk.ui.main_window import REST_AFTER_MS

    from .conftest import PASSPHRASE

    window, person = long_list_window(qtbot, ctx, settings, seed=12)
    window.hide()
    lock = IdleLock(register, minutes=REST_AFTER_MS / 2 / 60_000)
    window.idle_lock = lock
    window.model.reload()  # the register changed (e.g. a watch check): asked anew, unpainted
    assert not window.model.complete
    with qtbot.waitSignal(lock.locked, timeout=3000):
        pass
    QTest.qWait(2 * REST_AFTER_MS)  # the rest's moment has passed: nothing read, no error
    assert register.locked and not window.model.complete
    dialog = lock.dialog
    assert dialog is not None
    person.activate(dialog)
    person.type_into("Wachtwoord", PASSPHRASE, dialog)
    with qtbot.waitSignal(lock.unlocked):
        person.click("Openen", dialog)
    lock.set_minutes(60)  # not locking again later, in the next test (any input restarts it)
    lock.timer.stop()
    qtbot.waitUntil(lambda: window.model.complete)
    assert window.model.rowCount() == COUNT
    assert window.count_label.text() == f"{COUNT} klachten"


def test_a_search_typed_just_before_locking_follows_at_the_unlock(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    """The coordinator types a search and locks (Beeld → Vergrendelen) before the search's
    short wait is over. The search then meets a register without its key: no 'register
    damaged' message, and after the unlock the list and its count are the search's."""
    from klachtdesk.ui.main_window import SEARCH_DELAY_MS

    from .conftest import PASSPHRASE

    lock = IdleLock(register, minutes=60)
    window, person = long_list_window(qtbot, ctx, settings, seed=13, lock=lock)
    hits = ordered_ids(ListFilter(text="de"), SortKey.RECEIVED, True, ctx.today(), TimeLimits())
    assert FIRST_ROWS < len(hits) < COUNT

    search = person.field_with_placeholder("Zoeken (Ctrl+F)")
    person.focus(search)
    QTest.keyClicks(search, "de")
    with qtbot.waitSignal(lock.locked, timeout=1000):
        person.menu("Beeld", "Vergrendelen")
    QTest.qWait(3 * SEARCH_DELAY_MS)  # the search's moment has passed while locked
    assert register.locked
    dialog = lock.dialog
    assert dialog is not None and dialog.isVisible()
    person.activate(dialog)
    person.type_into("Wachtwoord", PASSPHRASE, dialog)
    with qtbot.waitSignal(lock.unlocked):
        person.click("Openen", dialog)
    lock.timer.stop()
    qtbot.waitUntil(lambda: window.count_label.text() == f"{len(hits)} klachten")
    assert [window.model.complaint_id(r) for r in range(window.model.rowCount())] == hits


def test_a_dossier_stays_selected_when_the_list_is_sorted_on_another_column(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    """The coordinator picks a dossier and clicks the 'Klager' header: the dossier stays
    selected (wherever the new order puts it in the long list) and shown, so a later search
    that leaves it out also clears its view."""
    window, person = long_list_window(qtbot, ctx, settings, seed=14)
    today = ctx.today()
    by_name = ordered_ids(ListFilter(), SortKey.COMPLAINANT, False, today, TimeLimits())
    chosen = by_name[-FIRST_ROWS // 2]  # past the first rows once sorted by name
    reference = Complaint.get_by_id(chosen).reference
    person.list_row(reference)
    qtbot.waitUntil(lambda: window.selected_id() == chosen)

    person.list_header("Klager")
    qtbot.waitUntil(lambda: window.model.complete)
    assert window.model.sort_order == (SortKey.COMPLAINANT, False)
    assert window.selected_id() == chosen
    assert person.dossier_reference() == reference
    row = window.model.row_of(chosen)
    assert row is not None and row >= FIRST_ROWS
    assert window.table.visualRect(window.model.index(row, 0)).intersects(
        window.table.viewport().rect()
    )

    # A search without it: its view goes, as for any dossier that leaves the list.
    search = person.field_with_placeholder("Zoeken (Ctrl+F)")
    person.focus(search)
    QTest.keyClicks(search, "geen-enkel-dossier-heet-zo")
    qtbot.waitUntil(lambda: window.count_label.text() == "0 klachten")
    qtbot.waitUntil(lambda: window.dossier.detail is None)
