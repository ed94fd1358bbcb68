"""Reminders to handlers in the window (issue 15): sent from the deadline watch to a real SMTP
server on the right days, the '.eml' fallback in 'Vandaag', the settings, and the list."""

from __future__ import annotations

import email
from collections.abc import Iterator
from datetime import date
from email import policy
from pathlib import Path

import pytest
from PySide6.QtWidgets import QCheckBox, QDialog, QSpinBox

from klachtdesk.models import Register
from klachtdesk.procedure import State
from klachtdesk.procedure.reminders import ReminderSettings
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.mail import SmtpSettings, save_smtp_settings
from klachtdesk.services.organisation import handlers
from klachtdesk.services.reminders import reminder_settings, reminders_due, set_reminder_settings
from klachtdesk.services.viewing_copies import remove_copies
from klachtdesk.ui.complaint_table_model import DAYS_COLUMN, NEXT_LIMIT_COLUMN
from klachtdesk.ui.main_window import MainWindow

from ..conftest import FakeClock
from ..smtp import PASSWORD, USER, Inbox
from .journey import Coordinator
from .test_crawler import dossier_in

DUE = date(2026, 4, 1)  # the handler's limit: 30 days after 2 March


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A runtime folder of the test's own (0700), for the draft's private copy."""
    remove_copies()
    folder = tmp_path / "run"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    yield folder
    remove_copies()


def go_to(clock: FakeClock, day: date) -> None:
    clock.current = clock.current.replace(year=day.year, month=day.month, day=day.day)


def list_texts(window: MainWindow, reference: str) -> tuple[str, str, str]:
    """What the list shows for the dossier: the next limit, the days column, its tooltip."""
    model = window.model
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == reference:
            tip = model.index(row, DAYS_COLUMN).data(3)  # Qt.ToolTipRole
            return (
                model.index(row, NEXT_LIMIT_COLUMN).data(),
                model.index(row, DAYS_COLUMN).data(),
                str(tip),
            )
    raise AssertionError(f"{reference} is not in the list")


def timeline_texts(window: MainWindow) -> list[str]:
    table = window.dossier.timeline
    return [table.item(row, 2).text() for row in range(table.rowCount())]


def test_the_watch_sends_each_reminder_once_on_its_day(
    person: Coordinator,
    ctx: ServiceContext,
    clock: FakeClock,
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_server
    save_smtp_settings(
        ctx, SmtpSettings("127.0.0.1", port, "none", USER, PASSWORD, "klachten@herent.example")
    )
    set_reminder_settings(ctx, ReminderSettings(True, 5, True))
    cid = dossier_in(ctx, State.WITH_HANDLER, handlers()[0].id, 1)
    window = person.window
    assert window is not None
    window.model.reload()
    person.list_row("2026-0001")
    qtbot = person.qtbot

    def watch_on(day: date) -> None:
        """The watch's check on ``day`` (as its timer runs it), and its sending done."""
        go_to(clock, day)
        window.watch.check()
        qtbot.waitUntil(lambda: not window.reminders.sending)

    watch_on(date(2026, 3, 26))
    assert inbox.messages == []
    watch_on(date(2026, 3, 27))
    qtbot.waitUntil(lambda: len(inbox.messages) == 1)
    assert "1 herinnering aan behandelaars verstuurd" in window.statusBar().currentMessage()
    watch_on(date(2026, 3, 27))
    watch_on(date(2026, 3, 31))
    watch_on(DUE)
    assert len(inbox.messages) == 1
    watch_on(date(2026, 4, 2))
    qtbot.waitUntil(lambda: len(inbox.messages) == 2)
    subjects = [str(message["Subject"]) for _envelope, message in inbox.messages]
    assert subjects == [
        "Herinnering: rapport klacht 2026-0001 uiterlijk 1 april 2026",
        "Termijn overschreden: rapport klacht 2026-0001",
    ]
    assert all(env.rcpt_tos == ["inge.claes@herent.example"] for env, _m in inbox.messages)
    # The dossier on screen and the list say so.
    qtbot.waitUntil(lambda: any("termijn overschreden" in t for t in timeline_texts(window)))
    reminded = [t for t in timeline_texts(window) if t.startswith("Herinnering aan behandelaar")]
    assert len(reminded) == 2 and "termijn overschreden" in reminded[1]
    limit, days, tip = list_texts(window, "2026-0001")
    assert limit.startswith("✖ rapport behandelaar – 01/04/2026")
    assert days == "herinnerd op 02/04"
    assert "herinnerd op 02/04/2026" in tip and "1 dag te laat" in tip
    watch_on(date(2026, 4, 3))
    assert len(inbox.messages) == 2
    shown = window.dossier.detail
    assert shown is not None and shown.id == cid


def test_without_a_mail_server_vandaag_makes_the_draft_and_records_it(
    person: Coordinator,
    ctx: ServiceContext,
    clock: FakeClock,
    tmp_path: Path,
    runtime: Path,
) -> None:
    set_reminder_settings(ctx, ReminderSettings(True, 5, True))
    dossier_in(ctx, State.WITH_HANDLER, handlers()[0].id, 1)
    go_to(clock, date(2026, 4, 3))
    window = person.window
    assert window is not None
    window.model.reload()
    person.click("Vandaag…", window)
    person.qtbot.waitUntil(lambda: isinstance(window.current_dialog, QDialog))
    today = window.current_dialog
    assert today is not None
    person.qtbot.waitUntil(today.isVisible)
    assert person.sees("geen mailserver ingesteld", today)
    assert person.sees(
        "2026-0001: termijn overschreden, uiterlijk 01/04/2026, aan Inge Claes", today
    )
    target = tmp_path / "herinnering.eml"
    # The offscreen platform has no mail program, as a workstation without one.
    person.in_file_dialog("Concept 2026-0001…", today, target)
    person.qtbot.waitUntil(target.exists)
    draft = email.message_from_bytes(target.read_bytes(), policy=policy.default)
    assert draft["X-Unsent"] == "1"
    assert "inge.claes@herent.example" in draft["To"]
    assert "Termijn overschreden: rapport klacht 2026-0001" in draft["Subject"]
    assert [part.get_filename() for part in draft.iter_attachments()] == [
        "rapport-voor-de-behandelaar-2026-0001.pdf"
    ]
    assert person.sees("Concept bewaard als", today)
    # Saved: the red "no mail program" explanation given before the file dialog goes.
    assert not person.sees("Er is geen mailprogramma ingesteld", today)
    assert not person.button("2026-0001: genoteerd", today).isEnabled()
    assert reminders_due(ctx.today()) == []  # recorded: not due again
    assert list_texts(window, "2026-0001")[1] == "herinnerd op 03/04"
    person.click("Sluiten", today)
    # The next time, nothing is listed any more.
    person.click("Vandaag…", window)
    again = window.current_dialog
    assert again is not None and again is not today
    person.qtbot.waitUntil(again.isVisible)
    assert not person.sees("Herinneringen", again) and not person.sees("Concept", again)
    person.click("Sluiten", again)


def test_a_handler_without_e_mail_is_listed_with_what_to_do(
    person: Coordinator, ctx: ServiceContext, clock: FakeClock, smtp_server: tuple[Inbox, int]
) -> None:
    from klachtdesk.services.organisation import HandlerData, save_handler

    _inbox, port = smtp_server
    save_smtp_settings(
        ctx, SmtpSettings("127.0.0.1", port, "none", USER, PASSWORD, "klachten@herent.example")
    )
    set_reminder_settings(ctx, ReminderSettings(True, 5, True))
    quiet = save_handler(ctx, HandlerData("Piet Janssens", "", "016 21 12 99", None))
    dossier_in(ctx, State.WITH_HANDLER, quiet, 1)
    go_to(clock, date(2026, 4, 2))
    window = person.window
    assert window is not None
    person.click("Vandaag…", window)
    person.qtbot.waitUntil(lambda: isinstance(window.current_dialog, QDialog))
    today = window.current_dialog
    assert today is not None
    person.qtbot.waitUntil(today.isVisible)
    assert person.sees("Piet Janssens heeft geen e-mailadres: druk het rapport af", today)
    assert not person.sees("geen mailserver", today)
    person.click("Sluiten", today)


def test_the_reminders_are_set_on_the_termijnen_tab(
    person: Coordinator, ctx: ServiceContext, clock: FakeClock
) -> None:
    assert reminder_settings() == ReminderSettings(False, 5, True)  # off until switched on
    dossier_in(ctx, State.WITH_HANDLER, handlers()[0].id, 1)
    go_to(clock, date(2026, 3, 28))  # four days before the handler's limit
    window = person.window
    assert window is not None
    person.menu("Bewerken", "Instellingen…", window=window)
    person.qtbot.waitUntil(lambda: isinstance(window.current_dialog, QDialog))
    dialog = window.current_dialog
    assert dialog is not None
    person.qtbot.waitUntil(dialog.isVisible)
    person.tab("Termijnen", dialog)
    days = person.field("Herinnering vooraf", QSpinBox, dialog)
    assert not days.isEnabled()
    person.toggle("Herinneringen per e-mail sturen", dialog)
    assert days.isEnabled()
    assert person.sees("Vandaag zou 1 herinnering vertrekken.", dialog)
    person.activate(dialog)
    assert not days.hasFocus()
    person.alt("v")  # the label's mnemonic leads to the field
    assert days.hasFocus()
    days.selectAll()
    person.type("3")
    assert person.sees("Vandaag zou er geen herinnering vertrekken.", dialog)
    overdue = person.button("Ook op de dag dat de termijn overschreden is", dialog)
    assert isinstance(overdue, QCheckBox) and overdue.isChecked()
    person.toggle("Ook op de dag dat de termijn overschreden is", dialog)
    person.click("Opslaan", dialog)
    person.qtbot.waitUntil(lambda: not dialog.isVisible())
    assert reminder_settings() == ReminderSettings(True, 3, False)


def test_reminders_never_go_out_while_off(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    dossier_in(ctx, State.WITH_HANDLER, handlers()[0].id, 1)
    go_to(clock, date(2026, 4, 2))
    assert reminders_due(ctx.today()) == []
    set_reminder_settings(ctx, ReminderSettings(True, 5, True))
    assert len(reminders_due(ctx.today())) == 1


def test_many_reminders_go_out_in_rounds_without_waiting_for_the_next_check(
    person: Coordinator, ctx: ServiceContext, clock: FakeClock, smtp_server: tuple[Inbox, int]
) -> None:
    from klachtdesk.ui.reminder_sender import PER_ROUND

    inbox, port = smtp_server
    save_smtp_settings(
        ctx, SmtpSettings("127.0.0.1", port, "none", USER, PASSWORD, "klachten@herent.example")
    )
    count = PER_ROUND + 3
    for n in range(count):
        dossier_in(ctx, State.WITH_HANDLER, handlers()[0].id, n)
    set_reminder_settings(ctx, ReminderSettings(True, 5, True))  # switched on with many late
    go_to(clock, date(2026, 4, 2))
    window = person.window
    assert window is not None
    window.watch.check()
    person.qtbot.waitUntil(lambda: len(inbox.messages) == count, timeout=15_000)
    person.qtbot.waitUntil(lambda: not window.reminders.sending)
    assert reminders_due(ctx.today()) == []
    window.watch.check()
    assert not window.reminders.sending and len(inbox.messages) == count
