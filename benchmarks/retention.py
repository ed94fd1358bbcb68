"""How long anonymising and the audit-trail migration (7) take on a large register.

    python benchmarks/retention.py [--count 100000]

Prints figures; asserts nothing (the machines are shared and noisy). Uses a temp folder.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from common import PASSPHRASE, run_klachtdesk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="klachtdesk-bench-"))
    try:
        run_klachtdesk(folder, "demo", "--count", str(args.count), quiet=True)

        from klachtdesk.models import AuditEvent, open_register
        from klachtdesk.models.migrations import migrate
        from klachtdesk.services.audit import verify_audit_chain
        from klachtdesk.services.context import ServiceContext
        from klachtdesk.services.erasure import anonymise_complaints
        from klachtdesk.services.retention import past_retention, set_retention_years

        ctx = ServiceContext(actor="benchmark")
        with open_register(folder, PASSPHRASE) as register:
            events = AuditEvent.select().count()
            started = time.perf_counter()
            verify_audit_chain()
            verify = time.perf_counter() - started
            set_retention_years(ctx, 1)
            expired = past_retention(date.today())
            started = time.perf_counter()
            anonymise_complaints(ctx, [expired[0].complaint_id])
            one = time.perf_counter() - started
            batch = [d.complaint_id for d in expired[1:1001]]
            started = time.perf_counter()
            anonymise_complaints(ctx, batch)
            thousand = time.perf_counter() - started
            # Migration 7 again, as on a register of schema 6 with this many events: its
            # tables rebuilt from the v6 shape (content back in audit_event).
            db = register.db
            with db.atomic():
                for trigger in ("audit_event_no_update", "audit_event_no_delete"):
                    db.execute_sql(f"DROP TRIGGER {trigger}")
                for name in ("audit_content_no_update", "audit_content_erase_only"):
                    db.execute_sql(f"DROP TRIGGER {name}")
                for name in ("erasure_no_update", "erasure_no_delete"):
                    db.execute_sql(f"DROP TRIGGER {name}")
                db.execute_sql(
                    "CREATE TABLE old AS SELECT e.id, e.at, e.actor, e.action, e.complaint_id, "
                    "coalesce(c.summary, '') AS summary, coalesce(c.before, '{}') AS before, "
                    "coalesce(c.after, '{}') AS after, e.hash FROM audit_event e "
                    "LEFT JOIN audit_content c ON c.event_id = e.id"
                )
                # The hashes as version 6 made them, so the migration verifies the whole chain.
                rows = db.execute_sql(
                    "SELECT id, at, actor, action, complaint_id, summary, before, after "
                    "FROM old ORDER BY id"
                ).fetchall()
                prev, hashes = "0" * 64, []
                for event_id, at, *rest in rows:
                    payload = [prev, at.replace(" ", "T"), *rest]
                    prev = hashlib.sha256(
                        json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
                    ).hexdigest()
                    hashes.append((prev, event_id))
                db.execute_sql("CREATE UNIQUE INDEX old_id ON old (id)")
                db.cursor().executemany("UPDATE old SET hash = ? WHERE id = ?", hashes)
                db.execute_sql("DROP INDEX old_id")
                db.execute_sql("DROP TABLE erasure")
                db.execute_sql("DROP TABLE audit_content")
                db.execute_sql("DROP TABLE audit_event")
                db.execute_sql("ALTER TABLE old RENAME TO audit_event")
                db.execute_sql(
                    'CREATE INDEX "audit_event_complaint_id" ON audit_event (complaint_id)'
                )
                for trigger in ("audit_event_no_update", "audit_event_no_delete"):
                    db.execute_sql(
                        f"CREATE TRIGGER {trigger} BEFORE UPDATE ON audit_event "
                        "BEGIN SELECT RAISE(ABORT, 'x'); END"
                        if trigger.endswith("update")
                        else f"CREATE TRIGGER {trigger} BEFORE DELETE ON audit_event "
                        "BEGIN SELECT RAISE(ABORT, 'x'); END"
                    )
                db.execute_sql("PRAGMA user_version = 6")
            started = time.perf_counter()
            migrate(db)
            migration = time.perf_counter() - started
            converted = verify_audit_chain()
        print(f"complaints                      {args.count}")
        print(f"audit events                    {events}")
        print(f"verify audit chain              {verify:.2f} s")
        print(f"anonymise 1 dossier             {one:.2f} s (incl. FTS optimize + checkpoint)")
        print(f"anonymise {len(batch)} dossiers          {thousand:.2f} s (one transaction)")
        print(
            f"migration 7 (split the trail)   {migration:.2f} s (old chain intact: {converted.ok})"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
