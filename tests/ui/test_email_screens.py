"""E-mails dropped on the window, as a coordinator meets them: huge, hostile or from abroad."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox

from klachtdesk.services.context import ServiceContext
from klachtdesk.services.mail import SmtpSettings, save_smtp_settings

from .journey import Coordinator, drop_files
from .person import text_of

LATIN1 = (
    b"From: S\xe9bastien Dewaele <seb.dewaele@example.be>\r\n"
    b"Subject: Caf\xe9 op de Markt\r\n"
    b"Date: Fri, 27 Feb 2026 18:04:00 +0100\r\n"
    b"Content-Type: text/plain; charset=x-onbekend\r\n\r\n"
    b"Het caf\xe9 maakt elke nacht lawaai.\r\n"
)


def dropped_and_refused(person: Coordinator, path: Path) -> str:
    assert person.window is not None
    seen = person.answer_message(QMessageBox.StandardButton.Ok)
    drop_files(person.window, [path])
    person.qtbot.waitUntil(lambda: bool(seen))
    assert person.window.current_dialog is None  # no intake opened
    return seen[0]


def test_a_huge_or_hostile_eml_is_refused_in_dutch_and_a_latin1_one_keeps_its_accents(
    person: Coordinator, tmp_path: Path
) -> None:
    huge = tmp_path / "groot.eml"
    with huge.open("wb") as f:  # 85 MB, sparse: refused on its size, never read
        f.write(LATIN1)
        f.truncate(85 * 1024 * 1024)
    assert "‘groot.eml’ is te groot (85 MB); klachtdesk neemt bestanden tot 50 MB op." in (
        dropped_and_refused(person, huge)
    )
    crowd = tmp_path / "massa.eml"
    senders = b", ".join(b"burger%d@example.be" % i for i in range(10_000))
    crowd.write_bytes(b"From: " + senders + b"\r\nSubject: x\r\n\r\nx")
    assert "‘massa.eml’ noemt 10.000 afzenders" in dropped_and_refused(person, crowd)
    latin1 = tmp_path / "cafe.eml"
    latin1.write_bytes(LATIN1)
    assert person.window is not None
    drop_files(person.window, [latin1])
    wizard = person.wizard()
    # A new e-mail intake, not an unfinished one brought back after a crash.
    assert wizard.windowTitle() == "Nieuwe klacht per e-mail"
    assert text_of(person.field("Naam", QLineEdit, wizard)) == "Sébastien Dewaele"
    person.next(wizard)
    assert text_of(person.field("Omschrijving", within=wizard)) == (
        "Café op de Markt\n\nHet café maakt elke nacht lawaai."
    )


def eml_from(folder: Path, address: str) -> Path:
    path = folder / "buitenland.eml"
    path.write_bytes(
        f"From: Jürgen Öztürk <{address}>\r\nSubject: Parkeren\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nFout geparkeerd.\r\n".encode()
    )
    return path


def test_an_address_the_mail_server_may_not_reach_gets_a_warning_at_intake(
    person: Coordinator, tmp_path: Path
) -> None:
    # Not known whether the server can send to jürgen@...: a warning; the intake goes on.
    assert person.window is not None
    drop_files(person.window, [eml_from(tmp_path, "jürgen@example.be")])
    wizard = person.wizard()
    person.type_into("E-mail", "jürgen@example.be", wizard)
    person.press(Qt.Key.Key_Tab)
    page = wizard.currentPage()
    assert "Let op: ‘jürgen@example.be’ heeft letters als ü of é" in page.errors.text()  # type: ignore[attr-defined]
    person.next(wizard)


def test_an_address_the_mail_server_cannot_reach_is_refused_at_intake(
    person: Coordinator, ctx: ServiceContext, tmp_path: Path
) -> None:
    # The connection test found that the server offers no SMTPUTF8.
    save_smtp_settings(
        ctx,
        SmtpSettings(
            "smtp.herent.example", 587, "starttls", "", "", "klachten@herent.example", False
        ),
    )
    assert person.window is not None
    drop_files(person.window, [eml_from(tmp_path, "jürgen@example.be")])
    wizard = person.wizard()
    before = wizard.currentId()
    person.click("Volgende >", wizard)
    assert wizard.currentId() == before
    assert "Uw mailserver (smtp.herent.example) kan daar niet naar versturen" in (
        wizard.currentPage().errors.text()  # type: ignore[attr-defined]
    )
    person.type_into("E-mail", "jurgen@example.be", wizard)
    person.next(wizard)
