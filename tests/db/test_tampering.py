"""Tampering with the register is caught by check (issue 13).

The attacker has the passphrase and the open register: every change below is plain SQL on the
real encrypted register, with the append-only triggers dropped and put back, and the audit
chain recomputed where the attack needs it (as services/audit.py computes it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from klachtdesk.models import Complaint, Register, database
from klachtdesk.procedure import Channel, NoJudgementReason, Outcome, State
from klachtdesk.services import complaints as svc
from klachtdesk.services.audit import GENESIS, content_hash, event_hash, verify_audit_chain
from klachtdesk.services.backup import make_backup
from klachtdesk.services.check import check_register
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.demo import fill_with_demo
from klachtdesk.services.documents import Attachment, attach
from klachtdesk.services.erasure import anonymise_complaint, delete_complaint
from klachtdesk.services.report import period_report
from klachtdesk.services.settings import apply_time_limits_to_open, time_limits
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup
from klachtdesk.services.tampering import (
    ANCHORS_FILENAME,
    APPEND_ONLY_TRIGGERS,
    audit_head,
    parse_anchor,
    read_anchors,
)
from klachtdesk.services.withdrawal import withdraw_with_report

from ..conftest import FakeClock
from .conftest import PASSPHRASE
from .helpers import handler, intake
from .test_cli import run

Ids = dict[str, int]


def _walked(ctx: ServiceContext, clock: FakeClock, handler_id: int, name: str) -> int:
    """A dossier taken through every step, with a failed neutrality review on the way."""
    cid = svc.register_complaint(ctx, intake(name=name))
    for step in (
        lambda: svc.decide_admissibility(ctx, cid, []),
        lambda: svc.record_acknowledgement(ctx, cid),
        lambda: svc.send_to_handler(ctx, cid, handler_id),
        lambda: svc.record_investigation(ctx, cid, contacts="Dienst gehoord.", summary="Klopt."),
        lambda: svc.record_assessment(
            ctx, cid, Outcome.NO_JUDGEMENT, no_judgement_reason=next(iter(NoJudgementReason))
        ),
        lambda: svc.record_returned(ctx, cid, report_text="Rapport.", reply_text="Geachte, ..."),
        lambda: svc.review_neutrality(ctx, cid, False, "Enkel de dienst gehoord."),
        lambda: svc.record_assessment(ctx, cid, Outcome.UNFOUNDED),
        lambda: svc.record_returned(ctx, cid, report_text="Rapport 2.", reply_text="Geachte"),
        lambda: svc.review_neutrality(ctx, cid, True),
        lambda: svc.record_reply_sent(ctx, cid),
        lambda: svc.close_complaint(ctx, cid),
    ):
        clock.advance(days=1)
        step()
    return cid


@pytest.fixture
def filled(register: Register, ctx: ServiceContext, clock: FakeClock) -> Ids:
    """A register as a coordinator leaves it: demo dossiers, and dossiers walked through the
    services along every path (closed after a failed review, withdrawn, corrected,
    anonymised, deleted, with documents, still open with other limits applied)."""
    initial_setup(ctx, Municipality("Gemeente Herent"), Coordinator("Ann"), [], [])
    handler_id = handler(ctx)
    fill_with_demo(ctx, 60, seed=13)
    ids: Ids = {}
    ids["closed"] = _walked(ctx, clock, handler_id, "Marie Peeters")
    ids["anonymised"] = _walked(ctx, clock, handler_id, "Jan Janssens")
    ids["withdrawn"] = svc.register_complaint(ctx, intake(name="Els Maes"))
    clock.advance(days=1)
    withdraw_with_report(ctx, ids["withdrawn"], "Opgelost aan de telefoon.")
    ids["edited"] = svc.register_complaint(ctx, intake(name="Luc Wouters"))
    clock.advance(days=1)
    svc.decide_admissibility(ctx, ids["edited"], [])
    svc.edit_complaint(
        ctx,
        ids["edited"],
        intake(name="Luc Wouters-Claes", channel=Channel.LETTER, received_on=date(2026, 3, 1)),
    )
    ids["deleted"] = svc.register_complaint(ctx, intake(name="Dubbel Ingevoerd"))
    ids["documents"] = svc.register_complaint(
        ctx,
        intake(name="Sofie Aerts"),
        [Attachment("brief.pdf", "application/pdf", b"%PDF-1.4 brief van Sofie")],
    )
    attach(ctx, ids["documents"], [Attachment("foto.jpg", "image/jpeg", b"\xff\xd8 foto")])
    clock.advance(days=1)
    svc.decide_admissibility(ctx, ids["documents"], [])
    apply_time_limits_to_open(ctx, replace(time_limits(), handler_days=25).for_dossier())
    clock.advance(days=1)
    anonymise_complaint(ctx, ids["anonymised"])
    delete_complaint(ctx, ids["deleted"], "Twee keer ingevoerd.")
    return ids


def reference(complaint_id: int) -> str:
    return str(Complaint.get_by_id(complaint_id).reference)


def problems() -> str:
    report = check_register()
    assert not report.ok
    return "\n".join(report.problems)


# -- the attacker's tools -------------------------------------------------------------------


def as_attacker(*statements: str, params: tuple[Any, ...] = ()) -> None:
    """Plain SQL with the append-only triggers dropped, and put back exactly as they were."""
    triggers = database.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ("
        + ", ".join("?" * len(APPEND_ONLY_TRIGGERS))
        + ")",
        tuple(APPEND_ONLY_TRIGGERS),
    ).fetchall()
    with database.atomic():
        for name in APPEND_ONLY_TRIGGERS:
            database.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
        for sql in statements:
            database.execute_sql(sql, params)
        for (sql,) in triggers:
            database.execute_sql(sql)


Event = dict[str, Any]


def rewrite_trail(change: Callable[[list[Event]], list[Event]]) -> None:
    """Read the whole trail, let ``change`` edit, drop or add events, write it back with
    consecutive ids, every hash recomputed and the erasures pointing at their events again:
    a chain that verifies."""
    rows = database.execute_sql(
        'SELECT e."id", e."at", e."actor", e."action", e."complaint_id", e."content_hash", '
        'c."summary", c."before", c."after" FROM "audit_event" e '
        'LEFT JOIN "audit_content" c ON c."event_id" = e."id" ORDER BY e."id"'
    ).fetchall()
    keys = ("id", "at", "actor", "action", "complaint_id", "content_hash", "summary", "before",
            "after")  # fmt: skip
    events = change([dict(zip(keys, row, strict=True)) for row in rows])
    database.execute_sql("PRAGMA foreign_keys = OFF")
    as_attacker('DELETE FROM "audit_content"', 'DELETE FROM "audit_event"')
    prev = GENESIS
    renumbered: dict[int, int] = {}
    with database.atomic():
        for event_id, e in enumerate(events, 1):
            if e.get("id") is not None:
                renumbered[e["id"]] = event_id
            erased = e["summary"] is None  # content erased with its dossier: header only
            digest = (
                e["content_hash"] if erased else content_hash(e["summary"], e["before"], e["after"])
            )
            at_iso = str(e["at"]).replace(" ", "T")
            prev = event_hash(prev, at_iso, e["actor"], e["action"], e["complaint_id"], digest)
            database.execute_sql(
                'INSERT INTO "audit_event" VALUES (?, ?, ?, ?, ?, ?, ?)',
                (event_id, e["at"], e["actor"], e["action"], e["complaint_id"], digest, prev),
            )
            if not erased:
                database.execute_sql(
                    'INSERT INTO "audit_content" VALUES (?, ?, ?, ?)',
                    (event_id, e["summary"], e["before"], e["after"]),
                )
    erasures = database.execute_sql('SELECT "complaint_id", "event_id" FROM "erasure"').fetchall()
    statements = ['DELETE FROM "erasure"']
    for complaint_id, old_id in erasures:
        if old_id in renumbered:
            statements.append(
                f'INSERT INTO "erasure" SELECT {complaint_id}, {renumbered[old_id]}, "action" '
                f'FROM "audit_event" WHERE "id" = {renumbered[old_id]}'
            )
    as_attacker(*statements)
    database.execute_sql("PRAGMA foreign_keys = ON")
    assert verify_audit_chain().ok  # the chain alone no longer tells


@pytest.fixture
def anchored(filled: Ids, register: Register, ctx: ServiceContext, tmp_path: Path) -> Ids:
    """``filled``, a dossier's first steps after the erasures, and a backup made last: its
    anchor is the chain's head."""
    cid = svc.register_complaint(ctx, intake(name="Bart Smets"))
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, Complaint.get_by_id(filled["closed"]).handler_id)
    attach(ctx, cid, [Attachment("mail.eml", "message/rfc822", b"From: bart@example.be")])
    svc.record_investigation(ctx, cid, contacts="Dienst gehoord.", summary="")
    make_backup(register, ctx, tmp_path / "reservekopieën")
    return filled


# -- an untouched register ------------------------------------------------------------------


def test_an_untouched_register_passes(anchored: Ids, register: Register) -> None:
    report = check_register()
    assert report.ok, report.problems
    assert Complaint.get_by_id(anchored["anonymised"]).name == ""
    # The anchor was written beside the backups and in the data folder.
    head = audit_head()
    assert head.events == report.audit_events
    for folder in (register.folder, register.folder.parent / "reservekopieën"):
        assert [(a.events, a.hash) for a in read_anchors(folder)] == [(head.events, head.hash)]


def test_each_kind_of_step_is_judged_not_merely_skipped(filled: Ids) -> None:
    # A dossier past a failed review, reinvestigation and a second assessment: its outcome
    # set back to the first assessment's is seen, and so is a demo dossier's changed date.
    as_attacker(
        f"UPDATE complaint SET outcome = 'no_judgement' WHERE id = {filled['closed']}",
        "UPDATE complaint SET received_on = '2020-01-01' WHERE id = 1",
    )
    found = problems()
    assert f"Dossier {reference(filled['closed'])}: buiten klachtdesk om gewijzigd" in found
    assert "de beoordeling is ‘geen oordeel’ in het register maar ‘ongegrond’" in found
    assert f"Dossier {reference(1)}" in found and "01/01/2020" in found


# -- each tampering of the issue ------------------------------------------------------------


def test_an_event_edited_and_the_chain_recomputed_is_caught_by_the_anchor(
    anchored: Ids,
) -> None:
    def edit(events: list[Event]) -> list[Event]:
        events[10]["summary"] = "Niets gebeurd"
        return events

    rewrite_trail(edit)
    found = problems()
    assert "Het logboek werd herschreven" in found
    assert "het kenmerk van het anker van de reservekopie" in found


def test_an_edited_value_in_an_event_is_caught_without_an_anchor(filled: Ids) -> None:
    # The complainant's name rewritten in the registration event (and the chain recomputed):
    # the row no longer matches what the trail says.
    cid = filled["closed"]

    def edit(events: list[Event]) -> list[Event]:
        for e in events:
            if e["complaint_id"] == cid and e["action"] == "register":
                e["after"] = e["after"].replace("Marie Peeters", "Iemand Anders")
        return events

    rewrite_trail(edit)
    found = problems()
    assert f"Dossier {reference(cid)}: buiten klachtdesk om gewijzigd" in found
    assert "de naam van de klager verschilt" in found


def test_the_last_five_events_removed_are_caught(anchored: Ids) -> None:
    total = audit_head().events
    rewrite_trail(lambda events: events[:-5])
    found = problems()
    assert f"Het logboek telt {total - 5} gebeurtenissen" in found
    assert f"telde er al {total}: gebeurtenissen werden gewist" in found
    # What the removed events recorded is still in the rows: the deletion of a dossier ...
    assert "werd verwijderd" not in found


def test_all_events_removed_are_caught(anchored: Ids) -> None:
    rewrite_trail(lambda events: [])
    found = problems()
    assert "Het logboek telt 0 gebeurtenissen" in found
    # ... and, anchor or not, dossiers the trail does not know.
    assert "het logboek kent de registratie niet" in found


def test_all_events_removed_are_caught_without_an_anchor(filled: Ids) -> None:
    rewrite_trail(lambda events: [])
    first = Complaint.select().order_by(Complaint.id).first()
    assert f"Dossier {first.reference}: staat in het register, maar het logboek kent" in problems()


def test_a_forged_event_before_the_anchor_is_caught(anchored: Ids) -> None:
    def forge(events: list[Event]) -> list[Event]:
        forged = {**events[5], "summary": "Dossier afgesloten", "before": "{}", "after": "{}"}
        return [*events[:6], forged, *events[6:]]

    rewrite_trail(forge)
    assert "Het logboek werd herschreven: gebeurtenis" in problems()


def test_a_forged_step_appended_is_caught_by_the_procedure(filled: Ids) -> None:
    # After the last anchor: a dossier closed in the table and a forged 'close' event to
    # match, appended with its hash. The procedure does not allow closing it from there.
    cid = filled["documents"]
    as_attacker(f"UPDATE complaint SET state = 'closed', closed_on = '2026-03-20' WHERE id = {cid}")

    def forge(events: list[Event]) -> list[Event]:
        return [
            *events,
            {
                "at": "2026-03-20 10:00:00",
                "actor": "coördinator",
                "action": "close",
                "complaint_id": cid,
                "summary": "Dossier afgesloten",
                "before": json.dumps({"state": "admissible", "closed_on": None}),
                "after": json.dumps({"state": "closed", "closed_on": "2026-03-20"}),
            },
        ]

    rewrite_trail(forge)
    found = problems()
    assert f"Dossier {reference(cid)}: de stap ‘Dossier afsluiten’ van 20/03/2026 kon" in found


def test_a_name_changed_in_the_table_is_caught(filled: Ids) -> None:
    cid = filled["edited"]
    as_attacker(f"UPDATE complaint SET name = 'Iemand Anders' WHERE id = {cid}")
    found = problems()
    assert f"Dossier {reference(cid)}: buiten klachtdesk om gewijzigd" in found
    assert "de naam van de klager verschilt van wat het logboek noteerde" in found


def test_a_state_set_to_closed_in_the_table_is_caught(filled: Ids) -> None:
    cid = filled["documents"]
    as_attacker(f"UPDATE complaint SET state = 'closed' WHERE id = {cid}")
    found = problems()
    assert (
        f"Dossier {reference(cid)}: buiten klachtdesk om gewijzigd: de stap is ‘afgehandeld’ "
        f"in het register maar ‘{State.ADMISSIBLE.label}’ volgens het logboek"
    ) in found


def test_an_anonymised_dossier_changed_in_the_table_is_caught(filled: Ids) -> None:
    cid = filled["anonymised"]
    as_attacker(f"UPDATE complaint SET outcome = 'well_founded' WHERE id = {cid}")
    assert (
        f"Dossier {reference(cid)}: buiten klachtdesk om gewijzigd: de beoordeling is ‘gegrond’"
    ) in problems()


def test_a_deleted_dossier_put_back_or_a_dossier_removed_is_caught(filled: Ids) -> None:
    cid = filled["withdrawn"]
    ref = reference(cid)
    as_attacker(f"DELETE FROM complaint WHERE id = {cid}")
    assert f"Dossier {ref}: ontbreekt in het register, maar werd nooit verwijderd" in problems()


def test_a_document_replaced_is_caught(filled: Ids) -> None:
    cid = filled["documents"]
    forged = b"%PDF-1.4 een andere brief"
    as_attacker(
        f"UPDATE document SET content = ? WHERE complaint_id = {cid} AND title = 'brief.pdf'",
        params=(forged,),
    )
    assert f"Dossier {reference(cid)}: het document ‘brief.pdf’ werd vervangen" in problems()
    # Its stored hash made to match: the hash its event recorded still differs.
    as_attacker(
        f"UPDATE document SET sha256 = ? WHERE complaint_id = {cid} AND title = 'brief.pdf'",
        params=(hashlib.sha256(forged).hexdigest(),),
    )
    assert f"Dossier {reference(cid)}: het document ‘brief.pdf’ werd vervangen" in problems()


def test_a_document_deleted_is_caught(filled: Ids) -> None:
    cid = filled["documents"]
    as_attacker(f"DELETE FROM document WHERE complaint_id = {cid} AND title = 'foto.jpg'")
    found = problems()
    assert f"Dossier {reference(cid)}: een document dat het logboek als toegevoegd" in found


def test_the_reference_counter_set_back_is_caught(filled: Ids) -> None:
    as_attacker("UPDATE reference_counter SET last = 1 WHERE year = 2026")
    assert "De teller van de referentienummers van 2026 staat op 1, maar 2026-" in problems()


def test_a_counter_below_a_deleted_dossiers_number_is_caught(
    filled: Ids, ctx: ServiceContext
) -> None:
    # The newest dossier deleted: its number stays issued, though no row holds it.
    cid = svc.register_complaint(ctx, intake(name="Nog Een Dubbele"))
    number = int(reference(cid)[5:])
    delete_complaint(ctx, cid, "Twee keer ingevoerd.")
    assert check_register().ok
    as_attacker(f"UPDATE reference_counter SET last = {number - 1} WHERE year = 2026")
    assert f"staat op {number - 1}, maar 2026-{number:04d} werd al uitgereikt" in problems()


@pytest.mark.parametrize("trigger", sorted(APPEND_ONLY_TRIGGERS))
def test_an_append_only_trigger_dropped_is_caught(filled: Ids, trigger: str) -> None:
    database.execute_sql(f"DROP TRIGGER {trigger}")
    assert f"1 beveiliging van het logboek ({trigger}) werd verwijderd" in problems()


def test_an_append_only_trigger_replaced_by_a_harmless_one_is_caught(filled: Ids) -> None:
    database.execute_sql("DROP TRIGGER audit_event_no_delete")
    database.execute_sql(
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        "WHEN 0 BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END"
    )
    assert "De beveiliging van het logboek werd gewijzigd (audit_event_no_delete)" in problems()


# -- the anchor outside the register --------------------------------------------------------


def test_a_restored_backup_replaces_the_anchors_made_after_it(
    filled: Ids, register: Register, ctx: ServiceContext, tmp_path: Path, clock: FakeClock
) -> None:
    from klachtdesk.services.backup import restore_backup

    first = make_backup(register, ctx, tmp_path / "kopie")
    clock.advance(minutes=5)
    svc.register_complaint(ctx, intake(name="Na de eerste kopie"))
    make_backup(register, ctx, tmp_path / "andere kopie")
    assert len(read_anchors(register.folder)) == 2
    key = register.sqlcipher_key
    folder = register.folder
    register.close()
    clock.advance(minutes=5)
    restore_backup(first.path, folder, key, ctx.now())
    from klachtdesk.models import open_register

    with open_register(folder, PASSPHRASE):
        report = check_register()
        assert report.ok, report.problems
        # Without the restore's own anchor the later backup's would say: events removed.
        lines = (folder / ANCHORS_FILENAME).read_text().splitlines()
        assert lines[-1].split()[1] == "teruggezet"
        (folder / ANCHORS_FILENAME).write_text("\n".join(lines[:-1]) + "\n")
        assert "gebeurtenissen werden gewist" in problems()


def test_the_yearly_report_prints_the_anchor(filled: Ids) -> None:
    from klachtdesk.procedure.periods import Period

    head = audit_head()
    report = period_report(Period.year(2026), date(2026, 12, 31))
    closing = report.sections[-1].closing
    assert closing.startswith(f"Logboek: {head.events} gebeurtenissen, kenmerk {head.hash[:16]}…")
    # What it prints is what check --anker takes.
    typed = closing.split("--anker ")[1].rstrip(")")
    assert parse_anchor(typed).hash == head.hash[:16]
    assert check_register(anchors=[parse_anchor(typed)]).ok
    # In the PDF (read back) and the Word document, in the last section.
    import io

    from docx import Document as WordDocument
    from pypdf import PdfReader

    from klachtdesk.services.report_files import period_report_files

    files = period_report_files(Period.year(2026), date(2026, 12, 31))
    pages = PdfReader(io.BytesIO(files.pdf)).pages
    last_page = " ".join(pages[-1].extract_text().split())
    assert f"Logboek: {head.events} gebeurtenissen, kenmerk {head.hash[:16]}…" in last_page
    paragraphs = [p.text for p in WordDocument(io.BytesIO(files.docx)).paragraphs]
    assert paragraphs[-1] == closing


def test_check_with_a_printed_anchor_on_the_command_line(data_dir: Path) -> None:
    made = run("--data-dir", str(data_dir), "demo", "--count", "50")
    assert made.returncode == 0, made.stderr
    from klachtdesk.models import open_register

    with open_register(data_dir, PASSPHRASE):
        head = audit_head()
    good = run("--data-dir", str(data_dir), "check", "--anker", head.short())
    assert good.returncode == 0, good.stderr
    assert f"Het logboek klopt met het anker {head.short()}." in good.stdout
    longer = f"{head.events + 3}:{head.hash[:16]}"
    bad = run("--data-dir", str(data_dir), "check", "--anker", longer)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert f"telde er al {head.events + 3}: gebeurtenissen werden gewist" in bad.stderr
    other = run("--data-dir", str(data_dir), "check", "--anker", f"{head.events}:{'0' * 16}")
    assert other.returncode != 0 and "Het logboek werd herschreven" in other.stderr
    typo = run("--data-dir", str(data_dir), "check", "--anker", "12:abc", passphrase=None)
    assert typo.returncode != 0 and "geen anker van het logboek" in typo.stderr
    assert "Traceback" not in typo.stderr


def test_an_unreadable_anchors_file_is_no_crash(filled: Ids, register: Register) -> None:
    (register.folder / ANCHORS_FILENAME).write_bytes(b"\xff\xfe rommel\n- x y z\n")
    assert check_register().ok


def test_anchors_of_another_register_in_a_shared_backup_folder_are_left_out(
    anchored: Ids, register: Register
) -> None:
    head = audit_head()
    folder = register.folder
    [ours] = read_anchors(folder)
    assert ours.register_id == register.register_id != ""
    other = replace(ours, events=head.events + 100, hash="ab" * 32, register_id="ander-register")
    (folder / ANCHORS_FILENAME).write_text(ours.line() + other.line())
    assert check_register().ok
    mine = replace(other, register_id=ours.register_id)
    (folder / ANCHORS_FILENAME).write_text(ours.line() + mine.line())
    assert "telde er al" in problems()


def test_a_dossier_removed_with_all_its_events_is_caught_by_its_number(filled: Ids) -> None:
    # The newest dossier and every event about it gone, the chain recomputed: the trail and
    # the tables agree, but its reference number was issued.
    cid = filled["documents"]
    ref = reference(cid)
    rewrite_trail(lambda events: [e for e in events if e["complaint_id"] != cid])
    as_attacker(f"DELETE FROM document WHERE complaint_id = {cid}")
    as_attacker(f"DELETE FROM complaint WHERE id = {cid}")
    assert check_register().problems == [
        f"Het referentienummer {ref} werd uitgereikt, maar dat dossier ontbreekt en werd "
        "nooit verwijderd: het werd buiten klachtdesk om gewist."
    ]


def test_imported_dossiers_pass_and_are_judged_on_what_later_steps_recorded(
    register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    from klachtdesk.services import importing
    from tests.data import messy_register

    importing.run(ctx, messy_register.XLSX)
    assert check_register().ok  # no registration event of their own: not "unknown" rows
    imported = Complaint.select().where(Complaint.state != "closed").first()
    clock.advance(days=1)
    svc.edit_complaint(ctx, imported.id, replace(svc.intake_of(imported), name="Nieuwe Naam"))
    assert check_register().ok
    as_attacker(f"UPDATE complaint SET name = 'Nog Anders' WHERE id = {imported.id}")
    assert f"Dossier {imported.reference}: buiten klachtdesk om gewijzigd: de naam" in problems()
