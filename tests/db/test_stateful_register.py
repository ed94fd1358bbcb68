"""Any sequence of the coordinator's actions on a real register keeps every dossier valid.

The pure procedure has its own, faster, stateful test; this one goes through the services and
the encrypted database, so it also proves that what is stored (state, dates, the sortable next
due date, the audit trail) always agrees with the rules.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from klachtdesk.models import AuditEvent, Complaint, ComplaintNorm, create_register
from klachtdesk.procedure import (
    Channel,
    Ground,
    NoJudgementReason,
    Norm,
    Outcome,
    Resolution,
    UserError,
    next_due_on,
)
from klachtdesk.procedure.assessment import requires_norm, requires_resolution
from klachtdesk.services import complaints as svc
from klachtdesk.services.audit import verify_audit_chain
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.dossiers import dossier_of
from klachtdesk.services.settings import time_limits

from ..conftest import FakeClock
from ..unit.invariants import check_dossier
from .conftest import PASSPHRASE
from .helpers import handler, intake

ids = st.integers(1, 4)


class RegisterMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="klachtdesk-stateful-"))
        self.register = create_register(self.folder / "data", PASSPHRASE)
        self.clock = FakeClock(datetime(2026, 2, 2, 9, 0))
        self.ctx = ServiceContext(actor="test", clock=self.clock)
        self.handler_id = handler(self.ctx)
        self.events = AuditEvent.select().count()

    def teardown(self) -> None:
        self.register.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _do(self, action, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        before = AuditEvent.select().count()
        try:
            action(self.ctx, *args, **kwargs)
        except UserError:
            assert AuditEvent.select().count() == before, "a refused action wrote to the trail"
            return
        assert AuditEvent.select().count() == before + 1, "every action writes one event"

    @rule(days=st.integers(0, 12))
    def time_passes(self, days: int) -> None:
        self.clock.advance(days)

    @precondition(lambda self: Complaint.select().count() < 4)
    @rule(channel=st.sampled_from(list(Channel)), solved=st.booleans())
    def register_complaint(self, channel: Channel, solved: bool) -> None:
        self._do(
            svc.register_complaint,
            intake(
                channel=channel,
                email="klager@example.be",
                received_on=self.clock().date(),
                solved_immediately=solved,
                immediate_solution="Meteen hersteld." if solved else "",
            ),
        )

    @rule(
        cid=ids,
        grounds=st.frozensets(st.sampled_from(list(Ground)), max_size=2),
        motivated=st.booleans(),
    )
    def decide(self, cid: int, grounds: frozenset[Ground], motivated: bool) -> None:
        self._do(svc.decide_admissibility, cid, grounds, "Reden." if motivated else "")

    @rule(cid=ids)
    def acknowledge(self, cid: int) -> None:
        self._do(svc.record_acknowledgement, cid)

    @rule(cid=ids)
    def send(self, cid: int) -> None:
        self._do(svc.send_to_handler, cid, self.handler_id)

    @rule(cid=ids)
    def investigate(self, cid: int) -> None:
        self._do(svc.record_investigation, cid, contacts="Gebeld.", summary="Samenvatting.")

    @rule(
        cid=ids,
        outcome=st.sampled_from(list(Outcome)),
        with_solution=st.booleans(),
        resolution=st.none() | st.sampled_from(list(Resolution)),
        norms=st.frozensets(st.sampled_from(list(Norm)), max_size=3),
    )
    def assess(
        self,
        cid: int,
        outcome: Outcome,
        with_solution: bool,
        resolution: Resolution | None,
        norms: frozenset[Norm],
    ) -> None:
        reason = NoJudgementReason.UNCLEAR if outcome is Outcome.NO_JUDGEMENT else None
        self._do(
            svc.record_assessment,
            cid,
            outcome,
            solution="Oplossing." if with_solution else "",
            no_judgement_reason=reason,
            resolution=resolution,
            norms=norms,
        )

    @rule(cid=ids)
    def returned(self, cid: int) -> None:
        self._do(svc.record_returned, cid, report_text="Rapport.", reply_text="Brief.")

    @rule(cid=ids, neutral=st.booleans())
    def review(self, cid: int, neutral: bool) -> None:
        self._do(svc.review_neutrality, cid, neutral, "Niet neutraal.")

    @rule(cid=ids)
    def reply_sent(self, cid: int) -> None:
        self._do(svc.record_reply_sent, cid)

    @rule(cid=ids)
    def close(self, cid: int) -> None:
        self._do(svc.close_complaint, cid)

    @rule(cid=ids)
    def withdraw(self, cid: int) -> None:
        self._do(svc.withdraw_complaint, cid, "Gestopt.")

    @invariant()
    def stored_dossiers_follow_the_rules(self) -> None:
        limits = time_limits()
        for row in Complaint.select():
            dossier = dossier_of(row)
            check_dossier(dossier, self.clock().date(), limits)
            assert row.next_due_on == next_due_on(dossier)

    @invariant()
    def assessments_carry_resolution_and_norms(self) -> None:
        for row in Complaint.select():
            assessed = row.outcome is not None and row.assessed_on is not None
            needs_resolution = assessed and requires_resolution(row.outcome)
            assert (row.resolution is not None) == needs_resolution, row.reference
            norms = ComplaintNorm.select().where(ComplaintNorm.complaint == row.id).count()
            if assessed and requires_norm(row.outcome):
                assert norms >= 1, row.reference

    @invariant()
    def audit_chain_is_intact(self) -> None:
        assert verify_audit_chain().ok


RegisterMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=40, deadline=None)
TestRegisterMachine = RegisterMachine.TestCase
