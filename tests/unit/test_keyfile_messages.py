"""A damaged key file is named in Dutch only (issue 13, second probe): an empty key file gave
"… beschadigd of onleesbaar (Expecting value: line 1 column 1 (char 0))"."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from klachtdesk.models.keyfile import KeyFileDamaged, read_key_file

ENGLISH = re.compile(r"Expecting|codec|column|char |padding|badly|invalid|hexadecimal|decode")


def _valid_looking(**changes: object) -> bytes:
    content = {"format": "klachtdesk-key", "checksum": "x", "version": 1, **changes}
    return json.dumps(content).encode()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "(het bestand is leeg)"),
        (b"  \n", "(het bestand is leeg)"),
        (b"{", ""),
        (b"\xff\xfe{}", ""),
        (b"[1, 2]", "(geen klachtdesk-sleutelbestand)"),
        (base64.b64encode(b"x" * 100), ""),
        (_valid_looking(), "(de controlesom klopt niet)"),
    ],
)
def test_a_damaged_key_file_is_named_without_english(
    tmp_path: Path, raw: bytes, reason: str
) -> None:
    path = tmp_path / "klachtdesk.key"
    path.write_bytes(raw)
    with pytest.raises(KeyFileDamaged) as caught:
        read_key_file(path)
    message = caught.value.message
    assert not ENGLISH.search(message), message
    assert f"is beschadigd of onleesbaar{' ' + reason if reason else ''}. " in message
