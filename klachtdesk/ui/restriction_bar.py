"""The bar above the complaint list while it shows only the dossiers behind a number of the
figures: what it is filtered on, and a button to show every dossier again."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


class RestrictionBar(QFrame):
    """'Gefilterd op: Uitkomst: ongegrond (2026)' above the list, with a button to undo it."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("restriction-bar")
        self.setStyleSheet(
            "#restriction-bar { background: #e7f0fa; border: 1px solid #9bbbe0; }"
            " QLabel { color: #202020; }"
        )
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.clear_button = QPushButton("&Filter wissen")
        self.clear_button.setToolTip("Toon weer alle dossiers (de andere filters blijven)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.clear_button)
        self.hide()

    def show_label(self, label: str) -> None:
        self.label.setText(f"Gefilterd op: {label}")
        self.show()
