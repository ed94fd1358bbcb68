"""The passphrase's key derivation started ahead (while the window's modules load, issue 14)
opens the register as the ordinary one does, once, and changes nothing a wrong passphrase or
a missing key file would say."""

from __future__ import annotations

from pathlib import Path

import pytest

from klachtdesk.models import KEY_FILENAME, WrongPassphrase, create_register, keyfile, open_register

from .conftest import PASSPHRASE


def test_a_key_derived_ahead_opens_the_register_once(data_dir: Path) -> None:
    with create_register(data_dir, PASSPHRASE) as created:
        key = created.sqlcipher_key
    keyfile.derive_ahead(data_dir / KEY_FILENAME, PASSPHRASE)
    assert len(keyfile._AHEAD) == 1
    with open_register(data_dir, PASSPHRASE) as register:
        assert register.sqlcipher_key == key
    assert keyfile._AHEAD == {}  # taken, not kept in memory


def test_a_wrong_passphrase_derived_ahead_is_still_refused(data_dir: Path) -> None:
    create_register(data_dir, PASSPHRASE).close()
    keyfile.derive_ahead(data_dir / KEY_FILENAME, "niet het wachtwoord")
    with pytest.raises(WrongPassphrase):
        open_register(data_dir, "niet het wachtwoord")
    assert keyfile._AHEAD == {}
    open_register(data_dir, PASSPHRASE).close()


def test_without_a_key_file_nothing_is_derived(tmp_path: Path) -> None:
    keyfile.derive_ahead(tmp_path / KEY_FILENAME, PASSPHRASE)
    assert keyfile._AHEAD == {}
