"""Where the report and the export are written: all three report files or none, nothing
replaced that is not a regular file, no file overwritten by the command line unless asked,
and every OS error in Dutch."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from klachtdesk.models import Register, create_register
from klachtdesk.models.keyfile import os_reason
from klachtdesk.procedure import UserError
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.export import ExportFormat, ExportRequest, export_dossiers
from klachtdesk.services.report_files import (
    ReportFileExists,
    ReportFiles,
    write_report_files,
)
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup

from .conftest import PASSPHRASE
from .helpers import intake
from .test_cli import run

FILES = ReportFiles("Jaarverslag 2026", "jaarverslag-2026", b"%PDF-", b"PK-docx", b"PK-xlsx")
NAMES = ["jaarverslag-2026.docx", "jaarverslag-2026.pdf", "jaarverslag-2026.xlsx"]


def test_the_three_report_files_are_written_together(tmp_path: Path) -> None:
    out = tmp_path / "verslag"  # made when missing
    written = write_report_files(FILES, out)
    assert sorted(p.name for p in out.iterdir()) == NAMES
    assert [p.read_bytes() for p in written] == [b"%PDF-", b"PK-docx", b"PK-xlsx"]


def test_a_folder_taken_by_a_file_name_leaves_no_report_behind(tmp_path: Path) -> None:
    out = tmp_path / "verslag"
    out.mkdir()
    (out / "jaarverslag-2026.docx").mkdir()
    with pytest.raises(UserError, match="geen gewoon bestand") as refused:
        write_report_files(FILES, out)
    assert "Er werd niets geschreven" in refused.value.message
    assert sorted(p.name for p in out.iterdir()) == ["jaarverslag-2026.docx"]  # no PDF


def test_an_existing_report_is_replaced_only_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "verslag"
    out.mkdir()
    (out / "jaarverslag-2026.xlsx").write_bytes(b"oud")
    with pytest.raises(ReportFileExists):
        write_report_files(FILES, out)
    assert sorted(p.name for p in out.iterdir()) == ["jaarverslag-2026.xlsx"]
    write_report_files(FILES, out, overwrite=True)
    assert (out / "jaarverslag-2026.xlsx").read_bytes() == b"PK-xlsx"
    assert sorted(p.name for p in out.iterdir()) == NAMES


def test_a_file_or_a_missing_parent_as_folder_is_refused_in_dutch(tmp_path: Path) -> None:
    a_file = tmp_path / "verslag.txt"
    a_file.write_text("x")
    with pytest.raises(UserError, match="is een bestand, geen map"):
        write_report_files(FILES, a_file)
    with pytest.raises(UserError, match="bestaat niet"):
        write_report_files(FILES, tmp_path / "nee" / "verslag")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["verslag.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a read-only folder anyway")
def test_a_read_only_folder_gives_a_dutch_reason_and_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "verslag"
    out.mkdir()
    out.chmod(0o500)
    try:
        with pytest.raises(UserError, match="geen toegang"):
            write_report_files(FILES, out)
    finally:
        out.chmod(0o700)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (errno.EISDIR, "er staat een map met die naam"),
        (errno.EBUSY, "het bestand of de map is in gebruik"),
        (errno.ENOENT, "de map of het bestand bestaat niet"),
        (errno.ENAMETOOLONG, "de naam of het pad is te lang"),
        (errno.ELOOP, f"fout bij het lezen of schrijven (foutcode {errno.ELOOP})"),
    ],
)
def test_os_errors_are_told_in_dutch(number: int, expected: str) -> None:
    assert os_reason(OSError(number, os.strerror(number), "x")) == expected


def test_the_export_never_replaces_a_folder_or_a_device(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    svc.register_complaint(ctx, intake())
    tmp_path = tmp_path / "uit"
    tmp_path.mkdir()
    pipe = tmp_path / "pijp.csv"
    os.mkfifo(pipe)  # a special file as /dev/full is: it must stay what it is
    folder = tmp_path / "map.xlsx"
    folder.mkdir()
    for target in (pipe, folder, Path("")):
        for kind in ExportFormat:
            with pytest.raises(UserError, match="geen gewoon bestand"):
                export_dossiers(ctx, ExportRequest(export_format=kind), target)
    assert pipe.is_fifo() and folder.is_dir() and list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.xlsx", "pijp.csv"]


def test_the_commands_refuse_in_dutch_and_overwrite_only_when_asked(
    data_dir: Path, tmp_path: Path
) -> None:
    with create_register(data_dir, PASSPHRASE):
        initial_setup(
            ServiceContext(),
            Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
            Coordinator("Ann Coördinator", phone="016 85 30 00", email="klachten@herent.example"),
            ["Burgerzaken"],
            [],
        )
    tmp_path = tmp_path / "uit"
    tmp_path.mkdir()
    existing = tmp_path / "klachten.csv"
    existing.write_text("oud")
    kept = run("export", "--format", "csv", "--out", str(existing), data_dir=data_dir)
    assert kept.returncode == 1
    assert "bestaat al" in kept.stderr and "--overwrite" in kept.stderr
    assert existing.read_text() == "oud"
    replaced = run(
        "export", "--format", "csv", "--out", str(existing), "--overwrite", data_dir=data_dir
    )
    assert replaced.returncode == 0, replaced.stderr
    assert existing.read_text(encoding="utf-8-sig").startswith("Referentie")
    for target in (str(tmp_path), ""):
        refused = run("export", "--format", "xlsx", "--out", target, data_dir=data_dir)
        assert refused.returncode == 1
        assert "geen gewoon bestand" in refused.stderr, refused.stderr
        assert "Is a directory" not in refused.stderr and "busy" not in refused.stderr

    as_file = run("report", "--year", "2026", "--out", str(existing), data_dir=data_dir)
    assert as_file.returncode == 1 and "is een bestand, geen map" in as_file.stderr
    assert "File exists" not in as_file.stderr
    out = tmp_path / "verslag"
    out.mkdir()
    (out / "jaarverslag-2026.docx").mkdir()
    taken = run("report", "--year", "2026", "--out", str(out), data_dir=data_dir)
    assert taken.returncode == 1 and "geen gewoon bestand" in taken.stderr
    assert "Is a directory" not in taken.stderr
    assert sorted(p.name for p in out.iterdir()) == ["jaarverslag-2026.docx"]  # no PDF
    (out / "jaarverslag-2026.docx").rmdir()
    assert run("report", "--year", "2026", "--out", str(out), data_dir=data_dir).returncode == 0
    again = run("report", "--year", "2026", "--out", str(out), data_dir=data_dir)
    assert again.returncode == 1 and "--overwrite" in again.stderr
    assert (
        run(
            "report", "--year", "2026", "--out", str(out), "--overwrite", data_dir=data_dir
        ).returncode
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == NAMES
