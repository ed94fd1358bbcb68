"""`klachtdesk check` on a damaged register: a Dutch finding and a problem exit, never a
traceback, and the register's folder byte for byte as it was.

One real register (fictitious dossiers, a search index, an audit trail) is made once; each
case copies its folder, damages the copy (a flipped byte, a cut-off file, a WAL that does not
belong to it) and runs ``klachtdesk check`` in a process of its own, as an administrator would.
The key file carries the quick key derivation the register was made with, so each run costs
the start of a process and the check itself.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from klachtdesk.models import DB_FILENAME, Register, create_register, database, open_register
from klachtdesk.models.keyfile import Argon2Params
from klachtdesk.models.read_only import PAGE_SIZE
from klachtdesk.services.check import check_register
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.demo import fill_with_demo

from ..conftest import FakeClock
from .conftest import PASSPHRASE
from .test_cli import run

QUICK = Argon2Params(1, 8 * 1024, 1)
WAL = DB_FILENAME + "-wal"
SHM = DB_FILENAME + "-shm"

# What SQLite, SQLCipher or Python would say in English; none of it may reach the user.
ENGLISH = (
    "Traceback",
    "Error",
    "error",
    "exception",
    "malformed",
    "not a database",
    "disk image",
    "no such",
    "unable to",
    "invalid",
    "never used",
    "HMAC",
)


@dataclass(frozen=True)
class Pristine:
    folder: Path
    size: int
    #: Offsets inside the search index's pages (its data and index trees).
    fts_offsets: tuple[int, int]


def _ctx() -> ServiceContext:
    return ServiceContext(actor="coördinator", clock=FakeClock(datetime(2026, 3, 2, 9, 30)))


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Pristine:
    folder = tmp_path_factory.mktemp("ongeschonden") / "klachtdesk-data"
    with create_register(folder, PASSPHRASE, argon2=QUICK) as register:
        fill_with_demo(_ctx(), 120, seed=13)
        roots = dict(
            register.db.execute_sql(
                "SELECT name, rootpage FROM sqlite_master "
                "WHERE name IN ('complaint_fts_data', 'complaint_fts_idx')"
            ).fetchall()
        )
    size = (folder / DB_FILENAME).stat().st_size
    assert size % PAGE_SIZE == 0 and size > 40 * PAGE_SIZE
    fts = tuple(
        (roots[name] - 1) * PAGE_SIZE + 700 for name in ("complaint_fts_data", "complaint_fts_idx")
    )
    return Pristine(folder, size, (fts[0], fts[1]))


def _state(folder: Path) -> dict[str, str]:
    """Every file in the folder with the sha256 of its content."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _copy(pristine: Pristine, tmp_path: Path) -> Path:
    folder = tmp_path / "klachtdesk-data"
    shutil.copytree(pristine.folder, folder)
    return folder


def _assert_reported(folder: Path) -> str:
    """Run the check; it must fail in Dutch, with the advice, and change nothing."""
    before = _state(folder)
    result = run("check", data_dir=folder)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Problemen in het register:" in result.stderr, output
    assert "reservekopie" in result.stderr.lower() and "klachtdesk restore" in output, output
    for english in ENGLISH:
        assert english not in output, (english, output)
    assert _state(folder) == before, "check changed the register's folder"
    return result.stderr


def _flip(offset: Callable[[Pristine], int]) -> Callable[[Pristine, Path], None]:
    def damage(pristine: Pristine, path: Path) -> None:
        content = bytearray(path.read_bytes())
        content[offset(pristine)] ^= 0x10
        path.write_bytes(bytes(content))

    return damage


FLIPS: dict[str, Callable[[Pristine], int]] = {
    "salt (first byte of the file)": lambda p: 0,
    "salt, last byte": lambda p: 15,
    "page 1 header": lambda p: 20,
    "page 1, schema": lambda p: 200,
    "page 1, HMAC": lambda p: PAGE_SIZE - 10,
    "4096 (page 2, first byte)": lambda p: 4096,
    "4200": lambda p: 4200,
    "8242": lambda p: 8242,
    "page 3, IV": lambda p: 3 * PAGE_SIZE - 70,
    "mid-file": lambda p: p.size // 2,
    "mid-file, next page": lambda p: p.size // 2 + PAGE_SIZE + 333,
    "search index data": lambda p: p.fts_offsets[0],
    "search index tree": lambda p: p.fts_offsets[1],
    "second-to-last page": lambda p: p.size - PAGE_SIZE - 2000,
    "last page, first byte": lambda p: p.size - PAGE_SIZE,
    "last page": lambda p: p.size - 100,
    "last byte": lambda p: p.size - 1,
}


@pytest.mark.parametrize("where", list(FLIPS))
def test_a_flipped_byte_is_reported_in_dutch(
    pristine: Pristine, tmp_path: Path, where: str
) -> None:
    folder = _copy(pristine, tmp_path)
    _flip(FLIPS[where])(pristine, folder / DB_FILENAME)
    said = _assert_reported(folder)
    offset = FLIPS[where](pristine)
    if offset >= PAGE_SIZE:  # the damaged page is named, with its bytes
        page = offset // PAGE_SIZE + 1
        assert f"pagina {page} (bytes {(page - 1) * PAGE_SIZE}–" in said, said
    elif offset < 16:
        assert "zout" in said, said
    else:
        assert "pagina 1" in said, said


TRUNCATIONS: dict[str, Callable[[int], int]] = {
    "one byte shorter": lambda size: size - 1,
    "100 bytes shorter": lambda size: size - 100,
    "one page shorter": lambda size: size - PAGE_SIZE,
    "a page and a byte shorter": lambda size: size - PAGE_SIZE - 1,
    "ten pages shorter": lambda size: size - 10 * PAGE_SIZE,
    "half": lambda size: size // 2,
    "half, not on a page": lambda size: size // 2 + 1234,
    "two pages": lambda size: 2 * PAGE_SIZE,
    "one page": lambda size: PAGE_SIZE,
    "one page and a byte": lambda size: PAGE_SIZE + 1,
    "100 bytes": lambda size: 100,
    "the salt only": lambda size: 16,
    "one byte": lambda size: 1,
}


@pytest.mark.parametrize("cut", list(TRUNCATIONS))
def test_a_truncated_file_is_reported_in_dutch(
    pristine: Pristine, tmp_path: Path, cut: str
) -> None:
    folder = _copy(pristine, tmp_path)
    path = folder / DB_FILENAME
    size = TRUNCATIONS[cut](pristine.size)
    path.write_bytes(path.read_bytes()[:size])
    said = _assert_reported(folder)
    if size % PAGE_SIZE:
        assert "afgekapt" in said, said


@pytest.fixture
def crashed(tmp_path: Path) -> Iterator[tuple[Path, Path, int]]:
    """A register as a crash leaves it (its last changes only in the WAL), and a copy of its
    file from before its last checkpoint; with the number of dossiers in the WAL's state."""
    folder = tmp_path / "klachtdesk-data"
    ctx = _ctx()
    with create_register(folder, PASSPHRASE, argon2=QUICK):
        fill_with_demo(ctx, 20, seed=1)
    old = tmp_path / "oud.db"
    shutil.copy(folder / DB_FILENAME, old)
    with open_register(folder, PASSPHRASE):
        fill_with_demo(ctx, 20, seed=2)
    register = open_register(folder, PASSPHRASE)
    try:
        fill_with_demo(ctx, 3, seed=3)
        # What a kill -9 leaves: the file, the WAL holding the last commits, the -shm.
        crash = tmp_path / "na-de-crash"
        crash.mkdir()
        for name in (DB_FILENAME, WAL, SHM):
            shutil.copy(folder / name, crash / name)
    finally:
        register.close()
    for name in (DB_FILENAME, WAL, SHM):
        shutil.copy(crash / name, folder / name)
    yield folder, old, 43


def test_a_crashed_register_is_checked_with_its_wal_and_left_as_it_was(
    crashed: tuple[Path, Path, int],
) -> None:
    folder, _old, count = crashed
    assert (folder / WAL).stat().st_size > 0
    before = _state(folder)
    result = run("check", data_dir=folder)
    assert result.returncode == 0, result.stderr
    assert f"Register in orde: {count} dossiers" in result.stdout
    # Not checkpointed: the WAL and the -shm are still there, unchanged.
    assert _state(folder) == before


def test_a_stale_wal_beside_an_old_register_is_named(crashed: tuple[Path, Path, int]) -> None:
    folder, old, _count = crashed
    shutil.copy(old, folder / DB_FILENAME)  # restored by hand, the newer WAL left beside it
    (folder / SHM).unlink()
    said = _assert_reported(folder)
    assert f"{WAL} naast het register past er niet bij" in said, said
    assert SHM not in {p.name for p in folder.iterdir()}
    # Once the WAL is set aside, the old register checks whole.
    (folder / WAL).rename(folder.parent / "opzij.db-wal")
    assert run("check", data_dir=folder).returncode == 0


def test_a_damaged_search_index_is_told_as_such(register: Register, ctx: ServiceContext) -> None:
    """Garbage in the search index's own rows (not a page SQLCipher rejects): SQLite's check
    of the FTS5 index finds it, and the finding names the search index."""
    fill_with_demo(ctx, 30, seed=5)
    database.execute_sql(
        "UPDATE complaint_fts_data SET block = substr(block, 1, length(block) - 3) || x'000102' "
        "WHERE id = (SELECT max(id) FROM complaint_fts_data)"
    )
    report = check_register()
    assert not report.ok and report.damaged
    assert any(problem.startswith("De zoekindex klopt niet") for problem in report.problems)
    assert report.complaints == 30  # the other checks still ran


def test_a_step_finds_the_register_folder_in_both_ways_of_checking(
    register: Register, data_dir: Path, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step sees the folder both on the open register (the window) and on the file read
    for ``klachtdesk check``; a step that raises is a finding, and the others still run."""
    from klachtdesk.services import check

    fill_with_demo(ctx, 3, seed=8)
    seen: list[Path | None] = []

    def looks(report: check.CheckReport) -> None:
        seen.append(check.register_folder())
        raise ValueError("kapot")

    monkeypatch.setattr(check, "CHECK_STEPS", (("een proef", looks), *check.CHECK_STEPS))
    report = check_register(deep=False)
    assert "Het nalezen van een proef lukte niet" in report.problems[0]
    assert "ValueError" in report.problems[0] and report.complaints == 3
    register.close()
    report = check.check_register_file(data_dir, PASSPHRASE, deep=False)
    assert seen == [data_dir, data_dir]
    assert len(report.problems) == 1 and report.complaints == 3
