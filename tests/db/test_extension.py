"""Extending a dossier's closing limit once (issue 15, section 4), on a real register."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from klachtdesk.models import AuditEvent, Complaint, Document, Register
from klachtdesk.procedure import (
    Channel,
    ForbiddenMove,
    InvalidInput,
    LimitKind,
    LimitStatus,
    Outcome,
    UserError,
)
from klachtdesk.procedure.periods import Period, Selection
from klachtdesk.services import complaints as svc
from klachtdesk.services.check import check_register
from klachtdesk.services.complaint_list import ListFilter, SortKey, ordered_ids, rows
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.correspondence import (
    EXTENSION,
    KIND_TITLES,
    close_with_report,
    generate,
    save_letter_text,
)
from klachtdesk.services.dossier_detail import complaint_detail
from klachtdesk.services.erasure import anonymise_complaint
from klachtdesk.services.extension import (
    ExtensionRule,
    extend_closing_limit,
    extension_offered,
    extension_rule,
    set_extension_rule,
)
from klachtdesk.services.figures import figures, selection_ids
from klachtdesk.services.mail import SmtpSettings, send
from klachtdesk.services.outgoing import document_email
from klachtdesk.services.report import period_report
from klachtdesk.services.settings import time_limits
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup
from klachtdesk.services.watch import current_alerts

from ..conftest import FakeClock
from ..smtp import PASSWORD, USER, Inbox
from .helpers import handler, intake, row

RECEIVED = date(2026, 3, 2)


def day(n: int) -> date:
    return RECEIVED + timedelta(days=n)


def set_up(ctx: ServiceContext, *, allowed: bool = True) -> None:
    initial_setup(
        ctx,
        Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
        Coordinator("Ann Peeters", phone="016 85 30 00", email="klachten@herent.example"),
        [],
        [],
    )
    if allowed:
        set_extension_rule(ctx, ExtensionRule(True, 45))


def with_handler(ctx: ServiceContext, handler_id: int, **changes: object) -> int:
    cid = svc.register_complaint(ctx, intake(**changes))
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handler_id)
    return cid


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_setting_is_off_by_default_and_refuses_in_dutch(
    register: Register, ctx: ServiceContext
) -> None:
    set_up(ctx, allowed=False)
    assert extension_rule() == ExtensionRule(False, 45)
    cid = with_handler(ctx, handler(ctx))
    with pytest.raises(UserError, match="Termijnen verlengen staat uit"):
        extend_closing_limit(ctx, cid, "Advies van de jurist nodig.")
    assert not extension_offered(complaint_detail(cid, ctx.today()).dossier, ctx.today())
    with pytest.raises(InvalidInput, match="tussen 1 en 365"):
        set_extension_rule(ctx, ExtensionRule(True, 0))
    set_extension_rule(ctx, ExtensionRule(True, 30))
    assert extension_rule() == ExtensionRule(True, 30)
    assert extension_offered(complaint_detail(cid, ctx.today()).dossier, ctx.today())


def test_extension_is_stored_audited_and_moves_the_next_due_date(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    set_up(ctx)
    cid = with_handler(ctx, handler(ctx))
    assert row(cid).next_due_on == day(30)  # the handler's limit comes first
    clock.advance(20)
    dossier = extend_closing_limit(ctx, cid, "  Wij wachten op het advies van de jurist.  ")
    stored = row(cid)
    assert (stored.extension_days, stored.extended_on) == (45, day(20))
    assert stored.extension_motivation == "Wij wachten op het advies van de jurist."
    assert dossier.extended
    detail = complaint_detail(cid, ctx.today())
    (closing,) = [d for d in detail.deadlines if d.kind is LimitKind.CLOSING]
    assert closing.due_on == day(90) and closing.extended
    assert closing.label.endswith("(verlengd)")
    assert detail.timeline[-1].summary == (
        "Termijn verlengd tot 31/05/2026: Wij wachten op het advies van de jurist."
    )
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert event.action == "extension" and event.complaint_id == cid
    # Once the handler's report is back, the extended closing date is the next one.
    svc.record_assessment(ctx, cid, Outcome.UNFOUNDED)
    svc.record_returned(ctx, cid, report_text="Rapport.", reply_text="Geachte, ...")
    assert row(cid).next_due_on == day(90)
    # Only once; the refusal is Dutch.
    with pytest.raises(ForbiddenMove, match="termijn verlengen"):
        extend_closing_limit(ctx, cid, "Nog eens.")
    # The tampering check replays the extension from its event.
    assert check_register().ok


def test_refusals_write_nothing(register: Register, ctx: ServiceContext, clock: FakeClock) -> None:
    set_up(ctx)
    cid = with_handler(ctx, handler(ctx))
    events = AuditEvent.select().count()
    with pytest.raises(InvalidInput, match="Motiveer"):
        extend_closing_limit(ctx, cid, "   ")
    clock.advance(46)
    with pytest.raises(InvalidInput, match="liep af op 16/04/2026"):
        extend_closing_limit(ctx, cid, "Te laat.")
    assert row(cid).extension_days == 0 and AuditEvent.select().count() == events


def test_watch_and_list_use_the_extended_date(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    set_up(ctx)
    hid = handler(ctx)
    extended = with_handler(ctx, hid)
    plain = with_handler(ctx, hid, name="Jan Janssens")
    for cid in (extended, plain):
        svc.record_assessment(ctx, cid, Outcome.UNFOUNDED)
        svc.record_returned(ctx, cid, report_text="Rapport.", reply_text="Geachte, ...")
    clock.advance(30)
    extend_closing_limit(ctx, extended, "Bijkomend advies nodig.")

    def closing_alerts(today: date) -> dict[int, tuple[date, bool]]:
        return {
            a.complaint_id: (a.due_on, a.extended)
            for a in current_alerts(today)
            if a.kind is LimitKind.CLOSING
        }

    # On day 44 only the dossier that was not extended is due soon.
    assert closing_alerts(day(44)) == {plain: (day(45), False)}
    # On day 50 it is overdue; the extended one is not.
    assert closing_alerts(day(50)) == {plain: (day(45), False)}
    assert closing_alerts(day(89)) == {extended: (day(90), True), plain: (day(45), False)}

    ids = ordered_ids(ListFilter(), SortKey.NEXT_DUE, False, day(89), time_limits())
    by_id = {r.id: r for r in rows(ids, day(89), time_limits())}
    nxt = by_id[extended].next_deadline
    assert nxt is not None and nxt.due_on == day(90) and nxt.short_label == "afsluiten (verlengd)"
    assert nxt.status is LimitStatus.DUE_SOON
    assert by_id[plain].next_deadline is not None
    assert by_id[plain].next_deadline.short_label == "afsluiten"
    # Sorted by the next limit, the extended dossier comes after the overdue one.
    assert ids.index(plain) < ids.index(extended)


def test_figures_count_closing_on_day_60_of_an_extended_limit_as_in_time(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    set_up(ctx)
    hid = handler(ctx)
    extended = with_handler(ctx, hid)
    plain = with_handler(ctx, hid, name="Jan Janssens")
    running = with_handler(ctx, hid, name="Els Wouters")
    clock.advance(30)
    extend_closing_limit(ctx, extended, "Bijkomend advies nodig.")
    extend_closing_limit(ctx, running, "Bijkomend advies nodig.")
    for cid in (extended, plain):
        svc.record_assessment(ctx, cid, Outcome.UNFOUNDED)
        svc.record_returned(ctx, cid, report_text="Rapport.", reply_text="Geachte, ...")
        svc.review_neutrality(ctx, cid, True)
    clock.advance(29)
    for cid in (extended, plain):
        svc.record_reply_sent(ctx, cid)
        close_with_report(ctx, cid)  # day 59
    assert row(extended).closed_on == day(59)
    clock.advance(1)  # day 60: the extended dossier still running is not overdue
    period = Period.year(2026)
    found = figures(period, day(60))
    closing = found.limits[LimitKind.CLOSING]
    assert closing[LimitStatus.MET].count == 1
    assert closing[LimitStatus.MET_LATE].count == 1
    assert closing[LimitStatus.OPEN].count == 1
    assert closing[LimitStatus.OVERDUE].count == 0
    # The lists behind the numbers agree.
    met = Selection(period, closing[LimitStatus.MET].criteria)
    assert selection_ids(met, day(60)) == [extended]
    late = Selection(period, closing[LimitStatus.MET_LATE].criteria)
    assert selection_ids(late, day(60)) == [plain]
    # On day 91 the extended dossier that is still open is overdue.
    overdue = figures(period, day(91)).limits[LimitKind.CLOSING][LimitStatus.OVERDUE]
    assert overdue.count == 1
    assert selection_ids(Selection(period, overdue.criteria), day(91)) == [running]
    # The yearly figures say how many were extended, and which.
    assert found.extended.count == 2
    assert selection_ids(Selection(period, found.extended.criteria), day(60)) == [
        extended,
        running,
    ]
    tables = {t.key: t for t in period_report(period, day(60)).tables}
    assert ("Afsluittermijn verlengd", 2) in tables["summary"].rows
    assert tables["limit_closing"].title == (
        "Antwoord en afsluiting (termijn: 45 dagen; 2 dossiers verlengd)"
    )


def test_notice_letter_shows_the_motivation_and_both_dates(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    set_up(ctx)
    cid = with_handler(ctx, handler(ctx))
    with pytest.raises(UserError, match="niet verlengd"):
        generate(ctx, cid, EXTENSION)
    clock.advance(20)
    extend_closing_limit(ctx, cid, "Wij wachten op het advies van de brandweer.")
    document_id, pdf = generate(ctx, cid, EXTENSION)
    text = pdf_text(pdf)
    assert "16 april 2026" in text  # received 2 March + 45 days
    assert "31 mei 2026" in text  # + 45 days' extension
    assert "Wij wachten op het advies van de brandweer." in text
    assert "Marie Peeters" in text and "Kerkstraat 12" in text
    assert "verlenging van de termijn" in text
    stored = Document.get_by_id(document_id)
    assert stored.kind == EXTENSION and stored.title == KIND_TITLES[EXTENSION]
    assert bytes(stored.content) == pdf
    assert complaint_detail(cid, ctx.today()).documents[-1].title == "Kennisgeving verlenging"
    # The standard texts are the coordinator's to change, as for every letter.
    save_letter_text(
        ctx, "verlenging_termijn", "Ons antwoord volgt ten laatste op {antwoord_uiterlijk}."
    )
    assert "Ons antwoord volgt ten laatste op 31 mei 2026." in pdf_text(
        generate(ctx, cid, EXTENSION)[1]
    )


def test_notice_by_email_reaches_a_real_server(
    register: Register, ctx: ServiceContext, clock: FakeClock, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    set_up(ctx)
    cid = with_handler(ctx, handler(ctx), channel=Channel.EMAIL, email="marie@example.be")
    clock.advance(10)
    extend_closing_limit(ctx, cid, "Wij wachten op het advies van de brandweer.")
    _document_id, pdf = generate(ctx, cid, EXTENSION)
    message = document_email(ctx, cid, EXTENSION, pdf, "kennisgeving-verlenging-2026-0001.pdf")
    send(
        SmtpSettings("127.0.0.1", port, "none", USER, PASSWORD, "klachten@herent.example"), message
    )
    (envelope, received), *_ = inbox.messages
    assert envelope.rcpt_tos == ["marie@example.be"]
    assert received["Subject"] == "Kennisgeving verlenging – uw kenmerk 2026-0001"
    body = received.get_body(preferencelist=("plain",))
    assert body is not None and "wordt verlengd" in body.get_content()
    (attachment,) = list(received.iter_attachments())
    assert attachment.get_content() == pdf
    text = pdf_text(attachment.get_content())
    assert "16 april 2026" in text and "31 mei 2026" in text


def test_anonymising_clears_the_motivation(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    set_up(ctx)
    cid = with_handler(ctx, handler(ctx))
    clock.advance(10)
    extend_closing_limit(ctx, cid, "Mevrouw Peeters is op reis tot eind april.")
    svc.record_assessment(ctx, cid, Outcome.UNFOUNDED)
    svc.record_returned(ctx, cid, report_text="Rapport.", reply_text="Geachte, ...")
    svc.review_neutrality(ctx, cid, True)
    svc.record_reply_sent(ctx, cid)
    close_with_report(ctx, cid)
    anonymise_complaint(ctx, cid)
    stored = Complaint.get_by_id(cid)
    assert stored.extension_motivation == ""
    # The figures keep what they need: the extension itself.
    assert (stored.extension_days, stored.extended_on) == (45, day(10))
    assert not any("reis" in e.summary for e in complaint_detail(cid, ctx.today()).timeline)
    assert check_register().ok


def test_the_tampering_check_replays_the_extension(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    import json

    from .test_tampering import Event, as_attacker, problems, rewrite_trail

    set_up(ctx)
    cid = with_handler(ctx, handler(ctx))
    clock.advance(20)
    extend_closing_limit(ctx, cid, "Advies nodig.")
    assert check_register().ok
    # A second extension forged into the table and the trail (with its hash): the procedure
    # allows only one, and the replay says so.
    as_attacker(
        f"UPDATE complaint SET extension_days = 90, extended_on = '2026-03-25' WHERE id = {cid}"
    )

    def forge(events: list[Event]) -> list[Event]:
        return [
            *events,
            {
                "at": "2026-03-25 10:00:00",
                "actor": "coördinator",
                "action": "extension",
                "complaint_id": cid,
                "summary": "Termijn verlengd tot 30/06/2026: nog eens",
                "before": json.dumps({"extension_days": 45, "extended_on": "2026-03-22"}),
                "after": json.dumps({"extension_days": 90, "extended_on": "2026-03-25"}),
            },
        ]

    rewrite_trail(forge)
    found = problems()
    assert "de stap ‘termijn verlengen’ van 25/03/2026 kon volgens de procedure niet" in found


def test_an_extension_changed_in_the_table_is_caught(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    from .test_tampering import as_attacker, problems

    set_up(ctx)
    cid = with_handler(ctx, handler(ctx))
    clock.advance(20)
    extend_closing_limit(ctx, cid, "Advies nodig.")
    as_attacker(f"UPDATE complaint SET extension_days = 120 WHERE id = {cid}")
    assert (
        "de verlenging van de termijn voor het afsluiten is ‘120’ in het register maar ‘45’ "
        "volgens het logboek"
    ) in problems()
