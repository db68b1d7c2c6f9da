"""Cells that a spreadsheet shows, never runs.

Excel, LibreOffice and Google Sheets take a CSV cell that begins with `=`, `+`, `-` or `@` (or
a tab or carriage return before one) for a formula, and a workbook's text cell that begins
with `=` for one too when it is written as a formula. Names in exports come from gazetteer
files and corrections: a settlement called `=HYPERLINK(...)` must reach leadership's
spreadsheet as that text, not as a link or a command (CSV injection, CWE-1236)."""

from __future__ import annotations

from typing import Any

# before a CSV's first byte: without it Excel reads UTF-8 as the system's code page, and every
# Cyrillic name comes out garbled
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula behind an apostrophe, which it shows
    as text (OWASP's advice); everything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def is_formula_like(value: Any) -> bool:
    """Whether a workbook library would write this text as a formula (openpyxl does for `=`)."""
    return isinstance(value, str) and value.startswith("=")
