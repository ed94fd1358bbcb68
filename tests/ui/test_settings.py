"""The settings dialog changes the register through the services, all or nothing."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from klachtdesk.letters.texts import DEFAULT_TEXTS
from klachtdesk.models import AuditEvent, Complaint, Department, Handler, Register
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.correspondence import ACKNOWLEDGEMENT, generate, letter_texts
from klachtdesk.services.mail import SmtpSettings, smtp_settings
from klachtdesk.services.settings import idle_lock_minutes, time_limits
from klachtdesk.services.setup import coordinator, envelope_window, municipality
from klachtdesk.ui.settings_dialog import SettingsDialog

from ..db.helpers import intake
from ..smtp import PASSWORD, USER, Inbox
from .person import Person


def dialog(qtbot: QtBot, ctx: ServiceContext) -> SettingsDialog:
    d = SettingsDialog(ctx)
    qtbot.addWidget(d)
    d.show()
    return d


def test_general_settings_are_saved_together(
    qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    cid = svc.register_complaint(ctx, intake())
    d = dialog(qtbot, ctx)
    assert d.municipality_form.name.text() == "Gemeente Herent"
    d.municipality_form.website.setText("www.herent.be")
    d.coordinator_form.phone.setText("016 85 30 01")
    d.limit_spins["acknowledgement_days"].setValue(14)
    d.idle_spin.setValue(5)
    d.save_button.click()
    assert not d.isVisible()
    assert municipality().website == "www.herent.be"  # type: ignore[union-attr]
    assert coordinator().phone == "+32 16 85 30 01"  # type: ignore[union-attr]
    assert time_limits().acknowledgement_days == 14 and idle_lock_minutes() == 5
    # The dossier keeps its own limits unless the coordinator asks to apply them to open ones.
    assert Complaint.get_by_id(cid).next_due_on == date(2026, 3, 12)


def test_bad_settings_save_nothing(qtbot: QtBot, register: Register, ctx: ServiceContext) -> None:
    d = dialog(qtbot, ctx)
    d.municipality_form.website.setText("www.herent.be")
    d.coordinator_form.email.setText("geen adres")
    d.save_button.click()
    assert d.isVisible() and "e-mailadres" in d.error.text()
    assert municipality().website == ""  # type: ignore[union-attr]


def test_departments_and_handlers(qtbot: QtBot, register: Register, ctx: ServiceContext) -> None:
    d = dialog(qtbot, ctx)
    d.department_name.setText("Onderwijs")
    d.add_department_button.click()
    assert Department.get(Department.name == "Onderwijs").active
    d.department_name.setText("Burgerzaken")
    d.add_department_button.click()
    assert "bestaat al" in d.department_error.text()
    d.handler_name.setText("Tom Wouters")
    d.handler_email.setText("tom@herent")
    d.add_handler_button.click()
    assert "e-mailadres" in d.handler_error.text() and Handler.select().count() == 1
    d.handler_email.setText("tom.wouters@herent.example")
    Person(qtbot).pick(d.handler_department, "Onderwijs")
    d.add_handler_button.click()
    tom = Handler.get(Handler.name == "Tom Wouters")
    assert tom.department.name == "Onderwijs"
    assert d.handler_table.rowCount() == 2


def test_mail_settings_test_button_and_save(
    qtbot: QtBot, register: Register, ctx: ServiceContext, smtp_server: tuple[Inbox, int]
) -> None:
    _inbox, port = smtp_server
    d = dialog(qtbot, ctx)
    d.smtp_host.setText("127.0.0.1")
    d.smtp_port.setValue(port)
    Person(qtbot).pick(d.smtp_security, "geen")
    d.smtp_user.setText(USER)
    d.smtp_password.setText("fout")
    d.smtp_sender.setText("klachten@herent.example")
    d.smtp_test_button.click()
    qtbot.waitUntil(
        lambda: d.smtp_test_button.isEnabled() and d.smtp_status.text() != "Bezig…", timeout=10_000
    )
    assert "weigert de aanmelding" in d.smtp_status.text()
    d.smtp_password.setText(PASSWORD)
    d.smtp_test_button.click()
    qtbot.waitUntil(lambda: "gelukt" in d.smtp_status.text(), timeout=10_000)
    Person(qtbot).pick(d.envelope, "rechts (vensterenvelop rechts)")
    d.save_button.click()
    assert smtp_settings() == SmtpSettings(
        "127.0.0.1", port, "none", USER, PASSWORD, "klachten@herent.example"
    )
    assert envelope_window() == "right"
    # The password is kept in the register but never written to the append-only audit trail.
    assert AuditEvent.select().where(AuditEvent.after.contains(PASSWORD)).count() == 0
    assert AuditEvent.select().where(AuditEvent.after.contains("(verborgen)")).count() == 1


def test_standard_texts_are_checked_and_used(
    qtbot: QtBot, register: Register, ctx: ServiceContext
) -> None:
    d = dialog(qtbot, ctx)
    Person(qtbot).pick(d.text_choice, "Ontvangstmelding – termijn en behandelaar")
    d.text_edit.setPlainText("Antwoord uiterlijk op {antwoord_uiterljk}.")
    d.text_save_button.click()
    assert "{antwoord_uiterljk}" in d.text_error.text() and not d.text_error.isHidden()
    assert letter_texts()["termijn"] == DEFAULT_TEXTS["termijn"]
    d.text_edit.setPlainText("U krijgt antwoord tegen {antwoord_uiterlijk}.")
    d.text_save_button.click()
    assert d.text_error.isHidden()
    assert letter_texts()["termijn"] == "U krijgt antwoord tegen {antwoord_uiterlijk}."
    cid = svc.register_complaint(ctx, intake())
    svc.decide_admissibility(ctx, cid, [])
    _doc, pdf = generate(ctx, cid, ACKNOWLEDGEMENT)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "U krijgt antwoord tegen 16 april 2026." in " ".join(text.split())


def test_start_at_login_is_off_by_default_and_writes_an_autostart_entry(
    qtbot: QtBot,
    register: Register,
    ctx: ServiceContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    entry = tmp_path / "config" / "autostart" / "klachtdesk.desktop"
    d = dialog(qtbot, ctx)
    assert not d.autostart.isChecked()
    d.autostart.setChecked(True)
    d.save_button.click()
    text = entry.read_text(encoding="utf-8")
    assert "[Desktop Entry]" in text and "-m klachtdesk" in text and "Name=klachtdesk" in text
    d = dialog(qtbot, ctx)
    assert d.autostart.isChecked()
    d.autostart.setChecked(False)
    d.save_button.click()
    assert not entry.exists()
