"""Issue 11, section 3: retention, anonymisation, deleting a mistaken dossier, and the audit
trail that makes erasure possible without losing its proof."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from peewee import IntegrityError

from klachtdesk.models import (
    AuditContent,
    AuditEvent,
    Complaint,
    Document,
    PersonKey,
    ReferenceCounter,
    Register,
    database,
)
from klachtdesk.procedure import Channel, Ground, InvalidInput, UserError
from klachtdesk.procedure.periods import Period
from klachtdesk.services import complaints as svc
from klachtdesk.services.audit import verify_audit_chain
from klachtdesk.services.check import check_register
from klachtdesk.services.complaint_list import ListFilter, SortKey, ordered_ids
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.documents import Attachment
from klachtdesk.services.dossier_detail import complaint_detail
from klachtdesk.services.drafts import load_draft, save_draft
from klachtdesk.services.erasure import anonymise_complaint, anonymise_complaints, delete_complaint
from klachtdesk.services.figures import figures
from klachtdesk.services.report import period_report
from klachtdesk.services.retention import (
    mark_retention_reminded,
    past_retention,
    retention_reminder,
    retention_years,
    set_retention_years,
)
from klachtdesk.services.settings import time_limits

from ..conftest import FakeClock
from .helpers import handler, intake, walk_to_returned
from .raw_pages import decrypted_pages

MARIE = intake(
    channel=Channel.EMAIL,
    name="Marie Peeters",
    street="Kerkstraat 12",
    email="marie.peeters@voorbeeld.be",
    phone="0478 12 34 56",
    description="De container werd drie weken niet geledigd, zegt mevrouw Zwartbroek.",
    person_concerned="Ambtenaar Vermeulenhof",
)
JAN = intake(
    name="Jan Janssens",
    street="Molenweg 3",
    phone="0499 88 77 66",
    description="Het voetpad aan de Molenweg is beschadigd.",
)


def found(text: str, today: date) -> list[int]:
    """What the list's search finds."""
    return ordered_ids(ListFilter(text=text), SortKey.REFERENCE, False, today, time_limits())


def close(ctx: ServiceContext, complaint_id: int, handler_id: int) -> None:
    walk_to_returned(ctx, complaint_id, handler_id)
    svc.review_neutrality(ctx, complaint_id, True)
    svc.record_reply_sent(ctx, complaint_id)
    svc.close_complaint(ctx, complaint_id)


def traces_of_marie(register: Register) -> set[str]:
    """Which of Marie's data can be read anywhere in the decrypted register file or its WAL."""
    content = b"\n".join(decrypted_pages(register.path, register.sqlcipher_key)).lower()
    needles = {
        "name": b"peeters",
        "street": b"kerkstraat",
        "e-mail": b"marie.peeters@voorbeeld",
        "phone": b"478123456",
        "phone as typed": b"12 34 56",
        "description": b"drie weken niet geledigd",
        "a word of the description": b"zwartbroek",
        "person concerned": b"vermeulenhof",
        "document": b"brief van marie",
    }
    spaced = re.sub(rb"[ .]", b"", content)  # the phone number, however it was stored
    found = {what for what, needle in needles.items() if needle in content}
    if b"478123456" in spaced:
        found.add("phone")
    return found


@pytest.fixture
def closed_marie(register: Register, ctx: ServiceContext, clock: FakeClock) -> tuple[int, int]:
    handler_id = handler(ctx)
    marie = svc.register_complaint(
        ctx, MARIE, [Attachment("brief.txt", "text/plain", b"Brief van Marie Peeters")]
    )
    jan = svc.register_complaint(ctx, JAN)
    close(ctx, marie, handler_id)
    svc.decide_admissibility(ctx, jan, [Ground.NOT_A_COMPLAINT], "Feiten van 2024.")
    return marie, jan


def test_anonymising_leaves_no_trace_of_the_person_in_the_file(
    register: Register, ctx: ServiceContext, clock: FakeClock, closed_marie: tuple[int, int]
) -> None:
    marie, jan = closed_marie
    save_draft({"name": "Marie Peeters", "description": "nog een klacht"})
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    # The decryption reads the data: everything is there before.
    assert traces_of_marie(register) == {
        "name", "street", "e-mail", "phone", "phone as typed", "description",
        "a word of the description", "person concerned", "document",
    }  # fmt: skip
    figures_before = figures(Period.year(2026), date(2026, 12, 31))
    report_before = period_report(Period.year(2026), date(2026, 12, 31))
    events_before = AuditEvent.select().count()
    clock.advance(days=5 * 366)

    anonymise_complaint(ctx, marie)

    assert traces_of_marie(register) == set()
    assert (
        database.execute_sql(
            "SELECT rowid FROM complaint_fts WHERE complaint_fts MATCH 'peeters OR kerkstraat "
            "OR zwartbroek OR geledigd'"
        ).fetchall()
        == []
    )
    assert found("Peeters", clock().date()) == []
    assert found("Janssens", clock().date()) == [jan]  # the others are untouched
    assert load_draft() is None
    row = Complaint.get_by_id(marie)
    assert (row.name, row.email, row.phone, row.description, row.reply_text) == ("",) * 5
    assert row.channel == Channel.EMAIL and row.closed_on is not None
    assert Document.select().where(Document.complaint == marie).count() == 0
    assert PersonKey.select().where(PersonKey.complaint == marie).count() == 0
    assert PersonKey.select().where(PersonKey.complaint == jan).count() > 0
    # The anonymisation is an event; the chain and every check still pass.
    last = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert last.action == "anonymise" and last.complaint_id == marie
    assert "geanonimiseerd" in last.summary
    assert AuditEvent.select().count() == events_before + 1
    assert verify_audit_chain().ok
    report = check_register()
    assert report.ok, report.problems
    # The yearly figures of 2026 are exactly the same.
    assert figures(Period.year(2026), date(2026, 12, 31)) == figures_before
    assert period_report(Period.year(2026), date(2026, 12, 31)) == report_before
    assert figures_before.received.count == 2
    channels = {str(c): n.count for c, n in figures_before.channels.items() if n.count}
    assert channels == {"email": 1, "phone": 1}
    grounds = {str(g): n.count for g, n in figures_before.grounds.items() if n.count}
    assert grounds == {str(Ground.NOT_A_COMPLAINT): 1}
    # The timeline keeps the steps' dates, without their content.
    timeline = complaint_detail(marie, clock().date()).timeline
    assert timeline[-1].summary.startswith("Dossier 2026-0001 geanonimiseerd")
    assert all("Peeters" not in entry.summary for entry in timeline)
    # Each erased event still names its step; nothing is left to do on the dossier.
    assert timeline[0].summary == "Klacht registreren (inhoud gewist bij anonimisering)"
    assert complaint_detail(marie, clock().date()).actions == []
    with pytest.raises(UserError, match="al geanonimiseerd"):
        anonymise_complaint(ctx, marie)


def test_only_closed_dossiers_are_anonymised(
    register: Register, ctx: ServiceContext, closed_marie: tuple[int, int]
) -> None:
    marie, jan = closed_marie
    events = AuditEvent.select().count()
    with pytest.raises(UserError, match="nog niet afgesloten"):
        anonymise_complaints(ctx, [marie, jan])
    # One transaction: Marie was not anonymised either.
    assert Complaint.get_by_id(marie).name == "Marie Peeters"
    assert AuditEvent.select().count() == events


def test_erasure_is_refused_for_a_dossier_that_was_not_erased(
    register: Register, ctx: ServiceContext, closed_marie: tuple[int, int]
) -> None:
    marie, jan = closed_marie
    anonymise_complaint(ctx, marie)
    jan_events = AuditEvent.select(AuditEvent.id).where(AuditEvent.complaint_id == jan)
    with pytest.raises(IntegrityError, match="erased dossier"):
        AuditContent.delete().where(AuditContent.event.in_(jan_events)).execute()
    anonymisation = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    # Nor the anonymisation event's own content.
    with pytest.raises(IntegrityError, match="erased dossier"):
        AuditContent.delete().where(AuditContent.event == anonymisation.id).execute()
    with pytest.raises(IntegrityError, match="permanent"):
        database.execute_sql("DELETE FROM erasure")


def _drop_guards() -> None:
    for trigger in (
        "audit_event_no_update",
        "audit_event_no_delete",
        "audit_content_no_update",
        "audit_content_erase_only",
        "erasure_no_delete",
    ):
        database.execute_sql(f"DROP TRIGGER {trigger}")


@pytest.mark.parametrize(
    "tampering",
    [
        "UPDATE audit_content SET summary = 'niets' WHERE event_id = {jan_event}",
        "INSERT INTO audit_content VALUES ({marie_event}, 'verzonnen', '{{}}', '{{}}')",
        "UPDATE audit_event SET actor = 'iemand' WHERE id = {marie_event}",
        "DELETE FROM audit_content WHERE event_id = {jan_event}",
        "DELETE FROM audit_content WHERE event_id = {erasure_event}",
        "DELETE FROM erasure",
        "INSERT INTO erasure VALUES ({jan}, {jan_event}, 'anonymise')",
        "INSERT INTO audit_event SELECT {jan_event} + 1000, at, actor, action, complaint_id, "
        "content_hash, hash FROM audit_event WHERE id = {jan_event}",
    ],
)
def test_verification_still_detects_any_other_change_after_an_erasure(
    register: Register, ctx: ServiceContext, closed_marie: tuple[int, int], tampering: str
) -> None:
    marie, jan = closed_marie
    anonymise_complaint(ctx, marie)
    assert verify_audit_chain().ok
    ids = {
        "jan": jan,
        "jan_event": AuditEvent.select().where(AuditEvent.complaint_id == jan).get().id,
        "marie_event": AuditEvent.select().where(AuditEvent.complaint_id == marie).get().id,
        "erasure_event": AuditEvent.select().order_by(AuditEvent.id.desc()).get().id,
    }
    _drop_guards()
    database.execute_sql("PRAGMA foreign_keys = OFF")
    database.execute_sql(tampering.format(**ids))
    report = verify_audit_chain()
    assert not report.ok and "gewijzigd" in report.problem
    assert not check_register().ok


def test_deleting_a_mistaken_dossier_needs_a_reason_and_keeps_its_number(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    first = svc.register_complaint(ctx, MARIE)
    duplicate = svc.register_complaint(ctx, MARIE)
    with pytest.raises(InvalidInput):
        delete_complaint(ctx, duplicate, "  ")
    assert Complaint.select().count() == 2
    delete_complaint(ctx, duplicate, "Dubbel ingevoerd, zie 2026-0001")
    assert [c.id for c in Complaint.select()] == [first]
    assert figures(Period.year(2026), clock().date()).received.count == 1
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert event.action == "delete" and "Dubbel ingevoerd, zie 2026-0001" in event.summary
    assert verify_audit_chain().ok and check_register().ok
    # The number is never handed out again, nor the dossier's id (its events stay).
    third = svc.register_complaint(ctx, JAN)
    assert Complaint.get_by_id(third).reference == "2026-0003" and third != duplicate
    assert ReferenceCounter.get_by_id(2026).last == 3
    assert [e.summary for e in complaint_detail(third, clock().date()).timeline] == [
        "Klacht geregistreerd: 2026-0003 (telefoon)"
    ]


def test_retention_term_lists_closed_dossiers_past_it_and_reminds_yearly(
    register: Register, ctx: ServiceContext, clock: FakeClock, closed_marie: tuple[int, int]
) -> None:
    marie, _jan = closed_marie
    closed_on = Complaint.get_by_id(marie).closed_on
    assert retention_years() == 5
    assert past_retention(date(2031, 1, 1)) == []
    assert retention_reminder(date(2031, 1, 1)) is None
    expired = past_retention(closed_on.replace(year=closed_on.year + 5))
    assert [(d.reference, d.closed_on, d.department) for d in expired] == [
        ("2026-0001", closed_on, "")
    ]
    set_retention_years(ctx, 10)
    assert past_retention(date(2035, 1, 1)) == []
    with pytest.raises(InvalidInput):
        set_retention_years(ctx, 0)
    day = date(2037, 1, 1)
    text = retention_reminder(day)
    assert text is not None and text.startswith("1 afgesloten dossier is de bewaartermijn")
    mark_retention_reminded(day)
    assert retention_reminder(date(2037, 12, 31)) is None
    assert retention_reminder(date(2038, 1, 1)) is not None
    anonymise_complaint(ctx, marie)
    assert past_retention(day) == [] and retention_reminder(date(2039, 1, 1)) is None


def test_migration_splits_the_old_trail_and_keeps_reporting_an_earlier_break(
    data_dir: Path, ctx: ServiceContext
) -> None:
    from klachtdesk.models import create_register, open_register

    from .conftest import PASSPHRASE

    with create_register(data_dir, PASSPHRASE, target_version=6):
        # Today's (version 6) trail, written with its own hash: two intact events ...
        _old_event(1, "Klacht geregistreerd", '{"name":"Marie Peeters"}')
        _old_event(2, "Ontvankelijk", "{}")
    with open_register(data_dir, PASSPHRASE) as reg:
        assert reg.backup is not None and reg.migrated_to[0] == 7
        report = verify_audit_chain()
        assert report.ok and report.events == 3
        conversion = AuditEvent.get_by_id(3)
        assert conversion.action == "audit_converted"
        assert AuditContent.get_by_id(1).after == '{"name":"Marie Peeters"}'
    tampered = data_dir.parent / "tampered"
    with create_register(tampered, PASSPHRASE, target_version=6):
        _old_event(1, "Klacht geregistreerd", "{}")
        _old_event(2, "Ontvankelijk", "{}", tamper=True)
        _old_event(3, "Ontvangstmelding", "{}")
    with open_register(tampered, PASSPHRASE):
        report = verify_audit_chain()
        assert not report.ok and report.broken_at == 2
        assert "al gewijzigd bij gebeurtenis 2" in report.problem
        assert not check_register().ok


def _old_event(event_id: int, summary: str, after: str, *, tamper: bool = False) -> None:
    """An event as version 6 wrote it: the hash over the whole event and the previous hash."""
    import hashlib
    import json

    prev = database.execute_sql("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
    at = f"2026-03-0{event_id} 10:00:00"
    payload = [prev[0] if prev else "0" * 64, at.replace(" ", "T"), "coördinator", "x", None,
               summary, "{}", after]  # fmt: skip
    digest = hashlib.sha256(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()
    database.execute_sql(
        "INSERT INTO audit_event VALUES (?, ?, 'coördinator', 'x', NULL, ?, '{}', ?, ?)",
        (event_id, at, summary + (" (gewijzigd)" if tamper else ""), after, digest),
    )


def test_all_about_a_person_exports_every_dossier_event_and_document(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from klachtdesk.services.access import export_person
    from klachtdesk.services.setup import Coordinator, Municipality, initial_setup

    initial_setup(
        ctx,
        Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
        Coordinator("Ann Coördinator", email="klachten@herent.example"),
        ["Milieu en afval"],
        [],
    )
    first = svc.register_complaint(
        ctx, MARIE, [Attachment("brief.txt", "text/plain", b"Brief van Marie Peeters")]
    )
    # Same e-mail address, another street: the same person.
    second = svc.register_complaint(
        ctx, intake(name="M. Peeters", street="Stationsstraat 1", email=MARIE.email,
                    description="Tweede klacht over het zwembad.")
    )  # fmt: skip
    other = svc.register_complaint(ctx, JAN)
    svc.decide_admissibility(ctx, second, [])

    export = export_person(ctx, second, tmp_path)

    assert export.references == ["2026-0002", "2026-0001"]
    text = " ".join(page.extract_text() for page in PdfReader(export.pdf).pages)
    text = " ".join(text.split())
    for expected in (
        "Inzage in persoonsgegevens (AVG art. 15)",
        "Dossier 2026-0001",
        "Dossier 2026-0002",
        "Marie Peeters",
        "Kerkstraat 12",
        "Stationsstraat 1",
        "marie.peeters@voorbeeld.be",
        "Tweede klacht over het zwembad.",
        "Klacht geregistreerd: 2026-0001",
        "Document toegevoegd: brief.txt",
        "2026-0001 1 brief.txt",
    ):
        assert expected in text, expected
    assert "Janssens" not in text and "2026-0003" not in text
    assert [p.read_bytes() for p in export.documents] == [b"Brief van Marie Peeters"]
    assert export.documents[0].parent == export.pdf.parent == export.folder
    assert export.folder.parent == tmp_path
    # An event in each dossier, naming no other dossier: anonymising 2026-0001 later leaves
    # nothing in 2026-0002's timeline that ties that reference to the person.
    exports = (
        AuditEvent.select().where(AuditEvent.action == "access_export").order_by(AuditEvent.id)
    )
    assert [(e.complaint_id, e.summary) for e in exports] == [
        (c, "Inzage (AVG art. 15) uitgevoerd over dit dossier en 1 ander dossier over dezelfde "
         "persoon")
        for c in (second, first)
    ]  # fmt: skip
    assert other and verify_audit_chain().ok


def test_check_reports_personal_data_left_in_an_anonymised_dossier(
    register: Register, ctx: ServiceContext, closed_marie: tuple[int, int]
) -> None:
    marie, _jan = closed_marie
    anonymise_complaint(ctx, marie)
    assert check_register().ok
    Complaint.update(email="marie@voorbeeld.be").where(Complaint.id == marie).execute()
    report = check_register()
    assert not report.ok
    assert "Bij 1 geanonimiseerd dossier staan nog persoonsgegevens, o.a. 2026-0001" in (
        " ".join(report.problems)
    )


def test_a_bare_connection_verifies_an_erased_register(
    register: Register, ctx: ServiceContext, closed_marie: tuple[int, int]
) -> None:
    """As the backups verify a copy: another connection, no peewee, the register's key."""
    from klachtdesk.models import connect_encrypted

    marie, jan = closed_marie
    anonymise_complaint(ctx, marie)
    connection = connect_encrypted(register.path, register.sqlcipher_key, read_only=True)
    try:
        report = verify_audit_chain(connection)
        assert report.ok and report.events == AuditEvent.select().count()
        _drop_guards()
        jan_event = AuditEvent.select().where(AuditEvent.complaint_id == jan).get().id
        database.execute_sql(f"DELETE FROM audit_content WHERE event_id = {jan_event}")
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        broken = verify_audit_chain(connection)
        assert broken.broken_at == jan_event and "niet geanonimiseerd" in broken.problem
    finally:
        connection.close()


def test_the_retention_list_says_how_each_dossier_ended(
    register: Register, ctx: ServiceContext, clock: FakeClock, closed_marie: tuple[int, int]
) -> None:
    """Inadmissible dossiers have no assessment; the list says why instead of a blank."""
    marie, _jan = closed_marie
    refused = svc.register_complaint(ctx, intake(name="Karel Refus"))
    svc.decide_admissibility(ctx, refused, [Ground.POLICY], motivation="Reglement.")
    svc.record_acknowledgement(ctx, refused)
    results = {d.complaint_id: d.result for d in past_retention(date(2040, 1, 1))}
    assert results[refused] == "niet ontvankelijk"
    assert results[marie] == Complaint.get_by_id(marie).outcome.label != ""
