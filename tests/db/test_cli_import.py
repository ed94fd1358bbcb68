"""``klachtdesk import BESTAND [--dry-run]`` in a process of its own, on a real register."""

from __future__ import annotations

from pathlib import Path

from klachtdesk.models import AuditEvent, Complaint, create_register, open_register
from tests.data.messy_register import XLSX

from .conftest import PASSPHRASE
from .test_cli import run


def _counts(data_dir: Path) -> tuple[int, int]:
    with open_register(data_dir, PASSPHRASE):
        return Complaint.select().count(), AuditEvent.select().count()


def test_dry_run_prints_every_row_and_writes_nothing(data_dir: Path) -> None:
    create_register(data_dir, PASSPHRASE).close()
    before = _counts(data_dir)
    done = run("import", str(XLSX), "--dry-run", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "Rij 5: wordt geïmporteerd – dossier van 2023, afgehandeld (gegrond)" in lines
    assert "Rij 10: niet geïmporteerd – De datum van ontvangst ontbreekt." in lines
    assert (
        "Rij 11: niet geïmporteerd – Datum ontvangst: ‘31/02/2024’ is geen bestaande datum."
        in lines
    )
    assert lines[-1] == (
        "Proefimport, er werd niets geschreven: 8 rijen worden geïmporteerd, 7 rijen niet "
        "(zie de reden), 3 rijen leeg en overgeslagen."
    )
    assert _counts(data_dir) == before


def test_import_then_again_adds_nothing_and_fails(data_dir: Path) -> None:
    create_register(data_dir, PASSPHRASE).close()
    done = run("import", str(XLSX), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "8 rijen werden geïmporteerd, 7 rijen niet (zie de reden)" in done.stdout
    assert "Nieuwe diensten: Burgerzaken, Milieu & Afval." in done.stdout
    assert _counts(data_dir)[0] == 8
    again = run("import", str(XLSX), data_dir=data_dir)
    assert again.returncode == 1
    assert "Rij 5: al geïmporteerd – dossier van 2023, afgehandeld (gegrond)" in again.stdout
    assert "0 rijen werden geïmporteerd" in again.stdout
    assert _counts(data_dir)[0] == 8


def test_an_unreadable_file_is_explained(data_dir: Path, tmp_path: Path) -> None:
    create_register(data_dir, PASSPHRASE).close()
    old = tmp_path / "oud.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    done = run("import", str(old), data_dir=data_dir)
    assert done.returncode == 1
    assert "oud.xls is een oud Excel-bestand (.xls)" in done.stderr
    assert "Traceback" not in done.stderr
