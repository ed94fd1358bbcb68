"""Counts in Dutch: singular for one."""

from klachtdesk.procedure.words import counted


def test_one_is_singular_and_every_other_number_plural() -> None:
    assert counted(1, "dossier") == "1 dossier"
    assert counted(0, "dossier") == "0 dossiers"
    assert counted(2, "gebeurtenis") == "2 gebeurtenissen"
    assert counted(1, "document") == "1 document"
    assert counted(3, "geanonimiseerd dossier") == "3 geanonimiseerde dossiers"
