"""Reminders to the handler sent to a real SMTP server on localhost, on the right days."""

from __future__ import annotations

import email
import io
from datetime import date
from email import policy

from pypdf import PdfReader

from klachtdesk.models import Department, Register, Reminder
from klachtdesk.procedure.reminders import ReminderKind, ReminderSettings
from klachtdesk.services import complaints as svc
from klachtdesk.services.complaint_list import rows
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.correspondence import REPORT, generate
from klachtdesk.services.dossier_detail import complaint_detail
from klachtdesk.services.organisation import HandlerData, save_handler
from klachtdesk.services.reminders import (
    record_reminder_drafted,
    reminder_draft,
    reminders_due,
    send_due_reminders,
    set_reminder_settings,
)
from klachtdesk.services.settings import time_limits

from ..conftest import FakeClock
from ..smtp import Inbox
from .helpers import handler, intake
from .test_mail import set_up, settings_for

DUE = date(2026, 4, 1)  # 30 days after the coordinator's receipt on 2 March


def dossier_with_handler(ctx: ServiceContext, handler_id: int, name: str = "Marie Peeters") -> int:
    cid = svc.register_complaint(ctx, intake(name=name))
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handler_id)
    return cid


def switch_on(ctx: ServiceContext, days_before: int = 5, on_overdue: bool = True) -> None:
    set_reminder_settings(ctx, ReminderSettings(True, days_before, on_overdue))


def go_to(clock: FakeClock, day: date) -> None:
    clock.current = clock.current.replace(year=day.year, month=day.month, day=day.day)


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )


def test_reminders_go_out_on_the_right_days_once_each(
    register: Register, ctx: ServiceContext, clock: FakeClock, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    set_up(ctx)
    handler_id = handler(ctx)
    cid = dossier_with_handler(ctx, handler_id)
    _doc, report = generate(ctx, cid, REPORT)  # as sent in step 8
    switch_on(ctx)
    smtp = settings_for(port)

    def check(day: date) -> list[ReminderKind]:
        go_to(clock, day)
        return [r.kind for r in send_due_reminders(ctx, smtp, ctx.today()).sent]

    assert check(date(2026, 3, 26)) == []  # six days before
    assert inbox.messages == []
    assert check(date(2026, 3, 27)) == [ReminderKind.BEFORE]  # five days before
    assert check(date(2026, 3, 27)) == []  # a second check the same day
    assert check(date(2026, 3, 30)) == []
    assert check(DUE) == []
    assert check(date(2026, 4, 2)) == [ReminderKind.OVERDUE]
    assert check(date(2026, 4, 2)) == []
    assert check(date(2026, 4, 20)) == []
    assert len(inbox.messages) == 2

    envelope, before = inbox.messages[0]
    assert envelope.rcpt_tos == ["inge.claes@gemeente.example"]
    assert "Inge Claes" in before["To"]
    assert before["Subject"] == "Herinnering: rapport klacht 2026-0001 uiterlijk 1 april 2026"
    body = before.get_body(preferencelist=("plain",))
    assert body is not None and "uiterlijk op 1 april 2026" in body.get_content()
    (attachment,) = list(before.iter_attachments())
    assert attachment.get_content() == report  # the report sent in step 8, again
    assert "Marie Peeters" in pdf_text(attachment.get_content())
    _envelope, overdue = inbox.messages[1]
    assert overdue["Subject"] == "Termijn overschreden: rapport klacht 2026-0001"
    overdue_body = overdue.get_body(preferencelist=("plain",))
    assert overdue_body is not None and "Die termijn is verstreken" in overdue_body.get_content()

    kept = {(r.kind, r.sent_on, r.by_mail) for r in Reminder.select()}
    assert kept == {("before", date(2026, 3, 27), True), ("overdue", date(2026, 4, 2), True)}
    timeline = [e.summary for e in complaint_detail(cid, ctx.today()).timeline]
    reminded = [s for s in timeline if s.startswith("Herinnering aan behandelaar verstuurd: ")]
    assert len(reminded) == 2
    assert "herinnering vóór de termijn" in reminded[0] and "termijn overschreden" in reminded[1]
    (row,) = rows([cid], ctx.today(), time_limits())
    assert row.reminded_on == date(2026, 4, 2)


def test_a_later_check_still_sends_the_overdue_reminder_and_skips_the_one_before(
    register: Register, ctx: ServiceContext, clock: FakeClock, smtp_server: tuple[Inbox, int]
) -> None:
    """klachtdesk did not run between the 20th of March and the 10th of April."""
    inbox, port = smtp_server
    set_up(ctx)
    cid = dossier_with_handler(ctx, handler(ctx))
    switch_on(ctx)
    go_to(clock, date(2026, 4, 10))
    outcome = send_due_reminders(ctx, settings_for(port), ctx.today())
    assert [(r.complaint_id, r.kind) for r in outcome.sent] == [(cid, ReminderKind.OVERDUE)]
    assert len(inbox.messages) == 1
    go_to(clock, date(2026, 4, 11))
    assert send_due_reminders(ctx, settings_for(port), ctx.today()).sent == []


def test_the_report_is_made_when_none_was_kept_and_the_head_is_in_copy(
    register: Register, ctx: ServiceContext, clock: FakeClock, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    set_up(ctx)
    handler_id = handler(ctx)
    Department.update(head_name="Jan Wouters", head_email="jan.wouters@gemeente.example").execute()
    cid = dossier_with_handler(ctx, handler_id)
    switch_on(ctx)
    go_to(clock, date(2026, 3, 30))
    assert len(send_due_reminders(ctx, settings_for(port), ctx.today()).sent) == 1
    envelope, message = inbox.messages[0]
    assert "jan.wouters@gemeente.example" in message["Cc"] and "Jan Wouters" in message["Cc"]
    assert set(envelope.rcpt_tos) == {
        "inge.claes@gemeente.example",
        "jan.wouters@gemeente.example",
    }
    (attachment,) = list(message.iter_attachments())
    assert "2026-0001" in pdf_text(attachment.get_content())
    documents = complaint_detail(cid, ctx.today()).documents
    assert [d.title for d in documents] == ["Rapport voor de behandelaar"]  # kept now


def test_a_failing_server_records_nothing_and_the_next_check_tries_again(
    register: Register, ctx: ServiceContext, clock: FakeClock, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    set_up(ctx)
    cid = dossier_with_handler(ctx, handler(ctx))
    switch_on(ctx)
    go_to(clock, date(2026, 4, 2))
    refused = send_due_reminders(ctx, settings_for(port, password="fout"), ctx.today())
    assert refused.sent == [] and len(refused.failed) == 1
    assert "aanmelding" in refused.failed[0][1]
    assert Reminder.select().count() == 0
    timeline = [e.summary for e in complaint_detail(cid, ctx.today()).timeline]
    assert not any(s.startswith("Herinnering") for s in timeline)
    assert inbox.messages == []
    later = send_due_reminders(ctx, settings_for(port), ctx.today())
    assert [r.kind for r in later.sent] == [ReminderKind.OVERDUE]
    assert len(inbox.messages) == 1


def test_nothing_goes_out_when_switched_off_or_not_with_the_handler(
    register: Register, ctx: ServiceContext, clock: FakeClock, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    set_up(ctx)
    handler_id = handler(ctx)
    dossier_with_handler(ctx, handler_id)
    go_to(clock, date(2026, 4, 2))
    assert send_due_reminders(ctx, settings_for(port), ctx.today()).sent == []  # off
    switch_on(ctx, on_overdue=False)
    assert send_due_reminders(ctx, settings_for(port), ctx.today()).sent == []
    assert inbox.messages == []
    stopped = svc.register_complaint(ctx, intake(name="Jo Maes"))
    svc.decide_admissibility(ctx, stopped, [])
    svc.record_acknowledgement(ctx, stopped)
    svc.send_to_handler(ctx, stopped, handler_id)
    svc.withdraw_complaint(ctx, stopped, reason="De burger trekt de klacht in.")
    switch_on(ctx)
    due = reminders_due(ctx.today())
    assert [r.reference for r in due] == ["2026-0001"]


def test_a_handler_without_e_mail_is_listed_as_a_problem_and_the_draft_can_be_recorded(
    register: Register, ctx: ServiceContext, clock: FakeClock, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    set_up(ctx)
    quiet = save_handler(ctx, HandlerData("Piet Janssens", "", "016 21 12 99", None))
    cid = dossier_with_handler(ctx, quiet)
    switch_on(ctx)
    go_to(clock, date(2026, 4, 2))
    outcome = send_due_reminders(ctx, settings_for(port), ctx.today())
    assert outcome.sent == []
    ((due, problem),) = outcome.failed
    assert "Piet Janssens heeft geen e-mailadres" in problem and "bel" in problem
    assert due.problem == problem
    assert inbox.messages == []
    # Once the address is known, the coordinator may send a draft from their mail program.
    save_handler(ctx, HandlerData("Piet Janssens", "piet@gemeente.example", "", None), quiet)
    (due,) = reminders_due(ctx.today())
    draft = email.message_from_bytes(reminder_draft(ctx, due), policy=policy.default)
    assert draft["X-Unsent"] == "1" and "piet@gemeente.example" in draft["To"]
    assert "Termijn overschreden: rapport klacht 2026-0001" in draft["Subject"]
    assert [a.get_content_type() for a in draft.iter_attachments()] == ["application/pdf"]
    assert record_reminder_drafted(ctx, due)
    assert not record_reminder_drafted(ctx, due)  # once per kind
    assert reminders_due(ctx.today()) == []
    (reminder,) = Reminder.select()
    assert (reminder.complaint_id, reminder.by_mail) == (cid, False)
