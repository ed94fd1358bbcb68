"""Qt's X11 libraries: which are missing, and which Debian packages bring them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from klachtdesk import platform_check
from klachtdesk.platform_check import debian_package, explain, missing_libraries


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-render-util.so.0", "libxcb-render-util0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
        ("libEGL.so.1", "libegl1"),
        ("libdbus-1.so.3", "libdbus-1-3"),
        ("libglib-2.0.so.0", "libglib2.0-0"),
    ],
)
def test_debian_package_names(soname: str, package: str) -> None:
    assert debian_package(soname) == package


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc to build the libraries")
def test_a_library_whose_dependency_is_gone_is_reported(tmp_path: Path) -> None:
    """Like Qt's xcb plugin on a machine without libxcb-cursor0: built, then taken away."""
    (tmp_path / "dep.c").write_text("int dep(void) { return 1; }\n")
    (tmp_path / "plugin.c").write_text("int dep(void); int plugin(void) { return dep(); }\n")
    gcc = ["gcc", "-shared", "-fPIC"]
    subprocess.run([*gcc, "-Wl,-soname,libkd-probe-cursor.so.0", "-o",
                    tmp_path / "libkd-probe-cursor.so.0", tmp_path / "dep.c"], check=True)  # fmt: skip
    subprocess.run([*gcc, "-o", tmp_path / "plugin.so", tmp_path / "plugin.c",
                    "-L", tmp_path, "-l:libkd-probe-cursor.so.0",
                    f"-Wl,-rpath,{tmp_path}"], check=True)  # fmt: skip
    assert missing_libraries(tmp_path / "plugin.so") == []
    (tmp_path / "libkd-probe-cursor.so.0").unlink()
    assert missing_libraries(tmp_path / "plugin.so") == ["libkd-probe-cursor.so.0"]
    message = explain(["libkd-probe-cursor.so.0"], ["libkd-probe-cursor0"])
    assert message.startswith("klachtdesk kan geen venster openen")
    assert "libkd-probe-cursor0" in message


def test_no_check_for_another_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert platform_check.missing_packages() == ([], [])


def test_no_screen_is_said_in_dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.delenv("DISPLAY", raising=False)
    message = platform_check.problem()
    assert message is not None and "geen grafisch scherm" in message
