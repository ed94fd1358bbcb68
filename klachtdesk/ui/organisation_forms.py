"""The municipality's and the coordinator's data, as the setup wizard and Settings edit them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from klachtdesk.services.setup import Coordinator, Municipality


class MunicipalityForm(QWidget):
    """The letterhead: name, address, website and logo."""

    def __init__(self, current: Municipality | None = None) -> None:
        super().__init__()
        current = current or Municipality("")
        self.name = QLineEdit(current.name)
        self.name.setPlaceholderText("bv. Gemeente Herent")
        self.street = QLineEdit(current.street)
        self.postal_code = QLineEdit(current.postal_code)
        self.city = QLineEdit(current.city)
        self.website = QLineEdit(current.website)
        self.logo = QLineEdit(current.logo_path)
        browse = QPushButton("Kiezen…")
        browse.clicked.connect(self._choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo)
        logo_row.addWidget(browse)
        self.form = QFormLayout(self)
        self.form.addRow("&Naam", self.name)
        self.form.addRow("&Straat", self.street)
        self.form.addRow("&Postcode", self.postal_code)
        self.form.addRow("&Gemeente", self.city)
        self.form.addRow("&Website", self.website)
        logo_label = QLabel("&Logo")  # a row of two widgets has no buddy of its own
        logo_label.setBuddy(self.logo)
        self.form.addRow(logo_label, logo_row)

    def _choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Logo kiezen", str(Path.home()), "Afbeeldingen (*.png *.jpg *.jpeg *.svg)"
        )
        if path:
            self.logo.setText(path)

    def value(self) -> Municipality:
        return Municipality(
            self.name.text(),
            self.street.text(),
            self.postal_code.text(),
            self.city.text(),
            self.website.text(),
            self.logo.text(),
        )


class CoordinatorForm(QWidget):
    """The coordinator's contact details, as the letters to complainants show them."""

    def __init__(self, current: Coordinator | None = None) -> None:
        super().__init__()
        current = current or Coordinator("")
        self.name = QLineEdit(current.name)
        self.title_field = QLineEdit(current.title)
        self.phone = QLineEdit(current.phone)
        self.email = QLineEdit(current.email)
        self.form = QFormLayout(self)
        self.form.addRow("&Naam", self.name)
        self.form.addRow("&Functie", self.title_field)
        self.form.addRow("Te&lefoon", self.phone)  # Alt+T is the wizard's Terug
        self.form.addRow("&E-mail", self.email)

    def value(self) -> Coordinator:
        return Coordinator(
            self.name.text(), self.title_field.text(), self.phone.text(), self.email.text()
        )
