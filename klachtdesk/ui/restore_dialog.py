"""File → Reservekopie terugzetten…: the backups with date and number of dossiers, and a
confirmation before the current register is set aside and replaced."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from klachtdesk.procedure import UserError
from klachtdesk.procedure.words import counted
from klachtdesk.services.backup import (
    BackupInfo,
    BackupKeeper,
    RestoreResult,
    list_backups,
    os_reason,
)

from .messages import confirm
from .widgets import error_label


class _Signals(QObject):
    done = Signal(object, str)  # the BackupInfo, or None and the Dutch reason


# Jobs stay referenced here (autoDelete off) until the GUI thread has heard they ended, whatever
# happens to the dialog: never dropped from the worker, which is still inside the job's run().
_RUNNING: set[VerifyJob] = set()


class VerifyJob(QRunnable):
    def __init__(self, verify: Callable[[Path], BackupInfo], backup: Path) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.verify = verify
        self.backup = backup
        self.signals = _Signals()

    def run(self) -> None:
        try:
            info, error = self.verify(self.backup), ""
        except UserError as exc:
            info, error = None, exc.message
        except OSError as exc:
            info, error = None, os_reason(exc, "De reservekopie kon niet gecontroleerd worden")
        except Exception:  # never let a worker die silently
            info, error = None, "De reservekopie kon niet gecontroleerd worden (onverwachte fout)."
        with contextlib.suppress(RuntimeError):
            self.signals.done.emit(info, error)


class RestoreDialog(QDialog):
    restored = Signal()

    def __init__(
        self,
        keeper: BackupKeeper | None = None,
        parent: QWidget | None = None,
        *,
        folder: Path | None = None,
        verify: Callable[[Path], BackupInfo] | None = None,
        restore: Callable[[Path, BackupInfo], RestoreResult] | None = None,
    ) -> None:
        """From the window: ``keeper``. Without an open register (the unlock dialog): the
        ``folder`` to list first, how to ``verify`` a backup (in a worker thread) and how to
        ``restore`` it; another folder can be chosen there."""
        super().__init__(parent)
        # From the window only this register's backups are listed (not another register's in
        # a shared folder).
        self.listing: Callable[[Path], list[BackupInfo]] = list_backups
        if keeper is not None:
            folder, verify, restore = keeper.folder(), keeper.verify, keeper.restore
            self.listing = keeper.backups
        assert folder is not None and verify is not None and restore is not None
        self.folder = folder
        self.verify = verify
        self.restore = restore
        self.job: VerifyJob | None = None
        self.backups: list[BackupInfo] = []
        self.setWindowTitle("Reservekopie terugzetten")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Reservekopieën")
        self.error = error_label()
        self.busy = QLabel()
        self.busy.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton("&Terugzetten")
        self.restore_button.setEnabled(False)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(lambda _=False: self.restore_chosen())
        self.other_folder = QPushButton("&Andere map…")
        self.other_folder.clicked.connect(lambda _=False: self.choose_folder())
        self.other_folder.setVisible(keeper is None)
        buttons.addButton(self.other_folder, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.list.currentRowChanged.connect(lambda row: self.restore_button.setEnabled(row >= 0))
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, 360)
        self.show_folder(folder)

    def show_folder(self, folder: Path) -> None:
        self.folder = folder
        self.backups = self.listing(folder)
        self.intro.setText(
            f"Reservekopieën in {folder}. Het huidige register wordt opzij gezet (niet gewist) "
            "en vervangen door de gekozen reservekopie."
            if self.backups
            else f"In {folder} staan geen reservekopieën."
        )
        self.list.clear()
        for backup in self.backups:
            item = QListWidgetItem(backup.describe())
            item.setToolTip(str(backup.path))
            self.list.addItem(item)

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Map met reservekopieën", str(self.folder))
        if chosen:
            self.show_folder(Path(chosen))

    def chosen(self) -> BackupInfo | None:
        row = self.list.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def restore_chosen(self) -> None:
        backup = self.chosen()
        if backup is None:
            return
        if not confirm(
            self,
            "Reservekopie terugzetten",
            f"De reservekopie van {backup.made_at:%d/%m/%Y om %H:%M} ({backup.dossiers} "
            "dossiers) terugzetten? Wat daarna geregistreerd werd, staat er niet in. Het "
            "huidige register wordt opzij gezet, niet gewist.",
            safe_no=True,
        ):
            return
        # Verifying reads the whole backup (seconds for a big register): in a worker thread,
        # the register untouched meanwhile. Only the swap of files happens here.
        self.error.hide()
        self.busy.setText("De reservekopie wordt gecontroleerd…")
        self.busy.show()
        for widget in (self.list, self.restore_button, self.other_folder, self.close_button):
            widget.setEnabled(False)
        self.job = VerifyJob(self.verify, backup.path)
        self.job.signals.done.connect(self._verified)
        _RUNNING.add(self.job)
        QThreadPool.globalInstance().start(self.job)

    def reject(self) -> None:
        if self.job is None:  # not while a backup is being verified
            super().reject()

    def _verified(self, info: BackupInfo | None, error: str) -> None:
        _RUNNING.discard(self.job)
        self.job = None
        self.busy.hide()
        for widget in (self.list, self.other_folder, self.close_button):
            widget.setEnabled(True)
        self.restore_button.setEnabled(self.chosen() is not None)
        if info is None:
            self.error.setText(error)
            self.error.show()
            return
        backup = info
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self.restore(info.path, info)
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        except OSError as exc:
            self.error.setText(os_reason(exc, "De reservekopie kon niet teruggezet worden"))
            self.error.show()
            return
        finally:
            QApplication.restoreOverrideCursor()
        aside = "\n".join(str(p) for p in result.set_aside)
        self.restored.emit()
        QMessageBox.information(
            self,
            "Reservekopie teruggezet",
            f"De reservekopie van {backup.made_at:%d/%m/%Y %H:%M} staat terug: "
            f"{counted(result.backup.dossiers, 'dossier')}."
            + (f"\n\nHet vorige register staat opzij:\n{aside}" if aside else ""),
        )
        self.accept()
