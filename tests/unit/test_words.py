"""Counts in Dutch: singular for one."""

from klachtdesk.procedure.words import counted


def test_one_is_singular_and_every_other_number_plural() -> None:
    assert counted(1, "dossier") == "1 dossier"
    assert counted(0, "dossier") == "0 dossiers"
    assert counted(2, "gebeurtenis") == "2 gebeurtenissen"
    assert counted(1, "document") == "1 document"
    assert counted(3, "geanonimiseerd dossier") == "3 geanonimiseerde dossiers"
    assert counted(100_000, "dossier") == "100.000 dossiers"
    assert counted(766_143, "gebeurtenis") == "766.143 gebeurtenissen"


def test_numbers_as_a_flemish_reader_writes_them() -> None:
    from klachtdesk.procedure.words import number, percent

    assert number(21543) == "21.543"
    assert number(1234567) == "1.234.567"
    assert number(23.44, 1) == "23,4"
    assert percent(0.125) == "12,5 %"
    assert percent(1.0, 0) == "100 %"
