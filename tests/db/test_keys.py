"""The data key and its key file: passphrase change, recovery key, damaged and foreign key
files, a damaged register, and the migration of registers from before the key file."""

from __future__ import annotations

import base64
import importlib
import json
import os
from datetime import date
from pathlib import Path

import pytest

from klachtdesk.models import (
    DB_FILENAME,
    KEY_FILENAME,
    SCHEMA_VERSION,
    Complaint,
    ForeignKeyFile,
    KeyFileDamaged,
    KeyFileMissing,
    MalformedRecoveryKey,
    NoRecoveryKey,
    RegisterDamaged,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryKey,
    create_register,
    database,
    open_register,
    unwrap_sqlcipher_key,
    unwrap_with_recovery_key,
)
from klachtdesk.models.database import REKEY_SUFFIX, KlachtdeskDatabase
from klachtdesk.models.keyfile import (
    DEFAULT_ARGON2,
    Argon2Params,
    _recovery_secret,
    normalize_recovery_key,
    read_key_file,
)
from klachtdesk.models.migrations import migrate
from klachtdesk.services import security
from klachtdesk.services.check import check_register
from klachtdesk.services.context import ServiceContext

from .conftest import PASSPHRASE
from .helpers import intake
from .test_register import _register_one

NEW_PASSPHRASE = "nieuwe zomer boven de Dijle"
# The module, not the peewee proxy that klachtdesk.models also calls ``database``.
database_module = importlib.import_module("klachtdesk.models.database")


def _db_bytes(folder: Path) -> bytes:
    return (folder / DB_FILENAME).read_bytes()


def _events(action: str) -> list[str]:
    rows = database.execute_sql(
        "SELECT c.summary, c.before, c.after FROM audit_event e "
        "JOIN audit_content c ON c.event_id = e.id WHERE e.action = ?",
        (action,),
    ).fetchall()
    return [" ".join(row) for row in rows]


def make_legacy_register(
    folder: Path, passphrase: str = PASSPHRASE, version: int = SCHEMA_VERSION
) -> None:
    """A register as klachtdesk made it before the key file: SQLCipher keyed with the
    passphrase itself, no klachtdesk.key."""
    folder.mkdir(parents=True)
    db = KlachtdeskDatabase(
        str(folder / DB_FILENAME), passphrase=passphrase, pragmas=database_module.PRAGMAS
    )
    db.connect()
    database.initialize(db)
    migrate(db, version)


def close_legacy() -> None:
    db = database.obj
    db.close()
    database.initialize(None)


@pytest.mark.real_kdf
def test_new_register_has_a_key_file_and_a_random_raw_key(register: object, data_dir: Path) -> None:
    key_file = read_key_file(data_dir / KEY_FILENAME)
    slot = key_file.slots["passphrase"]
    assert slot["kdf"] == "argon2id"
    # Memory-hard: the production parameters (about 0.3 s, see benchmarks/passphrase_change.py).
    assert (slot["time_cost"], slot["memory_cost_kib"]) == (3, 128 * 1024)
    assert Argon2Params(3, 128 * 1024, 1) == DEFAULT_ARGON2
    assert not key_file.has_recovery_slot
    raw = json.loads((data_dir / KEY_FILENAME).read_text())
    assert PASSPHRASE not in json.dumps(raw)
    # The register is keyed with the unwrapped raw key, and knows its own id.
    key = unwrap_sqlcipher_key(data_dir / KEY_FILENAME, PASSPHRASE)
    assert key.startswith("x'") and len(key) == 2 + 96 + 1
    assert register.sqlcipher_key == key  # type: ignore[attr-defined]
    stored = database.execute_sql("SELECT value FROM setting WHERE key = 'register_id'").fetchone()
    assert json.loads(stored[0]) == key_file.register_id == register.register_id  # type: ignore[attr-defined]
    # The passphrase itself does not open the file as a SQLCipher key.
    with pytest.raises(WrongPassphrase):
        KlachtdeskDatabase(str(data_dir / DB_FILENAME), passphrase=PASSPHRASE).connect()


def test_passphrase_change_rewraps_only(data_dir: Path, ctx: ServiceContext) -> None:
    with create_register(data_dir, PASSPHRASE) as reg:
        _register_one(ctx)
        reg.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        before = _db_bytes(data_dir)
        with pytest.raises(WrongPassphrase):
            security.change_passphrase(ctx, reg, "niet het oude wachtwoord", NEW_PASSPHRASE)
        with pytest.raises(WeakPassphrase) as weak:
            security.change_passphrase(ctx, reg, PASSPHRASE, "aaaaaaaa")
        assert "te zwak" in weak.value.message and "Herhalingen" in weak.value.message
        assert not _events("passphrase")
        security.change_passphrase(ctx, reg, PASSPHRASE, NEW_PASSPHRASE)
        # Nothing re-encrypted: the register's pages are the same bytes (the WAL holds the
        # audit event only).
        assert _db_bytes(data_dir)[: len(before)] == before
        [event] = _events("passphrase")
        assert "gewijzigd" in event and PASSPHRASE not in event and NEW_PASSPHRASE not in event
    assert (data_dir / (KEY_FILENAME + ".prev")).exists()
    with pytest.raises(WrongPassphrase) as wrong:
        open_register(data_dir, PASSPHRASE)
    assert "wachtwoord is niet juist" in wrong.value.message
    with open_register(data_dir, NEW_PASSPHRASE) as reg:
        assert Complaint.select().count() == 1
        # After the idle lock, the new passphrase unlocks too, the old one does not.
        reg.lock()
        with pytest.raises(WrongPassphrase):
            reg.unlock(PASSPHRASE)
        reg.unlock(NEW_PASSPHRASE)
        assert check_register().ok


def test_change_without_writing_the_db_file(data_dir: Path, ctx: ServiceContext) -> None:
    with create_register(data_dir, PASSPHRASE) as reg:
        _register_one(ctx)
    before = _db_bytes(data_dir)
    with open_register(data_dir, PASSPHRASE) as reg:
        security.change_passphrase(ctx, reg, PASSPHRASE, NEW_PASSPHRASE)
        reg.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        after = _db_bytes(data_dir)
    # Same size, same pages except those the one audit event wrote; the first page's salt and
    # the encryption of untouched pages are unchanged.
    assert len(after) >= len(before) and after[:16] == before[:16]
    unchanged = sum(
        after[i : i + 4096] == before[i : i + 4096] for i in range(0, len(before), 4096)
    )
    assert unchanged >= len(before) // 4096 - 4, (unchanged, len(before) // 4096)


def test_recovery_key_opens_and_sets_a_new_passphrase(data_dir: Path, ctx: ServiceContext) -> None:
    with create_register(data_dir, PASSPHRASE) as reg:
        _register_one(ctx)
        assert security.needs_recovery_key(reg)
        first = security.make_recovery_key(ctx, reg)
        assert not security.needs_recovery_key(reg)
        second = security.make_recovery_key(ctx, reg)
        assert len(_events("recovery_key")) == 2
        assert first not in " ".join(_events("recovery_key"))
    assert first != second and len(first) == 39  # 8 groups of 4 and 7 dashes
    # The old key is refused, also well-typed; the new one works however it is typed.
    with pytest.raises(WrongRecoveryKey):
        security.recover(ctx, data_dir, first, NEW_PASSPHRASE)
    with pytest.raises(MalformedRecoveryKey):
        security.recover(ctx, data_dir, second[:-1], NEW_PASSPHRASE)
    with pytest.raises(WeakPassphrase):
        security.recover(ctx, data_dir, second, "        ")
    sloppy = second.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert normalize_recovery_key(sloppy) == second.replace("-", "")
    with security.recover(ctx, data_dir, sloppy, NEW_PASSPHRASE):
        assert Complaint.select().count() == 1
        assert "herstelsleutel" in _events("passphrase")[0]
    with pytest.raises(WrongPassphrase):
        open_register(data_dir, PASSPHRASE)
    with open_register(data_dir, NEW_PASSPHRASE):
        assert check_register().ok
    # The recovery key stays valid until a new one is made.
    assert unwrap_with_recovery_key(data_dir / KEY_FILENAME, second) == unwrap_sqlcipher_key(
        data_dir / KEY_FILENAME, NEW_PASSPHRASE
    )


def test_missing_damaged_and_foreign_key_files_are_named_as_such(
    tmp_path: Path, ctx: ServiceContext
) -> None:
    ours, other = tmp_path / "ours", tmp_path / "other"
    create_register(ours, PASSPHRASE).close()
    create_register(other, PASSPHRASE).close()
    key = ours / KEY_FILENAME
    good = key.read_bytes()

    key.unlink()
    with pytest.raises(KeyFileMissing) as missing:
        open_register(ours, PASSPHRASE)
    assert (
        "ontbreekt" in missing.value.message
        and "wachtwoord is niet juist" not in missing.value.message
    )

    damaged = bytearray(good)
    spot = good.index(b'"ciphertext": "') + 20
    damaged[spot] = ord("A") if damaged[spot] != ord("A") else ord("B")
    key.write_bytes(bytes(damaged))
    with pytest.raises(KeyFileDamaged) as broken:
        open_register(ours, PASSPHRASE)
    assert "beschadigd" in broken.value.message and "niet het probleem" in broken.value.message
    key.write_bytes(good[: len(good) // 2])
    with pytest.raises(KeyFileDamaged):
        open_register(ours, PASSPHRASE)

    key.write_bytes((other / KEY_FILENAME).read_bytes())
    with pytest.raises(ForeignKeyFile) as foreign:
        open_register(ours, PASSPHRASE)
    assert "ander klachtdesk-register" in foreign.value.message
    with pytest.raises(ForeignKeyFile):  # also with a wrong passphrase: the file says it first
        open_register(ours, "helemaal niet juist")

    key.write_bytes(good)
    with open_register(ours, PASSPHRASE):
        assert check_register().ok


def test_a_flipped_byte_in_page_one_says_damaged(data_dir: Path, ctx: ServiceContext) -> None:
    with create_register(data_dir, PASSPHRASE):
        _register_one(ctx)
    path = data_dir / DB_FILENAME
    content = bytearray(path.read_bytes())
    content[1000] ^= 0x01
    path.write_bytes(bytes(content))
    with pytest.raises(RegisterDamaged) as err:
        open_register(data_dir, PASSPHRASE)
    assert "beschadigd" in err.value.message and "reservekopie" in err.value.message
    assert "niet juist" not in err.value.message
    # A wrong passphrase is still a wrong passphrase.
    with pytest.raises(WrongPassphrase):
        open_register(data_dir, PASSPHRASE + "x")
    # A file cut off inside its first 16 bytes is damaged too, whatever the passphrase.
    path.write_bytes(bytes(content[:10]))
    with pytest.raises(RegisterDamaged):
        open_register(data_dir, PASSPHRASE)


def test_weak_passphrases_are_refused_with_dutch_advice(tmp_path: Path) -> None:
    for weak in ("        ", "aaaaaaaa", "wachtwoord", "Wachtwoord1"):
        strength = security.passphrase_strength(weak)
        assert not strength.acceptable, weak
        with pytest.raises(WeakPassphrase) as err:
            security.create_new_register(tmp_path / "nieuw", weak)
        assert "te zwak" in err.value.message
        assert not (tmp_path / "nieuw" / DB_FILENAME).exists()
    advice = security.passphrase_strength("aaaaaaaa").summary()
    assert advice.startswith("Sterkte: zeer zwak.") and "Herhalingen" in advice
    # English never reaches the coordinator; an unknown message becomes general advice.
    assert security._dutch("Something zxcvbn may say one day.") == security.GENERIC_ADVICE
    for text in security.DUTCH_FEEDBACK.values():
        assert " the " not in text
    assert security.passphrase_strength(PASSPHRASE).acceptable
    assert security.passphrase_strength("x" * 200).acceptable is False


def test_legacy_register_is_rekeyed_with_a_backup_first(
    data_dir: Path, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_legacy_register(data_dir)
    _register_one(ctx)
    close_legacy()
    legacy_bytes = _db_bytes(data_dir)
    assert not (data_dir / KEY_FILENAME).exists()
    # No recovery key exists yet: that is what recovering says (not "key file missing").
    with pytest.raises(NoRecoveryKey):
        security.recover(ctx, data_dir, security.propose_recovery_key(), NEW_PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        open_register(data_dir, PASSPHRASE + "x")
    assert _db_bytes(data_dir) == legacy_bytes and not (data_dir / KEY_FILENAME).exists()

    # The copy aside (keyed with the passphrase) is made first; it stays when the re-keyed
    # register does not prove whole...
    monkeypatch.setattr(database_module, "_whole", lambda db: False)
    with open_register(data_dir, PASSPHRASE) as reg:
        assert reg.rekeyed and reg.backup is not None
        assert reg.backup.read_bytes() == legacy_bytes  # the untouched original
        backup = reg.backup
        assert Complaint.select().count() == 1
    old = KlachtdeskDatabase(str(backup), passphrase=PASSPHRASE)  # opens the old way
    old.connect()
    assert old.execute_sql("SELECT count(*) FROM complaint").fetchone()[0] == 1
    old.close()
    monkeypatch.undo()

    # ... and is deleted once it does: the passphrase would open it for good, also after a
    # passphrase change.
    backup.unlink()
    (data_dir / DB_FILENAME).write_bytes(legacy_bytes)
    for name in (KEY_FILENAME, KEY_FILENAME + ".prev"):
        (data_dir / name).unlink()
    with open_register(data_dir, PASSPHRASE) as reg:
        assert reg.rekeyed and reg.backup is None
        assert Complaint.select().count() == 1
        assert security.needs_recovery_key(reg)
        assert check_register().ok
    assert not list(data_dir.glob("*passphrase-keyed*"))
    with pytest.raises(NoRecoveryKey):
        security.recover(ctx, data_dir, security.propose_recovery_key(), NEW_PASSPHRASE)
    assert _db_bytes(data_dir)[:8] == b"kdkey01:"
    assert not (data_dir / (DB_FILENAME + REKEY_SUFFIX)).exists()
    with open_register(data_dir, PASSPHRASE) as reg:
        assert not reg.rekeyed
        assert [c.name for c in Complaint.select()] == ["Griet Vandenbroucke-Uniek"]


def test_legacy_register_of_an_older_schema_is_rekeyed_and_migrated(
    data_dir: Path, ctx: ServiceContext
) -> None:
    make_legacy_register(data_dir, version=4)
    close_legacy()
    with open_register(data_dir, PASSPHRASE) as reg:
        assert reg.rekeyed and reg.migrated_to == list(range(5, SCHEMA_VERSION + 1))
        assert database.execute_sql("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        from klachtdesk.services import complaints as svc

        svc.register_complaint(ctx, intake())
        assert check_register().ok


@pytest.mark.parametrize("stop_after", ["export", "key_file", "rename"])
def test_an_interrupted_rekeying_is_finished_or_redone(
    data_dir: Path, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch, stop_after: str
) -> None:
    make_legacy_register(data_dir)
    _register_one(ctx)
    close_legacy()

    class PowerCut(BaseException):
        pass

    real_write, real_put = database_module.write_key_file, database_module._put_in_place

    def cut_write(path: Path, key_file: object) -> None:
        if stop_after == "key_file":
            real_write(path, key_file)  # type: ignore[arg-type]
        raise PowerCut

    def cut_put(new_copy: Path, path: Path) -> None:
        real_put(new_copy, path)
        raise PowerCut

    if stop_after in ("export", "key_file"):
        monkeypatch.setattr(database_module, "write_key_file", cut_write)
    else:
        monkeypatch.setattr(database_module, "_put_in_place", cut_put)
    with pytest.raises(PowerCut):
        open_register(data_dir, PASSPHRASE)
    monkeypatch.undo()
    # What the power cut left behind (the lock is released by the process ending).
    pending = data_dir / (DB_FILENAME + REKEY_SUFFIX)
    if stop_after == "export":
        assert pending.exists() and not (data_dir / KEY_FILENAME).exists()
    elif stop_after == "key_file":
        assert pending.exists() and (data_dir / KEY_FILENAME).exists()
    else:
        assert not pending.exists()
    if database.obj is not None:
        database.initialize(None)
    # A wrong passphrase changes nothing, also now.
    with pytest.raises(WrongPassphrase):
        open_register(data_dir, PASSPHRASE + "x")
    with open_register(data_dir, PASSPHRASE):
        assert Complaint.select().count() == 1
        assert check_register().ok
    assert not pending.exists()
    assert _db_bytes(data_dir)[:8] == b"kdkey01:"
    with open_register(data_dir, PASSPHRASE) as reg:
        assert not reg.rekeyed


def test_the_recovery_sheet_is_one_page_with_the_key_and_instructions(
    register: object, ctx: ServiceContext, data_dir: Path
) -> None:
    import io

    from pypdf import PdfReader

    from klachtdesk.services.setup import Coordinator, Municipality, initial_setup

    initial_setup(
        ctx, Municipality("Gemeente Herent", city="Herent"), Coordinator("Ann Peeters"), [], []
    )
    recovery_key = security.make_recovery_key(ctx, register)  # type: ignore[arg-type]
    pdf = security.recovery_sheet(
        recovery_key,
        register.register_id,
        data_dir,
        date(2026, 3, 2),  # type: ignore[attr-defined]
    )
    [page] = PdfReader(io.BytesIO(pdf)).pages
    text = " ".join(page.extract_text().split())
    assert " ".join(recovery_key.split("-")) in text
    for expected in (
        "Gemeente Herent",
        "2 maart 2026",
        register.register_id,  # type: ignore[attr-defined]
        "kluis van de algemeen directeur",
        "Wachtwoord vergeten?",
        "klachtdesk recover",
        "niet meer geldig",
        "Ann Peeters",
    ):
        assert expected in text, expected


def test_key_file_is_private_and_written_atomically(register: object, data_dir: Path) -> None:
    assert not (data_dir / (KEY_FILENAME + ".tmp")).exists()
    if os.name == "posix":
        assert (data_dir / KEY_FILENAME).stat().st_mode & 0o077 == 0


def test_a_second_aes_gcm_implementation_opens_both_slots(
    data_dir: Path, ctx: ServiceContext
) -> None:
    """The key file is plain AES-256-GCM (12-byte nonce, 16-byte tag) over Argon2id and
    HKDF-SHA256: `cryptography`'s own implementations unwrap the same data key."""
    from argon2.low_level import Type, hash_secret_raw
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    with create_register(data_dir, PASSPHRASE) as reg:
        recovery_key = security.make_recovery_key(ctx, reg)
        expected = reg.sqlcipher_key
    raw = json.loads((data_dir / KEY_FILENAME).read_text())
    slots = raw["slots"]

    def opened(slot: str, wrapping: bytes) -> str:
        entry = slots[slot]
        aad = f"klachtdesk-key/1/{raw['register_id']}/{slot}".encode()
        key = AESGCM(wrapping).decrypt(
            base64.b64decode(entry["nonce"]), base64.b64decode(entry["ciphertext"]), aad
        )
        return f"x'{key.hex()}{raw['database_salt']}'"

    entry = slots["passphrase"]
    by_passphrase = hash_secret_raw(
        PASSPHRASE.encode(),
        base64.b64decode(entry["salt"]),
        time_cost=entry["time_cost"],
        memory_cost=entry["memory_cost_kib"],
        parallelism=entry["parallelism"],
        hash_len=32,
        type=Type.ID,
    )
    assert opened("passphrase", by_passphrase) == expected
    secret = _recovery_secret(recovery_key)
    by_recovery = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=base64.b64decode(slots["recovery"]["salt"]),
        info=b"klachtdesk recovery slot",
    ).derive(secret)
    assert opened("recovery", by_recovery) == expected
