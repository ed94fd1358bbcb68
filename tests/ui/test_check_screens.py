"""Register → Controleren… (issue 13): the check from the window, on a whole register and on
one with a damaged page; the findings are Dutch and say what to do, never a traceback."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from klachtdesk.models import DB_FILENAME, Register, database
from klachtdesk.procedure import State
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.organisation import handlers
from klachtdesk.ui.check_dialog import CheckDialog

from .journey import Coordinator
from .test_accessibility import problems_of
from .test_crawler import dossier_in
from .test_procedure_screens import open_window


def _checked(
    qtbot: QtBot, ctx: ServiceContext, settings: QSettings
) -> tuple[Coordinator, CheckDialog, str]:
    person = open_window(qtbot, ctx, settings)
    window = person.window
    assert window is not None
    person.menu("Register", "Controleren…", window=window)
    dialog = window.current_dialog
    assert isinstance(dialog, CheckDialog)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)
    assert not problems_of(dialog)
    assert person.button("Opnieuw controleren", dialog).isEnabled()
    return person, dialog, dialog.status.text()


def test_a_whole_register_checks_in_order(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    dossier_in(ctx, State.CLOSED, handlers()[0].id, 1)
    _person, dialog, status = _checked(qtbot, ctx, settings)
    assert status.startswith("Register in orde: 1 dossier,"), status
    assert not dialog.findings.isVisible()
    # Read at the top of the window, where the eye starts, not floating in its middle.
    label = dialog.status
    assert label.y() < 20 and label.height() <= label.heightForWidth(label.width()) + 4


def test_a_damaged_page_shows_dutch_findings_and_the_way_back(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings, data_dir: Path
) -> None:
    for number in range(1, 6):
        dossier_in(ctx, State.CLOSED, handlers()[0].id, number)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the file itself
    path = data_dir / DB_FILENAME
    content = bytearray(path.read_bytes())
    content[8242] ^= 0x10  # page 3
    path.write_bytes(bytes(content))
    person, dialog, status = _checked(qtbot, ctx, settings)
    assert "De controle vond" in status and "in het register" in status, status
    findings = dialog.findings
    assert isinstance(findings, QPlainTextEdit) and findings.isVisible()
    assert findings.accessibleName() == "Bevindingen van de controle"
    text = findings.toPlainText()
    assert "pagina 3 (bytes 8192–12287)" in text, text
    assert "Reservekopie terugzetten" in text and "klachtdesk restore" in text, text
    assert "Traceback" not in text and "malformed" not in text and "Error" not in text
    # Damage found is damage told, every time.
    person.click("Opnieuw controleren", dialog)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)
    assert "pagina 3" in dialog.findings.toPlainText()
