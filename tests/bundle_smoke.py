"""Smoke test of the built bundle itself (not the source), run by tools/run-tests after the
PyInstaller build:  python tests/bundle_smoke.py dist/klachtdesk

It makes a demo register with the frozen program, checks it, starts the window offscreen
and stops it with SIGTERM, and verifies nothing was written outside the data folder.
Prints 'N passed, N failed'.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PASSPHRASE = "bundel-wachtwoord"
BUDGET = 150_000_000  # bytes: issue #6's 150 MB on Linux


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def main() -> int:
    bundle = Path(sys.argv[1]).resolve()
    program = bundle / ("klachtdesk.exe" if os.name == "nt" else "klachtdesk")
    home = Path(tempfile.mkdtemp(prefix="klachtdesk-bundle-home-"))
    data = home / "register"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TMPDIR": str(home / "tmp"),
        "KLACHTDESK_PASSPHRASE": PASSPHRASE,
        "QT_QPA_PLATFORM": "offscreen",
        "KLACHTDESK_REPORT_STARTUP": "1",
    }
    (home / "tmp").mkdir()
    bundle_before = {p: p.stat().st_mtime for p in files_under(bundle)}
    results: list[tuple[str, bool, str]] = []

    def check(name: str, test: Callable[[], str]) -> None:
        try:
            results.append((name, True, test()))
        except Exception as exc:  # report every check, then fail
            results.append((name, False, str(exc)))

    def version() -> str:
        out = subprocess.run(
            [program, "--version"], env=env, capture_output=True, text=True, timeout=120
        )
        assert out.returncode == 0 and out.stdout.startswith("klachtdesk "), out
        return out.stdout.strip()

    def demo() -> str:
        started = time.perf_counter()
        out = subprocess.run(
            [program, "--data-dir", str(data), "demo", "--count", "200"],
            env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert out.returncode == 0 and "200 fictieve klachten" in out.stdout, out
        return f"{time.perf_counter() - started:.1f} s"

    def register_check() -> str:
        out = subprocess.run(
            [program, "--data-dir", str(data), "check"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert out.returncode == 0 and "Register in orde: 200 dossiers" in out.stdout, out
        return out.stdout.strip()

    def window() -> str:
        started = time.perf_counter()
        process = subprocess.Popen(
            [program, "--data-dir", str(data)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stderr is not None
        line = ""
        deadline = time.monotonic() + 120
        while "window shown" not in line:
            assert time.monotonic() < deadline, "no window within 120 s"
            line = process.stderr.readline()
            assert line or process.poll() is None, f"exited early: {process.returncode}"
        shown = time.perf_counter() - started
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
        assert code == 0, f"exit code {code}: {process.stderr.read()[-2000:]}"
        return f"{line.strip()} (process start to window: {shown * 1000:.0f} ms), SIGTERM → exit 0"

    def recovery_key() -> str:
        """The frozen key file code end to end: a recovery key written to a PDF (HKDF and
        AES-GCM), read back, then used to set a new passphrase (Argon2id)."""
        import re

        from pypdf import PdfReader

        sheet = data / "herstelsleutel.pdf"
        run = {"env": env, "capture_output": True, "text": True, "timeout": 300}
        out = subprocess.run(
            [program, "--data-dir", str(data), "recovery-key", "--out", str(sheet)], **run
        )
        assert out.returncode == 0 and sheet.exists(), out
        text = "".join(page.extract_text() for page in PdfReader(sheet).pages)
        found = re.search(r"(?:[0-9A-Z]{4}[ -]){7}[0-9A-Z]{4}", text)
        assert found, text[:500]
        renewed = {
            **env,
            "KLACHTDESK_RECOVERY_KEY": found.group(0),
            "KLACHTDESK_NEW_PASSPHRASE": "een nieuw wachtwoord voor de bundel",
        }
        out = subprocess.run(
            [program, "--data-dir", str(data), "recover"], **{**run, "env": renewed}
        )
        assert out.returncode == 0, out
        checked = subprocess.run(
            [program, "--data-dir", str(data), "check"],
            **{
                **run,
                "env": {**env, "KLACHTDESK_PASSPHRASE": renewed["KLACHTDESK_NEW_PASSPHRASE"]},
            },
        )
        assert checked.returncode == 0 and "Register in orde" in checked.stdout, checked
        return f"recovery key {found.group(0)[:4]}-… opened the register, new passphrase works"

    def export_xlsx() -> str:
        """The frozen openpyxl (on the trimmed lxml): `klachtdesk export` writes a workbook
        that reads back with the 200 demo dossiers and no complainant's name."""
        from openpyxl import load_workbook

        book_path = data / "export.xlsx"
        out = subprocess.run(
            [program, "--data-dir", str(data), "export", "--format", "xlsx", "--out",
             str(book_path)],
            env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert out.returncode == 0 and "200 dossiers geëxporteerd" in out.stdout, out
        book = load_workbook(book_path, read_only=True)
        rows = list(book["Dossiers"].iter_rows(values_only=True))
        book.close()
        assert rows[0][:2] == ("Referentie", "Ontvangen op") and len(rows) == 201, rows[:2]
        assert all(type(row[1]).__name__ == "datetime" for row in rows[1:]), rows[1]
        csv_path = data / "export.csv"
        out = subprocess.run(
            [program, "--data-dir", str(data), "export", "--format", "csv", "--out",
             str(csv_path), "--with-personal-data"],
            env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert out.returncode == 0, out
        assert csv_path.read_text(encoding="utf-8-sig").startswith("Bevat persoonsgegevens")
        return f"{len(rows) - 1} dossiers in the workbook; CSV with personal data says so"

    def docx_and_phone_data() -> str:
        """The frozen python-docx (header, footer, table) and the slimmed phone data."""
        from docx import Document

        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from klachtdesk.procedure.intake import phone_hint

        folder = data / "probe"
        folder.mkdir()
        out = subprocess.run(
            [program], env={**env, "KLACHTDESK_BUNDLE_PROBE": str(folder)},
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert out.returncode == 0, out
        document = Document(str(folder / "probe.docx"))
        text = [p.text for p in document.paragraphs]
        assert "Jaarverslag klachtenbehandeling 2026" in text, text
        assert document.tables[0].cell(1, 0).text == "Niet ontvankelijk"
        assert document.sections[0].header.paragraphs[0].text.startswith("Gemeente Herent")
        answers = json.loads((folder / "probe.json").read_text(encoding="utf-8"))
        for question, answer in answers.items():
            assert answer == phone_hint(question.removeprefix("hint ")), (question, answer)
        assert "zone Antwerpen" in answers["hint 03 123 45 67"], answers
        return "DOCX with header, footer and table read back; Belgian zone hint as unfrozen"

    def wrote_nothing_elsewhere() -> str:
        written = {p.relative_to(home) for p in files_under(home)}
        outside = sorted(str(p) for p in written if p.parts[0] != "register")
        assert not outside, f"written outside the data folder: {outside}"
        changed = [p for p in files_under(bundle) if bundle_before.get(p) != p.stat().st_mtime]
        assert not changed, f"written next to the program: {changed[:5]}"
        return f"{len(written)} files, all in the data folder"

    def size() -> str:
        # Shared libraries also appear as symlinks at the top of _internal: count them once.
        total = sum(p.lstat().st_size for p in files_under(bundle) if not p.is_symlink())
        assert total <= BUDGET, f"{total / 1e6:.1f} MB, over the {BUDGET / 1e6:.0f} MB budget"
        return f"{total / 1e6:.1f} MB ({total / 2**20:.1f} MiB), budget {BUDGET / 1e6:.0f} MB"

    def icu() -> str:
        """Qt's ICU in the bundle runs on the slimmed data: Dutch is there, Japanese is not."""
        folder = bundle / "_internal" / "PySide6" / "Qt" / "lib"
        out = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("icu_probe.py")), str(folder)],
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        answers = json.loads(out.stdout)
        assert answers["locales"]["nl_BE"] == "U_ZERO_ERROR", answers
        assert answers["locales"]["ja"] == "U_USING_DEFAULT_WARNING", answers
        assert answers["converters"]["ISO-8859-15"] == "U_ZERO_ERROR", answers
        assert answers["nl_BE sorted"][:3] == ["Émile", "eva", "Eva"], answers
        return f"nl_BE collation sorts {', '.join(answers['nl_BE sorted'])}; ja falls back to root"

    checks: list[tuple[str, Callable[[], str]]] = [("size", size)]
    if sys.platform.startswith("linux"):
        checks.append(("ICU data (slimmed)", icu))
    for name, test in (
        *checks,
        ("--version", version),
        ("demo --count 200", demo),
        ("check", register_check),
        ("window offscreen, SIGTERM", window),
        ("export to XLSX and CSV", export_xlsx),
        ("DOCX and phone data in the frozen program", docx_and_phone_data),
        ("recovery key", recovery_key),
        ("nothing written outside the data folder", wrote_nothing_elsewhere),
    ):
        check(name, test)
    for name, ok, detail in results:
        print(f"{'PASS' if ok else 'FAIL'} bundle: {name}: {detail}")
    failed = sum(1 for _, ok, _ in results if not ok)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
