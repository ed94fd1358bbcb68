"""docs/steps.md stays true: the step names are those of procedure.STEPS, the code it names exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from klachtdesk.procedure import STEPS, Action

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "steps.md").read_text(encoding="utf-8")


def test_every_step_is_in_the_table_under_its_own_number_and_name() -> None:
    for action, step in STEPS.items():
        number = step.number if step.number is not None else "any"
        assert f"| {number} | {step.name} |" in DOC, action


def _top_level_names(module: str) -> set[str]:
    path = ROOT.joinpath(*module.split(".")).with_suffix(".py")
    if not path.exists():
        path = ROOT.joinpath(*module.split("."), "__init__.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_every_function_and_class_named_exists() -> None:
    # Read from the source, not imported: the table names screens too (Qt stays out here).
    named = set(re.findall(r"`(klachtdesk(?:\.\w+)+)`", DOC))
    assert len(named) > 40
    missing = []
    for dotted in sorted(named):
        module, _, name = dotted.rpartition(".")
        try:
            if name not in _top_level_names(module):
                missing.append(dotted)
        except FileNotFoundError:
            missing.append(dotted)
    assert missing == []


def test_every_action_has_a_dialog_or_the_wizard() -> None:
    screens = {
        a: re.search(rf"\| {re.escape(a.step.name)} \|.*\| `([\w.]+)` \|$", DOC, re.M)
        for a in Action
    }
    assert all(found is not None for found in screens.values()), screens
