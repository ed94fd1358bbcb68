"""The strength of a passphrase as it is typed, with zxcvbn's advice in Dutch."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QLineEdit

from klachtdesk.services.security import passphrase_strength

COLOURS = {0: "#a61b1b", 1: "#a61b1b", 2: "#9a5b00", 3: "#2e6b1f", 4: "#2e6b1f"}


class PassphraseStrengthLabel(QLabel):
    """Follows ``edit``: 'Sterkte: zwak. Voeg nog een of twee woorden toe; ...'."""

    def __init__(self, edit: QLineEdit, personal: Callable[[], tuple[str, ...]] = tuple) -> None:
        """``personal``: the words the check will hold against the passphrase (municipality,
        coordinator), so that what is shown and what is refused agree."""
        super().__init__()
        self._personal = personal
        self.setWordWrap(True)
        self.setAccessibleName("Sterkte van het wachtwoord")
        self._edit = edit
        edit.textChanged.connect(self._update)
        self._update(edit.text())

    def _update(self, text: str) -> None:
        if not text:
            self.setText("Kies een zin van enkele gewone woorden die niet samen horen.")
            self.setStyleSheet("color: palette(window-text);")
            return
        strength = passphrase_strength(text, personal=self._personal())
        self.setText(strength.summary())
        colour = COLOURS[strength.score] if strength.acceptable else COLOURS[min(strength.score, 2)]
        self.setStyleSheet(f"color: {colour};")
