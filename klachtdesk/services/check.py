"""Checking the register: storage integrity, encryption pages, search index, audit chain."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from typing import cast

from klachtdesk.models import (
    Complaint,
    ComplaintGround,
    Document,
    Erasure,
    PersonKey,
    database,
)
from klachtdesk.procedure import Ground, next_due_on
from klachtdesk.procedure.words import counted

from .audit import verify_audit_chain
from .dossiers import dossier_of
from .erasure import PERSONAL_COLUMNS
from .tampering import (
    Anchor,
    counter_problems,
    document_problems,
    dossier_problems,
    register_anchor_problems,
    trigger_problems,
)


@dataclass
class CheckReport:
    complaints: int = 0
    audit_events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _left_after_erasure() -> list[str]:
    """Anonymised dossiers that still hold personal data, documents or person keys."""
    erased = Erasure.select(Erasure.complaint_id)
    personal = reduce(operator.or_, [getattr(Complaint, name) != "" for name in PERSONAL_COLUMNS])
    leftovers = (
        Complaint.id.in_(PersonKey.select(PersonKey.complaint))
        | Complaint.id.in_(Document.select(Document.complaint))
        | personal
    )
    query = Complaint.select(Complaint.reference).where(Complaint.id.in_(erased), leftovers)
    return [str(reference) for (reference,) in cast(Iterable[tuple[str]], query.tuples())]


def check_register(*, deep: bool = True, anchors: Sequence[Anchor] = ()) -> CheckReport:
    """Every check the register supports; problems are described in Dutch.

    ``anchors``: audit chain heads typed in (from a printed report), compared with the chain
    together with the anchors kept beside the register and its backups."""
    report = CheckReport()
    db = database
    rows = db.execute_sql("PRAGMA integrity_check").fetchall()
    if [r[0] for r in rows] != ["ok"]:
        report.problems.append(
            "De databank is beschadigd: " + "; ".join(str(r[0]) for r in rows[:5])
        )
    cipher = db.execute_sql("PRAGMA cipher_integrity_check").fetchall()
    if cipher:
        report.problems.append(
            "Versleutelde pagina's zijn gewijzigd of beschadigd: "
            + "; ".join(str(r[0]) for r in cipher[:5])
        )
    broken_links = db.execute_sql("PRAGMA foreign_key_check").fetchall()
    if broken_links:
        report.problems.append(f"{len(broken_links)} verwijzingen naar ontbrekende rijen.")
    try:
        db.execute_sql("INSERT INTO complaint_fts(complaint_fts) VALUES ('integrity-check')")
    except Exception as exc:  # FTS5 reports a corrupt index as a generic database error
        report.problems.append(f"De zoekindex klopt niet met de dossiers ({exc}).")
    chain = verify_audit_chain()
    report.audit_events = chain.events
    if not chain.ok:
        report.problems.append(chain.problem)
    report.complaints = Complaint.select().count()
    left = _left_after_erasure()
    if left:
        report.problems.append(
            f"Bij {counted(len(left), 'geanonimiseerd dossier')} staan nog persoonsgegevens, o.a. "
            + ", ".join(left[:5])
            + "."
        )
    report.problems += trigger_problems()
    report.problems += register_anchor_problems(anchors)
    report.problems += counter_problems()
    report.problems += dossier_problems()
    report.problems += document_problems()
    if deep:
        grounds: dict[int, set[Ground]] = {}
        pairs = ComplaintGround.select(ComplaintGround.complaint, ComplaintGround.ground).tuples()
        for complaint_id, ground in cast(Iterable[tuple[int, Ground]], pairs):
            grounds.setdefault(complaint_id, set()).add(ground)
        wrong = [
            row.reference
            for row in Complaint.select().iterator()
            if next_due_on(dossier_of(row, grounds.get(row.id, set()))) != row.next_due_on
        ]
        if wrong:
            report.problems.append(
                f"Bij {counted(len(wrong), 'dossier')} klopt de volgende termijn niet, o.a. "
                + ", ".join(wrong[:5])
                + "."
            )
    return report
