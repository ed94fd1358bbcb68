"""Starts a real X server (Xvfb) and a tray host (trayer), then runs tests/tray in it.

Qt picks its platform once per process, and the rest of the suite runs offscreen, so the
tray tests run in a process of their own. In CI these programs must be there (tools/run-tests
installs them); elsewhere the test is skipped when they are missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_display() -> int:
    for number in range(90, 200):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture
def x_server_with_tray() -> Iterator[str]:
    missing = [tool for tool in ("Xvfb", "trayer") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs {', '.join(missing)} (tools/run-tests installs them)")
        pytest.skip(f"{', '.join(missing)} not installed")
    display = f":{_free_display()}"
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {**os.environ, "DISPLAY": display}
    deadline = time.monotonic() + 15
    while not Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
        if time.monotonic() > deadline or xvfb.poll() is not None:
            xvfb.kill()
            pytest.fail("Xvfb did not start")
        time.sleep(0.1)
    tray = subprocess.Popen(
        ["trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel", "--width", "200",
         "--height", "32"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1.0)  # let trayer claim the tray selection
    try:
        yield display
    finally:
        tray.terminate()
        xvfb.terminate()
        tray.wait(10)
        xvfb.wait(10)


def test_tray_suite_on_a_real_x_server(x_server_with_tray: str) -> None:
    env = {**os.environ, "DISPLAY": x_server_with_tray, "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/tray", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "5 passed" in result.stdout, result.stdout[-2000:]
