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


def test_passphrase_and_recover_ask_at_the_terminal(data_dir: Path) -> None:
    from klachtdesk.models import create_register
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.security import make_recovery_key

    with create_register(data_dir, PASSPHRASE) as register:
        recovery_key = make_recovery_key(ServiceContext(), register)
    new, newer = "een nieuwe zin voor de terminal", "nog een andere zin voor de kluis"
    child = spawn("--data-dir", str(data_dir), "passphrase")
    child.logfile_read = screen = io.StringIO()
    child.expect("Wachtwoord van het register: ")
    child.sendline(PASSPHRASE)
    child.expect("Nieuw wachtwoord: ")
    child.sendline(new)
    child.expect("Nog eens, ter controle: ")
    child.sendline(new)
    child.expect("Het wachtwoord is gewijzigd")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and new not in screen.getvalue()

    child = spawn("--data-dir", str(data_dir), "recover")
    child.logfile_read = screen = io.StringIO()
    child.expect("Herstelsleutel: ")
    child.sendline(recovery_key.replace("-", " ").lower())
    child.expect("Nieuw wachtwoord: ")
    child.sendline(newer)
    child.expect("Nog eens, ter controle: ")
    child.sendline(newer + "!")
    child.expect("De twee wachtwoorden verschillen")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus != 0
    child = spawn("--data-dir", str(data_dir), "recover")
    child.expect("Herstelsleutel: ")
    child.sendline(recovery_key)
    child.expect("Nieuw wachtwoord: ")
    child.sendline(newer)
    child.expect("Nog eens, ter controle: ")
    child.sendline(newer)
    child.expect("nieuw wachtwoord")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert recovery_key.replace("-", " ").lower() not in screen.getvalue()  # not echoed
