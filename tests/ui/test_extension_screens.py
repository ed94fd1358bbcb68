"""Extending the closing limit as a coordinator does it (issue 15): switch it on in Settings,
extend from the dossier view with a motivation, make the notice, see the new date."""

from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QSpinBox, QTableWidget
from pytestqt.qtbot import QtBot

from klachtdesk.models import Complaint, Document, Register
from klachtdesk.procedure import Outcome, State
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.correspondence import EXTENSION
from klachtdesk.services.dossier_detail import complaint_detail
from klachtdesk.services.extension import ExtensionRule, extension_rule
from klachtdesk.services.organisation import handlers
from klachtdesk.ui.complaint_table_model import NEXT_LIMIT_COLUMN
from klachtdesk.ui.letter_preview_dialog import LetterPreviewDialog, document_preview
from klachtdesk.ui.main_window import MainWindow
from klachtdesk.ui.settings_dialog import SettingsDialog

from ..conftest import FakeClock
from ..db.helpers import intake
from .person import Person
from .test_accessibility import each_tab, problems_of, show
from .test_crawler import dossier_in


def returned_dossier(ctx: ServiceContext) -> int:
    cid = svc.register_complaint(ctx, intake())
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handlers()[0].id)
    svc.record_assessment(ctx, cid, Outcome.UNFOUNDED)
    svc.record_returned(ctx, cid, report_text="Rapport.", reply_text="Geachte, ...")
    return cid


def next_limit_text(window: MainWindow, complaint_id: int) -> str:
    model = window.model
    row = model.row_of(complaint_id)
    assert row is not None
    return str(model.data(model.index(row, NEXT_LIMIT_COLUMN)))


def test_coordinator_enables_extension_and_extends_a_dossier(
    qtbot: QtBot, window: MainWindow, register: Register, ctx: ServiceContext, clock: FakeClock
) -> None:
    cid = returned_dossier(ctx)  # received 2 March 2026: closing limit 16 April
    clock.advance(20)  # 22 March
    person = Person(qtbot)
    window.apply_filter()
    assert window.select_complaint(cid)
    # Off by default: the dossier view does not offer it.
    assert not window.dossier.extension_button.isVisible()
    assert next_limit_text(window, cid) == "afsluiten – 16/04/2026"

    person.menu("Bewerken", "Instellingen…", window=window)
    settings = person.wait_for_window("Instellingen")
    person.tab("Termijnen", settings)
    assert person.sees("Termijnen worden niet verlengd.", settings)
    person.check("Termijn voor het antwoord één keer verlengen toegestaan", settings)
    assert isinstance(person.field("Verlengen met", QSpinBox, settings), QSpinBox)
    person.type_into("Verlengen met", "30", settings)
    assert person.sees("Antwoorden binnen 45 dagen na ontvangst; na verlenging binnen 75 dagen.")
    person.click("Opslaan", settings)
    qtbot.waitUntil(lambda: not settings.isVisible())
    assert extension_rule() == ExtensionRule(True, 30)

    window.show_dossier(cid)
    qtbot.waitUntil(window.dossier.extension_button.isVisible)
    person.click("Termijn verlengen…", window.dossier)
    dialog = person.wait_for_window("Termijn verlengen – 2026-0001")
    assert person.sees("van 16/04/2026 tot 16/05/2026", dialog)
    assert person.sees("Nieuwe uiterste datum: 16/05/2026", dialog)
    # Without a motivation nothing is recorded; the reason is said in Dutch.
    person.click("Kennisgeving maken en versturen…", dialog)
    assert person.sees("Motiveer waarom de termijn verlengd wordt", dialog)
    assert Complaint.get_by_id(cid).extension_days == 0
    person.type_into(
        "Motivering (de klager leest dit)",
        "Wij wachten op het advies van de brandweer over de veiligheid.",
        dialog,
    )
    person.click("Kennisgeving maken en versturen…", dialog)
    qtbot.waitUntil(lambda: _preview(dialog) is not None)
    preview = _preview(dialog)
    assert preview is not None
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(preview.pdf)).pages
    )
    assert "16 april 2026" in text and "16 mei 2026" in text and "brandweer" in text
    assert person.button("E-mailen", preview)  # sent as the acknowledgement is
    person.click("Sluiten", preview)
    qtbot.waitUntil(lambda: not preview.isVisible())
    person.click("OK", dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    stored = Complaint.get_by_id(cid)
    assert (stored.extension_days, str(stored.extended_on)) == (30, "2026-03-22")
    assert Document.select().where(Document.kind == EXTENSION).count() == 1
    # The dossier shows the new date and why; the list shows it was extended.
    qtbot.waitUntil(lambda: not window.dossier.extension_button.isVisible())
    person.tab("Termijnen", window.dossier)
    assert person.sees(
        "Afsluittermijn verlengd op 22/03/2026 tot 16/05/2026 (was 16/04/2026): Wij wachten",
        window.dossier,
    )
    limits = window.dossier.limits
    assert isinstance(limits, QTableWidget)
    cells = [(limits.item(r, 0).text(), limits.item(r, 1).text()) for r in range(limits.rowCount())]
    assert any(
        name.endswith("antwoord versturen en dossier afsluiten (verlengd)") and due == "16/05/2026"
        for name, due in cells
    ), cells
    assert next_limit_text(window, cid) == "afsluiten (verlengd) – 16/05/2026"
    person.tab("Tijdlijn", window.dossier)
    timeline = window.dossier.timeline
    assert any(
        "Termijn verlengd tot 16/05/2026: Wij wachten" in timeline.item(r, 2).text()
        for r in range(timeline.rowCount())
    )


def _preview(dialog: object) -> LetterPreviewDialog | None:
    preview = getattr(dialog, "preview", None)
    return preview if isinstance(preview, LetterPreviewDialog) and preview.isVisible() else None


def test_extension_dialog_and_notice_mnemonics_unique_and_inputs_named(
    qtbot: QtBot, register: Register, ctx: ServiceContext, settings: QSettings
) -> None:
    """Termijn verlengen (issue 15): the dialog, the notice's preview, the Settings tab with
    the extension switched on, and the main window showing the button."""
    from klachtdesk.services.correspondence import EXTENSION
    from klachtdesk.services.extension import (
        ExtensionRule,
        extend_closing_limit,
        set_extension_rule,
    )
    from klachtdesk.ui.extension_dialog import ExtensionDialog

    set_extension_rule(ctx, ExtensionRule(True, 45))
    cid = dossier_in(ctx, State.WITH_HANDLER, handlers()[0].id, 1)
    other = dossier_in(ctx, State.WITH_HANDLER, handlers()[0].id, 2)
    detail = complaint_detail(cid, ctx.today())
    assert detail.extension_offered
    dialog = ExtensionDialog(ctx, detail)
    show(qtbot, dialog)
    problems = problems_of(dialog)
    dialog.reject()
    extend_closing_limit(ctx, cid, "Advies nodig.")
    preview = document_preview(ctx, cid, EXTENSION)
    show(qtbot, preview)
    problems += problems_of(preview)
    preview.reject()
    settings_dialog = SettingsDialog(ctx)
    show(qtbot, settings_dialog)
    problems += each_tab(Person(qtbot), settings_dialog)
    settings_dialog.reject()
    window = MainWindow(ctx, settings)
    show(qtbot, window)
    assert window.select_complaint(other) or window.dossier.detail is not None
    qtbot.waitUntil(window.dossier.extension_button.isVisible)
    problems += problems_of(window)
    assert not problems, "\n".join(problems)
