"""Text as a file's cell can hold it: the report's PDF/DOCX/XLSX and the register's export.

A department name from an imported sheet or a description pasted from an e-mail may hold
control characters (ESC, BEL, NUL) or a lone surrogate: XML (DOCX, XLSX) cannot carry them and
a spreadsheet shows them as garbage. And a text starting with '=' must stay text: openpyxl
writes it as a live formula otherwise (formula injection).
"""

from __future__ import annotations

from typing import Any

# What XML 1.0 cannot carry (tab, line feed and carriage return it can), and the code points no
# UTF-8 file can hold (a lone surrogate) or XML forbids: the procedure's one definition.
from klachtdesk.procedure.text_limits import (
    has_forbidden_characters,
    without_forbidden_characters,
)

__all__ = ["REPLACEMENT", "clean_text", "force_text", "has_forbidden_characters"]
#: Shown instead of a character that cannot be written, visibly rather than silently gone.
REPLACEMENT = "\ufffd"


def clean_text(text: str) -> str:
    """``text`` without control characters; a lone surrogate shows as :data:`REPLACEMENT`."""
    return without_forbidden_characters(text)


#: A spreadsheet cell starting with '=' is a formula to openpyxl.
def is_formula_like(text: str) -> bool:
    return text.startswith("=")


def force_text(cell: Any) -> Any:
    """Make an openpyxl cell (ordinary or write-only) whose value is a formula-like text a
    text cell: Excel then shows '=HYPERLINK(...)' as written, never evaluates it."""
    if isinstance(cell.value, str) and is_formula_like(cell.value):
        cell.data_type = "s"
    return cell
