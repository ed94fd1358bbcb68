"""The register file: encryption, passphrase, schema versions, the folder lock."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from peewee import IntegrityError

from klachtdesk.models import (
    SCHEMA_VERSION,
    AuditContent,
    AuditEvent,
    Complaint,
    Register,
    RegisterDamaged,
    RegisterExists,
    RegisterInUse,
    RegisterMissing,
    RegisterTooNew,
    WeakPassphrase,
    WrongPassphrase,
    create_register,
    database,
    open_register,
    register_exists,
    resolve_data_dir,
)
from klachtdesk.models.database import DB_FILENAME, KlachtdeskDatabase
from klachtdesk.procedure import Channel, Intake
from klachtdesk.services.complaints import register_complaint
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.queries import search_complaints

from .conftest import PASSPHRASE

NAME = "Griet Vandenbroucke-Uniek"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name.startswith(DB_FILENAME)
    }


def _register_one(ctx: ServiceContext, name: str = NAME) -> int:
    return register_complaint(
        ctx,
        Intake(
            channel=Channel.EMAIL,
            received_on=date(2026, 3, 1),
            description="Mijn vuilniszak werd niet opgehaald in de Lindenlaan.",
            received_by="Onthaal",
            name=name,
            email="griet@example.be",
            street="Lindenlaan 4",
            postal_code="3000",
            city="Leuven",
        ),
    )


def test_nothing_readable_in_the_file(data_dir: Path, ctx: ServiceContext) -> None:
    with create_register(data_dir, PASSPHRASE):
        _register_one(ctx)
        # While open, the WAL holds the newest pages: it must be encrypted too.
        for content in _files(data_dir).values():
            assert NAME.encode() not in content
            assert b"Lindenlaan" not in content
    files = _files(data_dir)
    assert list(files) == [DB_FILENAME]  # WAL checkpointed and removed at close
    content = files[DB_FILENAME]
    assert len(content) > 4096
    assert NAME.encode() not in content and "Lindenlaan".encode("utf-16-le") not in content
    assert not content.startswith(b"SQLite format 3")


def test_wrong_passphrase_is_refused_and_leaves_the_file_untouched(
    data_dir: Path, ctx: ServiceContext
) -> None:
    with create_register(data_dir, PASSPHRASE):
        _register_one(ctx)
    before = _files(data_dir)
    with pytest.raises(WrongPassphrase) as err:
        open_register(data_dir, PASSPHRASE + "x")
    assert "wachtwoord" in err.value.message
    assert _files(data_dir) == before
    # The lock was released: the right passphrase opens it at once.
    with open_register(data_dir, PASSPHRASE):
        assert Complaint.select().count() == 1


def test_a_damaged_register_is_not_blamed_on_the_passphrase(
    data_dir: Path, ctx: ServiceContext
) -> None:
    with create_register(data_dir, PASSPHRASE):
        _register_one(ctx)
    path = data_dir / DB_FILENAME
    path.write_bytes(path.read_bytes()[: 3 * 4096])  # half-copied: only the first pages
    before = _files(data_dir)
    with pytest.raises(RegisterDamaged) as err:
        open_register(data_dir, PASSPHRASE)
    assert "is beschadigd" in err.value.message and "niet het probleem" in err.value.message
    assert _files(data_dir) == before
    # With a wrong passphrase nothing can be read at all: that stays "wrong passphrase".
    with pytest.raises(WrongPassphrase):
        open_register(data_dir, PASSPHRASE + "x")
    assert _files(data_dir) == before


def test_an_empty_file_left_by_an_interrupted_setup_is_no_register(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / DB_FILENAME).write_bytes(b"")
    assert not register_exists(data_dir)
    with pytest.raises(RegisterMissing):
        open_register(data_dir, PASSPHRASE)
    with create_register(data_dir, PASSPHRASE):
        assert database.execute_sql("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert register_exists(data_dir)


def test_pragmas_are_on(register: object) -> None:
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute_sql("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_passphrase_rules_and_existing_or_missing_registers(data_dir: Path) -> None:
    with pytest.raises(WeakPassphrase):
        create_register(data_dir, "kort")
    with pytest.raises(RegisterMissing):
        open_register(data_dir, PASSPHRASE)
    create_register(data_dir, PASSPHRASE).close()
    with pytest.raises(RegisterExists):
        create_register(data_dir, PASSPHRASE)


def test_register_older_schema_is_migrated_with_a_backup(
    data_dir: Path, ctx: ServiceContext
) -> None:
    # Build a register of schema 1 (before full-text search) with one complaint in it.
    with open_register_at(data_dir, version=1):
        assert database.execute_sql("PRAGMA user_version").fetchone()[0] == 1
        assert "complaint_fts" not in database.get_tables()
        database.execute_sql(
            """INSERT INTO complaint (reference, registered_at, updated_at, channel, received_on,
               coordinator_received_on, received_by, forwarded_by, name, street, postal_code,
               city, phone, email, description, person_concerned, solved_immediately,
               immediate_solution, state, admissibility_motivation, investigation_contacts,
               investigation_summary, solution, report_text, reply_text, review_failed_reason,
               failed_reviews, withdrawal_reason)
               VALUES ('2026-0001', '2026-03-01 10:00:00', '2026-03-01 10:00:00', 'phone',
               '2026-03-01', '2026-03-01', 'Onthaal', '', 'Jef Oudeschema', '', '', '', '', '',
               'Klacht uit schema 1', '', 0, '', 'registered', '', '', '', '', '', '', '', 0, '')"""
        )
    with open_register(data_dir, PASSPHRASE) as reg:
        assert reg.migrated_to == list(range(2, SCHEMA_VERSION + 1))
        assert reg.backup is not None and reg.backup.exists()
        assert [c.name for c in search_complaints("oudeschema")] == ["Jef Oudeschema"]
        key = reg.sqlcipher_key
    # The backup is the old register, still encrypted (with the same data key), at schema 1.
    backup = reg.backup
    assert b"Oudeschema" not in backup.read_bytes()
    db = KlachtdeskDatabase(str(backup), passphrase=key)
    db.connect()
    assert db.execute_sql("PRAGMA user_version").fetchone()[0] == 1
    db.close()


def test_migration_from_empty_reaches_the_current_schema(register: object) -> None:
    tables = set(database.get_tables())
    assert {"complaint", "audit_event", "document", "complaint_fts", "setting"} <= tables


def test_newer_register_is_refused_untouched(data_dir: Path) -> None:
    with create_register(data_dir, PASSPHRASE):
        database.execute_sql(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = _files(data_dir)
    with pytest.raises(RegisterTooNew) as err:
        open_register(data_dir, PASSPHRASE)
    assert "nieuwere versie" in err.value.message
    assert _files(data_dir) == before


def test_second_instance_on_the_same_folder_is_refused(register: object, data_dir: Path) -> None:
    # A real second program: a separate process trying to open the same folder.
    code = (
        "import sys; from pathlib import Path\n"
        "from klachtdesk.models import open_register, RegisterInUse\n"
        "try:\n"
        f"    open_register(Path({str(data_dir)!r}), {PASSPHRASE!r})\n"
        "except RegisterInUse as e:\n"
        "    print(e.message); sys.exit(3)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 3, result.stderr
    assert "al geopend" in result.stdout
    with pytest.raises(RegisterInUse):
        open_register(data_dir, PASSPHRASE)


def test_audit_trail_refuses_update_and_delete(register: object, ctx: ServiceContext) -> None:
    _register_one(ctx)
    with pytest.raises(IntegrityError, match="append-only"):
        AuditEvent.update(actor="iemand anders").execute()
    with pytest.raises(IntegrityError, match="append-only"):
        AuditEvent.delete().execute()
    with pytest.raises(IntegrityError, match="append-only"):
        AuditContent.update(summary="verborgen").execute()
    # The content of a dossier that was not anonymised or deleted cannot be erased.
    with pytest.raises(IntegrityError, match="erased dossier"):
        AuditContent.delete().execute()


def test_data_dir_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KLACHTDESK_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir(None) == tmp_path / "env"
    assert resolve_data_dir(str(tmp_path / "arg")) == tmp_path / "arg"
    monkeypatch.delenv("KLACHTDESK_DATA_DIR")
    default = resolve_data_dir(None)
    assert default.name == "klachtdesk" and default.is_absolute()


class open_register_at:
    """Create a register that stops at an older schema version (as an older klachtdesk did)."""

    def __init__(self, folder: Path, version: int) -> None:
        self.reg = create_register(folder, PASSPHRASE, target_version=version)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        self.reg.close()


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_new_register_is_private_to_the_user(register: object, data_dir: Path) -> None:
    mode = (data_dir / DB_FILENAME).stat().st_mode & 0o777
    assert mode & 0o077 == 0, oct(mode)


def test_lock_forgets_the_passphrase_and_unlock_checks_it(
    register: Register, ctx: ServiceContext
) -> None:
    _register_one(ctx)
    register.lock()
    assert register.locked and register.db.connect_params["passphrase"] == ""
    with pytest.raises(WrongPassphrase):
        register.unlock("verkeerd wachtwoord")
    assert register.locked
    register.unlock(PASSPHRASE)
    assert not register.locked and Complaint.select().count() == 1
