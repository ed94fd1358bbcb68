"""The passphrase prompt, typed at a real terminal (a pseudo-terminal driven by pexpect)."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pexpect

from .conftest import PASSPHRASE


def spawn(*args: str) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLACHTDESK_")}
    return pexpect.spawn(
        sys.executable, ["-m", "klachtdesk", *args], env=env, encoding="utf-8", timeout=120
    )


def test_new_register_asks_the_passphrase_twice(data_dir: Path) -> None:
    child = spawn("--data-dir", str(data_dir), "demo", "--count", "3")
    child.expect("Wachtwoord van het register: ")
    child.sendline(PASSPHRASE)
    child.expect("Nog eens, ter controle: ")
    child.sendline(PASSPHRASE)
    child.expect("3 fictieve klachten toegevoegd")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    # Later commands ask once; the typed passphrase is not echoed.
    child = spawn("--data-dir", str(data_dir), "check")
    child.logfile_read = screen = io.StringIO()
    child.expect("Wachtwoord van het register: ")
    child.sendline(PASSPHRASE)
    child.expect("Register in orde: 3 dossiers")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Register in orde" in screen.getvalue()
    assert PASSPHRASE not in screen.getvalue()


def test_different_passphrases_create_nothing(data_dir: Path) -> None:
    child = spawn("--data-dir", str(data_dir), "demo", "--count", "3")
    child.expect("Wachtwoord van het register: ")
    child.sendline(PASSPHRASE)
    child.expect("Nog eens, ter controle: ")
    child.sendline(PASSPHRASE + "?")
    child.expect("De twee wachtwoorden verschillen")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus != 0
    assert not (data_dir / "klachtdesk.db").exists()
