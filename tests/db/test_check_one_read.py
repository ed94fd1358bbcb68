"""The check reads the audit trail once (services/audit_pass.py) and runs SQLite's own checks
beside it: what it finds must be exactly what each check finds reading on its own.

Each case tampers with a real register (tests/db/test_tampering.py's tools), then compares the
report with the one made when the one read is not available (each check then reads the
register itself, as before); the report must also hold the findings the tampering causes, so
that neither way of checking can pass by finding nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from klachtdesk.models import Complaint, Register, database
from klachtdesk.services import audit_pass, check
from klachtdesk.services.audit import verify_audit_chain
from klachtdesk.services.check import CheckReport, check_register
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.demo import fill_with_demo
from klachtdesk.services.tampering import anchor_problems, audit_head, parse_anchor

from .conftest import PASSPHRASE
from .test_tampering import Ids, as_attacker, filled, reference  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ids(filled: Ids) -> Ids:  # noqa: F811 (test_tampering's register, with every path walked)
    return filled


def _each_on_its_own(monkeypatch: pytest.MonkeyPatch) -> CheckReport:
    """The check with every step reading the register itself."""
    with monkeypatch.context() as patch:

        def unavailable(**_: object) -> audit_pass.AuditTrail:
            raise RuntimeError("no one read")

        patch.setattr(check, "read_audit_trail", unavailable)
        return check_register()


def _same(monkeypatch: pytest.MonkeyPatch) -> CheckReport:
    once = check_register()
    alone = _each_on_its_own(monkeypatch)
    assert once.problems == alone.problems
    assert (once.complaints, once.audit_events, once.damaged) == (
        alone.complaints,
        alone.audit_events,
        alone.damaged,
    )
    return once


def test_an_untouched_register_reads_alike(ids: Ids, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _same(monkeypatch)
    assert report.ok and report.audit_events == audit_head().events
    trail = audit_pass.read_audit_trail()
    assert trail.chain is not None and trail.chain.ok
    assert trail.findings == [] and trail.wrong_deadlines == []


def test_many_tamperings_at_once_are_found_alike(ids: Ids, monkeypatch: pytest.MonkeyPatch) -> None:
    closed, documents = ids["closed"], ids["documents"]
    as_attacker(
        f"UPDATE complaint SET outcome = 'no_judgement' WHERE id = {closed}",
        "UPDATE complaint SET received_on = '2020-01-01' WHERE id = 1",
        "UPDATE complaint SET next_due_on = '2031-01-01' WHERE id = 2",
        f"UPDATE document SET content = x'00' WHERE complaint_id = {documents}",
        "UPDATE reference_counter SET last = 1 WHERE year = 2026",
        "INSERT OR REPLACE INTO setting VALUES ('retention_years', '0')",
        f"DELETE FROM complaint WHERE id = {ids['withdrawn']}",
    )
    found = "\n".join(_same(monkeypatch).problems)
    assert f"Dossier {reference(closed)}: buiten klachtdesk om gewijzigd" in found
    assert f"Dossier {reference(1)}" in found and "01/01/2020" in found
    assert "ontbreekt in het register, maar werd nooit verwijderd" in found
    assert "klopt de volgende termijn niet" in found
    assert f"Dossier {reference(documents)}: het document" in found
    assert "De teller van de referentienummers van 2026 staat op 1" in found
    assert "De instelling ‘de bewaartermijn’" in found


def test_a_chain_with_a_gap_and_an_edited_event_breaks_at_the_same_event(
    ids: Ids, monkeypatch: pytest.MonkeyPatch
) -> None:
    total = audit_head().events
    anchors = [parse_anchor(f"{n}:{'0' * 16}") for n in (3, total - 10, total + 1)]
    as_attacker(
        "DELETE FROM audit_content WHERE event_id = 40",
        "DELETE FROM audit_event WHERE id = 40",
        "UPDATE audit_content SET summary = 'Niets gebeurd' WHERE event_id = 90",
    )
    trail = audit_pass.read_audit_trail()
    assert trail.chain == verify_audit_chain()
    assert trail.chain is not None and trail.chain.broken_at == 41 and trail.chain.events == 40
    assert trail.events == total - 1 and trail.hash_at(45) == audit_head_at(45)
    assert anchor_problems(anchors, trail) == anchor_problems(anchors)
    assert "Het logboek werd gewijzigd bij gebeurtenis 41" in "\n".join(_same(monkeypatch).problems)


def audit_head_at(position: int) -> str:
    rows = database.execute_sql('SELECT "hash" FROM "audit_event" ORDER BY "id"').fetchall()
    return str(rows[position - 1][0])


def test_an_event_that_does_not_parse_is_reported_as_each_check_reports_it(
    ids: Ids, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The replay cannot read the deletion's values: that check fails to read, the others run.
    event = database.execute_sql(
        "SELECT id FROM audit_event WHERE action = 'delete' ORDER BY id DESC LIMIT 1"
    ).fetchone()[0]
    as_attacker(f"UPDATE audit_content SET after = 'kapot' WHERE event_id = {event}")
    report = _same(monkeypatch)
    assert any("Het nalezen van" in p and "lukte niet" in p for p in report.problems)
    assert f"Het logboek werd gewijzigd bij gebeurtenis {event}" in report.problems[0]
    assert report.complaints == Complaint.select().count()


def test_a_dossier_unknown_to_the_trail_and_a_late_step_are_found_alike(
    register: Register, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_with_demo(ctx, 40, seed=21)
    last = Complaint.select().order_by(Complaint.id.desc()).first()
    as_attacker(
        f"DELETE FROM audit_content WHERE event_id IN "
        f"(SELECT id FROM audit_event WHERE complaint_id = {last.id})",
        f"UPDATE audit_event SET complaint_id = NULL WHERE complaint_id = {last.id}",
        "UPDATE audit_content SET after = json_set(after, '$.state', 'closed') WHERE event_id = "
        "(SELECT max(id) FROM audit_event WHERE action = 'acknowledge')",
    )
    found = "\n".join(_same(monkeypatch).problems)
    assert f"Dossier {last.reference}: staat in het register, maar het logboek kent" in found


def test_the_later_dossiers_are_replayed_in_a_helper_process(
    ids: Ids, register: Register, data_dir: Path
) -> None:
    """``klachtdesk check`` on a large register forks a helper that replays the later
    dossiers (audit_pass.ReplayHelper); here on a small one, with the threshold lowered, and
    with a change in each half."""
    first, last = ids["closed"], ids["documents"]
    as_attacker(
        "UPDATE complaint SET outcome = 'no_judgement' WHERE id = 1",
        f"UPDATE complaint SET name = 'Iemand Anders' WHERE id = {last}",
        f"UPDATE complaint SET next_due_on = '2031-01-01' WHERE id = {first}",
    )
    expected = check_register().problems
    assert len(expected) >= 3
    register.close()
    program = (
        "import sys\n"
        "from klachtdesk.services import audit_pass\n"
        "audit_pass.HELPED_FROM = 0\n"
        "started = []\n"
        "class Counted(audit_pass.ReplayHelper):\n"
        "    def __init__(self, *args):\n"
        "        super().__init__(*args)\n"
        "        started.append(self.first)\n"
        "audit_pass.ReplayHelper = Counted\n"
        "from klachtdesk.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print('helper from', started)\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program, "--data-dir", str(data_dir), "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("KLACHTDESK_")},
            "KLACHTDESK_PASSPHRASE": PASSPHRASE,
        },
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    started = json.loads(result.stdout.split("helper from ")[1])
    assert len(started) == 1 and 1 < started[0] <= last
    said = [line[2:] for line in result.stderr.splitlines() if line.startswith("- ")]
    assert said == expected
