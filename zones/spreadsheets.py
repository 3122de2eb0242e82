"""Tables meant to be opened in a spreadsheet, written so that no cell can run as a formula.

A spreadsheet takes a cell beginning with ``=``, ``+``, ``-`` or ``@`` for a formula (tab and
carriage return can hide such a start), so a zone code such as ``=HYPERLINK("//e.io","x")`` would
become a link, or worse, in the reader's hands. Following OWASP's rule, such text is prefixed with
a single quote, which spreadsheets read as "this is text"; numbers, negative ones included, are
left as numbers. In an XLSX file every text is written as a text cell (never a formula) and those
same cells are marked quote-prefixed, which is the file format's own way of saying it.

Every CSV or XLSX written for people goes through ``cell`` (or the writers below). The bundle's
CSV files do not: they are an exact machine format (docs/bundle.md).

A CSV file for people is UTF-8 with a byte order mark (``SPREADSHEET_ENCODING``): without one, Excel
reads a CSV in the computer's legacy code page and turns Cyrillic names into mojibake; LibreOffice
and Python's ``utf-8-sig`` take the mark as "this is UTF-8". What machines read (the bundle, the
ledger's export, ``check_compliance`` on standard output) carries no mark.
"""

import csv
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import openpyxl

SPREADSHEET_ENCODING = "utf-8-sig"  # encoding with it writes the byte order mark first
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Text that a spreadsheet reads as a plain number is harmless, and prefixing it would make it text.
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value)


def cell(value: Any) -> Any:
    """``value`` as a spreadsheet will take it for data, never for a formula."""
    return "'" + value if is_formula_like(value) else value


def write_csv(handle: IO[str], columns: list[str], rows: Iterable[dict]) -> None:
    """A header and one line per row (missing keys empty), every text cell made inert."""
    writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: cell(value) for key, value in row.items()} for row in rows)


def write_xlsx(path: Path, sheet: str, columns: list[str], rows: Iterable[dict]) -> None:
    """One sheet, a header row and one row per row; text is always a text cell, never a formula."""
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for number, values in enumerate([dict(zip(columns, columns)), *rows], start=1):
        for column, name in enumerate(columns, start=1):
            target = worksheet.cell(number, column, values.get(name))
            if isinstance(target.value, str):
                target.data_type = "s"  # openpyxl stores text beginning with "=" as a formula otherwise
                target.quotePrefix = is_formula_like(target.value)
    workbook.save(path)
