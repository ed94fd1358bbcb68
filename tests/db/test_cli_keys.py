"""`klachtdesk passphrase`, `recovery-key`, `recover` and `check` as an administrator runs
them: a real process on a real register."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

from pypdf import PdfReader

from klachtdesk.models import DB_FILENAME, KEY_FILENAME, create_register
from klachtdesk.services.context import ServiceContext

from .conftest import PASSPHRASE
from .test_cli import run as cli
from .test_register import _register_one

NEW = "ander geheim voor de kluis"
NEWER = "derde zin over de Dijlevallei"


def run(data_dir: Path, *args: str, **env_values: str) -> subprocess.CompletedProcess[str]:
    return cli(*args, passphrase=None, data_dir=data_dir, **env_values)


def _key_in(pdf: Path) -> str:
    text = PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    found = re.search(r"((?:[0-9A-Z]{4}\s+){7}[0-9A-Z]{4})", text)
    assert found, text
    return "-".join(found.group(1).split())


def test_passphrase_recovery_key_and_recover(
    data_dir: Path, tmp_path: Path, ctx: ServiceContext
) -> None:
    with create_register(data_dir, PASSPHRASE):
        _register_one(ctx)
    db_before = (data_dir / DB_FILENAME).read_bytes()

    weak = run(
        data_dir,
        "passphrase",
        KLACHTDESK_PASSPHRASE=PASSPHRASE,
        KLACHTDESK_NEW_PASSPHRASE="aaaaaaaa",
    )
    assert weak.returncode == 1 and "te zwak" in weak.stderr and "Herhalingen" in weak.stderr
    wrong = run(
        data_dir,
        "passphrase",
        KLACHTDESK_PASSPHRASE="fout fout fout",
        KLACHTDESK_NEW_PASSPHRASE=NEW,
    )
    assert wrong.returncode == 1 and "wachtwoord is niet juist" in wrong.stderr
    changed = run(
        data_dir, "passphrase", KLACHTDESK_PASSPHRASE=PASSPHRASE, KLACHTDESK_NEW_PASSPHRASE=NEW
    )
    assert changed.returncode == 0, changed.stderr
    assert "gewijzigd" in changed.stdout
    # Nothing re-encrypted: the register file itself is the same (the event went to the WAL,
    # and was checkpointed into new pages only).
    assert (data_dir / DB_FILENAME).read_bytes()[:4096] == db_before[:4096]
    old = run(data_dir, "check", KLACHTDESK_PASSPHRASE=PASSPHRASE)
    assert old.returncode == 1 and "wachtwoord is niet juist" in old.stderr
    assert run(data_dir, "check", KLACHTDESK_PASSPHRASE=NEW).returncode == 0

    first_pdf, second_pdf = tmp_path / "sleutel1.pdf", tmp_path / "sleutel2.pdf"
    made = run(data_dir, "recovery-key", "--out", str(first_pdf), KLACHTDESK_PASSPHRASE=NEW)
    assert made.returncode == 0, made.stderr
    first = _key_in(first_pdf)
    assert first not in made.stdout  # the PDF is the only place the key is written
    assert first.replace("-", "") not in (data_dir / KEY_FILENAME).read_text()
    made = run(data_dir, "recovery-key", "--out", str(second_pdf), KLACHTDESK_PASSPHRASE=NEW)
    assert made.returncode == 0, made.stderr
    second = _key_in(second_pdf)
    assert second != first

    refused = run(
        data_dir, "recover", KLACHTDESK_RECOVERY_KEY=first, KLACHTDESK_NEW_PASSPHRASE=NEWER
    )
    assert refused.returncode == 1 and "herstelsleutel" in refused.stderr
    assert "wachtwoord is niet juist" not in refused.stderr
    recovered = run(
        data_dir, "recover", KLACHTDESK_RECOVERY_KEY=second.lower(), KLACHTDESK_NEW_PASSPHRASE=NEWER
    )
    assert recovered.returncode == 0, recovered.stderr
    assert run(data_dir, "check", KLACHTDESK_PASSPHRASE=NEW).returncode == 1
    checked = run(data_dir, "check", KLACHTDESK_PASSPHRASE=NEWER)
    assert checked.returncode == 0 and "Register in orde: 1 dossier," in checked.stdout


def test_recovery_key_with_a_wrong_passphrase_leaves_no_pdf(data_dir: Path, tmp_path: Path) -> None:
    create_register(data_dir, PASSPHRASE).close()
    out = tmp_path / "sleutel.pdf"
    result = run(
        data_dir, "recovery-key", "--out", str(out), KLACHTDESK_PASSPHRASE="fout fout fout"
    )
    assert result.returncode == 1 and "niet juist" in result.stderr
    assert not out.exists()
    unwritable = run(
        data_dir,
        "recovery-key",
        "--out",
        str(tmp_path / "geen" / "map.pdf"),
        KLACHTDESK_PASSPHRASE=PASSPHRASE,
    )
    assert unwritable.returncode == 1 and "niets gewijzigd" in unwritable.stderr


def test_check_says_damaged_for_a_flipped_byte_in_page_one(
    data_dir: Path, ctx: ServiceContext
) -> None:
    with create_register(data_dir, PASSPHRASE):
        _register_one(ctx)
    path = data_dir / DB_FILENAME
    content = bytearray(path.read_bytes())
    content[2000] ^= 0x20
    path.write_bytes(bytes(content))
    result = run(data_dir, "check", KLACHTDESK_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 1
    assert "beschadigd" in result.stderr and "reservekopie" in result.stderr
    assert "niet juist" not in result.stderr and "Traceback" not in result.stderr
    wrong = run(data_dir, "check", KLACHTDESK_PASSPHRASE="fout fout fout")
    assert wrong.returncode == 1 and "wachtwoord is niet juist" in wrong.stderr


def test_check_names_a_missing_key_file(data_dir: Path) -> None:
    create_register(data_dir, PASSPHRASE).close()
    (data_dir / KEY_FILENAME).unlink()
    result = run(data_dir, "check", KLACHTDESK_PASSPHRASE=PASSPHRASE)
    assert (
        result.returncode == 1
        and "sleutelbestand" in result.stderr
        and "ontbreekt" in result.stderr
    )
