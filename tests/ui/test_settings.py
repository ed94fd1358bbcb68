"""The settings dialog changes the register through the services, all or nothing."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from klachtdesk.letters.texts import DEFAULT_TEXTS
from klachtdesk.models import AuditContent, Complaint, Department, Handler, Register
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.correspondence import ACKNOWLEDGEMENT, generate, letter_texts
from klachtdesk.services.mail import SmtpSettings, smtp_settings
from klachtdesk.services.settings import idle_lock_minutes, time_limits
from klachtdesk.services.setup import coordinator, envelope_window, municipality
from klachtdesk.ui.settings_dialog import SettingsDialog

from ..db.helpers import intake
from ..smtp import PASSWORD, USER, Inbox
from .journey import Coordinator

SAVE = "Opslaan"


def dialog(qtbot: QtBot, ctx: ServiceContext) -> tuple[Coordinator, SettingsDialog]:
    """The settings dialog on screen, and the coordinator in front of it."""
    d = SettingsDialog(ctx)
    qtbot.addWidget(d)
    d.show()
    person = Coordinator(qtbot, Path())
    person.activate(d)
    return person, d


def test_general_settings_are_saved_together(
    qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    cid = svc.register_complaint(ctx, intake())
    person, d = dialog(qtbot, ctx)
    person.tab("Bestuur", d)
    assert person.field("Naam", within=d).text() == "Gemeente Herent"  # type: ignore[attr-defined]
    person.type_into("Website", "www.herent.be", d)
    person.tab("Klachtencoördinator", d)
    person.type_into("Telefoon", "016 85 30 01", d)
    person.tab("Termijnen", d)
    person.type_into("Ontvangstmelding (dagen na ontvangst)", "14", d)
    person.type_into("Vergrendelen na", "5", d)
    person.click(SAVE, d)
    assert not d.isVisible()
    assert municipality().website == "www.herent.be"  # type: ignore[union-attr]
    assert coordinator().phone == "+32 16 85 30 01"  # type: ignore[union-attr]
    assert time_limits().acknowledgement_days == 14 and idle_lock_minutes() == 5
    # The dossier keeps its own limits unless the coordinator asks to apply them to open ones.
    assert Complaint.get_by_id(cid).next_due_on == date(2026, 3, 12)


def test_bad_settings_save_nothing(qtbot: QtBot, register: Register, ctx: ServiceContext) -> None:
    person, d = dialog(qtbot, ctx)
    person.type_into("Website", "www.herent.be", d)
    person.tab("Klachtencoördinator", d)
    person.type_into("E-mail", "geen adres", d)
    person.click(SAVE, d)
    assert d.isVisible() and person.sees("e-mailadres", d)
    assert municipality().website == ""  # type: ignore[union-attr]


def test_a_refusal_shows_the_tab_it_is_about(
    qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    """Saving from the Bewaartermijn tab with a wrong coordinator e-mail: the dialog turns to
    the Klachtencoördinator tab, where the message is about."""
    person, d = dialog(qtbot, ctx)
    person.tab("Klachtencoördinator", d)
    person.type_into("E-mail", "geen adres", d)
    person.tab("Bewaartermijn", d)
    person.click(SAVE, d)
    assert d.isVisible() and person.sees("e-mailadres", d)
    assert d.tabs.tabText(d.tabs.currentIndex()) == "Klachtencoördinator"


def test_departments_and_handlers(qtbot: QtBot, register: Register, ctx: ServiceContext) -> None:
    person, d = dialog(qtbot, ctx)
    person.tab("Diensten", d)
    # The department's name field has no label, only the hint "Naam van de dienst".
    name = person.field_with_placeholder("Naam van de dienst", within=d)
    person.type_in(name, "Onderwijs")
    person.click("Toevoegen", d)
    assert Department.get(Department.name == "Onderwijs").active
    person.type_in(name, "Burgerzaken")
    person.click("Toevoegen", d)
    assert person.sees("bestaat al", d)
    person.tab("Behandelaars", d)
    person.type_into("Naam", "Tom Wouters", d)
    person.type_into("E-mail", "tom@herent", d)
    person.click("Toevoegen", d)
    assert person.sees("e-mailadres", d) and Handler.select().count() == 1
    person.type_into("E-mail", "tom.wouters@herent.example", d)
    person.choose("Dienst", "Onderwijs", d)
    person.click("Toevoegen", d)
    tom = Handler.get(Handler.name == "Tom Wouters")
    assert tom.department.name == "Onderwijs"
    assert d.handler_table.rowCount() == 2


def mail_tab_on_local_server(
    qtbot: QtBot, ctx: ServiceContext, port: int
) -> tuple[Coordinator, SettingsDialog]:
    """The settings' E-mail tab with the test's local SMTP server typed in (no TLS)."""
    person, d = dialog(qtbot, ctx)
    person.tab("E-mail", d)
    person.type_into("Server", "127.0.0.1", d)
    person.type_into("Poort", str(port), d)
    person.choose("Beveiliging", "geen", d)
    return person, d


def test_mail_settings_test_button_and_save(
    qtbot: QtBot, register: Register, ctx: ServiceContext, smtp_server: tuple[Inbox, int]
) -> None:
    _inbox, port = smtp_server
    person, d = mail_tab_on_local_server(qtbot, ctx, port)
    person.type_into("Gebruiker", USER, d)
    person.type_into("Wachtwoord", "fout", d)
    person.type_into("Afzender", "klachten@herent.example", d)
    test_button = person.button("Verbinding testen", d)
    person.click("Verbinding testen", d)
    qtbot.waitUntil(
        lambda: test_button.isEnabled() and d.smtp_status.text() != "Bezig…", timeout=10_000
    )
    assert "weigert de aanmelding" in d.smtp_status.text()
    person.type_into("Wachtwoord", PASSWORD, d)
    person.click("Verbinding testen", d)
    qtbot.waitUntil(lambda: "gelukt" in d.smtp_status.text(), timeout=10_000)
    assert "kan ook naar adressen met letters als ü" in d.smtp_status.text()
    # Typed with a stray blank and line break (pasted): kept trimmed.
    person.type_into("Afzender", " klachten@herent.example\r\n", d)
    person.choose("Adres op de brief", "rechts (vensterenvelop rechts)", d)
    person.click(SAVE, d)
    assert smtp_settings() == SmtpSettings(
        "127.0.0.1", port, "none", USER, PASSWORD, "klachten@herent.example", smtputf8=True
    )
    assert envelope_window() == "right"
    # The password is kept in the register but never written to the append-only audit trail.
    assert AuditContent.select().where(AuditContent.after.contains(PASSWORD)).count() == 0
    assert AuditContent.select().where(AuditContent.after.contains("(verborgen)")).count() == 1


def test_the_mail_test_without_a_user_claims_no_login(
    qtbot: QtBot, register: Register, ctx: ServiceContext, smtp_server: tuple[Inbox, int]
) -> None:
    _inbox, port = smtp_server
    person, d = mail_tab_on_local_server(qtbot, ctx, port)
    person.type_into("Afzender", "  klachten@herent.example  ", d)
    person.click("Verbinding testen", d)
    qtbot.waitUntil(lambda: "gelukt" in d.smtp_status.text(), timeout=10_000)
    assert person.sees("Verbinding gelukt (zonder aanmelding", d)
    assert not person.sees("aanmelding gelukt", d)


def test_standard_texts_are_checked_and_used(
    qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    person, d = dialog(qtbot, ctx)
    person.tab("Brieven", d)
    # The tab has one (unlabelled) choice of text and one text area.
    person.pick(person.the_only(QComboBox, d), "Ontvangstmelding – termijn en behandelaar")
    area = person.the_only(QPlainTextEdit, d)
    person.type_in(area, "Antwoord uiterlijk op {antwoord_uiterljk}.")
    person.click("Tekst bewaren", d)
    assert person.sees("{antwoord_uiterljk}", d)
    assert letter_texts()["termijn"] == DEFAULT_TEXTS["termijn"]
    person.type_in(area, "U krijgt antwoord tegen {antwoord_uiterlijk}.")
    person.click("Tekst bewaren", d)
    assert d.text_error.isHidden()
    assert letter_texts()["termijn"] == "U krijgt antwoord tegen {antwoord_uiterlijk}."
    cid = svc.register_complaint(ctx, intake())
    svc.decide_admissibility(ctx, cid, [])
    _doc, pdf = generate(ctx, cid, ACKNOWLEDGEMENT)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "U krijgt antwoord tegen 16 april 2026." in " ".join(text.split())


AUTOSTART = "klachtdesk starten bij het aanmelden (termijnen bewaken)"


def test_start_at_login_is_off_by_default_and_writes_an_autostart_entry(
    qtbot: QtBot,
    register: Register,
    ctx: ServiceContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    entry = tmp_path / "config" / "autostart" / "klachtdesk.desktop"
    person, d = dialog(qtbot, ctx)
    person.tab("Termijnen", d)
    assert not person.button(AUTOSTART, d).isChecked()
    person.toggle(AUTOSTART, d)
    person.click(SAVE, d)
    text = entry.read_text(encoding="utf-8")
    assert "[Desktop Entry]" in text and "-m klachtdesk" in text and "Name=klachtdesk" in text
    person, d = dialog(qtbot, ctx)
    person.tab("Termijnen", d)
    assert person.button(AUTOSTART, d).isChecked()
    person.toggle(AUTOSTART, d)
    person.click(SAVE, d)
    assert not entry.exists()


def test_every_tab_shows_its_explanations_whole(
    qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    """Termijnen holds two sections (extension, reminders) each with a wrapped explanation:
    at the dialog's opening size their lines were clipped. Each tab grows to fit them."""
    person, d = dialog(qtbot, ctx)
    for index in range(d.tabs.count()):
        person.tab(d.tabs.tabText(index).replace("&", ""), d)
        qtbot.waitUntil(lambda i=index: d.tabs.currentIndex() == i)
        QApplication.processEvents()
        page = d.tabs.currentWidget()
        clipped = [
            label.text()[:40]
            for label in page.findChildren(QLabel)
            if label.isVisibleTo(page)
            and label.wordWrap()
            and label.height() < label.heightForWidth(label.width())
        ]
        assert not clipped, (d.tabs.tabText(index), clipped)


def test_every_text_and_field_of_the_limits_tab_shows_in_full(
    qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    # The extension and reminder sections made the tab taller than the dialog: their notes
    # were cut off at the top and bottom and the reminder's combo box squeezed flat.
    person, d = dialog(qtbot, ctx)
    person.tab("Termijnen", d)
    person.click("Termijn voor het antwoord één keer verlengen toegestaan", d)
    person.click("Herinneringen per e-mail sturen", d)
    qtbot.wait(50)
    tab = d.tabs.currentWidget()
    shown = [w for w in tab.findChildren(QWidget) if w.isVisibleTo(tab)]
    assert shown
    for widget in shown:
        if isinstance(widget, QLabel) and widget.wordWrap() and widget.text():
            needed = widget.heightForWidth(widget.width())
            assert widget.height() >= needed, widget.text()
        elif isinstance(widget, (QSpinBox, QComboBox, QCheckBox)):
            assert widget.height() >= widget.minimumSizeHint().height(), widget
