"""The schema as a numbered chain of migrations, stored in ``PRAGMA user_version``.

Each step turns schema version N-1 into N and runs in one transaction. Steps are frozen SQL:
never edit one that has shipped, append a new one. :data:`SCHEMA_VERSION` is the version this
program writes; a register with a higher version is refused (see ``database.py``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime

from peewee import Database

# Version 1: the register's tables, and the append-only audit trail.
_V1 = [
    'CREATE TABLE "department" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "active" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "department_name" ON "department" ("name")',
    'CREATE TABLE "handler" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "email" VARCHAR(255) NOT NULL, "phone" VARCHAR(255) NOT NULL, "department_id" INTEGER, "active" INTEGER NOT NULL, FOREIGN KEY ("department_id") REFERENCES "department" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "handler_department_id" ON "handler" ("department_id")',
    'CREATE TABLE "complaint" ("id" INTEGER NOT NULL PRIMARY KEY, "reference" VARCHAR(255) NOT NULL, "registered_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "channel" VARCHAR(40) NOT NULL, "received_on" DATE NOT NULL, "coordinator_received_on" DATE NOT NULL, "received_by" VARCHAR(255) NOT NULL, "forwarded_by" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "street" VARCHAR(255) NOT NULL, "postal_code" VARCHAR(255) NOT NULL, "city" VARCHAR(255) NOT NULL, "phone" VARCHAR(255) NOT NULL, "email" VARCHAR(255) NOT NULL, "description" TEXT NOT NULL, "facts_on" DATE, "subject" VARCHAR(40), "department_id" INTEGER, "person_concerned" VARCHAR(255) NOT NULL, "nature" VARCHAR(40), "act_kind" VARCHAR(40), "solved_immediately" INTEGER NOT NULL, "immediate_solution" TEXT NOT NULL, "state" VARCHAR(40) NOT NULL, "admissible" INTEGER, "decided_on" DATE, "admissibility_motivation" TEXT NOT NULL, "acknowledged_on" DATE, "sent_to_handler_on" DATE, "handler_id" INTEGER, "investigation_contacts" TEXT NOT NULL, "investigation_summary" TEXT NOT NULL, "assessed_on" DATE, "outcome" VARCHAR(40), "no_judgement_reason" VARCHAR(40), "solution" TEXT NOT NULL, "first_returned_on" DATE, "last_returned_on" DATE, "report_text" TEXT NOT NULL, "reply_text" TEXT NOT NULL, "review_failed_on" DATE, "review_failed_reason" TEXT NOT NULL, "failed_reviews" INTEGER NOT NULL, "approved_on" DATE, "reply_sent_on" DATE, "closed_on" DATE, "withdrawn_on" DATE, "withdrawal_reason" TEXT NOT NULL, "next_due_on" DATE, FOREIGN KEY ("department_id") REFERENCES "department" ("id") ON DELETE RESTRICT, FOREIGN KEY ("handler_id") REFERENCES "handler" ("id") ON DELETE RESTRICT)',
    'CREATE UNIQUE INDEX "complaint_reference" ON "complaint" ("reference")',
    'CREATE INDEX "complaint_received_on" ON "complaint" ("received_on")',
    'CREATE INDEX "complaint_department_id" ON "complaint" ("department_id")',
    'CREATE INDEX "complaint_state" ON "complaint" ("state")',
    'CREATE INDEX "complaint_handler_id" ON "complaint" ("handler_id")',
    'CREATE INDEX "complaint_next_due_on" ON "complaint" ("next_due_on")',
    'CREATE TABLE "complaint_ground" ("complaint_id" INTEGER NOT NULL, "ground" VARCHAR(40) NOT NULL, PRIMARY KEY ("complaint_id", "ground"), FOREIGN KEY ("complaint_id") REFERENCES "complaint" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "complaint_ground_complaint_id" ON "complaint_ground" ("complaint_id")',
    'CREATE TABLE "person_key" ("complaint_id" INTEGER NOT NULL, "key" VARCHAR(255) NOT NULL, PRIMARY KEY ("complaint_id", "key"), FOREIGN KEY ("complaint_id") REFERENCES "complaint" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "person_key_complaint_id" ON "person_key" ("complaint_id")',
    'CREATE INDEX "person_key_key" ON "person_key" ("key")',
    'CREATE TABLE "audit_event" ("id" INTEGER NOT NULL PRIMARY KEY, "at" DATETIME NOT NULL, "actor" VARCHAR(255) NOT NULL, "action" VARCHAR(255) NOT NULL, "complaint_id" INTEGER, "summary" TEXT NOT NULL, "before" TEXT NOT NULL, "after" TEXT NOT NULL, "hash" VARCHAR(255) NOT NULL)',
    'CREATE INDEX "audit_event_complaint_id" ON "audit_event" ("complaint_id")',
    'CREATE TABLE "document" ("id" INTEGER NOT NULL PRIMARY KEY, "complaint_id" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL, "title" VARCHAR(255) NOT NULL, "filename" VARCHAR(255) NOT NULL, "mime_type" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "content" BLOB NOT NULL, "sha256" VARCHAR(255) NOT NULL, FOREIGN KEY ("complaint_id") REFERENCES "complaint" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "document_complaint_id" ON "document" ("complaint_id")',
    'CREATE TABLE "setting" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)',
    'CREATE TABLE "reference_counter" ("year" INTEGER NOT NULL PRIMARY KEY, "last" INTEGER NOT NULL)',
    # The audit trail is append-only: the database itself refuses to change history.
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END""",
]

# Version 2: full-text search over the complaint's text fields (FTS5, external content),
# kept in step with every write by triggers, so no code path can forget it.
_FTS_COLUMNS = "reference, name, description, street, city, email"
_V2 = [
    f"""CREATE VIRTUAL TABLE complaint_fts USING fts5(
        {_FTS_COLUMNS}, content='complaint', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER complaint_fts_insert AFTER INSERT ON complaint BEGIN
        INSERT INTO complaint_fts(rowid, {_FTS_COLUMNS})
        VALUES (new.id, new.reference, new.name, new.description, new.street, new.city,
                new.email);
    END""",
    f"""CREATE TRIGGER complaint_fts_delete AFTER DELETE ON complaint BEGIN
        INSERT INTO complaint_fts(complaint_fts, rowid, {_FTS_COLUMNS})
        VALUES ('delete', old.id, old.reference, old.name, old.description, old.street,
                old.city, old.email);
    END""",
    f"""CREATE TRIGGER complaint_fts_update AFTER UPDATE OF {_FTS_COLUMNS} ON complaint BEGIN
        INSERT INTO complaint_fts(complaint_fts, rowid, {_FTS_COLUMNS})
        VALUES ('delete', old.id, old.reference, old.name, old.description, old.street,
                old.city, old.email);
        INSERT INTO complaint_fts(rowid, {_FTS_COLUMNS})
        VALUES (new.id, new.reference, new.name, new.description, new.street, new.city,
                new.email);
    END""",
    "INSERT INTO complaint_fts(complaint_fts) VALUES ('rebuild')",
]


# Version 3: the complaint list sorts on complainant and channel without a full table scan.
_V3 = [
    'CREATE INDEX "complaint_name" ON "complaint" ("name")',
    'CREATE INDEX "complaint_channel" ON "complaint" ("channel")',
]


# Version 4: complainants sort alphabetically as a reader expects (case and accents ignored),
# through an index on the register's own klachtdesk_sort_key() (see database.py); the plain
# name index of version 3 served only that sort.
SORT_KEY_FUNCTION = "klachtdesk_sort_key"
_V4 = [
    f'CREATE INDEX "complaint_name_sort" ON "complaint" ({SORT_KEY_FUNCTION}("name"))',
    'DROP INDEX "complaint_name"',
]


# Version 5: a dossier keeps the time limits in force when it was registered, so that other
# limits adopted later never re-grade it. Existing dossiers get the limits configured now (the
# procedure's own where none were configured). A withdrawal now closes the dossier with the
# outcome 'stopzetting procedure door burger'; dossiers left 'withdrawn' are closed that way.
_V5_LIMIT_COLUMNS = {
    "acknowledgement_days": 10,
    "handler_days": 30,
    "reinvestigation_days": 7,
    "closing_days": 45,
}


def _v5(db: Database) -> None:
    for column, default in _V5_LIMIT_COLUMNS.items():
        db.execute_sql(
            f'ALTER TABLE "complaint" ADD COLUMN "{column}" INTEGER NOT NULL DEFAULT {default}'
        )
    row = db.execute_sql("SELECT value FROM setting WHERE key = 'time_limits'").fetchone()
    configured = json.loads(row[0]) if row else {}
    if not isinstance(configured, dict):
        configured = {}
    # Only what the settings screen could have stored (whole days, at least one).
    values = {
        column: configured[column]
        for column in _V5_LIMIT_COLUMNS
        if isinstance(configured.get(column), int) and configured[column] >= 1
    }
    if values:
        assignments = ", ".join(f'"{column}" = ?' for column in values)
        db.execute_sql(f'UPDATE "complaint" SET {assignments}', list(values.values()))
    db.execute_sql(
        """UPDATE "complaint" SET "state" = 'closed', "closed_on" = "withdrawn_on",
           "outcome" = 'stopped_by_citizen', "no_judgement_reason" = NULL,
           "next_due_on" = NULL
           WHERE "state" = 'withdrawn'"""
    )


# Version 6: the form of address (mevrouw / meneer / none) recorded at intake, for the letters'
# salutation. Existing complaints get none: their letters keep greeting the full name.
_V6 = [
    """ALTER TABLE "complaint" ADD COLUMN "form_of_address" VARCHAR(40) NOT NULL DEFAULT 'none'""",
]


# Version 7: the audit trail split in a header and its content, so that personal data can be
# erased from it (issue 11). Each event's hash now chains over its non-personal header (time,
# actor, action, dossier id) and the hash of its content (summary, before, after values); the
# content lives in audit_content and may only be deleted for dossiers listed in `erasure`
# (anonymised or deleted), and only for events before the erasure's own event. The old chain
# is verified first: if it was already broken, the conversion event records where, so the
# check keeps reporting it instead of blessing a tampered trail with fresh hashes.
_V7_GENESIS = "0" * 64
_V7_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
V7_CONVERSION_ACTION = "audit_converted"


def _v7_sha(values: list[object]) -> str:
    return hashlib.sha256(_V7_CANONICAL.encode(values).encode("utf-8")).hexdigest()


def _v7_iso(stored: str) -> str:
    return datetime.fromisoformat(stored).isoformat()


_V7_TABLES = [
    'CREATE TABLE "audit_event" ("id" INTEGER NOT NULL PRIMARY KEY, "at" DATETIME NOT NULL, "actor" VARCHAR(255) NOT NULL, "action" VARCHAR(255) NOT NULL, "complaint_id" INTEGER, "content_hash" VARCHAR(64) NOT NULL, "hash" VARCHAR(64) NOT NULL)',
    'CREATE TABLE "audit_content" ("event_id" INTEGER NOT NULL PRIMARY KEY, "summary" TEXT NOT NULL, "before" TEXT NOT NULL, "after" TEXT NOT NULL, FOREIGN KEY ("event_id") REFERENCES "audit_event" ("id"))',
    'CREATE TABLE "erasure" ("complaint_id" INTEGER NOT NULL PRIMARY KEY, "event_id" INTEGER NOT NULL, "kind" VARCHAR(40) NOT NULL, FOREIGN KEY ("event_id") REFERENCES "audit_event" ("id"))',
]
_V7_TRIGGERS = [
    'CREATE INDEX "audit_event_complaint_id" ON "audit_event" ("complaint_id")',
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END""",
    """CREATE TRIGGER audit_content_no_update BEFORE UPDATE ON audit_content
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END""",
    """CREATE TRIGGER audit_content_erase_only BEFORE DELETE ON audit_content
       WHEN NOT EXISTS (
           SELECT 1 FROM erasure JOIN audit_event ON audit_event.id = old.event_id
           WHERE erasure.complaint_id = audit_event.complaint_id
             AND old.event_id < erasure.event_id)
       BEGIN SELECT RAISE(ABORT, 'audit content can only be erased for an erased dossier'); END""",
    """CREATE TRIGGER erasure_no_update BEFORE UPDATE ON erasure
       BEGIN SELECT RAISE(ABORT, 'erasures are permanent'); END""",
    """CREATE TRIGGER erasure_no_delete BEFORE DELETE ON erasure
       BEGIN SELECT RAISE(ABORT, 'erasures are permanent'); END""",
]


def _v7(db: Database) -> None:
    old = db.execute_sql(
        'SELECT "id", "at", "actor", "action", "complaint_id", "summary", "before", "after", '
        '"hash" FROM "audit_event" ORDER BY "id"'
    ).fetchall()
    broken_at = None
    prev = _V7_GENESIS
    for event_id, at, actor, action, complaint_id, summary, before, after, stored in old:
        expected = _v7_sha([prev, _v7_iso(at), actor, action, complaint_id, summary, before, after])
        if expected != stored:
            broken_at = event_id
            break
        prev = stored
    db.execute_sql("DROP TRIGGER audit_event_no_update")
    db.execute_sql("DROP TRIGGER audit_event_no_delete")
    db.execute_sql('ALTER TABLE "audit_event" RENAME TO "audit_event_v6"')
    db.execute_sql('DROP INDEX "audit_event_complaint_id"')
    for sql in _V7_TABLES:
        db.execute_sql(sql)
    now = datetime.now().replace(microsecond=0)
    conversion = (
        None,
        str(now),
        "klachtdesk",
        V7_CONVERSION_ACTION,
        None,
        "Logboek omgezet: de inhoud van elke gebeurtenis wordt apart bewaard, zodat "
        "persoonsgegevens na de bewaartermijn gewist kunnen worden",
        "{}",
        json.dumps(
            {"events": len(old), "old_chain_broken_at": broken_at},
            ensure_ascii=False,
            sort_keys=True,
        ),
        "",
    )
    headers = []
    contents = []
    prev = _V7_GENESIS
    # A new register (nothing to convert) starts its trail without a conversion event.
    converted = [*old, (old[-1][0] + 1, *conversion[1:])] if old else []
    for event_id, at, actor, action, complaint_id, summary, before, after, _ in converted:
        content_hash = _v7_sha([summary, before, after])
        prev = _v7_sha([prev, _v7_iso(str(at)), actor, action, complaint_id, content_hash])
        headers.append((event_id, at, actor, action, complaint_id, content_hash, prev))
        contents.append((event_id, summary, before, after))
    cursor = db.cursor()
    cursor.executemany(
        'INSERT INTO "audit_event" ("id", "at", "actor", "action", "complaint_id", '
        '"content_hash", "hash") VALUES (?, ?, ?, ?, ?, ?, ?)',
        headers,
    )
    cursor.executemany(
        'INSERT INTO "audit_content" ("event_id", "summary", "before", "after") '
        "VALUES (?, ?, ?, ?)",
        contents,
    )
    # secure_delete (see database.py) overwrites the old table's pages with zeros.
    db.execute_sql('DROP TABLE "audit_event_v6"')
    for sql in _V7_TRIGGERS:
        db.execute_sql(sql)


_V8 = [
    'ALTER TABLE "complaint" ADD COLUMN "route" VARCHAR(40)',
    'ALTER TABLE "complaint" ADD COLUMN "resolution" VARCHAR(40)',
    'ALTER TABLE "complaint" ADD COLUMN "import_key" VARCHAR(64)',
    'CREATE UNIQUE INDEX "complaint_import_key" ON "complaint" ("import_key") '
    'WHERE "import_key" IS NOT NULL',
    'CREATE TABLE "complaint_norm" ("complaint_id" INTEGER NOT NULL, "norm" VARCHAR(40) NOT NULL, '
    'PRIMARY KEY ("complaint_id", "norm"), '
    'FOREIGN KEY ("complaint_id") REFERENCES "complaint" ("id") ON DELETE CASCADE)',
    'CREATE TABLE "improvement_action" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"complaint_id" INTEGER, "description" TEXT NOT NULL, "department_id" INTEGER, '
    '"status" VARCHAR(40) NOT NULL, "created_on" DATE NOT NULL, "due_on" DATE, '
    '"done_on" DATE, "updated_at" DATETIME NOT NULL, '
    'FOREIGN KEY ("complaint_id") REFERENCES "complaint" ("id") ON DELETE SET NULL, '
    'FOREIGN KEY ("department_id") REFERENCES "department" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "improvement_action_complaint_id" ON "improvement_action" ("complaint_id")',
    'CREATE INDEX "improvement_action_department_id" ON "improvement_action" ("department_id")',
    'CREATE TABLE "population" ("year" INTEGER NOT NULL PRIMARY KEY, '
    '"inhabitants" INTEGER NOT NULL)',
]


#: Every column the figures of a period read (services/figures.py), in one index led by the
#: day of receipt: a year's figures then read index pages of ~100 bytes per dossier instead of
#: decrypting whole rows (a 100,000-dossier register's rows do not fit the page cache).
#: tests/db/test_figures_plan.py checks that every query of a report stays on it.
FIGURES_INDEX_COLUMNS = (
    "received_on",
    "admissible",
    "outcome",
    "no_judgement_reason",
    "resolution",
    "channel",
    "route",
    "department_id",
    "subject",
    "nature",
    "act_kind",
    "closed_on",
    "acknowledged_on",
    "withdrawn_on",
    "coordinator_received_on",
    "sent_to_handler_on",
    "first_returned_on",
    "reply_sent_on",
    "decided_on",
    "solved_immediately",
    "acknowledgement_days",
    "handler_days",
    "closing_days",
    "import_key",
    "state",
)
_V9 = [
    'CREATE INDEX "complaint_figures" ON "complaint" ('
    + ", ".join(f'"{column}"' for column in FIGURES_INDEX_COLUMNS)
    + ")"
]


# Version 10: the complaint list reads only narrow indexes at 100,000 dossiers (issue 14).
# One index per filter and sort key, each followed by the day of receipt and the id (the
# list's order within equal keys), then every other column a list filter tests: a filter, a
# sort and any combination of them read index entries only, never the wide rows (70 MB at
# 100,000, more than the page cache holds). The single-column indexes they start with are
# dropped: each new one serves every query the old one served (foreign keys, the deadline
# watch, retention), led by the same column. services/complaint_list.py names them in its
# plans; tests/db/test_list_plan.py checks every list query stays on them.
_V10 = [
    'CREATE INDEX "complaint_list_received" ON "complaint" ("received_on", "id", "state", '
    '"next_due_on", "channel", "department_id", "handler_id")',
    'CREATE INDEX "complaint_list_channel" ON "complaint" ("channel", "received_on", "id", '
    '"state", "next_due_on", "department_id", "handler_id")',
    'CREATE INDEX "complaint_list_department" ON "complaint" ("department_id", "received_on", '
    '"id", "state", "next_due_on", "channel", "handler_id")',
    'CREATE INDEX "complaint_list_handler" ON "complaint" ("handler_id", "received_on", "id", '
    '"state", "next_due_on", "channel", "department_id")',
    'CREATE INDEX "complaint_list_state" ON "complaint" ("state", "received_on", "id", '
    '"next_due_on", "channel", "department_id", "handler_id")',
    'CREATE INDEX "complaint_list_due" ON "complaint" ("next_due_on", "received_on", "id", '
    '"state", "channel", "department_id", "handler_id")',
    f'CREATE INDEX "complaint_list_name" ON "complaint" ({SORT_KEY_FUNCTION}("name"), '
    '"received_on", "id", "state", "next_due_on", "channel", "department_id", "handler_id")',
    # Led by the id: a search or the figures' dossiers with few hits are looked up here
    # (instead of reading the whole of another index), and the reference sort reads it.
    'CREATE INDEX "complaint_list_id" ON "complaint" ("id", "received_on", "state", '
    '"next_due_on", "channel", "department_id", "handler_id")',
    'DROP INDEX "complaint_received_on"',
    'DROP INDEX "complaint_channel"',
    'DROP INDEX "complaint_department_id"',
    'DROP INDEX "complaint_handler_id"',
    'DROP INDEX "complaint_state"',
    'DROP INDEX "complaint_next_due_on"',
    'DROP INDEX "complaint_name_sort"',
]


# Version 11: the handler's side of the loop (issue 15). A department's head (the report goes
# to the handler with the head in copy); a dossier's one extension of its closing limit and
# whether the head was informed of the returned report (step 11); the reminders sent to a
# handler, at most one per kind per dossier (the unique index); links from a dossier to
# earlier dossiers of the same person or facts. The figures' index gets the extension.
_V11 = [
    """ALTER TABLE "department" ADD COLUMN "head_name" VARCHAR(255) NOT NULL DEFAULT ''""",
    """ALTER TABLE "department" ADD COLUMN "head_email" VARCHAR(255) NOT NULL DEFAULT ''""",
    'ALTER TABLE "complaint" ADD COLUMN "extension_days" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "complaint" ADD COLUMN "extended_on" DATE',
    """ALTER TABLE "complaint" ADD COLUMN "extension_motivation" TEXT NOT NULL DEFAULT ''""",
    'ALTER TABLE "complaint" ADD COLUMN "head_informed" INTEGER',
    'CREATE TABLE "reminder" ("id" INTEGER NOT NULL PRIMARY KEY, "complaint_id" INTEGER NOT '
    'NULL, "kind" VARCHAR(40) NOT NULL, "sent_on" DATE NOT NULL, "by_mail" INTEGER NOT NULL, '
    'FOREIGN KEY ("complaint_id") REFERENCES "complaint" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "reminder_complaint_kind" ON "reminder" ("complaint_id", "kind")',
    'CREATE TABLE "complaint_link" ("complaint_id" INTEGER NOT NULL, "earlier_id" INTEGER NOT '
    'NULL, PRIMARY KEY ("complaint_id", "earlier_id"), FOREIGN KEY ("complaint_id") REFERENCES '
    '"complaint" ("id") ON DELETE CASCADE, FOREIGN KEY ("earlier_id") REFERENCES "complaint" '
    '("id") ON DELETE CASCADE)',
    'CREATE INDEX "complaint_link_earlier_id" ON "complaint_link" ("earlier_id")',
    # The figures judge the closing limit with its extension: the column joins their index.
    'DROP INDEX "complaint_figures"',
    'CREATE INDEX "complaint_figures" ON "complaint" ('
    + ", ".join(f'"{column}"' for column in (*FIGURES_INDEX_COLUMNS, "extension_days"))
    + ")",
]


def _run(statements: list[str]) -> Callable[[Database], None]:
    def step(db: Database) -> None:
        for sql in statements:
            db.execute_sql(sql)

    return step


#: MIGRATIONS[i] turns version i into version i + 1.
MIGRATIONS: list[Callable[[Database], None]] = [
    _run(_V1),
    _run(_V2),
    _run(_V3),
    _run(_V4),
    _v5,
    _run(_V6),
    _v7,
    _run(_V8),
    _run(_V9),
    _run(_V10),
    _run(_V11),
]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: Database) -> int:
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def migrate(db: Database, target: int = SCHEMA_VERSION) -> list[int]:
    """Apply the steps from the register's version up to ``target``; returns the versions made."""
    made = []
    for version in range(schema_version(db), target):
        with db.atomic():
            MIGRATIONS[version](db)
            db.execute_sql(f"PRAGMA user_version = {version + 1}")
        made.append(version + 1)
    return made
