"""``klachtdesk import BESTAND [--dry-run]`` in a process of its own, on a real register."""

from __future__ import annotations

import os
from pathlib import Path

from klachtdesk.models import AuditEvent, Complaint, create_register, open_register
from klachtdesk.services import importing
from klachtdesk.services.context import ServiceContext
from tests.data.messy_register import XLSX

from .conftest import PASSPHRASE
from .test_cli import run


def _counts(data_dir: Path) -> tuple[int, int]:
    with open_register(data_dir, PASSPHRASE):
        return Complaint.select().count(), AuditEvent.select().count()


def _expected_summary(data_dir: Path) -> tuple[str, int]:
    """What the service previews on the real today (rows open too long depend on it)."""
    with open_register(data_dir, PASSPHRASE):
        seen = importing.preview(ServiceContext(), XLSX)
        return seen.summary, seen.count(importing.RowStatus.IMPORT)


def test_dry_run_prints_every_row_and_writes_nothing(data_dir: Path) -> None:
    create_register(data_dir, PASSPHRASE).close()
    before = _counts(data_dir)
    summary, _ = _expected_summary(data_dir)
    assert "worden geïmporteerd" in summary and "rijen niet (zie de reden)" in summary
    done = run("import", str(XLSX), "--dry-run", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "Rij 5: wordt geïmporteerd – dossier van 2023, afgehandeld (gegrond)" in lines
    assert "Rij 10: niet geïmporteerd – De datum van ontvangst ontbreekt." in lines
    assert (
        "Rij 11: niet geïmporteerd – Datum ontvangst: ‘31/02/2024’ is geen bestaande datum."
        in lines
    )
    assert lines[-1] == f"Proefimport, er werd niets geschreven: {summary}"
    assert _counts(data_dir) == before


def test_import_then_again_adds_nothing_and_says_so(data_dir: Path) -> None:
    create_register(data_dir, PASSPHRASE).close()
    summary, count = _expected_summary(data_dir)
    done = run("import", str(XLSX), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert summary.replace("worden", "werden").replace("wordt", "werd") in done.stdout
    assert "Nieuwe diensten: Burgerzaken, Milieu & Afval." in done.stdout
    assert count >= 6 and _counts(data_dir)[0] == count
    again = run("import", str(XLSX), data_dir=data_dir)
    assert again.returncode == 0, again.stderr
    assert "Rij 5: al geïmporteerd – dossier van 2023, afgehandeld (gegrond)" in again.stdout
    assert again.stdout.splitlines()[-1].startswith("Niets nieuw: 0 rijen werden geïmporteerd")
    assert _counts(data_dir)[0] == count


def test_a_file_of_nothing_importable_fails(data_dir: Path, tmp_path: Path) -> None:
    create_register(data_dir, PASSPHRASE).close()
    path = tmp_path / "leeg.csv"
    path.write_text("Datum;Naam;Kanaal;Omschrijving\n31/02/2024;Jan;brief;Iets\n")
    done = run("import", str(path), data_dir=data_dir)
    assert done.returncode == 1
    assert "0 rijen werden geïmporteerd, 1 rij niet" in done.stdout


def test_output_into_a_closed_pipe_ends_quietly_after_importing(
    data_dir: Path, tmp_path: Path
) -> None:
    import subprocess
    import sys

    create_register(data_dir, PASSPHRASE).close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLACHTDESK_")}
    env.update(KLACHTDESK_PASSPHRASE=PASSPHRASE, KLACHTDESK_DATA_DIR=str(data_dir))
    process = subprocess.Popen(
        [sys.executable, "-m", "klachtdesk", "import", str(XLSX)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head -0`: the reader is gone before anything is printed
    errors = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=60) == 0, errors
    assert "Traceback" not in errors and "BrokenPipe" not in errors
    assert _counts(data_dir)[0] >= 6  # imported all the same


def test_an_unreadable_file_is_explained(data_dir: Path, tmp_path: Path) -> None:
    create_register(data_dir, PASSPHRASE).close()
    old = tmp_path / "oud.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    done = run("import", str(old), data_dir=data_dir)
    assert done.returncode == 1
    assert "oud.xls is een oud Excel-bestand (.xls)" in done.stderr
    assert "Traceback" not in done.stderr
