"""The register's keys as the coordinator sees them: passphrase strength, changing the
passphrase, the recovery key (making one, its PDF, opening the register with it).

The data key itself never changes here: a new passphrase or recovery key only re-wraps it
in the key file (``models/keyfile.py``), so nothing is re-encrypted and it takes as long as
one Argon2id derivation. Secrets never reach the audit trail.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from klachtdesk.models import (
    MIN_PASSPHRASE_LENGTH,
    Register,
    WeakPassphrase,
    create_register,
    current_register,
    database,
    open_register_with_key,
    replace_key_file,
    require_usable_passphrase,
)
from klachtdesk.models.keyfile import (
    new_recovery_key,
    new_register_id,
    os_reason,
    recovery_key_groups,
)
from klachtdesk.procedure import UserError

from .audit import append_event
from .context import ServiceContext
from .setup import Coordinator, Municipality, coordinator, municipality

#: zxcvbn's score (0–4) a passphrase needs: 3 is "safely unguessable" for an offline attack
#: slowed down by a memory-hard key derivation.
MIN_SCORE = 3
#: zxcvbn refuses longer input; a longer passphrase is at least as strong as its first part.
ZXCVBN_MAX = 72

VERDICTS = ("zeer zwak", "zwak", "matig", "sterk", "zeer sterk")

# zxcvbn's English warnings and suggestions, in Dutch; anything else gets GENERIC_ADVICE.
DUTCH_FEEDBACK = {
    "Use a few words, avoid common phrases.": (
        "Gebruik een paar woorden, maar geen bekende uitdrukking."
    ),
    "No need for symbols, digits, or uppercase letters.": (
        "Symbolen, cijfers of hoofdletters zijn niet nodig."
    ),
    "Add another word or two. Uncommon words are better.": (
        "Voeg nog een of twee woorden toe; ongewone woorden zijn beter."
    ),
    "Straight rows of keys are easy to guess.": (
        "Toetsen die naast elkaar op het klavier liggen, zijn makkelijk te raden."
    ),
    "Short keyboard patterns are easy to guess.": (
        "Korte patronen op het klavier zijn makkelijk te raden."
    ),
    "Use a longer keyboard pattern with more turns.": (
        "Gebruik geen klavierpatroon, of een veel langer met meer bochten."
    ),
    'Repeats like "aaa" are easy to guess.': (
        "Herhalingen zoals ‘aaa’ of acht spaties zijn makkelijk te raden."
    ),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': (
        "Herhalingen zoals ‘abcabcabc’ zijn nauwelijks moeilijker te raden dan ‘abc’."
    ),
    "Avoid repeated words and characters.": "Vermijd herhaalde woorden en tekens.",
    'Sequences like "abc" or "6543" are easy to guess.': (
        "Reeksen zoals ‘abc’ of ‘6543’ zijn makkelijk te raden."
    ),
    "Avoid sequences.": "Vermijd reeksen.",
    "Recent years are easy to guess.": "Recente jaartallen zijn makkelijk te raden.",
    "Avoid recent years.": "Vermijd recente jaartallen.",
    "Avoid years that are associated with you.": "Vermijd jaartallen die met u te maken hebben.",
    "Dates are often easy to guess.": "Datums zijn vaak makkelijk te raden.",
    "Avoid dates and years that are associated with you.": (
        "Vermijd datums en jaartallen die met u te maken hebben."
    ),
    "This is a top-10 common password.": "Dit is een van de tien meest gebruikte wachtwoorden.",
    "This is a top-100 common password.": "Dit is een van de honderd meest gebruikte wachtwoorden.",
    "This is a very common password.": "Dit is een veel gebruikt wachtwoord.",
    "This is similar to a commonly used password.": ("Dit lijkt op een veel gebruikt wachtwoord."),
    "A word by itself is easy to guess.": "Eén woord alleen is makkelijk te raden.",
    "Names and surnames by themselves are easy to guess.": (
        "Voor- en familienamen alleen zijn makkelijk te raden."
    ),
    "Common names and surnames are easy to guess.": (
        "Veel voorkomende voor- en familienamen zijn makkelijk te raden."
    ),
    "Capitalization doesn't help very much.": "Een hoofdletter vooraan helpt nauwelijks.",
    "All-uppercase is almost as easy to guess as all-lowercase.": (
        "Alles in hoofdletters is bijna even makkelijk te raden als alles in kleine letters."
    ),
    "Reversed words aren't much harder to guess.": (
        "Achterstevoren geschreven woorden zijn nauwelijks moeilijker te raden."
    ),
    "Predictable substitutions like '@' instead of 'a' don't help very much.": (
        "Voorspelbare vervangingen zoals ‘@’ voor ‘a’ helpen nauwelijks."
    ),
}
GENERIC_ADVICE = "Kies een langere zin van vier of meer gewone woorden die niet samen horen."


@dataclass(frozen=True)
class PassphraseStrength:
    score: int  # 0 (zeer zwak) to 4 (zeer sterk)
    acceptable: bool
    feedback: tuple[str, ...]  # Dutch

    @property
    def verdict(self) -> str:
        return VERDICTS[self.score]

    def summary(self) -> str:
        """'Sterkte: zwak. Voeg nog ...' — what the passphrase fields show as one types; it
        never calls a passphrase strong that the check refuses."""
        short = not self.acceptable and self.score >= MIN_SCORE  # strong, but too few characters
        verdict = "te kort" if short else self.verdict
        return " ".join((f"Sterkte: {verdict}.", *self.feedback))


def _dutch(text: str) -> str:
    return DUTCH_FEEDBACK.get(" ".join(text.split()), GENERIC_ADVICE)


def passphrase_strength(passphrase: str, *, personal: tuple[str, ...] = ()) -> PassphraseStrength:
    """zxcvbn's estimate, with its advice in Dutch. ``personal``: words an attacker would try
    first (the municipality, the coordinator's name)."""
    if not passphrase:
        return PassphraseStrength(0, False, ("Kies een wachtwoord.",))
    try:
        require_usable_passphrase(passphrase)
    except UserError as exc:
        return PassphraseStrength(0, False, (exc.message,))
    from zxcvbn import zxcvbn  # its dictionaries load on the first passphrase typed, not at start

    result = zxcvbn(passphrase[:ZXCVBN_MAX], user_inputs=[w for w in personal if w])
    score = int(result["score"])
    feedback: list[str] = []
    for text in [result["feedback"]["warning"], *result["feedback"]["suggestions"]]:
        if text and _dutch(text) not in feedback:
            feedback.append(_dutch(text))
    too_short = len(passphrase) < MIN_PASSPHRASE_LENGTH
    if too_short:
        feedback.insert(0, f"Gebruik minstens {MIN_PASSPHRASE_LENGTH} tekens.")
    acceptable = score >= MIN_SCORE and not too_short
    if not acceptable and not feedback:
        feedback.append(GENERIC_ADVICE)
    return PassphraseStrength(score, acceptable, tuple(feedback))


def require_strong_passphrase(passphrase: str, *, personal: tuple[str, ...] = ()) -> None:
    """Raise WeakPassphrase, with zxcvbn's advice in Dutch, unless the passphrase is strong."""
    require_usable_passphrase(passphrase)
    strength = passphrase_strength(passphrase, personal=personal)
    if not strength.acceptable:
        raise WeakPassphrase(
            f"Dit wachtwoord is te zwak ({strength.verdict}). " + " ".join(strength.feedback)
        )


def personal_words() -> tuple[str, ...]:
    """The words of this register an attacker would try first: its municipality and city, its
    coordinator's name (each passphrase check, and the strength shown as one types, use them)."""
    town, me = municipality(), coordinator()
    return words_of(town, me)


def words_of(town: Municipality | None, me: Coordinator | None) -> tuple[str, ...]:
    words = [town.name, town.city] if town else []
    if me:
        words.append(me.name)
    return tuple(w for w in words if w)


# --- the recovery key -----------------------------------------------------------------------


@dataclass(frozen=True)
class NewRegisterKeys:
    """Made before the register exists (the setup wizard shows the recovery key first)."""

    register_id: str
    recovery_key: str

    @property
    def last_group(self) -> str:
        return recovery_key_groups(self.recovery_key)[-1]


def prepare_new_register() -> NewRegisterKeys:
    return NewRegisterKeys(new_register_id(), new_recovery_key())


def create_new_register(
    folder: Path,
    passphrase: str,
    keys: NewRegisterKeys | None = None,
    *,
    personal: tuple[str, ...] = (),
) -> Register:
    """A new register with a strong passphrase (and, when given, the recovery key shown)."""
    require_strong_passphrase(passphrase, personal=personal)
    if keys is None:
        return create_register(folder, passphrase)
    return create_register(
        folder, passphrase, register_id=keys.register_id, recovery_key=keys.recovery_key
    )


def recovery_key_matches_last_group(recovery_key: str, typed: str) -> bool:
    """The coordinator typed the key's last group (case, spaces and O/0, I/L/1 forgiven)."""
    wanted = recovery_key_groups(recovery_key)[-1]
    cleaned = "".join(typed.split()).replace("-", "").upper()
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    return cleaned == wanted


def needs_recovery_key(register: Register) -> bool:
    """The key file has no recovery slot (an older register, or a postponed one)."""
    return not register.has_recovery_key()


def propose_recovery_key() -> str:
    """A fresh recovery key, not yet stored: show it and make its PDF first, then
    :func:`make_recovery_key` with it, so the old key stays valid until the new one is kept."""
    return new_recovery_key()


def make_recovery_key(
    ctx: ServiceContext, register: Register, recovery_key: str | None = None
) -> str:
    """Store a new recovery key (``recovery_key``, or a fresh one) for ``register``; the
    previous one no longer opens the key file.

    The caller shows it (and its PDF) once: it is stored nowhere else.
    """
    recovery_key = recovery_key or new_recovery_key()
    key_file = register.key_file().with_recovery_key(register.data_key, recovery_key)
    with database.atomic():
        append_event(
            ctx,
            "recovery_key",
            "Nieuwe herstelsleutel gemaakt; de vorige is niet meer geldig",
        )
        # Inside the transaction: if the key file cannot be written, no event says it was.
        replace_key_file(register, key_file)
    register.recovered = False  # the key that was used no longer opens anything
    return recovery_key


def change_passphrase(ctx: ServiceContext, register: Register, old: str, new: str) -> None:
    """Re-wrap the data key under ``new`` (the old passphrase must be right). Nothing is
    re-encrypted: the register file is not touched."""
    key_file = register.key_file()
    key_file.unwrap_with_passphrase(old)  # WrongPassphrase when it is not
    if new == old:
        raise UserError("Het nieuwe wachtwoord is hetzelfde als het huidige.")
    require_strong_passphrase(new, personal=personal_words())
    updated = key_file.with_passphrase(register.data_key, new)
    with database.atomic():
        append_event(ctx, "passphrase", "Wachtwoord van het register gewijzigd")
        replace_key_file(register, updated)


def recover(ctx: ServiceContext, folder: Path, recovery_key: str, new_passphrase: str) -> Register:
    """Open the register in ``folder`` with the recovery key and give it ``new_passphrase``.

    The strength of the new passphrase is checked before anything is opened. The recovery key
    stays valid (make a new one when it may have been seen).
    """
    require_strong_passphrase(new_passphrase)
    register, key_file = open_register_with_key(
        folder, lambda kf: kf.unwrap_with_recovery_key(recovery_key)
    )
    try:
        updated = key_file.with_passphrase(register.data_key, new_passphrase)
        with database.atomic():
            append_event(ctx, "passphrase", "Wachtwoord opnieuw ingesteld met de herstelsleutel")
            replace_key_file(register, updated)
    except BaseException:
        register.close()
        raise
    register.recovered = True
    return register


def recover_locked(
    ctx: ServiceContext, register: Register, recovery_key: str, new_passphrase: str
) -> None:
    """As :func:`recover`, for the register klachtdesk holds locked (after the idle lock)."""
    require_strong_passphrase(new_passphrase)
    key_file = register.unlock_with(lambda kf: kf.unwrap_with_recovery_key(recovery_key))
    try:
        updated = key_file.with_passphrase(register.data_key, new_passphrase)
        with database.atomic():
            append_event(ctx, "passphrase", "Wachtwoord opnieuw ingesteld met de herstelsleutel")
            replace_key_file(register, updated)
    except BaseException:
        register.lock()  # the passphrase was not set: klachtdesk stays locked
        raise


def open_register_now() -> Register:
    """The register klachtdesk works on (for the screens, which hold no Register)."""
    return current_register()


def open_private(path: Path) -> BinaryIO:
    """``path`` opened for writing (emptied), readable by the coordinator's account only: the
    recovery-key sheet holds the key in the clear. Raises OSError."""
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600)
    try:
        if os.name == "posix":
            os.fchmod(fd, 0o600)  # an existing file keeps its mode through O_TRUNC
        return os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        raise


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (see :func:`open_private`); raises UserError in Dutch."""
    try:
        with open_private(path) as file:
            file.write(data)
    except OSError as exc:
        raise UserError(f"Het bestand {path} kon niet bewaard worden: {os_reason(exc)}.") from exc


def recovery_sheet(
    recovery_key: str,
    register_id: str,
    folder: Path,
    day: date,
    town: Municipality | None = None,
    me: Coordinator | None = None,
) -> bytes:
    """The one-page PDF for the safe. Without ``town`` (the setup wizard passes what was
    typed), the municipality and coordinator come from the open register's settings."""
    from klachtdesk.letters.recovery_key import RecoveryKeySheet, recovery_key_pdf  # ReportLab

    if town is None:
        town, me = municipality(), coordinator()
    town = town or Municipality("Klachtenregister")
    return recovery_key_pdf(
        RecoveryKeySheet(
            municipality=town.name,
            street=town.street,
            postal_code=town.postal_code,
            city=town.city,
            coordinator=me.name if me else "",
            register_id=register_id,
            folder=str(folder),
            day=day,
            groups=tuple(recovery_key_groups(recovery_key)),
        )
    )
