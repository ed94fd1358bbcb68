"""Render the real screens into docs/screenshots/ (run offscreen, on a fresh demo register).

QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py

Then journey (a) of the GUI tests runs once more, keeping a picture of every step it takes
(docs/screenshots/journey-*.png).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication, QWidget, QWizard
from render_letters import HANDLER_ANSWERS, fill_form  # tools/, beside this script

from klachtdesk.app import attach_backups, make_application
from klachtdesk.models import DB_FILENAME, Complaint, create_register
from klachtdesk.procedure import Action, Channel, Outcome, State
from klachtdesk.services import correspondence
from klachtdesk.services.backup import make_backup
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.demo import fill_with_demo
from klachtdesk.services.dossier_detail import complaint_detail
from klachtdesk.services.extension import ExtensionRule, set_extension_rule
from klachtdesk.services.handler_form import read_returned
from klachtdesk.services.retention import set_retention_years
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup
from klachtdesk.ui import action_dialogs
from klachtdesk.ui.extension_dialog import ExtensionDialog
from klachtdesk.ui.intake_wizard import IntakeWizard
from klachtdesk.ui.main_window import MainWindow
from klachtdesk.ui.recovery_key_dialog import RecoveryKeyDialog
from klachtdesk.ui.restore_dialog import RestoreDialog
from klachtdesk.ui.retention_dialog import RetentionDialog
from klachtdesk.ui.returned_form_dialog import ReturnedFormDialog
from klachtdesk.ui.settings_dialog import SettingsDialog
from klachtdesk.ui.setup_wizard import SetupWizard
from klachtdesk.ui.unlock_dialog import UnlockDialog

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
NOW = datetime(2026, 11, 27, 10, 15)


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def save(widget: QWidget, name: str) -> None:
    settle()
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(OUT.parent.parent))


def wizard_pages(wizard: QWizard, prefix: str) -> None:
    wizard.show()
    for number, page_id in enumerate(wizard.pageIds(), start=1):
        if wizard.currentId() != page_id:
            wizard.next()
        save(wizard, f"{prefix}-{number}")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_application([sys.argv[0]])
    work = Path(tempfile.mkdtemp(prefix="klachtdesk-shots-"))
    ctx = ServiceContext(actor="Ann Peeters", clock=lambda: NOW)
    try:
        setup = SetupWizard(work / "nieuw")
        setup.municipality.form.name.setText("Gemeente Herent")
        setup.municipality.form.street.setText("Wilselsesteenweg 28")
        setup.municipality.form.postal_code.setText("3020")
        setup.municipality.form.city.setText("Herent")
        setup.municipality.form.website.setText("www.herent.be")
        setup.coordinator.form.name.setText("Ann Peeters")
        setup.coordinator.form.phone.setText("+32 16 85 30 00")
        setup.coordinator.form.email.setText("klachten@herent.be")
        setup.passphrase.first.setText("een lang wachtwoord")
        setup.passphrase.second.setText("een lang wachtwoord")
        setup.recovery.panel.last_group.setText(setup.recovery.keys.last_group)
        setup.organisation.handlers.setPlainText(
            "Inge Claes; inge.claes@herent.be; Milieu en afval\n"
            "Koen Maes; koen.maes@herent.be; Openbare werken"
        )
        wizard_pages(setup, "setup")
        setup.done(0)

        register = create_register(work / "demo", "een lang wachtwoord")
        initial_setup(
            ctx,
            Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
            Coordinator("Ann Peeters", phone="+32 16 85 30 00", email="klachten@herent.be"),
            [],
            [],
        )
        fill_with_demo(ctx, 2500, seed=11, years=2)
        register.close()

        unlock = UnlockDialog(work / "demo")
        unlock.show()
        unlock.passphrase.setText("verkeerd")
        unlock.accept()
        save(unlock, "unlock-wrong-passphrase")
        unlock.passphrase.setText("een lang wachtwoord")
        unlock.accept()
        register = unlock.register
        assert register is not None

        window = MainWindow(ctx, QSettings(str(work / "window.ini"), QSettings.Format.IniFormat))
        window.resize(1400, 860)
        window.show()
        make_backup(register, ctx)
        backups = attach_backups(window, register, ctx)
        while backups.busy:  # the backup of the day, started at once, shown in the status bar
            QApplication.processEvents()
        window.watch.check()  # no tray offscreen: the banner shows the deadline counts
        sample = (
            Complaint.select()
            .where(Complaint.state == str(State.REINVESTIGATION), Complaint.name != "")
            .first()
            or Complaint.select().where(Complaint.state == str(State.WITH_HANDLER)).first()
        )
        window.select_complaint(sample.id)
        save(window, "main-window")
        window.dossier.tabs.setCurrentIndex(1)
        save(window.dossier, "dossier-limits")
        window.dossier.tabs.setCurrentIndex(2)
        save(window.dossier, "dossier-timeline")
        window.dossier.tabs.setCurrentIndex(0)
        save(window.dossier, "dossier-data")

        window.due_filter.setCurrentIndex(1)
        window.search.setText("peeters")
        window.apply_filter()
        save(window, "main-window-urgent-search")
        window.search.clear()
        window.due_filter.setCurrentIndex(0)
        window.apply_filter()

        # Beeld → Cijfers: the year's figures; a section further down with its charts; a
        # number clicked, and the list on exactly its dossiers.
        figures = window.show_figures()
        figures.resize(1400, 900)
        figures.wait_until_counted()
        save(figures, "figures-year")
        figures.contents.setCurrentRow(4)  # Kenmerken van de klachten
        save(figures, "figures-characteristics")
        outcomes = figures.table("Uitkomst van de behandeling").report_model
        unfounded = next(
            selection
            for row, selection in zip(outcomes.table.rows, outcomes.table.selections, strict=True)
            if row[0] == Outcome.UNFOUNDED.label
        )
        assert unfounded is not None
        figures.choose(unfounded)
        save(window, "main-window-figures-filter")
        window.clear_restriction()
        figures.hide()

        intake = IntakeWizard(ctx, Channel.PHONE, window)
        intake.person.name.setText("Marie Janssens")
        intake.person.street.setText("Kerkstraat 12")
        intake.person.postal_code.setText("3020")
        intake.person.city.setText("Herent")
        intake.person.phone.setText("+32 478 12 34 56")
        intake.person.name_left = True
        intake.person.update_hint()
        intake.complaint.description.setPlainText(
            "Mijn restafvalcontainer werd twee weken na elkaar niet geledigd. Ik belde de "
            "dienst al twee keer, zonder antwoord."
        )
        intake.complaint.department.setCurrentIndex(3)
        wizard_pages(intake, "intake-phone")
        intake.done(0)

        admissible = Complaint.select().where(Complaint.state == str(State.REGISTERED)).first()
        window.select_complaint(admissible.id)
        detail = window.dossier.detail
        assert detail is not None
        for action, name in (
            (Action.DECIDE_ADMISSIBILITY, "step-admissibility"),
            (Action.SEND_TO_HANDLER, "step-send-to-handler"),
            (Action.ASSESS, "step-assessment"),
            (Action.REVIEW_NEUTRALITY, "step-neutrality-review"),
            (Action.WITHDRAW, "step-withdrawal"),
        ):
            dialog = action_dialogs.dialog_for(action, ctx, detail, window)
            if isinstance(dialog, action_dialogs.AssessmentDialog):
                dialog.outcome_buttons[Outcome.PARTLY_WELL_FOUNDED].setChecked(True)
            dialog.show()
            save(dialog, name)
            dialog.done(0)

        # Issue 15: a handler's returned form beside its dossier, and the one extension of
        # a dossier's closing limit.
        with_handler = (
            Complaint.select()
            .where(Complaint.state == str(State.WITH_HANDLER))
            .order_by(Complaint.received_on.desc())
        )
        recent = with_handler.first()
        form = correspondence.generate(ctx, recent.id, correspondence.REPORT)[1]
        returned = read_returned(fill_form(form, HANDLER_ANSWERS), "rapport-ingevuld.pdf")
        side_by_side = ReturnedFormDialog(ctx, returned, window)
        side_by_side.show()
        save(side_by_side, "returned-form")
        side_by_side.done(0)
        set_extension_rule(ctx, ExtensionRule(True, 45))
        offered = next(
            detail
            for detail in (complaint_detail(row.id, NOW.date()) for row in with_handler)
            if detail.extension_offered
        )
        extension = ExtensionDialog(ctx, offered, window)
        extension.show()
        save(extension, "extension")
        extension.done(0)

        settings = SettingsDialog(ctx, window)
        settings.show()
        for index in range(settings.tabs.count()):
            title = settings.tabs.tabText(index).replace("&", "")
            if title in ("Beveiliging", "Reservekopieën", "Bewaartermijn", "Termijnen", "Diensten"):
                settings.tabs.setCurrentIndex(index)
                save(settings, "settings-" + title.lower().replace("ë", "e"))
        settings.done(0)
        recovery = RecoveryKeyDialog(ctx, window)
        recovery.show()
        save(recovery, "recovery-key-new")
        recovery.done(0)
        restore = RestoreDialog(backups.keeper, window)
        restore.show()
        save(restore, "restore-from-window")
        restore.done(0)
        set_retention_years(ctx, 1)
        retention = RetentionDialog(ctx, window)
        retention.show()
        save(retention, "retention-expired")
        retention.done(0)
        window.close()
        QThreadPool.globalInstance().waitForDone()
        register.close()

        # A register whose first page is damaged: named as such, and a restore offered.
        damaged = work / "beschadigd"
        shutil.copytree(
            work / "demo",
            damaged,
            ignore=shutil.ignore_patterns("*.lock", "*-wal", "*-shm", "reservekopie*"),
        )
        with (damaged / DB_FILENAME).open("r+b") as file:
            file.seek(2000)
            byte = file.read(1)
            file.seek(2000)
            file.write(bytes([byte[0] ^ 0xFF]))
        unlock = UnlockDialog(damaged)
        unlock.show()
        unlock.passphrase.setText("een lang wachtwoord")
        unlock.accept()
        save(unlock, "unlock-damaged-register")
        assert unlock.register is None, "the damaged copy opened"
        unlock.done(0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    del app
    return 0


def journey_screenshots() -> int:
    """Journey (a) of tests/ui/test_journeys.py, keeping a picture of every step."""
    import subprocess

    for old in OUT.glob("journey-*.png"):
        old.unlink()
    env = {**os.environ, "KLACHTDESK_SCREENSHOTS": str(OUT), "QT_QPA_PLATFORM": "offscreen"}
    test = "tests/ui/test_journeys.py::test_phone_complaint_walked_to_closing_without_investigation_notes"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test]
    return subprocess.run(command, env=env, cwd=OUT.parent.parent, check=False).returncode


if __name__ == "__main__":
    sys.exit(main() or journey_screenshots())
