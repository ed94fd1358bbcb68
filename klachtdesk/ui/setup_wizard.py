"""First run: the municipality, the coordinator, the passphrase, the recovery key, departments
and handlers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from klachtdesk.procedure import UserError
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.register import (
    KEY_FILENAME,
    DataFolderUnusable,
    Register,
    RegisterFileMissing,
    check_data_folder,
    register_file_lost,
)
from klachtdesk.services.security import (
    NewRegisterKeys,
    create_new_register,
    prepare_new_register,
    recovery_sheet,
    require_strong_passphrase,
    words_of,
)
from klachtdesk.services.setup import (
    Coordinator,
    Municipality,
    initial_setup,
    validate_coordinator,
    validate_municipality,
)

from .new_passphrase_fields import NewPassphraseFields
from .organisation_forms import CoordinatorForm, MunicipalityForm
from .recovery_key_panel import RecoveryKeyPanel
from .widgets import attempt, error_label, set_button_texts

DEFAULT_DEPARTMENTS = (
    "Burgerzaken\nOpenbare werken\nMilieu en afval\nOmgeving\nFinanciën\nSociale dienst\nVrije tijd"
)


# The command line says to use --data-dir; someone who clicked the menu entry needs help.
FOLDER_ADVICE = " Vraag de informaticadienst om klachtdesk een bruikbare gegevensmap te geven."


def _with_advice(problem: UserError) -> UserError:
    if isinstance(problem, DataFolderUnusable):
        return UserError(problem.message + FOLDER_ADVICE)
    return problem


def check_folder(folder: Path) -> None:
    """The data folder can hold a register; raises a UserError that a GUI user can act on."""
    try:
        check_data_folder(folder)
    except UserError as exc:
        raise _with_advice(exc) from exc
    if register_file_lost(folder):  # never a new register over a lost one's key file
        raise RegisterFileMissing(folder)


class MunicipalityPage(QWizardPage):
    """The first page; it also refuses a data folder that cannot be one, before any typing."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.setTitle("Het bestuur")
        self.setSubTitle("Zoals het op de briefhoofding van de brieven komt.")
        self.form = MunicipalityForm()
        self.errors = error_label()
        self.form.form.addRow(self.errors)
        QVBoxLayout(self).addWidget(self.form)

    def initializePage(self) -> None:
        attempt(self.errors, lambda: check_folder(self.folder))

    def value(self) -> Municipality:
        return self.form.value()

    def validatePage(self) -> bool:
        return attempt(self.errors, self._check)

    def _check(self) -> None:
        check_folder(self.folder)
        validate_municipality(self.value())


class CoordinatorPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("De klachtencoördinator")
        self.setSubTitle("Uw contactgegevens, zoals ze in de brieven aan de klagers staan.")
        self.form = CoordinatorForm()
        self.errors = error_label()
        self.form.form.addRow(self.errors)
        QVBoxLayout(self).addWidget(self.form)

    def value(self) -> Coordinator:
        return self.form.value()

    def validatePage(self) -> bool:
        return attempt(self.errors, lambda: validate_coordinator(self.value()))


class PassphrasePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Het wachtwoord van het register")
        self.setSubTitle("Het register wordt met dit wachtwoord versleuteld.")
        warning = QLabel(
            "<b>Let op:</b> wie het wachtwoord vergeet en de herstelsleutel (volgende pagina) "
            "niet meer heeft, verliest het register. Niemand – ook de informaticadienst niet – "
            "kan het anders openen. Kies een zin van enkele woorden die u onthoudt."
        )
        warning.setWordWrap(True)
        #: The municipality and coordinator typed on the pages before (set by the wizard).
        self.personal: Callable[[], tuple[str, ...]] = tuple
        self.fields = NewPassphraseFields(lambda: self.personal(), "&Wachtwoord", "&Nog eens")
        self.first, self.second = self.fields.first, self.fields.second
        self.errors = error_label()
        form = QFormLayout()
        self.fields.add_to(form)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addLayout(form)
        layout.addWidget(self.errors)

    def validatePage(self) -> bool:
        problem = ""
        try:  # the same check as when the register is made, then the same twice
            require_strong_passphrase(self.first.text(), personal=self.personal())
            self.fields.value()
        except UserError as exc:
            problem = exc.message
        self.errors.setText(problem)
        self.errors.setVisible(bool(problem))
        return not problem


class RecoveryKeyPage(QWizardPage):
    """The recovery key, made now and kept only on paper (or a PDF); confirmed by typing its
    last group before the wizard goes on."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("De herstelsleutel")
        self.setSubTitle("Voor als het wachtwoord vergeten wordt.")
        self.keys: NewRegisterKeys = prepare_new_register()
        self.panel = RecoveryKeyPanel(self.keys.recovery_key, self._pdf)
        self.errors = self.panel.errors
        QVBoxLayout(self).addWidget(self.panel)

    def _pdf(self) -> bytes:
        wizard = self._wizard
        return recovery_sheet(
            self.keys.recovery_key,
            self.keys.register_id,
            wizard.folder,
            ServiceContext().today(),
            wizard.municipality.value(),
            wizard.coordinator.value(),
        )

    def validatePage(self) -> bool:
        return self.panel.confirmed()


class OrganisationPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Diensten en klachtenbehandelaars")
        self.setSubTitle("U kunt ze later aanvullen en wijzigen in de instellingen.")
        self.departments = QPlainTextEdit(DEFAULT_DEPARTMENTS)
        self.departments.setTabChangesFocus(True)
        self.handlers = QPlainTextEdit()
        self.handlers.setTabChangesFocus(True)
        self.handlers.setPlaceholderText(
            "Eén per regel: naam; e-mail; dienst\nbv. Inge Claes; inge.claes@herent.be; Milieu en afval"
        )
        self.errors = error_label()
        form = QFormLayout(self)
        form.addRow("&Diensten (één per regel)", self.departments)
        form.addRow("&Behandelaars", self.handlers)
        form.addRow(self.errors)

    def department_names(self) -> list[str]:
        return [
            line.strip() for line in self.departments.toPlainText().splitlines() if line.strip()
        ]

    def handler_rows(self) -> list[tuple[str, str, str]]:
        rows = []
        for line in self.handlers.toPlainText().splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")] + ["", ""]
            rows.append((parts[0], parts[1], parts[2]))
        return rows


class SetupWizard(QWizard):
    """Creates the register in ``folder`` on Finish; ``register`` then holds it, open."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.register: Register | None = None
        self.setWindowTitle("klachtdesk inrichten")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        set_button_texts(self)
        self.municipality = MunicipalityPage(folder)
        self.coordinator = CoordinatorPage()
        self.passphrase = PassphrasePage()
        self.passphrase.personal = lambda: words_of(
            self.municipality.value(), self.coordinator.value()
        )
        self.recovery = RecoveryKeyPage(self)
        self.organisation = OrganisationPage()
        for page in (
            self.municipality,
            self.coordinator,
            self.passphrase,
            self.recovery,
            self.organisation,
        ):
            self.addPage(page)
        self.resize(640, 520)

    def accept(self) -> None:
        register = None
        try:
            register = create_new_register(
                self.folder,
                self.passphrase.first.text(),
                self.recovery.keys,
                personal=self.passphrase.personal(),
            )
            ctx = ServiceContext(actor=self.coordinator.value().name.strip() or "coördinator")
            initial_setup(
                ctx,
                self.municipality.value(),
                self.coordinator.value(),
                self.organisation.department_names(),
                self.organisation.handler_rows(),
            )
        except UserError as exc:
            if register is not None:
                register.close()
                for suffix in ("", "-wal", "-shm"):
                    Path(str(register.path) + suffix).unlink(missing_ok=True)
                for name in (KEY_FILENAME, KEY_FILENAME + ".prev"):
                    (self.folder / name).unlink(missing_ok=True)
            self.organisation.errors.setText(_with_advice(exc).message)
            self.organisation.errors.show()
            return
        self.register = register
        super().accept()
