"""Builds the QApplication and wires the program together: setup or unlock, then the window."""

from __future__ import annotations

import contextlib
import getpass
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from klachtdesk import platform_check
from klachtdesk.models import (
    Register,
    WrongPassphrase,
    open_register,
    register_exists,
    register_file_lost,
)
from klachtdesk.procedure import UserError
from klachtdesk.services.backup import BackupKeeper
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.register import RESTORABLE
from klachtdesk.services.settings import idle_lock_minutes
from klachtdesk.services.setup import coordinator
from klachtdesk.services.viewing_copies import remove_copies, remove_leftovers

from .ui.backup_actions import BackupActions
from .ui.first_paint import after_first_paint
from .ui.garbage_collector import GarbageCollector
from .ui.idle_lock import IdleLock
from .ui.main_window import MainWindow
from .ui.messages import install_unexpected_error_dialog
from .ui.security_tab import offer_recovery_key
from .ui.setup_wizard import SetupWizard
from .ui.tray import app_icon
from .ui.unlock_dialog import UnlockDialog

DUTCH = QLocale(QLocale.Language.Dutch, QLocale.Country.Belgium)
PASSPHRASE_ENV = "KLACHTDESK_PASSPHRASE"
STARTUP_REPORT_ENV = "KLACHTDESK_REPORT_STARTUP"
#: When :func:`run` began, for the start-up report's figures.
_run_started: float | None = None


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, in Dutch: Qt's own buttons and dialogs too, with Belgian formats."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName("klachtdesk")
    app.setOrganizationName("klachtdesk")
    app.setApplicationDisplayName("klachtdesk")
    QLocale.setDefault(DUTCH)
    install_dutch_translations(app)
    app.setWindowIcon(app_icon())
    # Qt sizes a label to its text's advance, but some glyphs reach past it ("Telefoon" lost
    # its last pixel column); a little room on the right keeps every label whole.
    app.setStyleSheet("QLabel { padding-right: 2px; }")
    if app.findChild(GarbageCollector) is None:
        GarbageCollector(app)  # cycles holding widgets are freed on this thread only
    return app


# Texts that Qt shows but its Dutch translation (qtbase_nl.qm) lacks: Qt 6 gave the file
# dialog's labels a shortcut ("&Look in:"), the translation still has them without one.
# Found by listing every text a dialog asks for that no installed translator answers.
MISSING_DUTCH = {
    ("QFileDialog", "&Look in:"): "&Zoeken in:",
    ("QFileDialog", "Files of &type:"): "Bestanden van &type:",
    ("QAbstractFileIconProvider", "Folder"): "Map",
    ("QAbstractFileIconProvider", "Drive"): "Station",
    # The print dialog's double-sided options, newer than the translation too.
    ("QPrintSettingsOutput", "Double Sided Printing"): "Dubbelzijdig afdrukken",
    ("QPrintSettingsOutput", "Long side binding"): "Binden langs de lange zijde",
    ("QPrintSettingsOutput", "Short side binding"): "Binden langs de korte zijde",
    ("QPrintSettingsOutput", "Off"): "Uit",
    ("QPrintSettingsOutput", "Page &Set:"): "Af&drukbereik:",
}


class MissingDutch(QTranslator):
    """Dutch for the few texts in :data:`MISSING_DUTCH`; everything else falls through."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None is Qt's null string: "not translated here", so the next translator is asked.
        return MISSING_DUTCH.get((context, source))

    def isEmpty(self) -> bool:
        return False


def install_dutch_translations(app: QApplication) -> list[QTranslator]:
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed: list[QTranslator] = []
    for name in ("qtbase",):
        translator = QTranslator(app)
        if translator.load(DUTCH, name, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
    missing = MissingDutch(app)
    app.installTranslator(missing)  # asked first: the last one installed is
    installed.append(missing)
    return installed


def open_or_set_up(folder: Path) -> Register | None:
    """First run: the setup wizard; later: the unlock dialog. None when the user cancels.

    A register file that is gone while its key file is still there is no first run: the unlock
    dialog says the register is missing and offers to restore a backup.

    With KLACHTDESK_PASSPHRASE set (scripts, the bundle's smoke test) a right passphrase
    opens the register without asking.
    """
    lost = register_file_lost(folder)  # the unlock dialog says so and offers the backups
    if register_exists(folder) or lost:
        from_env = os.environ.get(PASSPHRASE_ENV)
        if from_env and not lost:
            with contextlib.suppress(WrongPassphrase):
                return open_register(folder, from_env)
        unlock = UnlockDialog(folder)
        QTimer.singleShot(0, lambda: report_startup("unlock dialog shown"))
        return unlock.register if unlock.exec() else None
    wizard = SetupWizard(folder)
    QTimer.singleShot(0, lambda: report_startup("setup wizard shown"))
    return wizard.register if wizard.exec() else None


def report_startup(what: str, started: float | None = None) -> None:
    """With KLACHTDESK_REPORT_STARTUP set, say on stderr what is on screen (scripts, tests)."""
    if os.environ.get(STARTUP_REPORT_ENV):
        took = f" {(time.perf_counter() - started) * 1000:.0f} ms" if started else ""
        print(f"{what}{took}", file=sys.stderr, flush=True)


def offer_recovery_key_if_open(window: MainWindow, ctx: ServiceContext) -> None:
    """The offer to make a recovery key, unless the window was closed (and the register with
    it) before it was first painted."""
    if window.quitting:
        return
    with contextlib.suppress(UserError):  # the register closed meanwhile: nothing to offer
        offer_recovery_key(window, ctx)


def report_watch_once() -> Callable[[object], None]:
    """A slot that says "deadline watch shown" (see :func:`report_startup`) after the
    watch's first result is on screen, once."""
    said = False

    def said_once(_alerts: object) -> None:
        nonlocal said
        if not said:
            said = True
            report_startup("deadline watch shown", _run_started)

    return said_once


def service_context() -> ServiceContext:
    me = coordinator()
    return ServiceContext(actor=me.name if me else getpass.getuser())


def quit_on_termination(app: QApplication) -> QTimer:
    """SIGTERM/SIGINT end klachtdesk as Afsluiten does (register closed, exit code 0).

    Python runs signal handlers only between bytecodes, so a short timer keeps giving it the
    chance while Qt's event loop runs. ``exit`` rather than ``quit``: it also ends the event
    loop of an open dialog (the setup wizard, the unlock dialog, a message box), which Qt 6's
    ``quit`` leaves running.
    """
    for number in (signal.SIGTERM, signal.SIGINT):
        # Through the event loop: a signal that comes just before app.exec() starts (after
        # the window is shown) would otherwise end no loop and be lost.
        signal.signal(number, lambda *_: QTimer.singleShot(0, lambda: app.exit(0)))
    pulse = QTimer(app, interval=250)
    pulse.timeout.connect(lambda: None)
    pulse.start()
    return pulse


def open_main_window(
    app: QApplication, register: Register, folder: Path, ctx: ServiceContext
) -> MainWindow:
    """The window on an open register, shown, with the idle lock and the deadline watch."""
    # Window layout lives in the data folder too: klachtdesk writes nowhere else.
    layout = QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, layout)
    window.idle_lock = IdleLock(register, idle_lock_minutes())
    # With a tray, closing the window leaves klachtdesk watching; without, it quits.
    app.setQuitOnLastWindowClosed(not window.watch.has_tray)
    window.show()
    # The watch reads the register on a worker thread once the window is painted (issue 14).
    window.watch.checked.connect(report_watch_once())
    window.watch.start(after_paint_of=window)
    after_first_paint(window, lambda: offer_recovery_key_if_open(window, ctx))
    attach_backups(window, register, ctx)
    return window


def open_main_window_or_explain(
    app: QApplication, register: Register, folder: Path, ctx: ServiceContext
) -> tuple[MainWindow, Register] | None:
    """The window, as :func:`open_main_window`; when the register turns out damaged while
    the window first reads it (a page the unlock did not need), the unlock dialog comes back
    saying so and offering the backups, instead of the window vanishing with the message on
    stderr only. None when the coordinator cancels there (the register is then closed)."""
    while True:
        try:
            return open_main_window(app, register, folder, ctx), register
        except BaseException as exc:
            register.close()
            if not isinstance(exc, RESTORABLE):
                raise
            unlock = UnlockDialog(folder)
            unlock.show_problem(exc)
            QTimer.singleShot(0, lambda: report_startup("unlock dialog shown again"))
            if not unlock.exec() or unlock.register is None:
                return None
            register = unlock.register


def attach_backups(window: MainWindow, register: Register, ctx: ServiceContext) -> BackupActions:
    """File → Reservekopie maken/terugzetten…, the backup status, and the automatic backups:
    at the first unlock of each day (now, and after the idle lock) and at exit."""
    backups = BackupActions(window, BackupKeeper(register, ctx))
    if window.idle_lock is not None:
        window.idle_lock.unlocked.connect(backups.backup_if_due)
    after_first_paint(window, backups.backup_if_due)  # not before the window is on screen
    return backups


def keep_plaintext_off_disk(app: QApplication) -> None:
    """Decrypted copies of an earlier run that crashed are removed now, this run's at quit
    (services.viewing_copies); and no core dump of this process (its memory holds the
    register's key and whatever dossier is on screen) is written, where the system allows."""
    remove_leftovers()
    app.aboutToQuit.connect(remove_copies)
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run(folder: Path) -> int:
    global _run_started
    started = _run_started = time.perf_counter()
    cannot_show = platform_check.problem()
    if cannot_show:  # instead of Qt's English abort
        print(cannot_show, file=sys.stderr)
        return 1
    app = make_application()
    keep_plaintext_off_disk(app)
    quit_on_termination(app)
    install_unexpected_error_dialog()
    register = open_or_set_up(folder)
    if register is None:
        return 0
    try:
        opened = open_main_window_or_explain(app, register, folder, service_context())
    except BaseException:
        remove_copies()  # the register is closed
        raise
    if opened is None:
        remove_copies()
        return 0
    window, register = opened
    try:
        if os.environ.get(STARTUP_REPORT_ENV):
            app.processEvents()
            report_startup("window shown", started)
        status = app.exec()
        window.watch.stop()
        window.save_layout()
        backups = window.findChild(BackupActions)
        if backups is not None:
            backups.at_exit()
        return status
    finally:
        remove_copies()
        register.close()
