"""How long importing 10,000 rows of an earlier Excel register takes, beside a floor.

    python benchmarks/import_rows.py [--rows 10000] [--repeat 3]

The floor, measured in the same run on the same file: reading the sheet with openpyxl
(read-only) plus one bare ``executemany`` INSERT of the same rows into a table of a fresh
encrypted register — what no import can do faster. The import itself is
``services.importing.run`` (automatic mapping, preview, departments, references, person keys,
search index, one transaction and one audit event) into a fresh register each time.

Prints min / median / max; asserts nothing (the machines are shared and noisy).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook, load_workbook

from klachtdesk.models import create_register, database
from klachtdesk.services import importing
from klachtdesk.services.context import ServiceContext

PASSPHRASE = "benchmark-wachtwoord"
HEADERS = [
    "Datum",
    "Naam",
    "Adres",
    "Telefoon",
    "E-mail",
    "Kanaal",
    "Dienst",
    "Omschrijving",
    "Ontvankelijk",
    "Reden",
    "Behandelaar",
    "Beslissing",
    "Datum antwoord",
]


def write_sheet(path: Path, rows: int, seed: int = 2026) -> None:
    """A register of ``rows`` complaints over 2016-2025, written as a coordinator might."""
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Klachten")
    sheet.append(["Klachtenregister"])
    sheet.append(HEADERS)
    departments = ["Milieu en afval", "milieu & afval", "Burgerzaken", "Ruimtelijke ordening"]
    channels = ["telefoon", "e-mail", "brief", "website", "loket"]
    outcomes = ["gegrond", "deels gegrond", "ongegrond", "geen oordeel", None]
    for number in range(rows):
        received = date(2016, 1, 1) + timedelta(days=rng.randrange(3650))
        channel = rng.choice(channels)
        inadmissible = rng.random() < 0.15
        outcome = None if inadmissible else rng.choice(outcomes)
        answered = received + timedelta(days=rng.randrange(5, 60))
        sheet.append(
            [
                received if number % 3 else received.strftime("%d/%m/%Y"),
                f"Klager {number}",
                f"Straat {number % 200}, {3000 + number % 90} Gemeente",
                f"016 {number % 90 + 10:02d} {number % 97:02d} {number % 89:02d}",
                f"klager{number}@example.be" if channel == "e-mail" else None,
                channel,
                rng.choice(departments),
                f"Klacht nummer {number} over de dienstverlening.",
                "nee" if inadmissible else "ja",
                "geen klacht" if inadmissible else None,
                "Inge Claes" if outcome else None,
                outcome,
                answered if outcome or inadmissible else None,
            ]
        )
    workbook.save(path)


def floor(path: Path, folder: Path) -> float:
    """openpyxl read-only reading plus one bare executemany of the rows."""
    register = create_register(folder, PASSPHRASE)
    try:
        started = time.perf_counter()
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.active
        assert sheet is not None
        rows = [
            tuple(str(c) if c is not None else None for c in r)
            for r in sheet.iter_rows(values_only=True)
        ]
        workbook.close()
        columns = ", ".join(f"c{i}" for i in range(len(HEADERS)))
        database.execute_sql(f"CREATE TABLE floor_rows ({columns})")
        marks = ", ".join("?" for _ in HEADERS)
        width = len(HEADERS)
        with database.atomic():
            database.cursor().executemany(
                f"INSERT INTO floor_rows VALUES ({marks})",
                [(r + (None,) * width)[:width] for r in rows[2:]],
            )
        return time.perf_counter() - started
    finally:
        register.close()


def full_import(path: Path, folder: Path) -> tuple[float, int]:
    register = create_register(folder, PASSPHRASE)
    try:
        started = time.perf_counter()
        result = importing.run(ServiceContext(actor="benchmark"), path)
        return time.perf_counter() - started, result.imported
    finally:
        register.close()


def spread(values: list[float]) -> str:
    return (
        f"min {min(values):.2f} s, median {statistics.median(values):.2f} s, "
        f"max {max(values):.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="klachtdesk-import-bench-"))
    try:
        sheet = work / "register.xlsx"
        write_sheet(sheet, args.rows)
        floors, imports = [], []
        imported = 0
        for run in range(args.repeat):
            floors.append(floor(sheet, work / f"floor-{run}"))
            seconds, imported = full_import(sheet, work / f"import-{run}")
            imports.append(seconds)
        print(f"{args.rows} Excel rows, {imported} imported, {args.repeat} runs")
        print(f"floor (openpyxl read-only + executemany): {spread(floors)}")
        print(f"klachtdesk import (preview + one transaction): {spread(imports)}")
        print(f"ratio of medians: {statistics.median(imports) / statistics.median(floors):.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
