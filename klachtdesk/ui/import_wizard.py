"""File → Importeren…: bring in an earlier register kept in Excel or as CSV.

Choose the file; check (and correct) which column holds which field and what the channels,
departments, outcomes and reasons in it mean; see per row what it becomes or why it cannot
come in; only then import (one transaction) and see what was done.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from klachtdesk.procedure import Channel, Ground, UserError
from klachtdesk.procedure.dates import short_date
from klachtdesk.procedure.import_rules import ImportField, ImportMapping, OutcomeChoice, fold
from klachtdesk.services import importing
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.organisation import departments

from .messages import confirm, show_error
from .widgets import ValueComboBox

NOT_USED = "(niet gebruiken)"
NOT_IMPORTED = "(rij niet importeren)"
PREVIEW_COLUMNS = ("Rij", "Resultaat", "Ontvangen", "Naam", "Dienst", "Wordt", "Reden")


class ImportFilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Bestand kiezen")
        self.setSubTitle(
            "Kies het register dat u vroeger bijhield: een Excel-werkmap (.xlsx) of een "
            "CSV-bestand. Er wordt nog niets ingevoerd."
        )
        self.path = QLineEdit()
        self.path.textChanged.connect(lambda _t: self.completeChanged.emit())
        browse = QPushButton("B&laderen…")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        label = QLabel("&Bestand:")
        label.setBuddy(self.path)
        form = QFormLayout(self)
        form.addRow(label, row)

    def browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Register importeren",
            self.path.text() or str(Path.home()),
            "Registers (*.xlsx *.xlsm *.csv);;Alle bestanden (*)",
        )
        if name:
            self.path.setText(name)

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:
        try:
            sheet = importing.read_sheet(Path(self.path.text().strip()))
            mapping = importing.guess(sheet)
        except UserError as exc:
            show_error(self, exc)
            return False
        self.owner.sheet, self.owner.mapping = sheet, mapping
        return True


class ImportMappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Kolommen en waarden koppelen")
        self.setSubTitle(
            "Kijk na welke kolom bij welk gegeven hoort, en wat de kanalen, diensten, "
            "uitkomsten en redenen in het bestand betekenen."
        )
        self.columns: dict[ImportField, ValueComboBox] = {}
        self.default_channel = ValueComboBox([(NOT_IMPORTED, None)])
        self.value_combos: list[tuple[str, str, ValueComboBox]] = []
        self.content = QWidget()
        self.content_layout = QVBoxLayout(self.content)
        self.columns_box = QGroupBox("Kolommen")
        self.columns_form = QFormLayout(self.columns_box)
        self.values_box = QGroupBox("Waarden")
        self.values_form = QFormLayout(self.values_box)
        self.content_layout.addWidget(self.columns_box)
        self.content_layout.addWidget(self.values_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.content)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)

    def initializePage(self) -> None:
        sheet, mapping = self.owner.sheet, self.owner.mapping
        assert sheet is not None and mapping is not None
        headers = sheet.headers(mapping)
        _clear(self.columns_form)
        self.columns = {}
        for import_field in ImportField:
            combo = ValueComboBox([(NOT_USED, None), *((h, i) for i, h in enumerate(headers))])
            combo.set_value(mapping.columns.get(import_field))
            combo.currentIndexChanged.connect(
                lambda _i, f=import_field, c=combo: self._column_chosen(f, c)
            )
            self.columns_form.addRow(import_field.label + ":", combo)
            self.columns[import_field] = combo
        # A row whose channel cell is empty (or every row, without a channel column).
        self.default_channel = ValueComboBox(
            [(NOT_IMPORTED, None), *((c.label, c) for c in Channel)]
        )
        self.default_channel.set_value(mapping.default_channel)
        self.default_channel.setAccessibleName("Kanaal wanneer leeg")
        self.columns_form.addRow("Kanaal wanneer leeg:", self.default_channel)
        self._fill_values()

    def _column_chosen(self, import_field: ImportField, combo: ValueComboBox) -> None:
        assert self.owner.sheet is not None and self.owner.mapping is not None
        mapping = self._with_values(self.owner.mapping).with_column(import_field, combo.value())
        self.owner.mapping = importing.remap_values(self.owner.sheet, mapping)
        # A column serves one field: another field that read it now reads nothing.
        for other, other_combo in self.columns.items():
            wanted = self.owner.mapping.columns.get(other)
            if other_combo.value() != wanted:
                blocked = other_combo.blockSignals(True)
                other_combo.set_value(wanted)
                other_combo.blockSignals(blocked)
        self._fill_values()

    def _fill_values(self) -> None:
        mapping = self.owner.mapping
        assert mapping is not None
        _clear(self.values_form)
        self.value_combos = []
        known_departments = [d.name for d in departments(include_inactive=True)]
        new_departments = sorted(
            {n for n in mapping.departments.values() if n and n not in known_departments}
        )
        choices: dict[str, list[tuple[str, object]]] = {
            "channels": [(c.label, c) for c in Channel],
            "departments": [
                *((n, n) for n in known_departments),
                *((f"{n} (nieuw)", n) for n in new_departments),
            ],
            "outcomes": [(o.label, o) for o in OutcomeChoice],
            "grounds": [(g.label, g) for g in Ground],
        }
        titles = {
            "channels": ("Kanaal", ImportField.CHANNEL),
            "departments": ("Dienst", ImportField.DEPARTMENT),
            "outcomes": ("Uitkomst", ImportField.OUTCOME),
            "grounds": ("Reden", ImportField.GROUND),
        }
        for kind, (title, import_field) in titles.items():
            values: dict[str, object] = getattr(mapping, kind)
            spellings = _spellings(self.owner, import_field)
            for key, value in values.items():
                combo = ValueComboBox([(NOT_IMPORTED, None), *choices[kind]])
                combo.set_value(value)
                shown = spellings.get(key, key)
                combo.setAccessibleName(f"{title} ‘{shown}’")
                self.values_form.addRow(f"{title} ‘{shown}’:".replace("&", "&&"), combo)
                self.value_combos.append((kind, key, combo))
        if not self.value_combos:
            self.values_form.addRow(QLabel("Geen kanalen, diensten, uitkomsten of redenen."))

    def _with_values(self, mapping: ImportMapping) -> ImportMapping:
        maps: dict[str, dict[str, object]] = {
            "channels": dict(mapping.channels),
            "departments": dict(mapping.departments),
            "outcomes": dict(mapping.outcomes),
            "grounds": dict(mapping.grounds),
        }
        for kind, key, combo in self.value_combos:
            maps[kind][key] = combo.value()
        return ImportMapping(
            mapping.header_row,
            dict(mapping.columns),
            maps["channels"],  # type: ignore[arg-type]
            maps["departments"],  # type: ignore[arg-type]
            maps["outcomes"],  # type: ignore[arg-type]
            maps["grounds"],  # type: ignore[arg-type]
            self.default_channel.value(),
        )

    def validatePage(self) -> bool:
        assert self.owner.mapping is not None
        self.owner.mapping = self._with_values(self.owner.mapping)
        try:
            self.owner.preview = importing.preview(
                self.owner.ctx, self.owner.sheet or Path(), self.owner.mapping
            )
        except UserError as exc:
            show_error(self, exc)
            return False
        return True


def _spellings(wizard: ImportWizard, import_field: ImportField) -> dict[str, str]:
    """Each folded value of a column with its first spelling in the sheet (for labels)."""
    assert wizard.sheet is not None and wizard.mapping is not None
    column = wizard.mapping.columns.get(import_field)
    found: dict[str, str] = {}
    if column is None:
        return found
    for row in wizard.sheet.rows[wizard.mapping.header_row + 1 :]:
        if column < len(row) and row[column] is not None:
            text = " ".join(str(row[column]).split())
            if text:
                found.setdefault(fold(text), text)
    return found


def _clear(form: QFormLayout) -> None:
    while form.rowCount():
        form.removeRow(0)


class ImportPreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Voorbeeld")
        self.setSubTitle(
            "Zo komt elke rij in het register. Er is nog niets ingevoerd: dat gebeurt pas "
            "met ‘Importeren’."
        )
        self.setButtonText(QWizard.WizardButton.NextButton, "&Importeren")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(PREVIEW_COLUMNS))
        self.table.setHorizontalHeaderLabels(list(PREVIEW_COLUMNS))
        self.table.setAccessibleName("Voorbeeld van de import")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            len(PREVIEW_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)

    def initializePage(self) -> None:
        preview = self.owner.preview
        assert preview is not None
        self.summary.setText(preview.summary)
        self.table.setRowCount(len(preview.rows))
        for index, row in enumerate(preview.rows):
            cells = (
                str(row.row_number),
                row.status.label,
                short_date(row.received_on) if row.received_on else "",
                row.name,
                row.department,
                row.what,
                row.reason,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(index, column, item)
        self.table.resizeColumnsToContents()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        preview = self.owner.preview
        return preview is not None and preview.count(importing.RowStatus.IMPORT) > 0

    def validatePage(self) -> bool:
        preview = self.owner.preview
        assert preview is not None and self.owner.sheet is not None
        count = preview.count(importing.RowStatus.IMPORT)
        extra = ""
        if preview.new_departments:
            extra += " Nieuwe diensten: " + ", ".join(preview.new_departments) + "."
        if preview.new_handlers:
            extra += " Nieuwe behandelaars (niet actief): " + ", ".join(preview.new_handlers) + "."
        noun = "dossier" if count == 1 else "dossiers"
        if not confirm(
            self,
            "Importeren",
            f"{count} {noun} uit {self.owner.sheet.path.name} in het register opnemen?{extra}",
        ):
            return False
        try:
            self.owner.import_result = importing.run(
                self.owner.ctx, self.owner.sheet, preview.mapping
            )
        except UserError as exc:
            show_error(self, exc)
            return False
        self.owner.imported.emit(self.owner.import_result.imported)
        return True


class ImportDonePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Geïmporteerd")
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        self.setFinalPage(True)

    def initializePage(self) -> None:
        result = self.owner.import_result
        assert result is not None
        lines = [result.summary]
        if result.references:
            lines.append("Referenties: " + importing.reference_ranges(result.references) + ".")
        if result.new_departments:
            lines.append("Nieuwe diensten: " + ", ".join(result.new_departments) + ".")
        if result.new_handlers:
            lines.append(
                "Nieuwe behandelaars (niet actief; activeer ze bij Instellingen): "
                + ", ".join(result.new_handlers)
                + "."
            )
        lines.append("De dossiers staan in de lijst, gemarkeerd als ‘geïmporteerd’.")
        self.text.setText("\n\n".join(lines))


class ImportWizard(QWizard):
    """Bestand → Importeren…; ``imported`` carries the number of dossiers added."""

    imported = Signal(int)

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sheet: importing.ImportSheet | None = None
        self.mapping: ImportMapping | None = None
        self.preview: importing.ImportPreview | None = None
        self.import_result: importing.ImportResult | None = None
        self.setWindowTitle("Register importeren")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Sluiten")
        self.addPage(ImportFilePage(self))
        self.addPage(ImportMappingPage(self))
        self.addPage(ImportPreviewPage(self))
        self.addPage(ImportDonePage(self))
        self.resize(900, 640)
