"""``klachtdesk export`` as an administrator runs it: a real process on a real register."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

from klachtdesk.models import AuditEvent, Complaint, open_register
from klachtdesk.services.export import PERSONAL_DATA_WARNING, headers

from .conftest import PASSPHRASE
from .test_cli import run


def test_export_to_xlsx_and_csv_by_year_with_and_without_personal_data(
    data_dir: Path, tmp_path: Path
) -> None:
    assert run("--data-dir", str(data_dir), "demo", "--count", "150").returncode == 0
    with open_register(data_dir, PASSPHRASE):
        year = max(c.received_on.year for c in Complaint.select(Complaint.received_on))
        in_year = [
            c.reference
            for c in Complaint.select().order_by(Complaint.received_on, Complaint.id)
            if c.received_on.year == year
        ]
        names = [c.name for c in Complaint.select() if c.name]
    assert 0 < len(in_year) < 150

    book_path = tmp_path / "klachten.xlsx"
    made = run("export", "--format", "xlsx", "--out", str(book_path), "--year", str(year),
               data_dir=data_dir)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert f"{len(in_year)} dossiers geëxporteerd naar {book_path}" in made.stdout
    assert "Zonder persoonsgegevens" in made.stdout
    book = load_workbook(book_path, read_only=True)
    rows = list(book["Dossiers"].iter_rows(values_only=True))
    book.close()
    assert list(rows[0]) == headers(False)
    assert [row[0] for row in rows[1:]] == in_year  # oldest first
    everything = " ".join(str(v) for row in rows for v in row if v is not None)
    assert not [name for name in names if name in everything]

    sheet_path = tmp_path / "klachten-persoonsgegevens.csv"
    made = run("export", "--format", "csv", "--out", str(sheet_path), "--with-personal-data",
               data_dir=data_dir)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "150 dossiers geëxporteerd" in made.stdout and "bevat persoonsgegevens" in made.stdout
    with sheet_path.open(encoding="utf-8-sig", newline="") as file:
        lines = list(csv.reader(file, delimiter=";"))
    assert lines[0] == [PERSONAL_DATA_WARNING]
    assert lines[1] == headers(True)
    assert len(lines) == 2 + 150
    assert set(names) <= {line[headers(True).index("Naam")] for line in lines[2:]}
    with open_register(data_dir, PASSPHRASE):
        events = list(AuditEvent.select().where(AuditEvent.action == "export_personal_data"))
        assert len(events) == 1 and "150 dossiers" in events[0].summary


def test_export_usage_errors_and_a_missing_folder(data_dir: Path, tmp_path: Path) -> None:
    wrong = run("export", "--format", "ods", "--out", str(tmp_path / "x.ods"), data_dir=data_dir)
    assert wrong.returncode == 2 and "ongeldige keuze" in wrong.stderr
    missing = run("export", "--format", "csv", data_dir=data_dir)
    assert missing.returncode == 2 and "deze argumenten ontbreken: --out" in missing.stderr
    assert run("--data-dir", str(data_dir), "demo", "--count", "3").returncode == 0
    nowhere = tmp_path / "bestaat-niet" / "x.csv"
    refused = run("export", "--format", "csv", "--out", str(nowhere), data_dir=data_dir)
    assert refused.returncode == 1
    assert "bestaat niet; er werd niets geëxporteerd" in refused.stderr
    assert "Traceback" not in refused.stderr
