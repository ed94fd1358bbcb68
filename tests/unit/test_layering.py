"""The layers point down only: the core runs without Qt (see ARCHITECTURE.md)."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "klachtdesk.procedure",
    "klachtdesk.models",
    "klachtdesk.services.complaints",
    "klachtdesk.services.organisation",
    "klachtdesk.services.settings",
    "klachtdesk.services.check",
    "klachtdesk.services.demo",
    "klachtdesk.services.queries",
    "klachtdesk.cli",
]


def test_core_imports_without_loading_pyside6() -> None:
    """The core modules named above, and every module of services/, letters/ and models/
    (so that a new one is judged without being listed)."""
    code = "\n".join(
        [
            *(f"import {name}" for name in CORE),
            "import importlib, pkgutil",
            "import klachtdesk.letters, klachtdesk.models, klachtdesk.services",
            "for package in (klachtdesk.letters, klachtdesk.models, klachtdesk.services):",
            "    for found in pkgutil.iter_modules(package.__path__, package.__name__ + '.'):",
            "        importlib.import_module(found.name)",
            "import sys",
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))",
            "print(loaded)",
            "sys.exit(1 if loaded else 0)",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_procedure_imports_no_database_code() -> None:
    code = (
        "import sys, klachtdesk.procedure\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('peewee', 'playhouse', 'sqlcipher3', 'PySide6') or m.startswith('klachtdesk.models') "
        "or m.startswith('klachtdesk.services'))\n"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_screen_imports_the_models() -> None:
    """ui/ calls services only (ARCHITECTURE.md): no module in klachtdesk/ui imports
    klachtdesk.models or anything in it, nor the database libraries beneath it, however the
    import is spelled."""
    import ast
    from pathlib import Path

    import klachtdesk.ui

    offenders = []
    for path in sorted(Path(klachtdesk.ui.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from ..models import x, from .. import models
                    base = ".".join(["klachtdesk", *filter(None, [base])])
                names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            else:
                continue
            below = ("klachtdesk.models", "sqlcipher3", "peewee", "playhouse")
            if any(n == b or n.startswith(b + ".") for n in names for b in below):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
