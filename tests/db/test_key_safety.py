"""Review 11's key-file findings: a damaged first page is damage (not a wrong passphrase), a
lost register is never set up anew over its key file, an old passphrase or recovery key opens
nothing klachtdesk keeps, a key file that cannot be written is a Dutch message with nothing
half-changed, the recovery-key PDF is private and the data key never shows in a repr."""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import shutil
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from klachtdesk import cli
from klachtdesk.models import (
    DB_FILENAME,
    KEY_FILENAME,
    Complaint,
    CopyAsideFailed,
    DataFolderUnusable,
    DiskFull,
    ForeignKeyFile,
    KeyFileNotWritten,
    RegisterDamaged,
    RegisterExists,
    RegisterFileMissing,
    WrongPassphrase,
    WrongRecoveryKey,
    create_register,
    database,
    open_register,
    register_file_lost,
    unwrap_sqlcipher_key,
    unwrap_with_recovery_key,
)
from klachtdesk.models.keyfile import DataKey, new_key_file
from klachtdesk.services import security
from klachtdesk.services.check import check_register
from klachtdesk.services.context import ServiceContext

from .conftest import PASSPHRASE
from .test_cli_keys import run
from .test_keys import close_legacy, make_legacy_register
from .test_register import _register_one

NEW = "nieuwe zomer boven de Dijle"
PREV = KEY_FILENAME + ".prev"
database_module = importlib.import_module("klachtdesk.models.database")
keyfile_module = importlib.import_module("klachtdesk.models.keyfile")


def _with_recovery_key(folder: Path, ctx: ServiceContext) -> str:
    with create_register(folder, PASSPHRASE) as reg:
        _register_one(ctx)
        return security.make_recovery_key(ctx, reg)


def _damage(path: Path, how: str) -> None:
    content = bytearray(path.read_bytes())
    if how == "zeroed header":
        content[:16] = bytes(16)
    elif how == "zeroed first page":
        content[:4096] = bytes(4096)
    elif how == "flipped byte in page one":
        content[1000] ^= 0x01
    path.write_bytes(bytes(content))


# --- 1. a damaged first page with the right key is damage -----------------------------------


@pytest.mark.parametrize("how", ["zeroed header", "zeroed first page", "flipped byte in page one"])
def test_a_damaged_first_page_with_the_right_key_says_damaged(
    data_dir: Path, ctx: ServiceContext, how: str
) -> None:
    recovery_key = _with_recovery_key(data_dir, ctx)
    _damage(data_dir / DB_FILENAME, how)
    before = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()}

    with pytest.raises(RegisterDamaged) as damaged:
        open_register(data_dir, PASSPHRASE)
    assert "beschadigd" in damaged.value.message and "reservekopie" in damaged.value.message
    assert "niet juist" not in damaged.value.message
    with pytest.raises(RegisterDamaged):  # the recovery key: damaged too, not "another register"
        security.recover(ctx, data_dir, recovery_key, NEW)
    # A wrong passphrase or recovery key is still that.
    with pytest.raises(WrongPassphrase):
        open_register(data_dir, PASSPHRASE + "x")
    with pytest.raises(WrongRecoveryKey):
        security.recover(ctx, data_dir, security.propose_recovery_key(), NEW)
    # Nothing was written or re-keyed.
    after = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()}
    assert {n: b for n, b in after.items() if n != "klachtdesk.lock"} == {
        n: b for n, b in before.items() if n != "klachtdesk.lock"
    }


def test_another_registers_key_file_is_still_named_foreign(tmp_path: Path) -> None:
    ours, other = tmp_path / "ours", tmp_path / "other"
    create_register(ours, PASSPHRASE).close()
    create_register(other, PASSPHRASE).close()
    shutil.copyfile(other / KEY_FILENAME, ours / KEY_FILENAME)
    with pytest.raises(ForeignKeyFile):
        open_register(ours, PASSPHRASE)


def test_a_legacy_register_beside_a_stale_key_file_is_still_rekeyed(
    data_dir: Path, ctx: ServiceContext
) -> None:
    """A re-keying that lost its new copy left a key file beside the passphrase-keyed register:
    the legacy opening succeeds, so the register is re-keyed (not called damaged)."""
    make_legacy_register(data_dir)
    _register_one(ctx)
    close_legacy()
    keyfile_module.write_key_file(data_dir / KEY_FILENAME, new_key_file(DataKey.new(), PASSPHRASE))
    with open_register(data_dir, PASSPHRASE) as reg:
        assert reg.rekeyed and Complaint.select().count() == 1


# --- 3. a lost register is not set up anew ------------------------------------------------


@pytest.mark.parametrize("left", [[KEY_FILENAME, PREV], [KEY_FILENAME], [PREV]])
def test_a_missing_register_file_beside_its_key_file_is_refused_not_set_up_anew(
    data_dir: Path, ctx: ServiceContext, left: list[str]
) -> None:
    _with_recovery_key(data_dir, ctx)
    (data_dir / DB_FILENAME).unlink()
    for name in {KEY_FILENAME, PREV} - set(left):
        (data_dir / name).unlink()
    kept = {name: (data_dir / name).read_bytes() for name in left}
    assert register_file_lost(data_dir)
    with pytest.raises(RegisterFileMissing) as refused:
        create_register(data_dir, NEW)
    message = refused.value.message
    assert "ontbreekt" in message and "reservekopie" in message.lower()
    with pytest.raises(RegisterFileMissing):
        security.create_new_register(data_dir, NEW)
    with pytest.raises(RegisterFileMissing):
        open_register(data_dir, PASSPHRASE)
    assert {name: (data_dir / name).read_bytes() for name in left} == kept
    assert not (data_dir / DB_FILENAME).exists()
    # The command line says so too.
    done = run(data_dir, "check", KLACHTDESK_PASSPHRASE=PASSPHRASE)
    assert done.returncode == 1 and "ontbreekt" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_an_interrupted_setup_is_still_cleaned_up(data_dir: Path) -> None:
    """An empty register file beside a key file: the setup stopped; a new one is made."""
    create_register(data_dir, PASSPHRASE).close()
    (data_dir / DB_FILENAME).write_bytes(b"")
    assert not register_file_lost(data_dir)
    with create_register(data_dir, NEW):
        pass
    with pytest.raises(WrongPassphrase):
        open_register(data_dir, PASSPHRASE)
    open_register(data_dir, NEW).close()
    with pytest.raises(RegisterExists):
        create_register(data_dir, NEW)


def test_a_new_register_makes_its_register_file_before_its_key_file(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A power cut between the two leaves an empty register file with the key file, which the
    next setup cleans up; never a key file alone (which would look like a lost register)."""

    class PowerCut(BaseException):
        pass

    def cut(path: Path, key_file: object) -> None:
        assert (data_dir / DB_FILENAME).exists()
        raise PowerCut

    monkeypatch.setattr(database_module, "write_key_file", cut)
    with pytest.raises(PowerCut):
        create_register(data_dir, PASSPHRASE)


# --- 4. the old passphrase and recovery key open nothing --------------------------------


def _opens(path: Path, *, passphrase: str | None = None, recovery_key: str | None = None) -> bool:
    try:
        if passphrase is not None:
            unwrap_sqlcipher_key(path, passphrase)
        else:
            assert recovery_key is not None
            unwrap_with_recovery_key(path, recovery_key)
    except (WrongPassphrase, WrongRecoveryKey):
        return False
    return True


def _key_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(KEY_FILENAME)]


def test_old_passphrase_and_recovery_key_open_neither_key_file_nor_its_copy(
    data_dir: Path, ctx: ServiceContext
) -> None:
    old_key = _with_recovery_key(data_dir, ctx)
    with open_register(data_dir, PASSPHRASE) as reg:
        security.change_passphrase(ctx, reg, PASSPHRASE, NEW)
        assert sorted(p.name for p in _key_files(data_dir)) == [KEY_FILENAME, PREV]
        for path in _key_files(data_dir):
            assert not _opens(path, passphrase=PASSPHRASE), path.name
            assert _opens(path, passphrase=NEW), path.name
            assert _opens(path, recovery_key=old_key), path.name

        new_key = security.make_recovery_key(ctx, reg)
        for path in _key_files(data_dir):
            assert not _opens(path, recovery_key=old_key), path.name
            assert _opens(path, recovery_key=new_key) and _opens(path, passphrase=NEW)

    # Recovering sets a new passphrase: the forgotten one opens nothing any more either.
    with security.recover(ctx, data_dir, new_key, PASSPHRASE + " anders"):
        pass
    for path in _key_files(data_dir):
        assert not _opens(path, passphrase=NEW), path.name
        assert _opens(path, passphrase=PASSPHRASE + " anders")
    # The copy is still the fallback for a damaged key file: renamed back, it opens.
    (data_dir / KEY_FILENAME).write_text("kapot")
    os.replace(data_dir / PREV, data_dir / KEY_FILENAME)
    with open_register(data_dir, PASSPHRASE + " anders"):
        assert check_register().ok


# --- 8. a key file that cannot be written ---------------------------------------------------


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Once called, every os.write of the key file fails as on a full disk."""

    def no_space(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    return lambda: monkeypatch.setattr(keyfile_module.os, "write", no_space)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` refuses new files: by its mode, or (for root, whom modes do not stop) by the
    immutable attribute; skipped where neither works."""
    if os.geteuid() != 0:
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            yield
        finally:
            folder.chmod(stat.S_IRWXU)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr")
    made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"the file system cannot make {folder} immutable")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def _passphrase_events() -> int:
    return int(
        database.execute_sql(
            "SELECT count(*) FROM audit_event WHERE action = 'passphrase'"
        ).fetchone()[0]
    )


def test_a_full_disk_while_changing_the_passphrase_changes_nothing(
    data_dir: Path, ctx: ServiceContext, full_disk: Callable[[], None]
) -> None:
    recovery_key = _with_recovery_key(data_dir, ctx)
    files = {p.name: p.read_bytes() for p in _key_files(data_dir)}
    full_disk()
    with open_register(data_dir, PASSPHRASE) as reg:
        with pytest.raises(KeyFileNotWritten) as failed:
            security.change_passphrase(ctx, reg, PASSPHRASE, NEW)
        assert "de schijf is vol" in failed.value.message and "Errno" not in failed.value.message
        assert _passphrase_events() == 0  # the audit event was rolled back with it
        with pytest.raises(KeyFileNotWritten):
            security.make_recovery_key(ctx, reg)
    with pytest.raises(KeyFileNotWritten):
        security.recover(ctx, data_dir, recovery_key, NEW)
    assert {p.name: p.read_bytes() for p in _key_files(data_dir)} == files  # no .tmp either
    with open_register(data_dir, PASSPHRASE):  # the folder's lock was released, too
        assert _passphrase_events() == 0


def test_a_full_disk_while_recovering_after_the_idle_lock_leaves_it_locked(
    register: object, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from klachtdesk.models import Register

    assert isinstance(register, Register)
    key = security.make_recovery_key(ctx, register)
    register.lock()
    with monkeypatch.context() as patched:
        patched.setattr(
            keyfile_module.os,
            "write",
            lambda fd, data: (_ for _ in ()).throw(OSError(errno.ENOSPC, "vol")),
        )
        with pytest.raises(KeyFileNotWritten):
            security.recover_locked(ctx, register, key, NEW)
    assert register.locked
    register.unlock(PASSPHRASE)


def test_a_read_only_data_folder_while_changing_the_passphrase_is_a_dutch_message(
    data_dir: Path, ctx: ServiceContext
) -> None:
    with create_register(data_dir, PASSPHRASE):
        pass
    files = {p.name: p.read_bytes() for p in _key_files(data_dir)}
    with open_register(data_dir, PASSPHRASE) as reg, read_only(data_dir):
        with pytest.raises(KeyFileNotWritten) as failed:
            security.change_passphrase(ctx, reg, PASSPHRASE, NEW)
        assert "geen toegang" in failed.value.message
    assert {p.name: p.read_bytes() for p in _key_files(data_dir)} == files
    open_register(data_dir, PASSPHRASE).close()


def test_a_full_disk_on_the_command_line_is_a_dutch_message(
    data_dir: Path,
    full_disk: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    create_register(data_dir, PASSPHRASE).close()
    full_disk()
    monkeypatch.setenv("KLACHTDESK_DATA_DIR", str(data_dir))
    monkeypatch.setenv("KLACHTDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("KLACHTDESK_NEW_PASSPHRASE", NEW)
    assert cli.main(["passphrase"]) != 0
    err = capsys.readouterr().err
    assert "de schijf is vol" in err and "Traceback" not in err
    assert not [p for p in data_dir.iterdir() if p.name.endswith(".tmp")]


def test_a_new_register_on_a_full_disk_leaves_nothing(
    tmp_path: Path, full_disk: Callable[[], None]
) -> None:
    folder = tmp_path / "nieuw"
    full_disk()
    with pytest.raises(DiskFull) as full:  # the disk full, not "the passphrase was not changed"
        create_register(folder, PASSPHRASE)
    assert "wachtwoord" not in full.value.message
    assert sorted(p.name for p in folder.iterdir()) == ["klachtdesk.lock"]
    with read_only(folder), pytest.raises(DataFolderUnusable):  # a read-only folder, as before
        create_register(folder, PASSPHRASE)


def test_a_failed_copy_aside_before_rekeying_is_a_dutch_message(
    data_dir: Path, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_legacy_register(data_dir)
    close_legacy()
    before = (data_dir / DB_FILENAME).read_bytes()

    def no_space(source: Path, target: Path) -> None:
        Path(target).write_bytes(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(database_module.shutil, "copy2", no_space)
    with pytest.raises(CopyAsideFailed) as failed:
        open_register(data_dir, PASSPHRASE)
    assert "de schijf is vol" in failed.value.message
    assert (data_dir / DB_FILENAME).read_bytes() == before
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILENAME, "klachtdesk.lock"]


# --- 17 and 19 ------------------------------------------------------------------------------


def test_the_recovery_key_pdf_is_private(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_register(data_dir, PASSPHRASE).close()
    out, existing = tmp_path / "sleutel.pdf", tmp_path / "bestond.pdf"
    existing.write_bytes(b"oud")
    existing.chmod(0o644)
    umask = os.umask(0o022)
    try:
        for target in (out, existing):
            done = run(
                data_dir, "recovery-key", "--out", str(target), KLACHTDESK_PASSPHRASE=PASSPHRASE
            )
            assert done.returncode == 0, done.stderr
            assert stat.S_IMODE(target.stat().st_mode) == 0o600, target.name
        saved = tmp_path / "paneel.pdf"
        security.write_private(saved, b"%PDF")
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    finally:
        os.umask(umask)


def test_the_data_key_never_shows_in_a_repr() -> None:
    key = DataKey.new()
    shown = repr(key) + str(key)
    assert key.key.hex() not in shown and repr(key.key) not in shown
    assert "salt" in shown
