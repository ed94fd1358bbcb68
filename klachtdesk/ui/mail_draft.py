"""Handing an unsent e-mail (``.eml`` draft) to the coordinator's own mail program.

Used by the letter preview ("In mailprogramma…") and by the reminders in 'Vandaag'.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from klachtdesk.procedure import UserError
from klachtdesk.services.viewing_copies import remove_copy, write_copy


def hand_over_draft(
    parent: QWidget,
    name: str,
    draft: bytes,
    say: Callable[[str], None],
    complain: Callable[[str], None],
    otherwise: str = ", of gebruik E-mailen",
) -> bool:
    """Open ``draft`` (named ``name``) in the mail program; without one, say so (``otherwise``
    ends the sentence with another way) and offer to save it (a file dialog). True when the
    draft reached the mail program or a file."""
    try:  # a private copy, removed when klachtdesk locks or ends
        path = write_copy(name, draft)
    except UserError as exc:
        complain(exc.message)
        return False
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        say("Concept doorgegeven aan uw mailprogramma; verstuur het daar.")
        return True
    # No mail program answered: say so, and let the draft be saved to open by hand.
    remove_copy(path)  # nothing took the plaintext copy: it goes at once
    complain(
        "Er is geen mailprogramma ingesteld om het concept te openen. Bewaar het concept "
        f"(.eml) en open het zelf in uw mailprogramma{otherwise}."
    )
    target, _ = QFileDialog.getSaveFileName(
        parent, "Concept opslaan", str(Path.home() / path.name), "E-mail (*.eml)"
    )
    if not target:
        return False
    try:
        Path(target).write_bytes(draft)
    except OSError as exc:
        complain(f"Het concept kon niet bewaard worden ({exc.strerror}).")
        return False
    say(f"Concept bewaard als {target}.")
    return True
