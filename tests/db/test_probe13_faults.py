"""Writing files when the disk gives out (issue 13, second probe): the XLSX export and the
backup, through the command line in a process whose files may not grow beyond a limit
(RLIMIT_FSIZE: writes fail with EFBIG, as on a full or quota-limited disk)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from klachtdesk.models import Complaint, Register
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.demo import fill_with_demo
from klachtdesk.services.export import (
    ExportCancelled,
    ExportFormat,
    ExportRequest,
    export_dossiers,
)

from .conftest import PASSPHRASE
from .test_cli import run

LIMIT = 150_000


def _limited() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def _run_limited(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLACHTDESK_")}
    env["KLACHTDESK_PASSPHRASE"] = PASSPHRASE
    return subprocess.run(
        [sys.executable, "-m", "klachtdesk", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=300,
        preexec_fn=_limited,
    )  # fmt: skip


@pytest.fixture
def demo(data_dir: Path) -> Path:
    assert run("--data-dir", str(data_dir), "demo", "--count", "300").returncode == 0
    return data_dir


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, (
        result.stderr
    )


def test_an_xlsx_export_whose_temporary_sheet_cannot_grow_is_told_in_dutch(
    demo: Path, tmp_path: Path
) -> None:
    # The write-only sheet is streamed by lxml into a temporary file: it failed with
    # lxml.etree.SerialisationError: IO_EFBIG (a traceback).
    out = tmp_path / "export.xlsx"
    result = _run_limited(demo, "export", "--format", "xlsx", "--out", str(out))
    _no_traceback(result)
    assert f"Het bestand {out} kon niet geschreven worden: het bestand is te groot voor de " in (
        result.stderr
    )
    assert not out.exists() and not list(tmp_path.glob(".klachtdesk-export-*"))


def test_a_backup_whose_copy_cannot_be_written_says_why(demo: Path, tmp_path: Path) -> None:
    result = _run_limited(demo, "backup", "--to", str(tmp_path / "kopieën"))
    _no_traceback(result)
    assert "onverwachte fout" not in result.stderr
    assert "De reservekopie kon niet gemaakt worden: de schijf of de netwerkmap geeft een " in (
        result.stderr
    )
    assert run("check", data_dir=demo).returncode == 0


def test_a_cancelled_personal_xlsx_export_leaves_no_rows_in_the_temp_folder(
    register: Register, ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # openpyxl streams a write-only sheet into <temp>/openpyxl.*.xml and removed it only at
    # exit: a cancelled export left the names and addresses of the dossiers written so far
    # in the temp folder for the rest of the session, and for ever after a crash.
    fill_with_demo(ctx, 300, seed=2)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    names = [str(c.name) for c in Complaint.select(Complaint.name).limit(100) if c.name]

    def cancel_half_way(done: int, total: int) -> None:
        if done >= total // 2:
            raise ExportCancelled()

    request = ExportRequest(export_format=ExportFormat.XLSX, with_personal_data=True)
    with pytest.raises(ExportCancelled):
        export_dossiers(ctx, request, tmp_path / "uit.xlsx", cancel_half_way)
    left = [p for p in temp.rglob("*") if p.is_file()]
    assert left == [], [(p, any(n in p.read_text(errors="replace") for n in names)) for p in left]
    assert not (tmp_path / "uit.xlsx").exists()
