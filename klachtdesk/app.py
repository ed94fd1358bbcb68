"""Builds the QApplication and wires the program together: setup or unlock, then the window."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from klachtdesk.models import Register, register_exists
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.settings import idle_lock_minutes
from klachtdesk.services.setup import coordinator

from .ui.idle_lock import IdleLock
from .ui.main_window import MainWindow
from .ui.setup_wizard import SetupWizard
from .ui.unlock_dialog import UnlockDialog

DUTCH = QLocale(QLocale.Language.Dutch, QLocale.Country.Belgium)


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, in Dutch: Qt's own buttons and dialogs too, with Belgian formats."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName("klachtdesk")
    app.setOrganizationName("klachtdesk")
    app.setApplicationDisplayName("klachtdesk")
    QLocale.setDefault(DUTCH)
    install_dutch_translations(app)
    return app


def install_dutch_translations(app: QApplication) -> list[QTranslator]:
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed = []
    for name in ("qtbase",):
        translator = QTranslator(app)
        if translator.load(DUTCH, name, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def open_or_set_up(folder: Path) -> Register | None:
    """First run: the setup wizard; later: the unlock dialog. None when the user cancels."""
    if register_exists(folder):
        unlock = UnlockDialog(folder)
        return unlock.register if unlock.exec() else None
    wizard = SetupWizard(folder)
    return wizard.register if wizard.exec() else None


def service_context() -> ServiceContext:
    me = coordinator()
    return ServiceContext(actor=me.name if me else getpass.getuser())


def run(folder: Path) -> int:
    app = make_application()
    register = open_or_set_up(folder)
    if register is None:
        return 0
    try:
        window = MainWindow(service_context())
        window.idle_lock = IdleLock(register, idle_lock_minutes())
        # With a tray, closing the window leaves klachtdesk watching; without, it quits.
        app.setQuitOnLastWindowClosed(not window.watch.has_tray)
        window.show()
        window.watch.start()
        return app.exec()
    finally:
        register.close()
