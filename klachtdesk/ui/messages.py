"""Message boxes behind one small wrapper, in Dutch, so every screen says things the same way."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from klachtdesk.procedure import UserError
from klachtdesk.services.register import storage_problem


def show_error(parent: QWidget | None, error: UserError | str, title: str = "Niet gelukt") -> None:
    text = error.message if isinstance(error, UserError) else error
    QMessageBox.warning(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str, *, safe_no: bool = False) -> bool:
    """Ja/Nee; with ``safe_no`` Nee is the default, for questions where Ja loses something."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    default = QMessageBox.StandardButton.No if safe_no else QMessageBox.StandardButton.Yes
    answer = QMessageBox.question(parent, title, text, buttons, default)
    return answer == QMessageBox.StandardButton.Yes


def unexpected_error_text(error: BaseException) -> str:
    """What the coordinator reads when something fails that no screen foresaw."""
    problem = storage_problem(error)
    if problem is not None:  # a full disk, a read-only or damaged register: said in Dutch
        cause = problem.message
    else:
        cause = f"Technische melding voor de informaticadienst: {type(error).__name__}: {error}"
    return (
        f"Er liep iets onverwachts mis. {cause}\n\n"
        "Een handeling wordt altijd helemaal of helemaal niet bewaard. Wat u in een venster "
        "typte, staat er nog; kijk in het dossier na of de laatste handeling bewaard is."
    )


def install_unexpected_error_dialog() -> Callable[..., object]:
    """Show errors that reach Qt's event loop in a Dutch message instead of only on stderr.

    The traceback still goes to the previous hook (stderr). While one such message is open,
    further errors (a draft timer firing on a full disk) are only logged. Returns the previous
    hook, for whoever wants to put it back.
    """
    previous = sys.excepthook
    showing = False

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        nonlocal showing
        previous(kind, error, trace)
        if showing or not issubclass(kind, Exception) or QApplication.instance() is None:
            return
        showing = True
        try:
            problem = error if isinstance(error, UserError) else storage_problem(error)
            if problem is not None:
                show_error(QApplication.activeWindow(), problem)
            else:
                QMessageBox.critical(
                    QApplication.activeWindow(), "Onverwachte fout", unexpected_error_text(error)
                )
        finally:
            showing = False

    sys.excepthook = hook
    return previous
