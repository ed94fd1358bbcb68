"""Before Qt starts on Linux: the system libraries its X11 plugin needs and cannot find.

Qt's xcb platform plugin links to libraries that a fresh Debian or Ubuntu machine may lack
(libxcb-cursor0 on a GNOME or Xfce desktop, a few more on Xfce and minimal installs). Qt then
aborts with an English message. klachtdesk checks first and says, in Dutch, which Debian
packages to install. ``python -m klachtdesk.platform_check`` prints those packages, one a
line; tools/start installs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# Library names that do not follow Debian's rule (name + soversion, a dash between digits).
DEBIAN_EXCEPTIONS = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0",
    "libpng16.so.16": "libpng16-16",
    "libstdc++.so.6": "libstdc++6",
}


def debian_package(soname: str) -> str:
    """The Debian package that ships a library, by Debian's naming rule (policy 8.1).

    ``libxcb-cursor.so.0`` -> ``libxcb-cursor0``, ``libxkbcommon-x11.so.0`` ->
    ``libxkbcommon-x11-0``, ``libEGL.so.1`` -> ``libegl1``.
    """
    if soname in DEBIAN_EXCEPTIONS:
        return DEBIAN_EXCEPTIONS[soname]
    name, _, version = soname.partition(".so")
    name = name.lower()
    major = version.lstrip(".").split(".")[0]
    if not major:
        return name
    return f"{name}-{major}" if name[-1].isdigit() else f"{name}{major}"


def missing_libraries(binary: Path) -> list[str]:
    """The libraries ``binary`` needs, directly or through others, that cannot be found."""
    ldd = shutil.which("ldd")
    if ldd is None or not binary.is_file():
        return []
    try:
        listed = subprocess.run(
            [ldd, str(binary)], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split()[0] for line in listed.splitlines() if "=> not found" in line})


def qt_plugin(name: str) -> Path:
    """A platform plugin of the Qt that PySide6 (or the bundle) carries."""
    import PySide6
    from PySide6.QtCore import QLibraryInfo

    folders = [
        Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)),
        Path(PySide6.__file__).parent
        / "Qt"
        / "plugins",  # in the bundle, QLibraryInfo may not know
    ]
    candidates = [folder / "platforms" / name for folder in folders]
    return next((path for path in candidates if path.is_file()), candidates[0])


def _uses_xcb() -> bool:
    """Whether Qt is going to load its X11 (xcb) plugin for this session."""
    if not sys.platform.startswith("linux"):
        return False
    chosen = os.environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return "xcb" in chosen
    wayland = qt_plugin("libqwayland.so")
    on_wayland = bool(os.environ.get("WAYLAND_DISPLAY")) or (
        os.environ.get("XDG_SESSION_TYPE") == "wayland"
    )
    # On Wayland Qt tries its Wayland plugin first, and xcb only when that one cannot load.
    return not (on_wayland and wayland.is_file() and not missing_libraries(wayland))


def missing_packages() -> tuple[list[str], list[str]]:
    """(missing libraries, the Debian packages that ship them) for Qt's xcb plugin."""
    if not _uses_xcb():
        return [], []
    libraries = missing_libraries(qt_plugin("libqxcb.so"))
    return libraries, sorted({debian_package(name) for name in libraries})


def problem() -> str | None:
    """A Dutch explanation when Qt cannot show a window here, else None."""
    libraries, packages = missing_packages()
    if libraries:
        return explain(libraries, packages)
    if _uses_xcb() and not os.environ.get("DISPLAY"):  # e.g. over ssh: Qt would abort
        return (
            "klachtdesk kan geen venster openen: er is geen grafisch scherm (DISPLAY is niet "
            "ingesteld). Start klachtdesk op het bureaublad; de opdrachten demo en check "
            "werken ook zonder scherm."
        )
    return None


def explain(libraries: list[str], packages: list[str]) -> str:
    how = (
        f"Installeer ze als beheerder met:\n    sudo apt-get install {' '.join(packages)}"
        if shutil.which("apt-get")
        else f"Installeer de pakketten die ze leveren (op Debian/Ubuntu: {' '.join(packages)})."
    )
    return (
        "klachtdesk kan geen venster openen: deze systeembibliotheken ontbreken "
        f"({', '.join(libraries)}).\n{how}"
    )


if __name__ == "__main__":
    for package in missing_packages()[1]:
        print(package)
