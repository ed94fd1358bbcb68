"""Start-up loads no library that only some actions need (issue 14).

ReportLab (with its fonts), QtPdf, pypdf, phonenumbers (with its geographic data), email-validator
and zxcvbn together took about a quarter of a second of every start. They are imported where
they are first needed: making a letter, showing or printing a PDF, checking a phone number or
an e-mail address, judging a new passphrase. These tests keep a top-level import of one of
them from silently coming back.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

DEFERRED = (
    "reportlab",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "phonenumbers",
    "email_validator",
    "zxcvbn",
    "pypdf",
)

#: What ``klachtdesk`` (without a command) imports before its window is on screen.
START_PATH = ("klachtdesk.cli", "klachtdesk.app", "klachtdesk.ui.main_window")


def loaded_after(code: str) -> list[str]:
    """The DEFERRED modules loaded by a fresh interpreter after running ``code``."""
    probe = "\n".join(
        [
            code,
            "import sys",
            f"print(' '.join(m for m in {DEFERRED!r} if m in sys.modules))",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_start_path_imports_none_of_the_deferred_libraries() -> None:
    assert loaded_after("\n".join(f"import {name}" for name in START_PATH)) == []


def test_the_returned_form_service_loads_neither_reportlab_nor_pypdf_until_used() -> None:
    # The window imports it to take a dropped form; the form is read (pypdf) only then.
    assert loaded_after("import klachtdesk.services.handler_form") == []


@pytest.mark.parametrize(
    ("code", "library"),
    [
        ("import klachtdesk.letters.layout", "reportlab"),
        (
            "from klachtdesk.procedure.intake import normalize_phone\n"
            "normalize_phone('0478 12 34 56')",
            "phonenumbers",
        ),
        (
            "from klachtdesk.procedure.intake import normalize_email\n"
            "normalize_email('jan@example.be')",
            "email_validator",
        ),
        (
            "from klachtdesk.services.security import passphrase_strength\n"
            "passphrase_strength('correct paard batterij nietje')",
            "zxcvbn",
        ),
        (
            "from PySide6.QtWidgets import QApplication\n"
            "from klachtdesk.ui.printing import load_pdf\n"
            "app = QApplication([])\n"
            "load_pdf(b'%PDF-1.4')",
            "PySide6.QtPdf",
        ),
        (
            "from klachtdesk.services.handler_form import FormRefused, read_returned\n"
            "try:\n    read_returned(b'%PDF-1.4', 'x.pdf')\nexcept FormRefused:\n    pass",
            "pypdf",
        ),
    ],
)
def test_a_deferred_library_loads_where_it_is_first_needed(code: str, library: str) -> None:
    """The probe sees an import when there is one (so the test above can fail)."""
    assert library in loaded_after(code)
