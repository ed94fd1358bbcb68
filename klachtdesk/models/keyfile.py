"""The key file: the register's data key, wrapped under the passphrase and the recovery key.

The register is encrypted with a random 256-bit *data key*, used as an SQLCipher raw key.
The data key is stored nowhere in the clear: ``klachtdesk.key`` beside the register holds it
wrapped (AES-GCM) in *slots*:

- ``passphrase``: the wrapping key is Argon2id(passphrase), with memory-hard parameters
  recorded in the slot, so they can be raised later without breaking old files;
- ``recovery``: the wrapping key is HKDF(recovery key); the recovery key carries 160 random
  bits, so a slow KDF adds nothing.

Each slot's associated data names the register id and the slot, so a slot copied from another
register or into the other slot does not decrypt. A SHA-256 checksum over the whole file tells
a damaged file (a flipped byte anywhere) apart from a wrong passphrase.

The raw key string also fixes SQLCipher's per-database salt (``x'<64 hex key><32 hex salt>'``):
every copy of the register (a backup, an export) then starts with the same 16 plaintext bytes,
which the key file records. That is how a key file of another register, or a register whose key
file went missing, is recognised before any key is derived. The salt begins with
:data:`SALT_MAGIC`, so a register keyed this way is recognisable without its key file.

The file is written atomically (temporary file, fsync, rename, directory fsync), and a second
copy of the same content is kept beside it as ``klachtdesk.key.prev``: the fallback when the
main file gets damaged. Both always hold the same slots, so after a passphrase change or a new
recovery key the old passphrase or recovery key opens neither.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import json
import os
import re
import secrets
import threading
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from Cryptodome.Cipher import AES
from Cryptodome.Hash import SHA256
from Cryptodome.Protocol.KDF import HKDF

from klachtdesk.procedure import UserError

FORMAT = "klachtdesk-key"
FORMAT_VERSION = 1
PASSPHRASE_SLOT = "passphrase"
RECOVERY_SLOT = "recovery"
#: The first bytes of SQLCipher's salt in every register keyed through a key file.
SALT_MAGIC = b"kdkey01:"
SALT_SIZE = 16
DATA_KEY_SIZE = 32

# Crockford's base32: no I, L, O, U; typed I/L read as 1 and O as 0.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPED = {**{c: c for c in CROCKFORD}, "O": "0", "I": "1", "L": "1"}
RECOVERY_BITS = 160
RECOVERY_CHARS = RECOVERY_BITS // 5  # 32
RECOVERY_GROUP = 4


@dataclass(frozen=True)
class Argon2Params:
    """Argon2id parameters; recorded in the slot, so a file made with others still opens."""

    time_cost: int = 3
    memory_cost: int = 131_072  # KiB: 128 MiB
    parallelism: int = 1


#: Measured on the coordinator's kind of workstation: about 0.3 s (benchmarks/passphrase_change.py).
DEFAULT_ARGON2 = Argon2Params()


# --- errors a coordinator can act on ------------------------------------------------------


class WrongPassphrase(UserError):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or "Het wachtwoord is niet juist. Er werd niets gewijzigd.")


class UnusablePassphrase(UserError):
    """A passphrase holding a NUL character or a lone surrogate: no key can be derived from
    it, and SQLite cannot be given it."""

    def __init__(self) -> None:
        super().__init__(
            "Dit wachtwoord bevat een teken dat in geen wachtwoord kan staan (een nulteken of "
            "een ongeldig teken). Typ het opnieuw; er werd niets gewijzigd."
        )


_UNUSABLE_IN_PASSPHRASE = re.compile("[\x00\ud800-\udfff]")


def require_usable_passphrase(passphrase: str) -> None:
    """Raise :class:`UnusablePassphrase` when ``passphrase`` holds NUL or a lone surrogate.

    Only these two: any other character works in a passphrase, and refusing more could lock
    a coordinator out of a register whose passphrase holds one."""
    if _UNUSABLE_IN_PASSPHRASE.search(passphrase):
        raise UnusablePassphrase()


class WrongRecoveryKey(UserError):
    def __init__(self) -> None:
        super().__init__(
            "Deze herstelsleutel past niet bij dit register, of er werd intussen een nieuwe "
            "herstelsleutel gemaakt. Controleer de tekens; er werd niets gewijzigd."
        )


class MalformedRecoveryKey(UserError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"Dat is geen geldige herstelsleutel: {detail}")


class NoRecoveryKey(UserError):
    def __init__(self) -> None:
        super().__init__(
            "Voor dit register werd nog geen herstelsleutel gemaakt. Open het met het "
            "wachtwoord en maak er een in Instellingen › Beveiliging."
        )


class KeyFileMissing(UserError):
    def __init__(self, path: Path) -> None:
        prev = path.with_name(path.name + ".prev")
        hint = (
            f" Een kopie ervan, {prev.name}, staat er nog: de informaticadienst kan die "
            f"terug hernoemen naar {path.name}."
            if prev.exists()
            else ""
        )
        super().__init__(
            f"Het sleutelbestand {path} ontbreekt. Zonder dat bestand kan het register niet "
            "geopend worden, ook niet met het juiste wachtwoord. Zet het terug uit een "
            f"reservekopie.{hint} Er werd niets gewijzigd."
        )


class KeyFileDamaged(UserError):
    def __init__(self, path: Path, detail: str = "") -> None:
        why = f" ({detail})" if detail else ""
        super().__init__(
            f"Het sleutelbestand {path} is beschadigd of onleesbaar{why}. Het wachtwoord is "
            f"daarbij niet het probleem. Zet het sleutelbestand terug uit een reservekopie "
            f"(of gebruik {path.name}.prev). Er werd niets gewijzigd."
        )


def os_reason(error: OSError) -> str:
    """Why an OS call failed, in Dutch (disk full, no rights, read-only disk...); the
    system's English text is never shown. The one translation of OS errors for files the
    user names (export, report, key file, register folder)."""
    return {
        errno.EACCES: "geen toegang (rechten)",
        errno.EPERM: "geen toegang (rechten)",
        errno.EEXIST: "er staat een bestand met die naam",
        errno.ENOTDIR: "een deel van het pad is een bestand",
        errno.ENOSPC: "de schijf is vol",
        errno.EROFS: "de schijf is alleen-lezen",
        errno.EIO: "de schijf geeft een lees- of schrijffout",
        errno.ENOENT: "de map of het bestand bestaat niet",
        errno.EISDIR: "er staat een map met die naam",
        errno.EBUSY: "het bestand of de map is in gebruik",
        errno.ENAMETOOLONG: "de naam of het pad is te lang",
        errno.EXDEV: "de map staat op een andere schijf",
        errno.ETIMEDOUT: "de netwerkmap antwoordt niet",
        errno.EDQUOT: "de schijfruimte van de gebruiker is op",
        errno.EFBIG: "het bestand is te groot voor de schijf",
    }.get(error.errno or 0, f"fout bij het lezen of schrijven (foutcode {error.errno})")


class KeyFileNotWritten(UserError):
    """The key file could not be written; the one on disk is still the previous one."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(
            f"Het sleutelbestand {path} kon niet geschreven worden: {os_reason(error)}. "
            "Het bleef zoals het was: het wachtwoord en de herstelsleutel zijn niet gewijzigd."
        )


class ForeignKeyFile(UserError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Het sleutelbestand {path} hoort bij een ander klachtdesk-register. Zet het "
            "sleutelbestand van dit register terug (uit dezelfde reservekopie als het "
            "register). Er werd niets gewijzigd."
        )


# --- the data key ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DataKey:
    """The register's encryption key and SQLCipher salt (the key never in its repr)."""

    key: bytes = field(repr=False)
    salt: bytes

    @classmethod
    def new(cls) -> DataKey:
        salt = SALT_MAGIC + secrets.token_bytes(SALT_SIZE - len(SALT_MAGIC))
        return cls(secrets.token_bytes(DATA_KEY_SIZE), salt)

    @property
    def sqlcipher_key(self) -> str:
        """The string for ``PRAGMA key``: a raw key with its salt (no key derivation)."""
        return f"x'{self.key.hex()}{self.salt.hex()}'"


def is_key_file_register(header: bytes) -> bool:
    """Whether a register file's first bytes say it is keyed through a key file (one damaged
    byte in the magic is tolerated)."""
    magic = header[: len(SALT_MAGIC)]
    return len(magic) == len(SALT_MAGIC) and _differing(magic, SALT_MAGIC) <= 1


def salt_matches(header: bytes, salt: bytes) -> bool:
    """The register file starts with this salt. A few differing bytes are damage to page 1
    (which opening will then report); a key file of another register differs in nearly all
    of its random bytes."""
    random_part = slice(len(SALT_MAGIC), SALT_SIZE)
    return len(header) >= SALT_SIZE and _differing(header[random_part], salt[random_part]) <= 3


def _differing(a: bytes, b: bytes) -> int:
    return sum(x != y for x, y in zip(a, b, strict=False)) + abs(len(a) - len(b))


# --- the recovery key -----------------------------------------------------------------------


def new_recovery_key() -> str:
    """160 random bits in Crockford base32, in groups of four: ``7KQ2-...``."""
    number = secrets.randbits(RECOVERY_BITS)
    chars = "".join(CROCKFORD[(number >> (5 * i)) & 31] for i in reversed(range(RECOVERY_CHARS)))
    return format_recovery_key(chars)


def format_recovery_key(chars: str) -> str:
    return "-".join(chars[i : i + RECOVERY_GROUP] for i in range(0, len(chars), RECOVERY_GROUP))


def recovery_key_groups(recovery_key: str) -> list[str]:
    return format_recovery_key(normalize_recovery_key(recovery_key)).split("-")


def normalize_recovery_key(typed: str) -> str:
    """The 32 characters of a typed recovery key: case, spaces and dashes ignored, O read as 0
    and I/L as 1. Raises MalformedRecoveryKey with what is wrong."""
    chars = []
    for char in typed.upper():
        if char in " -\t\n._":
            continue
        if char not in _TYPED:
            raise MalformedRecoveryKey(f"het teken ‘{char}’ komt er niet in voor.")
        chars.append(_TYPED[char])
    if len(chars) != RECOVERY_CHARS:
        raise MalformedRecoveryKey(
            f"ze telt {RECOVERY_CHARS} tekens (in groepen van {RECOVERY_GROUP}), "
            f"hier staan er {len(chars)}."
        )
    return "".join(chars)


def _recovery_secret(recovery_key: str) -> bytes:
    number = 0
    for char in normalize_recovery_key(recovery_key):
        number = number * 32 + CROCKFORD.index(char)
    return number.to_bytes(RECOVERY_BITS // 8, "big")


# --- the file -------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("geen tekst")
    return base64.b64decode(text.encode("ascii"), validate=True)


def _checksum(content: dict[str, Any]) -> str:
    body = {k: v for k, v in content.items() if k != "checksum"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class KeyFile:
    """The parsed content of ``klachtdesk.key``."""

    register_id: str
    database_salt: bytes
    slots: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def has_recovery_slot(self) -> bool:
        return RECOVERY_SLOT in self.slots

    def _aad(self, slot: str) -> bytes:
        return f"{FORMAT}/{FORMAT_VERSION}/{self.register_id}/{slot}".encode()

    def _seal(
        self, slot: str, wrapping_key: bytes, data_key: DataKey, extra: dict[str, Any]
    ) -> KeyFile:
        nonce = secrets.token_bytes(12)
        sealed = _aes_gcm_seal(wrapping_key, nonce, data_key.key, self._aad(slot))
        slots = dict(self.slots)
        slots[slot] = {**extra, "nonce": _b64(nonce), "ciphertext": _b64(sealed)}
        return replace(self, slots=slots)

    def _open(self, slot: str, wrapping_key: bytes) -> DataKey | None:
        entry = self.slots[slot]
        key = _aes_gcm_open(
            wrapping_key, _unb64(entry["nonce"]), _unb64(entry["ciphertext"]), self._aad(slot)
        )
        return None if key is None else DataKey(key, self.database_salt)

    def with_passphrase(
        self, data_key: DataKey, passphrase: str, params: Argon2Params | None = None
    ) -> KeyFile:
        """A copy whose passphrase slot wraps ``data_key`` under ``passphrase`` (Argon2id
        with ``params``, by default :data:`DEFAULT_ARGON2` as it is at the time of the call)."""
        params = params or DEFAULT_ARGON2
        salt = secrets.token_bytes(16)
        wrapping = _argon2(passphrase, salt, params)
        extra = {
            "kdf": "argon2id",
            "time_cost": params.time_cost,
            "memory_cost_kib": params.memory_cost,
            "parallelism": params.parallelism,
            "salt": _b64(salt),
        }
        return self._seal(PASSPHRASE_SLOT, wrapping, data_key, extra)

    def with_recovery_key(self, data_key: DataKey, recovery_key: str) -> KeyFile:
        """A copy whose recovery slot (replacing any earlier one) opens with ``recovery_key``."""
        salt = secrets.token_bytes(16)
        wrapping = _hkdf(_recovery_secret(recovery_key), salt)
        return self._seal(
            RECOVERY_SLOT, wrapping, data_key, {"kdf": "hkdf-sha256", "salt": _b64(salt)}
        )

    def passphrase_slot_kdf(self) -> tuple[bytes, Argon2Params]:
        """The salt and Argon2id parameters of the passphrase slot."""
        entry = self.slots[PASSPHRASE_SLOT]
        params = Argon2Params(
            int(entry["time_cost"]), int(entry["memory_cost_kib"]), int(entry["parallelism"])
        )
        return _unb64(entry["salt"]), params

    def unwrap_with_passphrase(self, passphrase: str) -> DataKey:
        salt, params = self.passphrase_slot_kdf()
        found = self._open(PASSPHRASE_SLOT, _argon2(passphrase, salt, params))
        if found is None:
            raise WrongPassphrase()
        return found

    def unwrap_with_recovery_key(self, recovery_key: str) -> DataKey:
        if not self.has_recovery_slot:
            raise NoRecoveryKey()
        secret = _recovery_secret(recovery_key)  # MalformedRecoveryKey before any crypto
        entry = self.slots[RECOVERY_SLOT]
        found = self._open(RECOVERY_SLOT, _hkdf(secret, _unb64(entry["salt"])))
        if found is None:
            raise WrongRecoveryKey()
        return found

    def to_json(self) -> str:
        content: dict[str, Any] = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "register_id": self.register_id,
            "database_salt": self.database_salt.hex(),
            "slots": self.slots,
        }
        content["checksum"] = _checksum(content)
        return json.dumps(content, indent=2, sort_keys=True) + "\n"


def new_register_id() -> str:
    return str(uuid.uuid4())


def new_key_file(
    data_key: DataKey,
    passphrase: str,
    params: Argon2Params | None = None,
    register_id: str | None = None,
) -> KeyFile:
    """A key file (for a new register id unless given) with only a passphrase slot."""
    key_file = KeyFile(register_id or new_register_id(), data_key.salt)
    return key_file.with_passphrase(data_key, passphrase, params)


class _Damage(ValueError):
    """What is wrong with a key file, in Dutch."""


def read_key_file(path: Path) -> KeyFile:
    """Parse ``path``; raises KeyFileMissing or KeyFileDamaged (never WrongPassphrase)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise KeyFileMissing(path) from exc
    except OSError as exc:
        raise KeyFileDamaged(path, os_reason(exc)) from exc
    try:
        if not raw.strip():
            raise _Damage("het bestand is leeg")
        content = json.loads(raw.decode("utf-8"))
        if not isinstance(content, dict) or content.get("format") != FORMAT:
            raise _Damage("geen klachtdesk-sleutelbestand")
        if content.get("checksum") != _checksum(content):
            raise _Damage("de controlesom klopt niet")
        if content.get("version") != FORMAT_VERSION:
            raise _Damage(f"onbekende versie {content.get('version')}")
        slots = content["slots"]
        for name, entry in slots.items():
            _unb64(entry["nonce"]), _unb64(entry["ciphertext"]), _unb64(entry["salt"])
            if name == PASSPHRASE_SLOT:
                int(entry["time_cost"]), int(entry["memory_cost_kib"]), int(entry["parallelism"])
        if PASSPHRASE_SLOT not in slots:
            raise _Damage("er ontbreekt een deel")
        key_file = KeyFile(
            str(uuid.UUID(content["register_id"])), bytes.fromhex(content["database_salt"]), slots
        )
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        # Only klachtdesk's own reasons are shown: Python's (JSON, UTF-8, base64) are English.
        raise KeyFileDamaged(path, str(exc) if isinstance(exc, _Damage) else "") from exc
    if len(key_file.database_salt) != SALT_SIZE:
        raise KeyFileDamaged(path)
    return key_file


def write_key_file(path: Path, key_file: KeyFile) -> None:
    """Replace ``path`` and its fallback copy ``<name>.prev`` atomically with ``key_file``.

    Both temporary files are written and flushed before anything is renamed, so a full disk or
    missing rights raise :class:`KeyFileNotWritten` with both files as they were and no
    temporary file left behind.
    """
    previous = path.with_name(path.name + ".prev")
    temporaries = [path.with_name(path.name + ".tmp"), previous.with_name(previous.name + ".tmp")]
    data = key_file.to_json().encode("utf-8")
    try:
        for temporary in temporaries:
            _write_flushed(temporary, data)
        os.replace(temporaries[0], path)
        try:
            os.replace(temporaries[1], previous)
        except OSError:
            # Never leave a fallback with the old slots beside the new key file.
            previous.unlink(missing_ok=True)
            raise
        fsync_directory(path.parent)
    except OSError as exc:
        for temporary in temporaries:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
        raise KeyFileNotWritten(path, exc) from exc


def _write_flushed(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    try:
        written = 0
        while written < len(data):
            written += os.write(fd, data[written:])
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_directory(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a directory; its renames are durable enough
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def unwrap_sqlcipher_key(key_file: Path, passphrase: str) -> str:
    """The SQLCipher key string of the register whose key file is ``key_file``."""
    return read_key_file(key_file).unwrap_with_passphrase(passphrase).sqlcipher_key


def unwrap_with_recovery_key(key_file: Path, recovery_key: str) -> str:
    """As :func:`unwrap_sqlcipher_key`, with the recovery key."""
    return read_key_file(key_file).unwrap_with_recovery_key(recovery_key).sqlcipher_key


def data_key_from_sqlcipher_key(sqlcipher_key: str) -> DataKey:
    raw = bytes.fromhex(sqlcipher_key[2:-1])
    return DataKey(raw[:DATA_KEY_SIZE], raw[DATA_KEY_SIZE:])


class _Derivation:
    """An Argon2id derivation running on a thread of its own."""

    def __init__(self, passphrase: str, salt: bytes, params: Argon2Params) -> None:
        self.done = threading.Event()
        self.key: bytes | None = None
        self.error: BaseException | None = None
        threading.Thread(
            target=self._run, args=(passphrase, salt, params), name="argon2", daemon=True
        ).start()

    def _run(self, passphrase: str, salt: bytes, params: Argon2Params) -> None:
        try:
            self.key = _derive(passphrase, salt, params)
        except BaseException as exc:  # handed to whoever waits for the key
            self.error = exc
        finally:
            self.done.set()

    def result(self) -> bytes:
        self.done.wait()
        if self.error is not None:
            raise self.error
        assert self.key is not None
        return self.key


_AHEAD: dict[tuple[bytes, bytes, Argon2Params], _Derivation] = {}
_AHEAD_LOCK = threading.Lock()


def _ahead_key(
    passphrase: str, salt: bytes, params: Argon2Params
) -> tuple[bytes, bytes, Argon2Params]:
    digest = hashlib.sha256(passphrase.encode("utf-8", "surrogatepass")).digest()
    return digest, salt, params


def derive_ahead(key_path: Path, passphrase: str) -> None:
    """Start the slow key derivation for ``passphrase`` on ``key_path``'s passphrase slot on
    a thread of its own, so that it runs while the program loads its window (Argon2id's C
    code leaves Python free meanwhile). The next unwrapping with the same passphrase and
    slot takes the result, once; it does nothing else. A key file that cannot be read, or an
    unusable passphrase, is left for the unwrapping to report."""
    try:
        require_usable_passphrase(passphrase)
        salt, params = read_key_file(key_path).passphrase_slot_kdf()
    except (UserError, KeyError, ValueError):
        return
    key = _ahead_key(passphrase, salt, params)
    with _AHEAD_LOCK:
        if key not in _AHEAD:
            _AHEAD[key] = _Derivation(passphrase, salt, params)


def _argon2(passphrase: str, salt: bytes, params: Argon2Params) -> bytes:
    require_usable_passphrase(passphrase)
    with _AHEAD_LOCK:
        ahead = _AHEAD.pop(_ahead_key(passphrase, salt, params), None)
    if ahead is not None:
        return ahead.result()
    return _derive(passphrase, salt, params)


def _derive(passphrase: str, salt: bytes, params: Argon2Params) -> bytes:
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def _hkdf(secret: bytes, salt: bytes) -> bytes:
    derived = HKDF(secret, 32, salt, SHA256, context=b"klachtdesk recovery slot")
    assert isinstance(derived, bytes)
    return derived


# AES-256-GCM with a 12-byte nonce and a 16-byte tag appended to the ciphertext (the layout of
# RFC 5116 and of `cryptography`'s AESGCM, which the tests use to check the two agree).
_TAG_LENGTH = 16


def _aes_gcm_seal(key: bytes, nonce: bytes, plaintext: bytes, associated: bytes) -> bytes:
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce, mac_len=_TAG_LENGTH)
    cipher.update(associated)
    ciphertext, tag = cipher.encrypt_and_digest(plaintext)
    return ciphertext + tag


def _aes_gcm_open(key: bytes, nonce: bytes, sealed: bytes, associated: bytes) -> bytes | None:
    """The plaintext, or None when the key is wrong or anything was changed."""
    if len(sealed) < _TAG_LENGTH:
        return None
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce, mac_len=_TAG_LENGTH)
    cipher.update(associated)
    try:
        return cipher.decrypt_and_verify(sealed[:-_TAG_LENGTH], sealed[-_TAG_LENGTH:])
    except ValueError:
        return None
