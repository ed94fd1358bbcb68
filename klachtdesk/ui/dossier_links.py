"""The dossier view's "Koppelingen" tab: the earlier dossiers this one is linked to, the later
ones linked to it, each openable, and linking or unlinking by reference (issue 15)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import UserError
from klachtdesk.procedure.dates import short_date
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.dossier_detail import ComplaintDetail
from klachtdesk.services.links import LinkedDossier, Links, link_by_reference, links_of, unlink

from .messages import confirm
from .widgets import error_label


class DossierLinksTab(QWidget):
    """Shows :func:`klachtdesk.services.links.links_of` for the dossier on view."""

    open_requested = Signal(int)  # complaint id of a linked dossier
    changed = Signal(int)  # complaint id of the dossier on view: a link was made or removed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: ServiceContext | None = None
        self._detail: ComplaintDetail | None = None
        self.links = Links([], [])
        self.earlier = QListWidget()
        self.later = QListWidget()
        earlier_label = QLabel("&Gekoppeld aan (eerdere dossiers)")
        earlier_label.setBuddy(self.earlier)
        later_label = QLabel("&Later gekoppeld (latere dossiers)")
        later_label.setBuddy(self.later)
        for view, other in ((self.earlier, self.later), (self.later, self.earlier)):
            view.itemDoubleClicked.connect(self._open_item)
            view.currentItemChanged.connect(
                lambda current, _previous, other=other: self._chosen_in(current, other)
            )
        self.earlier.setAccessibleName("Gekoppeld aan")
        self.later.setAccessibleName("Later gekoppeld")
        self.open_button = QPushButton("Gekoppeld dossier &tonen")
        self.open_button.clicked.connect(self.open_selected)
        self.unlink_button = QPushButton("Koppeling verwij&deren…")
        self.unlink_button.clicked.connect(self.unlink_selected)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("bv. 2026-0012")
        self.reference.returnPressed.connect(self.link_typed)
        reference_label = QLabel("Koppelen aan eerder dossier (refere&ntie)")
        reference_label.setBuddy(self.reference)
        self.link_button = QPushButton("&Koppelen")
        self.link_button.clicked.connect(self.link_typed)
        self.error = error_label()

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.unlink_button)
        buttons.addStretch(1)
        new_link = QHBoxLayout()
        new_link.addWidget(reference_label)
        new_link.addWidget(self.reference, 1)
        new_link.addWidget(self.link_button)
        layout = QVBoxLayout(self)
        layout.addWidget(earlier_label)
        layout.addWidget(self.earlier)
        layout.addWidget(later_label)
        layout.addWidget(self.later)
        layout.addLayout(buttons)
        layout.addLayout(new_link)
        layout.addWidget(self.error)
        self._update_buttons()

    def set_context(self, ctx: ServiceContext) -> None:
        """Linking writes to the register as ``ctx``'s actor (set by the main window)."""
        self.ctx = ctx

    def show_for(self, detail: ComplaintDetail | None) -> None:
        self._detail = detail
        self.error.hide()
        self.reference.clear()
        self.links = links_of(detail.id) if detail is not None else Links([], [])
        self._fill(self.earlier, self.links.earlier, "Nog aan geen eerder dossier gekoppeld.")
        self._fill(self.later, self.links.later, "Geen latere dossiers gekoppeld.")
        can_link = detail is not None and not detail.erased and self.ctx is not None
        self.reference.setEnabled(can_link)
        self.link_button.setEnabled(can_link)
        self._update_buttons()

    def count(self) -> int:
        return len(self.links.earlier) + len(self.links.later)

    @staticmethod
    def _fill(view: QListWidget, dossiers: list[LinkedDossier], empty: str) -> None:
        view.clear()
        for dossier in dossiers:
            item = QListWidgetItem(
                f"{dossier.reference} – ontvangen op {short_date(dossier.received_on)} – "
                f"{dossier.state.label}"
            )
            item.setData(Qt.ItemDataRole.UserRole, dossier.id)
            view.addItem(item)
        if not dossiers:
            view.addItem(empty)

    def _chosen_in(self, current: QListWidgetItem | None, other: QListWidget) -> None:
        """One linked dossier is chosen at a time, in either list."""
        if current is not None:
            other.setCurrentRow(-1)
        self._update_buttons()

    def _selected(self) -> tuple[QListWidget, int] | None:
        """The list and the id of the linked dossier chosen, if any."""
        for view in (self.earlier, self.later):
            item = view.currentItem()
            data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
            if data is not None:
                return view, int(data)
        return None

    def _update_buttons(self, *_args: object) -> None:
        selected = self._selected()
        self.open_button.setEnabled(selected is not None)
        self.unlink_button.setEnabled(
            selected is not None and self.ctx is not None and self._detail is not None
        )

    def _open_item(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data is not None:
            self.open_requested.emit(int(data))

    def open_selected(self) -> None:
        selected = self._selected()
        if selected is not None:
            self.open_requested.emit(selected[1])

    def link_typed(self) -> None:
        if self.ctx is None or self._detail is None or not self.link_button.isEnabled():
            return
        try:
            link_by_reference(self.ctx, self._detail.id, self.reference.text())
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.changed.emit(self._detail.id)

    def unlink_selected(self) -> None:
        selected = self._selected()
        if self.ctx is None or self._detail is None or selected is None:
            return
        view, other = selected
        later, earlier = (
            (self._detail.id, other) if view is self.earlier else (other, self._detail.id)
        )
        item = view.currentItem()
        reference = item.text().split(" – ")[0] if item is not None else ""
        if not confirm(
            self,
            "Koppeling verwijderen",
            f"De koppeling tussen {self._detail.reference} en {reference} verwijderen? "
            "Beide dossiers blijven bestaan.",
        ):
            return
        try:
            unlink(self.ctx, later, earlier)
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.changed.emit(self._detail.id)
