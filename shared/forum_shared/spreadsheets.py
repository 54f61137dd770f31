"""Cells of CSV files that people open in a spreadsheet. A spreadsheet runs a cell that starts
with = + - @ (or a tab or carriage return) as a formula, so a name typed as `=HYPERLINK(…)` could
act on the reader's machine: such a cell is written with a leading apostrophe, as plain text."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
