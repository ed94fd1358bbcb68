"""Damage to a register file as a failing disk does it: one page that no longer decrypts."""

from __future__ import annotations

from pathlib import Path

from .raw_pages import PAGE, decrypted_pages


def damage_pages_holding(path: Path, sqlcipher_key: str, marker: bytes) -> list[int]:
    """Flip one byte in every page of the (closed, checkpointed) register file at ``path``
    whose plain content holds ``marker``; returns their page numbers (1-based)."""
    assert not path.with_name(path.name + "-wal").exists(), "close the register first"
    pages = [
        number
        for number, plain in enumerate(decrypted_pages(path, sqlcipher_key), start=1)
        if marker in plain
    ]
    assert pages, f"no page holds {marker!r}"
    content = bytearray(path.read_bytes())
    for number in pages:
        content[(number - 1) * PAGE + 200] ^= 0x40  # inside the encrypted part: the HMAC fails
    path.write_bytes(bytes(content))
    return pages
