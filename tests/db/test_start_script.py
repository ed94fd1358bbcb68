"""tools/start, the README's first command: install into a venv, then start klachtdesk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_start_installs_and_starts_even_from_a_venv_without_pip(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    # What `python3 -m venv` leaves on Debian without python3-venv: a venv with no pip.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLACHTDESK_")}
    env |= {"KLACHTDESK_VENV": str(venv), "PYTHON": sys.executable}
    started = subprocess.run(
        [ROOT / "tools" / "start", "--version"],
        env=env, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr[-3000:]
    assert started.stdout.startswith("klachtdesk 0.")
    assert (venv / "bin" / "klachtdesk").is_file()
    # Installed editable: the venv runs this checkout, as tools/run-tests' venv does, so one
    # .venv serves both commands without either replacing the other's install.
    where = subprocess.run(
        [venv / "bin" / "python", "-c", "import klachtdesk; print(klachtdesk.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert Path(where.stdout.strip()) == ROOT / "klachtdesk" / "__init__.py"
    # Qt's X11 libraries were there or have been installed: the same check finds none missing.
    check = subprocess.run(
        [venv / "bin" / "python", "-m", "klachtdesk.platform_check"],
        env={**env, "QT_QPA_PLATFORM": "xcb"}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert check.stdout == ""
