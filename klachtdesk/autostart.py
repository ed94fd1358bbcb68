"""Starting klachtdesk at login (off by default): an XDG autostart entry on Linux, a
Startup-folder command on Windows, a LaunchAgent on macOS. Only files in the user's own
profile are written; turning it off removes them."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path


def launch_command() -> list[str]:
    """How this klachtdesk is started again: the frozen program, or Python with the module."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "klachtdesk"]


def entry_path() -> Path:
    home = Path.home()
    if sys.platform.startswith("win"):
        appdata = Path(os.environ.get("APPDATA", home / "AppData" / "Roaming"))
        return (
            appdata
            / "Microsoft"
            / "Windows"
            / "Start Menu"
            / "Programs"
            / "Startup"
            / "klachtdesk.cmd"
        )
    if sys.platform == "darwin":
        return home / "Library" / "LaunchAgents" / "be.klachtdesk.plist"
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    return config / "autostart" / "klachtdesk.desktop"


def _content(command: list[str]) -> str:
    if sys.platform.startswith("win"):
        quoted = " ".join(f'"{part}"' for part in command)
        return f'@echo off\r\nstart "" {quoted}\r\n'
    if sys.platform == "darwin":
        arguments = "".join(f"<string>{part}</string>" for part in command)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<plist version="1.0"><dict><key>Label</key><string>be.klachtdesk</string>'
            f"<key>ProgramArguments</key><array>{arguments}</array>"
            "<key>RunAtLoad</key><true/></dict></plist>\n"
        )
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=klachtdesk\n"
        "Comment=Klachtenregistratie – bewaakt de termijnen\n"
        f"Exec={shlex.join(command)}\n"
        "Icon=klachtdesk\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def is_enabled() -> bool:
    return entry_path().is_file()


def set_enabled(enabled: bool) -> None:
    """Write or remove the login entry; OSError is left to the caller to report."""
    path = entry_path()
    if enabled:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_content(launch_command()), encoding="utf-8")
    else:
        path.unlink(missing_ok=True)
