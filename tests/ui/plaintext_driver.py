"""klachtdesk as a person uses it, in a process of its own: run by ``test_no_plaintext.py``
with ``python -m pytest tests/ui/plaintext_driver.py::...`` and every per-user folder pointed
into a made-up account (see ``plaintext.account_env``). Not collected by the suite itself
(its name does not start with ``test_``).

The program is started as ``klachtdesk`` starts it (``klachtdesk.app.run`` on the data folder,
the passphrase from KLACHTDESK_PASSPHRASE); the person acts from inside its event loop. The
system's "open this file" (``QDesktopServices.openUrl``) reaches :class:`Viewer` instead of a
real program: it looks at the file the moment it is handed over, as a viewer would find it.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import traceback
from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from reportlab.pdfgen.canvas import Canvas

from klachtdesk.app import run
from klachtdesk.models import create_register, register_exists, resolve_data_dir
from klachtdesk.procedure import Action, Channel
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.documents import Attachment
from klachtdesk.services.setup import Coordinator as CoordinatorData
from klachtdesk.services.setup import Municipality, initial_setup
from klachtdesk.ui.idle_lock import RelockDialog
from klachtdesk.ui.main_window import MainWindow

from ..db.helpers import intake
from .journey import PASSPHRASE, Coordinator
from .plaintext import EMAIL, NAME, STREET, holding_the_name

ROOT = Path(os.environ.get("KLACHTDESK_PLAINTEXT_ACCOUNT", "/nonexistent"))
REPORT = Path(os.environ.get("KLACHTDESK_PLAINTEXT_REPORT", "/nonexistent"))
READY = "document handed over"
NAME_REFERENCE: list[str] = []  # the complainant's dossier, as the list shows it


def scan_pdf() -> bytes:
    """A scanned letter: the name and address in the page's text and in its metadata,
    uncompressed so the bytes on disk hold them as written."""
    out = BytesIO()
    canvas = Canvas(out, pageCompression=0)
    canvas.setAuthor(NAME)
    canvas.setTitle(f"Brief van {NAME}")
    canvas.drawString(72, 760, NAME)
    canvas.drawString(72, 745, f"{STREET}, 3000 Leuven")
    canvas.drawString(72, 715, "De container in de Kerkstraat werd drie weken niet geledigd.")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def complaint_eml() -> bytes:
    return (
        f"From: {NAME} <{EMAIL}>\r\n"
        "To: klachten@herent.example\r\n"
        "Subject: Klacht over de container\r\n"
        "Date: Mon, 02 Mar 2026 09:00:00 +0100\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"Beste,\r\n\r\nDe container werd niet geledigd.\r\n\r\n{NAME}\r\n{STREET}\r\n"
    ).encode()


def make_register(folder: Path) -> None:
    """The register of a coordinator with one complaint by e-mail from the complainant, its
    scan and its .eml stored (file names holding the name, as people name their files)."""
    if register_exists(folder):
        return
    ctx = ServiceContext(actor="Ann Coördinator")
    register = create_register(folder, PASSPHRASE)
    try:
        initial_setup(
            ctx,
            Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
            CoordinatorData(
                "Ann Coördinator", phone="016 85 30 00", email="klachten@herent.example"
            ),
            ["Milieu en afval"],
            [("Inge Claes", "inge.claes@herent.example", "Milieu en afval")],
        )
        scan, eml = scan_pdf(), complaint_eml()
        assert NAME.encode() in scan and NAME.encode() in eml
        cid = svc.register_complaint(
            ctx,
            intake(
                channel=Channel.EMAIL, name=NAME, email=EMAIL, street=STREET,
                received_on=date.today(), phone="",
            ),
            [
                Attachment(f"scan {NAME}.pdf", "application/pdf", scan, "Scan van de brief"),
                Attachment(f"{NAME}.eml", "message/rfc822", eml, "E-mail van de klager"),
            ],
        )  # fmt: skip
        svc.decide_admissibility(ctx, cid, [], "")
    finally:
        register.close()


class Viewer(QObject):
    """Stands in for the programs the system would start for a ``file:`` URL; records what
    it was handed, as it is at that moment."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[dict[str, object]] = []

    @Slot(QUrl)
    def hand_over(self, url: QUrl) -> None:
        path = Path(url.toLocalFile())
        info = path.lstat()
        folders = {}
        for folder in path.parents:
            if folder == ROOT / "run" or folder == ROOT / "tmp":
                break
            folders[str(folder)] = oct(stat.S_IMODE(folder.lstat().st_mode))
        self.seen.append(
            {
                "path": str(path),
                "regular": stat.S_ISREG(info.st_mode),
                "mode": oct(stat.S_IMODE(info.st_mode)),
                "mine": info.st_uid == os.getuid(),
                "folders": folders,
                "holds_name": NAME.encode() in path.read_bytes(),
            }
        )


def answer_recovery_key_offer(person: Coordinator) -> None:
    """The start-up question to make a recovery key: Later (when it comes)."""
    try:
        person.qtbot.waitUntil(
            lambda: (
                isinstance(box := QApplication.activeModalWidget(), QMessageBox)
                and "Herstelsleutel" in box.windowTitle()
            ),
            timeout=3000,
        )
    except AssertionError:
        return
    box = QApplication.activeModalWidget()
    assert box is not None
    person.click("Later", box)
    person.qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)


def the_window(person: Coordinator) -> MainWindow:
    """klachtdesk's main window, on screen."""
    found: list[MainWindow] = []

    def shown() -> bool:
        found[:] = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        return bool(found)

    person.qtbot.waitUntil(shown)
    window = found[0]
    person.window = window
    return window


def the_relock_dialog(person: Coordinator) -> RelockDialog:
    """The unlock dialog klachtdesk shows once locked, on screen."""
    found: list[RelockDialog] = []

    def shown() -> bool:
        found[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, RelockDialog) and w.isVisible()
        ]
        return bool(found)

    person.qtbot.waitUntil(shown)
    person.activate(found[0])
    return found[0]


def unlock(person: Coordinator, relock: RelockDialog, window: MainWindow) -> None:
    person.type_into("Wachtwoord", PASSPHRASE, relock)
    person.click("Openen", relock)
    person.qtbot.waitUntil(window.isVisible)
    person.activate(window)


def open_documents(person: Coordinator, viewer: Viewer, *titles: str) -> None:
    """Documenten tab, each document clicked and Openen."""
    window = person.window
    assert window is not None
    person.list_row(NAME_REFERENCE[0])
    person.tab("Documenten", window.dossier)
    for title in titles:
        before = len(viewer.seen)
        person.list_item(title, window.dossier)
        person.click("Openen", window.dossier)
        person.qtbot.waitUntil(lambda before=before: len(viewer.seen) == before + 1)


def draft_in_mail_program(person: Coordinator, viewer: Viewer) -> None:
    """The acknowledgement made, then "In mailprogramma…"; the preview and step closed."""
    before = len(viewer.seen)
    dialog = person.step(Action.ACKNOWLEDGE.step.button)
    person.click("De ontvangstmelding maken en versturen…", dialog)
    preview = person.preview()
    person.click("In mailprogramma…", preview)
    person.qtbot.waitUntil(lambda: len(viewer.seen) == before + 1)
    assert "Concept doorgegeven" in preview.info.text()
    person.click("Sluiten", preview)
    person.qtbot.waitUntil(lambda: not preview.isVisible())
    if dialog.isVisible():
        person.click("Annuleren", dialog)


def run_with(
    qtbot: QtBot, script: Callable[[Coordinator, Viewer, dict[str, object]], None]
) -> None:
    """klachtdesk started as the ``klachtdesk`` command starts it, ``script`` acting in it;
    what was seen goes to the report file, also when something failed."""
    folder = resolve_data_dir()
    make_register(folder)
    viewer = Viewer()
    QDesktopServices.setUrlHandler("file", viewer, "hand_over")
    person = Coordinator(qtbot, folder)
    report: dict[str, object] = {"problems": []}

    def act() -> None:
        try:
            window = the_window(person)
            answer_recovery_key_offer(person)
            person.activate(window)
            script(person, viewer, report)
        except BaseException:  # reported, and klachtdesk ends (nobody answers a dialog)
            report["problems"].append(traceback.format_exc())  # type: ignore[attr-defined]
            QApplication.exit(3)

    QTimer.singleShot(0, act)
    try:
        report["exit_status"] = run(folder)
        report["after_quit"] = holding_the_name(ROOT)
    finally:
        QDesktopServices.unsetUrlHandler("file")
        report["handed_over"] = viewer.seen
        REPORT.write_text(json.dumps(report, indent=1))
    assert report["problems"] == [], report["problems"]


def test_open_lock_unlock_and_quit(qtbot: QtBot) -> None:
    def script(person: Coordinator, viewer: Viewer, report: dict[str, object]) -> None:
        window = person.window
        assert window is not None
        NAME_REFERENCE[:] = [str(window.model.index(0, 0).data())]
        open_documents(person, viewer, "Scan van de brief", "E-mail van de klager")
        draft_in_mail_program(person, viewer)
        report["before_lock"] = holding_the_name(ROOT)
        person.menu("Beeld", "Vergrendelen", window=window)
        relock = the_relock_dialog(person)
        report["after_lock"] = holding_the_name(ROOT)
        unlock(person, relock, window)
        open_documents(person, viewer, "Scan van de brief")
        report["before_idle_lock"] = holding_the_name(ROOT)
        idle = window.idle_lock
        assert idle is not None
        idle.timer.setInterval(1)  # the minutes without input, gone by
        idle.timer.start()
        relock = the_relock_dialog(person)
        report["after_idle_lock"] = holding_the_name(ROOT)
        idle.timer.setInterval(60 * 60_000)
        unlock(person, relock, window)
        open_documents(person, viewer, "Scan van de brief")
        report["before_quit"] = holding_the_name(ROOT)
        person.menu("Bestand", "Afsluiten", window=window)

    run_with(qtbot, script)


def test_open_and_wait_to_be_killed(qtbot: QtBot) -> None:
    def script(person: Coordinator, viewer: Viewer, report: dict[str, object]) -> None:
        window = person.window
        assert window is not None
        NAME_REFERENCE[:] = [str(window.model.index(0, 0).data())]
        open_documents(person, viewer, "Scan van de brief", "E-mail van de klager")
        draft_in_mail_program(person, viewer)
        REPORT.write_text(json.dumps({"handed_over": viewer.seen}))
        print(READY, file=sys.stderr, flush=True)
        # klachtdesk goes on running with the documents open, until it is killed.

    run_with(qtbot, script)
