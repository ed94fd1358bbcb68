"""The settings dialog changes the register through the services, all or nothing."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from klachtdesk.models import Complaint, Department, Handler, Register
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.settings import idle_lock_minutes, time_limits
from klachtdesk.services.setup import coordinator, municipality
from klachtdesk.ui.settings_dialog import SettingsDialog

from ..db.helpers import intake


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
    assert d.municipality_fields["name"].text() == "Gemeente Herent"
    d.municipality_fields["website"].setText("www.herent.be")
    d.coordinator_fields["phone"].setText("016 85 30 01")
    d.limit_spins["acknowledgement_days"].setValue(14)
    d.idle_spin.setValue(5)
    d.save_button.click()
    assert not d.isVisible()
    assert municipality().website == "www.herent.be"  # type: ignore[union-attr]
    assert coordinator().phone == "+32 16 85 30 01"  # type: ignore[union-attr]
    assert time_limits().acknowledgement_days == 14 and idle_lock_minutes() == 5
    assert Complaint.get_by_id(cid).next_due_on == date(2026, 3, 16)


def test_bad_settings_save_nothing(qtbot: QtBot, register: Register, ctx: ServiceContext) -> None:
    d = dialog(qtbot, ctx)
    d.municipality_fields["website"].setText("www.herent.be")
    d.coordinator_fields["email"].setText("geen adres")
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
    d.handler_department.setCurrentIndex(d.handler_department.findText("Onderwijs"))
    d.add_handler_button.click()
    tom = Handler.get(Handler.name == "Tom Wouters")
    assert tom.department.name == "Onderwijs"
    assert d.handler_table.rowCount() == 2
