"""The import against what a review and a hostile-input probe found: rows imported twice,
made-up dates, dossiers open for ever, files that crashed the reader, sizes without limit,
control characters, and sheets without a channel column."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from klachtdesk.models import AuditEvent, Complaint, Register
from klachtdesk.procedure import Channel, State
from klachtdesk.procedure.import_rules import DEFAULT_CHANNEL, ImportField
from klachtdesk.services import importing
from klachtdesk.services.context import ServiceContext

HEADERS = [
    "Datum",
    "Naam",
    "Kanaal",
    "Omschrijving",
    "Ontvankelijk",
    "Beslissing",
    "Datum antwoord",
]
ROWS: list[list[object]] = [
    ["3/2/2024", "José Peeters", "brief", "Container niet geledigd.", "ja", "gegrond", "1/3/2024"],
    [
        "14/03/2023",
        "An Smet",
        "telefoon",
        "Lang gewacht aan het loket.",
        "ja",
        "ongegrond",
        "2/4/2023",
    ],
    ["20/02/2026", "Piet Open", "website", "Geen antwoord op mijn mail.", "ja", None, None],
]


def write_xlsx(path: Path, rows: list[list[object]], headers: list[str] = HEADERS) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]], headers: list[str] = HEADERS) -> Path:
    lines = [headers, *rows]
    text = "\r\n".join(";".join("" if v is None else str(v) for v in line) for line in lines)
    path.write_bytes(text.encode("utf-8"))
    return path


def _status(path: Path, ctx: ServiceContext) -> list[tuple[str, str]]:
    return [(r.status.value, r.reason) for r in importing.preview(ctx, path).rows]


# ---- 1. the same complaint is never imported twice -------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "upper case and padding",
        "dd/mm/yyyy",
        "words",
        "date cells",
        "serial numbers",
        "swapped columns",
        "reply filled in and a new column",
    ],
)
def test_a_reimport_of_the_same_rows_written_otherwise_adds_nothing(
    register: Register, ctx: ServiceContext, tmp_path: Path, variant: str
) -> None:
    assert importing.run(ctx, write_csv(tmp_path / "eerst.csv", ROWS)).imported == 3
    headers = list(HEADERS)
    rows = [list(r) for r in ROWS]
    received = [date(2024, 2, 3), date(2023, 3, 14), date(2026, 2, 20)]
    if variant == "upper case and padding":
        rows = [[f"  {str(v).upper()}  " if v else v for v in r] for r in rows]
    elif variant == "dd/mm/yyyy":
        rows = [[f"{d:%d/%m/%Y}", *r[1:]] for d, r in zip(received, rows, strict=True)]
    elif variant == "words":
        rows[0][0], rows[1][0], rows[2][0] = "3 februari 2024", "14 maart 2023", "20 feb 2026"
    elif variant == "date cells":
        rows = [
            [datetime(d.year, d.month, d.day), *r[1:]] for d, r in zip(received, rows, strict=True)
        ]
    elif variant == "serial numbers":
        rows = [
            [(d - date(1899, 12, 30)).days, *r[1:]] for d, r in zip(received, rows, strict=True)
        ]
    elif variant == "swapped columns":
        order = [3, 6, 1, 0, 5, 2, 4]
        headers = [headers[i] for i in order]
        rows = [[r[i] for i in order] for r in rows]
    else:
        headers = [*headers, "Opmerkingen"]
        rows = [[*r, "nagekeken"] for r in rows]
        rows[2][6] = "1/3/2026"  # the open one was answered since
    again = write_xlsx(tmp_path / "opnieuw.xlsx", rows, headers)
    before = Complaint.select().count()
    seen = importing.preview(ctx, again)
    assert [r.status for r in seen.rows] == [importing.RowStatus.ALREADY] * 3
    assert importing.run(ctx, again).imported == 0
    assert Complaint.select().count() == before == 3
    if variant == "reply filled in and a new column":
        # The preview says what the sheet now says otherwise; the dossier is left as it is.
        assert seen.rows[2].reason == (
            "Deze rij werd al eerder geïmporteerd. Het bestand zegt nu: datum antwoord "
            "01/03/2026 (in het register: leeg); afgesloten op 01/03/2026 (in het register: "
            "leeg). Een import wijzigt het dossier niet: werk het zelf bij."
        )
        assert seen.rows[0].reason == "Deze rij werd al eerder geïmporteerd."


def test_a_reimport_of_two_thousand_rows_upper_cased_and_padded_adds_nothing(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    rows = [
        [
            f"{1 + n % 28}/{1 + n % 12}/{2016 + n % 9}",
            f"Klager {n}",
            "brief",
            f"Klacht {n}.",
            "ja",
            "gegrond",
            f"{1 + n % 28}/{1 + n % 12}/{2017 + n % 9}",
        ]
        for n in range(2000)
    ]
    first = importing.run(ctx, write_csv(tmp_path / "eerst.csv", rows))
    assert first.imported == 2000
    shouted = [[f"   {str(v).upper()}   " for v in r] for r in rows]
    result = importing.run(ctx, write_xlsx(tmp_path / "opnieuw.xlsx", shouted))
    assert (result.imported, result.already, result.refused) == (0, 2000, 0)
    assert Complaint.select().count() == 2000


def test_the_same_complaint_twice_in_one_file_is_imported_once(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    rows = [
        ROWS[0],
        [
            "03/02/2024",
            "JOSE PEETERS",
            "brief",
            "container niet geledigd",
            "ja",
            "gegrond",
            "1/3/2024",
        ],
    ]
    seen = _status(write_csv(tmp_path / "dubbel.csv", rows), ctx)
    assert seen == [("import", ""), ("refused", "Dezelfde gegevens als rij 2 van dit bestand.")]


# ---- 2. and 3. no made-up dates; nothing open for ever ---------------------------------


def test_a_closed_row_keeps_only_the_dates_the_sheet_gives(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    importing.run(ctx, write_csv(tmp_path / "r.csv", ROWS[:1]))
    jose = Complaint.get()
    assert (jose.state, jose.reply_sent_on, jose.closed_on) == (
        State.CLOSED,
        date(2024, 3, 1),
        date(2024, 3, 1),
    )
    undated = (
        jose.decided_on,
        jose.acknowledged_on,
        jose.sent_to_handler_on,
        jose.assessed_on,
        jose.first_returned_on,
        jose.last_returned_on,
        jose.approved_on,
        jose.withdrawn_on,
    )
    assert undated == (None,) * 8
    assert jose.next_due_on is None


def test_an_undated_inadmissible_row_is_closed_on_its_date_of_receipt(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    headers = ["Datum", "Naam", "Kanaal", "Omschrijving", "Ontvankelijk", "Reden"]
    importing.run(
        ctx,
        write_csv(
            tmp_path / "r.csv", [["5/1/2019", "Oud", "brief", "Vraag.", "nee", "vraag"]], headers
        ),
    )
    old = Complaint.get()
    assert (old.state, old.closed_on, old.next_due_on) == (State.CLOSED, date(2019, 1, 5), None)
    assert (old.decided_on, old.acknowledged_on) == (None, None)


def test_an_admissible_row_open_past_its_closing_limit_is_refused(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    rows = [
        ["5/1/2019", "Oud Open", "brief", "Nooit beantwoord.", "ja", None, None],
        ["15/01/2026", "Net Te Laat", "brief", "Wacht nog.", None, None, None],  # 46 days
        ["16/01/2026", "Nog Op Tijd", "brief", "Wacht nog.", None, None, None],  # 45 days
    ]
    seen = _status(write_csv(tmp_path / "r.csv", rows), ctx)
    assert seen == [
        (
            "refused",
            "Open sinds 05/01/2019, langer dan de termijn van 45 dagen: vul de datum antwoord in.",
        ),
        (
            "refused",
            "Open sinds 15/01/2026, langer dan de termijn van 45 dagen: vul de datum antwoord in.",
        ),
        ("import", ""),
    ]


# ---- 4. and 5. files that cannot be read -----------------------------------------------


def _rezip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info.filename)))
        for name in set(replace) - set(old.namelist()):
            new.writestr(name, replace[name])
    return target


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>"""


def test_a_truncated_sheet_is_said_to_be_damaged(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "goed.xlsx", ROWS)
    with zipfile.ZipFile(good) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    bad = _rezip(
        good, tmp_path / "kapot.xlsx", {"xl/worksheets/sheet1.xml": sheet[: len(sheet) // 2]}
    )
    with pytest.raises(importing.ImportProblem, match=r"kapot\.xlsx is beschadigd"):
        importing.read_sheet(bad)


@pytest.mark.parametrize(
    "part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"]
)
def test_a_dtd_is_refused_before_any_xml_is_parsed(
    tmp_path: Path, part: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = write_xlsx(tmp_path / "goed.xlsx", ROWS)
    with zipfile.ZipFile(good) as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    if part.startswith("xl/worksheets"):
        parts[part] = BILLION_LAUGHS
    else:  # an external entity in front of the part's own content
        own = parts.get(part, b"<sst/>")
        parts[part] = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + own
    bad = _rezip(good, tmp_path / "dtd.xlsx", parts)

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("openpyxl must not read this file")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    with pytest.raises(importing.ImportProblem, match=r"bevat een documenttypedefinitie \(DTD\)"):
        importing.read_sheet(bad)


def test_a_word_document_renamed_xlsx_is_named_so(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(importing.ImportProblem, match=r"register\.xlsx is een Word-document"):
        importing.read_sheet(path)


def test_a_formula_without_its_value_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "formule.xlsx", [[*ROWS[0][:6], "=DATE(2024,3,1)"]])
    with pytest.raises(importing.ImportProblem) as caught:
        importing.read_sheet(path)
    assert str(caught.value) == (
        "formule.xlsx bevat een formule zonder berekende waarde: open en bewaar het bestand "
        "in Excel, en importeer het dan opnieuw."
    )


def test_a_csv_cell_longer_than_the_reader_allows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lang.csv"
    path.write_text('Datum;Naam;Omschrijving\n3/2/2024;Jan;"' + "x" * 140_000 + '"\n')
    with pytest.raises(importing.ImportProblem, match="regel 2 kan niet gelezen worden"):
        importing.read_sheet(path)


def test_a_byte_order_mark_followed_by_windows_bytes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfDatum;Naam\r\n3/2/2024;Ren\xe9e\r\n")
    with pytest.raises(importing.ImportProblem, match=r"deels UTF-8 .*\(regel 2\)"):
        importing.read_sheet(path)


def test_mostly_utf8_with_one_bad_byte_is_refused_not_garbled(tmp_path: Path) -> None:
    path = tmp_path / "gemengd.csv"
    path.write_bytes("Datum;Naam\r\n3/2/2024;José\r\n4/2/2024;".encode() + b"Ren\xe9e\r\n")
    with pytest.raises(importing.ImportProblem, match=r"‘CSV UTF-8’"):
        importing.read_sheet(path)


@pytest.mark.parametrize(
    ("name", "encoding"), [("r.csv", "utf-16"), ("r.txt", "utf-16-le"), ("r.csv", "utf-16-be")]
)
def test_utf16_with_its_byte_order_mark_is_read(
    register: Register, ctx: ServiceContext, tmp_path: Path, name: str, encoding: str
) -> None:
    # Excel's "Unicode-tekst": UTF-16 little-endian with a byte-order mark, tabs between cells.
    text = "\r\n".join(
        "\t".join("" if v is None else str(v) for v in r) for r in [HEADERS, ROWS[0]]
    )
    bom = "" if encoding == "utf-16" else "\ufeff"
    (tmp_path / name).write_bytes((bom + text).encode(encoding))
    (row,) = importing.preview(ctx, tmp_path / name).rows
    assert (row.status, row.name) == (importing.RowStatus.IMPORT, "José Peeters")


def test_too_many_rows_columns_strings_or_bytes_are_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "groot.xlsx", ROWS * 20)
    monkeypatch.setattr(importing, "MAX_ROWS", 30)
    with pytest.raises(importing.ImportProblem, match=r"groot\.xlsx heeft meer dan 30 rijen"):
        importing.read_sheet(path)
    csv_path = write_csv(tmp_path / "groot.csv", ROWS * 20)
    with pytest.raises(importing.ImportProblem, match=r"groot\.csv heeft meer dan 30 rijen"):
        importing.read_sheet(csv_path)
    monkeypatch.undo()
    wide = tmp_path / "breed.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADERS)
    sheet.cell(2, 300, "verdwaald")
    workbook.save(wide)
    with pytest.raises(importing.ImportProblem, match=r"breed\.xlsx heeft 300 kolommen"):
        importing.read_sheet(wide)
    strings = b"<sst>" + b"".join(b"<si><t>%d</t></si>" % n for n in range(11)) + b"</sst>"
    shared = _rezip(path, tmp_path / "teksten.xlsx", {"xl/sharedStrings.xml": strings})
    monkeypatch.setattr(importing, "MAX_SHARED_STRINGS", 10)
    with pytest.raises(importing.ImportProblem, match="meer dan 10 verschillende teksten"):
        importing.read_sheet(shared)
    monkeypatch.setattr(importing, "MAX_UNCOMPRESSED", 1000)
    with pytest.raises(importing.ImportProblem, match=r"groot\.xlsx is te groot: uitgepakt"):
        importing.read_sheet(path)


# ---- 6. input hygiene -------------------------------------------------------------------


def test_control_characters_and_lone_surrogates_refuse_their_row_with_its_number(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    # Tabs and line breaks in a cell read as a space; a control character or a lone surrogate
    # refuses the row (said with its number and the column), instead of being dropped silently.
    path = tmp_path / "vuil.csv"
    path.write_text(
        ";".join(HEADERS)
        + '\r\n3/2/2024;José Peeters;brief;"Container\tniet\ngeledigd.";ja;gegrond;1/3/2024'
        + "\r\n3/2/2024;Jo\x00sé\x1b Pee\x07ters;brief;Container niet geledigd.;ja;gegrond;"
        + "1/3/2024\r\n",
        encoding="utf-8",
    )
    sheet = importing.read_sheet(path)
    # No file decodes to a lone surrogate; a sheet read some other way may still hold one.
    sheet.rows.append(["4/2/2024", "An Smet", "brief", "Lamp \udcff stuk.", "ja", "gegrond"])
    rows = importing.preview(ctx, sheet).rows
    assert [(r.row_number, r.status.value) for r in rows] == [
        (2, "import"),
        (3, "refused"),
        (4, "refused"),
    ]
    assert rows[1].reason.startswith("Naam: de cel bevat een ongeldig teken")
    assert "Omschrijving: de cel bevat een ongeldig teken" in rows[2].reason
    importing.run(ctx, sheet)
    jose = Complaint.get()
    assert (jose.name, jose.description) == ("José Peeters", "Container niet geledigd.")
    assert Complaint.select().count() == 1


def test_dates_out_of_range_and_odd_cells_are_explained_as_typed(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    rows = [
        ["1/1/0001", "Een", "brief", "Een.", "ja", "gegrond", "1/3/2024"],
        [True, "Twee", "brief", "Twee.", "ja", "gegrond", "1/3/2024"],
        [1e300, "Drie", "brief", "Drie.", "ja", "gegrond", "1/3/2024"],
    ]
    seen = _status(write_xlsx(tmp_path / "raar.xlsx", rows), ctx)
    assert seen == [
        ("refused", "Datum ontvangst: ‘1/1/0001’ ligt buiten 1950–2027: kijk het jaartal na."),
        ("refused", "Datum ontvangst: ‘WAAR’ is geen datum."),
        ("refused", "Datum ontvangst: ‘1E+300’ is geen datum."),
    ]


# ---- 7. a sheet without a channel column ------------------------------------------------


def test_a_sheet_without_a_channel_column_gets_the_default_channel(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    headers = [h for h in HEADERS if h != "Kanaal"]
    rows = [[v for i, v in enumerate(r) if i != 2] for r in ROWS]
    path = write_csv(tmp_path / "zonder.csv", rows, headers)
    seen = importing.preview(ctx, path)
    assert ImportField.CHANNEL not in seen.mapping.columns
    assert seen.mapping.default_channel is DEFAULT_CHANNEL is Channel.LETTER
    assert seen.count(importing.RowStatus.IMPORT) == 3
    refusing = importing.preview(
        ctx, path, seen.mapping.__class__(**{**seen.mapping.__dict__, "default_channel": None})
    )
    assert {r.reason for r in refusing.rows} == {"Het kanaal ontbreekt."}
    importing.run(ctx, path, seen.mapping)
    assert {c.channel for c in Complaint.select()} == {Channel.LETTER}
    assert AuditEvent.select().where(AuditEvent.action == "import").count() == 1
