"""Decrypt every page of a SQLCipher 4 register file (and its WAL) as raw bytes.

``sqlcipher_export`` copies only live rows; erased data left in free pages, unused parts of a
page or old WAL frames would escape it. This reads the file as an attacker with the key would:
page by page, with the SQLCipher 4 defaults (4096-byte pages, 80 reserved bytes per page:
16-byte IV then 64-byte HMAC, AES-256-CBC; a passphrase key is PBKDF2-HMAC-SHA512 with 256,000
iterations over the 16-byte salt at the start of the file).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80
SALT = 16
WAL_HEADER = 32
FRAME_HEADER = 24


def data_key(sqlcipher_key: str, salt: bytes) -> bytes:
    if sqlcipher_key.startswith("x'") and sqlcipher_key.endswith("'"):
        return bytes.fromhex(sqlcipher_key[2:-1])[:32]
    return hashlib.pbkdf2_hmac("sha512", sqlcipher_key.encode("utf-8"), salt, 256_000, 32)


def _decrypt(page: bytes, number: int, key: bytes) -> bytes:
    start = SALT if number == 1 else 0
    iv = page[PAGE - RESERVE : PAGE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start : PAGE - RESERVE]) + decryptor.finalize()


def decrypted_pages(path: Path, sqlcipher_key: str) -> list[bytes]:
    """Every page of the register file, then every frame of its WAL, decrypted."""
    raw = path.read_bytes()
    key = data_key(sqlcipher_key, raw[:SALT])
    pages = [
        _decrypt(raw[offset : offset + PAGE], offset // PAGE + 1, key)
        for offset in range(0, len(raw) - PAGE + 1, PAGE)
    ]
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        data = wal.read_bytes()
        offset = WAL_HEADER
        while offset + FRAME_HEADER + PAGE <= len(data):
            number = int.from_bytes(data[offset : offset + 4], "big")
            frame = data[offset + FRAME_HEADER : offset + FRAME_HEADER + PAGE]
            pages.append(_decrypt(frame, number, key))
            offset += FRAME_HEADER + PAGE
    return pages
