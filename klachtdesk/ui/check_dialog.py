"""Register → Register controleren…: the check ``klachtdesk check`` runs, from the window.

The check reads the whole register (a few seconds for 10,000 dossiers), so it runs in Qt's
thread pool through a connection of its own; the window keeps answering. A damaged register
shows the Dutch findings and what to do, never a traceback.
"""

from __future__ import annotations

import contextlib
import traceback

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import UserError
from klachtdesk.services.check import CheckReport, check_register
from klachtdesk.services.worker_connection import with_own_connection

CHECK_FAILED = (
    "De controle kon niet uitgevoerd worden door een onverwachte fout. Probeer het opnieuw; "
    "blijft het gebeuren, voer dan `klachtdesk check` uit en meld het resultaat aan de "
    "informaticadienst."
)


class _Signals(QObject):
    done = Signal(object)  # CheckReport, or the Dutch error as str


class _CheckJob(QRunnable):
    def __init__(self) -> None:
        super().__init__()
        self.signals = _Signals()

    def run(self) -> None:
        result: CheckReport | str
        try:
            result = with_own_connection(check_register)
        except UserError as exc:
            result = exc.message
        except Exception:  # never let a worker die silently
            traceback.print_exc()  # the details, for the informaticadienst (stderr)
            result = CHECK_FAILED
        with contextlib.suppress(RuntimeError):  # the dialog was closed meanwhile
            self.signals.done.emit(result)


def findings_text(report: CheckReport) -> str:
    """The report as the coordinator reads it: the findings, then what to do."""
    lines = [f"• {problem}" for problem in report.problems]
    if report.advice:
        lines += ["", *report.advice]
    return "\n".join(lines)


class CheckDialog(QDialog):
    """Runs the check when opened and shows what it found."""

    checked = Signal(object)  # CheckReport or str, when a check is done

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Register controleren")
        self.job: _CheckJob | None = None
        self.report: CheckReport | None = None
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.findings = QPlainTextEdit()
        self.findings.setReadOnly(True)
        self.findings.setAccessibleName("Bevindingen van de controle")
        self.findings.hide()
        self.again_button = QPushButton("&Opnieuw controleren")
        self.again_button.clicked.connect(self.start)
        close_button = QPushButton("&Sluiten")
        close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.again_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.findings, 1)
        # Without findings (a register in order) the result stays at the top, under the
        # title, instead of floating in the middle of the empty window.
        layout.addStretch(0)
        layout.addLayout(buttons)
        self.resize(640, 420)
        self.start()

    def start(self) -> None:
        self.again_button.setEnabled(False)
        self.findings.hide()
        self.status.setText(
            "Bezig met controleren: elke pagina van het register, de zoekindex, het logboek "
            "en de termijnen…"
        )
        self.setCursor(Qt.CursorShape.BusyCursor)
        self.job = _CheckJob()
        self.job.signals.done.connect(self._done)
        QThreadPool.globalInstance().start(self.job)

    def _done(self, result: CheckReport | str) -> None:
        self.job = None
        self.unsetCursor()
        self.again_button.setEnabled(True)
        if isinstance(result, str):
            self.status.setText(result)
        elif result.ok:
            self.report = result
            self.status.setText(result.summary())
        else:
            self.report = result
            self.status.setText(
                "De controle vond "
                + (
                    "1 probleem"
                    if len(result.problems) == 1
                    else f"{len(result.problems)} problemen"
                )
                + " in het register."
            )
            self.findings.setPlainText(findings_text(result))
            self.findings.show()
        self.checked.emit(result)
