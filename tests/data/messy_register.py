"""A deliberately messy earlier register, as a coordinator kept it in Excel (issue 12, §5).

Run ``python -m tests.data.messy_register`` to write ``messy_register.xlsx`` and
``messy_register.csv`` beside this file (both are committed; a test checks they still match
what this script makes). Every problem the import must cope with is in here: title rows and a
blank row above the headers, headers with odd case and trailing spaces, dates as text in
several forms, as an Excel serial number and as real date cells, empty rows, merged cells (a
title over all columns, a description over two columns, a department over two rows),
trailing spaces, one department spelled three ways, an unknown channel, a row without a date,
an impossible date, a date in the future, a row open for years without a reply date, a bad phone number, an unknown outcome, and the
same row twice.

The CSV is what Excel's "CSV (puntkomma gescheiden)" makes on a Belgian Windows PC: ';'
between fields, Windows-1252, dates as dd/mm/yyyy; merged cells are just empty there.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).parent
XLSX = HERE / "messy_register.xlsx"
CSV = HERE / "messy_register.csv"

TITLE = "Klachtenregister gemeente Voorbeeldegem 2023-2025"
HEADERS = [
    "DATUM ",
    "Naam",
    "Adres",
    "Tel.",
    "E-mail",
    "Kanaal",
    "Dienst ",
    "Omschrijving",
    "Ontvankelijk",
    "Reden",
    "Behandelaar",
    "Beslissing",
    "Datum antwoord",
]
HEADER_ROW = 4  # the sheet's own row number (1-based)

Value = str | int | date | datetime | None

# The data rows from sheet row 5 on; None is an empty cell. A comment says what it tests.
ROWS: list[list[Value]] = [
    # 5: a real date cell; closed, gegrond; department spelling 1; handler not in the register.
    [
        datetime(2023, 3, 14),
        "Marie Peeters ",
        "Kerkstraat 12, 3000 Leuven",
        "0478 12 34 56",
        None,
        "telefoon",
        "Milieu & Afval",
        "Container drie weken niet geledigd.",
        "ja",
        None,
        "Inge Claes",
        "gegrond",
        "2023-04-20",
    ],
    # 6: '3/2/2024' is 3 February; '3 maart 2024' as text; department spelling 2 (trailing space).
    [
        "3/2/2024",
        "Jan Janssens",
        "Stationsstraat 5, 3200 Aarschot",
        None,
        "jan.janssens@example.be",
        "e-mail",
        "milieu en afval ",
        "Geen antwoord op mail over sluikstort.",
        "Ja",
        None,
        None,
        "ongegrond",
        "3 maart 2024",
    ],
    # 7: an empty row.
    [None] * 13,
    # 8: an Excel serial number (45324 = 2 February 2024); spelling 3; inadmissible, unanswered.
    [
        45324,
        "Els Wouters",
        "Markt 1 3000 Leuven",
        "016 22 33 44",
        None,
        "Loket",
        "MILIEU-EN-AFVAL",
        "Onvriendelijk ontvangen aan het loket.",
        "nee",
        "geen klacht",
        None,
        None,
        None,
    ],
    # 9: an unknown channel.
    [
        "3 februari 2024",
        "Piet Claes",
        None,
        None,
        None,
        "Facebook",
        "Burgerzaken",
        "Bericht op de Facebookpagina.",
        None,
        None,
        None,
        None,
        None,
    ],
    # 10: no date.
    [
        None,
        "Zonder Datum",
        None,
        None,
        None,
        "brief",
        "Burgerzaken",
        "Brief zonder datum.",
        None,
        None,
        None,
        None,
        None,
    ],
    # 11: an impossible date.
    [
        "31/02/2024",
        "Onmogelijke Datum",
        None,
        None,
        None,
        "brief",
        "Burgerzaken",
        "Datum bestaat niet.",
        None,
        None,
        None,
        None,
        None,
    ],
    # 12: '03-02-2026'; the description is merged over Omschrijving and Ontvankelijk, so
    # Ontvankelijk reads empty; with a handler and no outcome: open, with the handler.
    [
        "03-02-2026",
        "An De Smet",
        None,
        None,
        None,
        "brief",
        "Burgerzaken",
        "Rijbewijs twee keer kwijtgeraakt.",
        None,
        None,
        "Tom Peeters",
        None,
        None,
    ],
    # 13: a real date cell; the department is merged over rows 13 and 14; open, assessed.
    [
        datetime(2026, 2, 1),
        "Karel Maes",
        None,
        None,
        None,
        "website",
        "Burgerzaken",
        "Bewonerskaart te laat.",
        "ja",
        None,
        None,
        "deels gegrond",
        None,
    ],
    # 14: (department empty: merged above) inadmissible on policy, answered: closed.
    [
        date(2025, 6, 2),
        "Lies Maes",
        None,
        None,
        None,
        "web",
        None,
        "Klacht over het nieuwe verkeersplan.",
        "nee",
        "beleid",
        None,
        None,
        "10/06/2025",
    ],
    # 15: the same as row 6, again.
    [
        "3/2/2024",
        "Jan Janssens",
        "Stationsstraat 5, 3200 Aarschot",
        None,
        "jan.janssens@example.be",
        "e-mail",
        "milieu en afval ",
        "Geen antwoord op mail over sluikstort.",
        "Ja",
        None,
        None,
        "ongegrond",
        "3 maart 2024",
    ],
    # 16: received in the future.
    [
        "15/05/2026",
        "Toekomstige Klager",
        None,
        None,
        None,
        "telefoon",
        None,
        "Nog niet gebeurd.",
        None,
        None,
        None,
        None,
        None,
    ],
    # 17: a phone number that is none.
    [
        "5/5/2024",
        "Foute Telefoon",
        None,
        "12",
        None,
        "telefoon",
        None,
        "Nummer klopt niet.",
        None,
        None,
        None,
        None,
        None,
    ],
    # 18: trailing and leading spaces everywhere; a two-digit year; corrected.
    [
        "  2/1/2023 ",
        " Sofie Janssens  ",
        " Dorpsstraat 3 , 3000 Leuven ",
        None,
        None,
        " Telefoon ",
        "Burgerzaken ",
        "  Paspoort niet klaar.  ",
        " ja ",
        None,
        None,
        "Gegrond maar reeds gecorrigeerd",
        "15/01/23",
    ],
    # 19: an outcome klachtdesk does not know.
    [
        "7/7/2024",
        "Onbekende Uitkomst",
        None,
        None,
        None,
        "brief",
        "Burgerzaken",
        "Uitkomst in eigen woorden.",
        "ja",
        None,
        None,
        "opgelost",
        "1/8/2024",
    ],
    # 20: withdrawn by the citizen.
    [
        "1/8/2024",
        "Gert Stop",
        None,
        None,
        None,
        "telefoon",
        "Burgerzaken",
        "Trekt klacht in.",
        "ja",
        None,
        None,
        "Stopgezet",
        "20/08/2024",
    ],
    # 21: open for two years, no reply date: refused (the coordinator fills in the reply).
    [
        "12/03/2024",
        "Nooit Beantwoord",
        None,
        None,
        None,
        "brief",
        "Burgerzaken",
        "Geen reactie gekregen.",
        "ja",
        None,
        "Tom Peeters",
        None,
        None,
    ],
    # 22, 23: empty rows at the end (one only spaces).
    [None] * 13,
    ["  ", None, None, None, None, None, None, None, None, None, None, None, None],
]

#: Merged ranges in the workbook (their value is in the first cell only).
MERGED = ["A1:M1", "H12:I12", "G13:G14"]


def sheet_rows() -> list[list[Value]]:
    """Every row of the sheet as written, from row 1."""
    title = [TITLE] + [None] * 12
    subtitle = ["Bijgehouden door de klachtencoördinator"] + [None] * 12
    return [title, subtitle, [None] * 13, list(HEADERS), *[list(r) for r in ROWS]]


def write_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Klachten"
    for row in sheet_rows():
        sheet.append(row)
    for number in (5, 13):
        sheet.cell(number, 1).number_format = "dd/mm/yyyy"
    sheet.cell(14, 1).number_format = "dd/mm/yyyy"
    for merged in MERGED:
        sheet.merge_cells(merged)
    workbook.save(path)


def _csv_text(value: Value) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return "" if value is None else str(value)


def write_csv(path: Path) -> None:
    rows = sheet_rows()
    # Merged cells: only the first cell of a range has a value (as in Excel's own CSV).
    rows[11][8] = None
    rows[13][6] = None
    with path.open("w", encoding="cp1252", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        for row in rows:
            writer.writerow([_csv_text(v) for v in row])


if __name__ == "__main__":
    write_xlsx(XLSX)
    write_csv(CSV)
    print(f"{XLSX}\n{CSV}")
