"""Faults of the disk and the file, through the services and the command line.

A full disk (SQLite's real SQLITE_FULL, made with ``PRAGMA max_page_count``, which works
everywhere; ``test_small_disk.py`` fills a real tmpfs where the kernel allows mounting one
without root), a read-only register file or folder, a file too small
to be a register, a wrong passphrase after a crash, an unknown schema version, a passphrase
holding NUL, a damaged page read through the services: each is told in Dutch, and changes
nothing.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import peewee
import pexpect
import pytest
from sqlcipher3 import dbapi2 as sqlcipher

from klachtdesk import cli
from klachtdesk.models import (
    DB_FILENAME,
    KEY_FILENAME,
    AuditEvent,
    Complaint,
    DiskFull,
    Document,
    NotARegister,
    ReferenceCounter,
    Register,
    RegisterDamaged,
    RegisterReadOnly,
    RegisterUnknownVersion,
    UnusablePassphrase,
    WrongPassphrase,
    create_register,
    database,
    open_register,
    register_exists,
)
from klachtdesk.services import security
from klachtdesk.services.check import check_register
from klachtdesk.services.complaints import register_complaint
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.documents import Attachment
from klachtdesk.services.dossier_detail import complaint_detail
from klachtdesk.services.drafts import load_draft, save_draft
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup

from .conftest import PASSPHRASE
from .damage import damage_pages_holding
from .helpers import intake

ROOT = Path(__file__).resolve().parents[2]
database_module = importlib.import_module("klachtdesk.models.database")


def _files(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in ``folder``: its bytes and mode."""
    return {p.name: (p.read_bytes(), p.stat().st_mode) for p in sorted(folder.iterdir())}


def _cap_pages() -> None:
    """From now on the register may not grow by a single page: the disk is full."""
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages}")


def _uncap_pages() -> None:
    database.execute_sql("PRAGMA max_page_count = 1073741823")


def _counts() -> tuple[int, int, int, list[tuple[int, int]]]:
    counters = [(c.year, c.last) for c in ReferenceCounter.select().order_by(ReferenceCounter.year)]
    return (
        Complaint.select().count(),
        AuditEvent.select().count(),
        Document.select().count(),
        counters,
    )


def _assert_sqlite_full(error: DiskFull) -> None:
    """The Dutch message, with SQLite's own error kept underneath."""
    assert error.message.startswith("De schijf is vol")
    assert "helemaal of helemaal niet bewaard" in error.message
    assert getattr(error.original, "sqlite_errorname", "") == "SQLITE_FULL"
    assert "rollback" not in error.message


# --- a full disk -----------------------------------------------------------------------------


def test_a_full_disk_while_saving_a_draft_says_so_and_keeps_the_previous_draft(
    register: Register,
) -> None:
    save_draft({"name": "Marie Peeters", "description": "Eerste versie."})
    _cap_pages()
    with pytest.raises(DiskFull) as full:
        save_draft({"name": "Marie Peeters", "description": "Veel langer. " * 20_000})
    _assert_sqlite_full(full.value)
    assert load_draft() == {"name": "Marie Peeters", "description": "Eerste versie."}
    _uncap_pages()
    save_draft({"name": "Marie Peeters", "description": "Veel langer. " * 20_000})
    draft = load_draft()
    assert draft is not None and draft["description"].startswith("Veel langer.")


def test_a_full_disk_while_registering_rolls_back_everything(
    register: Register, ctx: ServiceContext, data_dir: Path
) -> None:
    register_complaint(ctx, intake())
    before = _counts()
    _cap_pages()
    scan = Attachment("brief.pdf", "application/pdf", os.urandom(300_000), "Brief")
    big = intake(name="Jan Janssens", description="Een lange klacht. " * 1_000)
    with pytest.raises(DiskFull) as full:
        register_complaint(ctx, big, [scan])
    _assert_sqlite_full(full.value)
    assert _counts() == before  # no dossier, event, document or reference number half-made
    assert check_register().ok
    _uncap_pages()
    second = register_complaint(ctx, big, [scan])
    assert Complaint.get_by_id(second).reference.endswith("-0002")  # the number was not used up
    register.close()
    with open_register(data_dir, PASSPHRASE):
        assert check_register().ok and Complaint.select().count() == 2


def test_a_full_disk_during_the_first_setup_saves_none_of_it(
    register: Register, ctx: ServiceContext
) -> None:
    _cap_pages()
    with pytest.raises(DiskFull):
        initial_setup(
            ctx,
            # Within the limits on input (issue 13): a name of at most 200 characters.
            Municipality("Gemeente Herent " * 12),
            Coordinator("Ann Coördinator"),
            [f"Dienst {n} " * 15 for n in range(400)],
            [],
        )
    assert AuditEvent.select().count() == 0 and check_register().ok


def _limit_pages(monkeypatch: pytest.MonkeyPatch, pages: int) -> None:
    """Every register opened from now on may hold at most ``pages`` pages."""
    monkeypatch.setitem(database_module.PRAGMAS, "max_page_count", pages)


def test_a_full_disk_at_the_first_creation_leaves_no_register(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "nieuw"
    _limit_pages(monkeypatch, 8)  # the empty register needs some 45 pages
    with pytest.raises(DiskFull) as full:
        create_register(folder, PASSPHRASE)
    _assert_sqlite_full(full.value)
    assert sorted(p.name for p in folder.iterdir()) == ["klachtdesk.lock"]
    assert not register_exists(folder)
    monkeypatch.undo()
    create_register(folder, PASSPHRASE).close()  # with room again, the setup succeeds
    with open_register(folder, PASSPHRASE):
        assert check_register().ok


def _cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setenv("KLACHTDESK_PASSPHRASE", PASSPHRASE)
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_on_a_full_disk_is_a_dutch_message_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "demo"
    # The first creation by `demo` on a full disk: no traceback, no register.
    with monkeypatch.context() as full:
        _limit_pages(full, 8)
        code, out, err = _cli(capsys, monkeypatch, "--data-dir", str(folder), "demo")
    assert code == cli.EXIT_PROBLEM and err.startswith("De schijf is vol"), err
    assert "Traceback" not in err + out and not register_exists(folder)
    # A register with 30 demo dossiers; then a demo of 500 more on a disk with room for few.
    code, out, err = _cli(capsys, monkeypatch, "--data-dir", str(folder), "demo", "--count", "30")
    assert code == cli.EXIT_OK, err
    with open_register(folder, PASSPHRASE):
        pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    with monkeypatch.context() as full:
        _limit_pages(full, pages + 20)
        code, out, err = _cli(
            capsys, monkeypatch, "--data-dir", str(folder), "demo", "--count", "500"
        )
    assert code == cli.EXIT_PROBLEM and err.startswith("De schijf is vol"), err
    assert "Traceback" not in err + out and "rollback" not in err
    code, out, err = _cli(capsys, monkeypatch, "--data-dir", str(folder), "check")
    assert code == cli.EXIT_OK and "Register in orde: 30 dossiers" in out, err


# --- read-only ------------------------------------------------------------------------------


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """``path`` (a file or a folder) cannot be written: by its mode, or for root, whom modes
    do not stop, by the immutable attribute; skipped where neither works."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(stat.S_IRUSR | (stat.S_IXUSR if path.is_dir() else 0))
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip(f"the file system cannot make {path} immutable")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_register_is_told_as_such_and_nothing_is_left_behind(
    register: Register, ctx: ServiceContext, data_dir: Path, what: str
) -> None:
    register_complaint(ctx, intake())
    register.close()
    before = _files(data_dir)
    with read_only(data_dir / DB_FILENAME if what == "file" else data_dir):
        with pytest.raises(RegisterReadOnly) as refused:
            open_register(data_dir, PASSPHRASE)
        assert (
            "alleen-lezen" in refused.value.message and "niets gewijzigd" in refused.value.message
        )
        assert "zoekindex" not in refused.value.message
    assert _files(data_dir) == before  # no -shm or -wal left, read-only or not
    with open_register(data_dir, PASSPHRASE) as reopened:
        assert check_register().ok
        reopened.lock()  # the idle lock; meanwhile the register became read-only
        before = _files(data_dir)
        with read_only(data_dir / DB_FILENAME if what == "file" else data_dir):
            with pytest.raises(RegisterReadOnly):
                reopened.unlock(PASSPHRASE)
            assert reopened.locked
        assert _files(data_dir) == before
        reopened.unlock(PASSPHRASE)
        assert Complaint.select().count() == 1


# --- not a register --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "key_file"),
    [
        (b"x", True),
        (b"x", False),
        (bytes(511), False),
        (b"SQLite format 3\x00" + bytes(4080), False),
    ],
    ids=["1 byte", "1 byte without key file", "511 bytes", "plain SQLite"],
)
def test_a_file_that_cannot_be_a_register_is_refused_and_never_replaced(
    data_dir: Path, content: bytes, key_file: bool
) -> None:
    create_register(data_dir, PASSPHRASE).close()
    (data_dir / DB_FILENAME).write_bytes(content)
    if not key_file:
        for path in data_dir.glob(f"{KEY_FILENAME}*"):
            path.unlink()
    before = _files(data_dir)
    for passphrase in (PASSPHRASE, "een heel ander wachtwoord"):
        with pytest.raises(NotARegister) as refused:
            open_register(data_dir, passphrase)
        assert "geen klachtdesk-register" in refused.value.message
        assert "reservekopie" in refused.value.message
    assert _files(data_dir) == before


# --- a wrong passphrase after a crash --------------------------------------------------------

_CRASH = """
import os, sys
from pathlib import Path
from klachtdesk.models import database
from klachtdesk.models.database import PRAGMAS, KlachtdeskDatabase, open_register
from klachtdesk.models.migrations import migrate
folder, passphrase, legacy = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "legacy"
if legacy:
    db = KlachtdeskDatabase(str(folder / "klachtdesk.db"), passphrase=passphrase, pragmas=PRAGMAS)
    db.connect()
    database.initialize(db)
    migrate(db)
else:
    open_register(folder, passphrase)
database.execute_sql("INSERT INTO setting (key, value) VALUES ('crash', ?)", ("x" * 50_000,))
os._exit(0)  # no close: the WAL and its shared memory stay, as after a crash
"""


@pytest.mark.parametrize("kind", ["key file", "legacy"])
def test_a_wrong_passphrase_after_a_crash_changes_nothing(data_dir: Path, kind: str) -> None:
    if kind == "legacy":
        data_dir.mkdir()
    else:
        create_register(data_dir, PASSPHRASE).close()
    arguments = [str(data_dir), PASSPHRASE, "legacy" if kind == "legacy" else "keyed"]
    subprocess.run([sys.executable, "-c", _CRASH, *arguments], cwd=ROOT, check=True)
    assert (data_dir / f"{DB_FILENAME}-wal").stat().st_size > 0
    before = _files(data_dir)
    with pytest.raises(WrongPassphrase) as wrong:
        open_register(data_dir, "een verkeerd wachtwoord")
    assert "niets gewijzigd" in wrong.value.message
    assert _files(data_dir) == before  # file, WAL, shared memory and folder: byte for byte
    with open_register(data_dir, PASSPHRASE):  # the right one: the crashed session's write is kept
        row = database.execute_sql("SELECT length(value) FROM setting WHERE key = 'crash'")
        assert row.fetchone()[0] == 50_000


# --- an unknown schema version ---------------------------------------------------------------


@pytest.mark.parametrize("version", [-1, -2_000_000, 0])
def test_an_unknown_schema_version_is_refused_untouched(
    register: Register, ctx: ServiceContext, data_dir: Path, version: int
) -> None:
    register_complaint(ctx, intake())
    database.execute_sql(f"PRAGMA user_version = {version}")
    register.close()
    before = (data_dir / DB_FILENAME).read_bytes()
    with pytest.raises(RegisterUnknownVersion) as refused:
        open_register(data_dir, PASSPHRASE)
    assert f"onbekende schemaversie ({version})" in refused.value.message
    assert "already exists" not in refused.value.message
    assert (data_dir / DB_FILENAME).read_bytes() == before
    assert not (data_dir / f"{DB_FILENAME}-wal").exists()


# --- a passphrase holding NUL ----------------------------------------------------------------

NUL_PASSPHRASE = "correct paard\x00batterij nietje"


def test_a_passphrase_with_nul_is_refused_in_dutch_wherever_it_is_given(
    tmp_path: Path, register: Register, ctx: ServiceContext, data_dir: Path
) -> None:
    def refused(action: object) -> str:
        assert callable(action)
        with pytest.raises(UnusablePassphrase) as error:
            action()
        assert "null character" not in error.value.message
        return error.value.message

    assert "nulteken" in refused(lambda: create_register(tmp_path / "nieuw", NUL_PASSPHRASE))
    assert not (tmp_path / "nieuw").exists()
    refused(lambda: security.require_strong_passphrase(NUL_PASSPHRASE))
    strength = security.passphrase_strength(NUL_PASSPHRASE)  # as the setup wizard shows it
    assert not strength.acceptable and "nulteken" in " ".join(strength.feedback)
    refused(lambda: security.change_passphrase(ctx, register, PASSPHRASE, NUL_PASSPHRASE))
    refused(lambda: security.change_passphrase(ctx, register, NUL_PASSPHRASE, PASSPHRASE + "!"))
    refused(lambda: security.require_strong_passphrase("lone \ud800 surrogate, long enough"))
    register.lock()
    refused(lambda: register.unlock(NUL_PASSPHRASE))
    register.unlock(PASSPHRASE)
    register.close()
    refused(lambda: open_register(data_dir, NUL_PASSPHRASE))


# --- a damaged page read through the services ------------------------------------------------


def test_a_damaged_page_read_through_the_services_is_a_dutch_message(
    register: Register, ctx: ServiceContext, data_dir: Path
) -> None:
    scan = Attachment("brief.pdf", "application/pdf", b"%PDF-1.4 ...", "BRIEFXYZZY van de buren")
    complaint_id = register_complaint(ctx, intake(), [scan])
    key = register.sqlcipher_key
    register.close()
    damage_pages_holding(data_dir / DB_FILENAME, key, b"BRIEFXYZZY")
    before = (data_dir / DB_FILENAME).read_bytes()
    with open_register(data_dir, PASSPHRASE):
        assert Complaint.get_by_id(complaint_id).name == "Marie Peeters"  # the rest still reads
        with pytest.raises(RegisterDamaged) as damaged:
            complaint_detail(complaint_id, ctx.today())
    message = damaged.value.message
    assert "is beschadigd" in message and "reservekopie" in message and "check" in message
    assert getattr(damaged.value.original, "sqlite_errorname", "") == "SQLITE_CORRUPT"
    # Still the database error it was, for code that catches those (the driver's or peewee's).
    assert isinstance(damaged.value, sqlcipher.DatabaseError)
    assert isinstance(damaged.value, peewee.DatabaseError)
    assert (data_dir / DB_FILENAME).read_bytes() == before


def test_a_passphrase_with_nul_typed_at_the_terminal_is_refused_in_dutch(data_dir: Path) -> None:
    """Ctrl+@ types NUL; getpass hands it on."""
    from .test_cli_prompt import spawn

    new = data_dir.parent / "nieuw"
    child = spawn("--data-dir", str(new), "demo", "--count", "3")
    for prompt in ("Wachtwoord van het register: ", "Nog eens, ter controle: "):
        child.expect(prompt)
        child.sendline(NUL_PASSPHRASE)
    child.expect("nulteken")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == cli.EXIT_PROBLEM and not register_exists(new)
    create_register(data_dir, PASSPHRASE).close()
    child = spawn("--data-dir", str(data_dir), "check")
    child.logfile_read = screen = io.StringIO()
    child.expect("Wachtwoord van het register: ")
    child.sendline(NUL_PASSPHRASE)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == cli.EXIT_PROBLEM
    assert "nulteken" in screen.getvalue() and "null character" not in screen.getvalue()


def test_a_full_disk_inside_a_nested_transaction_is_still_disk_full(register: Register) -> None:
    """A service calling another one nests a savepoint in the transaction: after SQLite rolled
    everything back, neither ROLLBACK TO nor ROLLBACK may hide the full disk."""
    save_draft({"name": "eerst"})
    _cap_pages()
    with pytest.raises(DiskFull) as full, database.atomic():
        database.execute_sql("INSERT INTO setting (key, value) VALUES ('a', 'klein')")
        with database.atomic():
            database.execute_sql("INSERT INTO setting (key, value) VALUES ('b', ?)", ("x" * 10**6,))
    _assert_sqlite_full(full.value)
    assert (
        database.execute_sql("SELECT count(*) FROM setting WHERE key IN ('a', 'b')").fetchone()[0]
        == 0
    )
    assert load_draft() == {"name": "eerst"}
    _uncap_pages()
    with database.atomic():  # the connection is usable again
        database.execute_sql("INSERT INTO setting (key, value) VALUES ('a', 'klein')")
    assert check_register().ok


@pytest.mark.parametrize("nested", [False, True])
def test_a_transaction_sqlite_already_rolled_back_keeps_its_own_error(
    register: Register, nested: bool
) -> None:
    """On a full disk SQLite may roll the whole transaction back itself (whether it does
    depends on when the failed statement is reset); peewee's ROLLBACK, or ROLLBACK TO a
    savepoint, then failed with "no transaction is active" and hid the real error."""

    class Full(Exception):
        pass

    with pytest.raises(Full), database.atomic():
        database.execute_sql("INSERT INTO setting (key, value) VALUES ('a', 'klein')")
        with database.atomic() if nested else contextlib.nullcontext():
            database.connection().execute("ROLLBACK")  # what SQLite does by itself
            raise Full
    assert database.execute_sql("SELECT count(*) FROM setting WHERE key = 'a'").fetchone()[0] == 0
    with database.atomic():  # and the connection goes on working
        database.execute_sql("INSERT INTO setting (key, value) VALUES ('a', 'klein')")
