"""Low-level readers of the 2021 study's files: its daily CSVs and its ODS spreadsheet.

Both the catalog (tools and categories) and the store's import (facts) read these files; this
module only turns bytes into rows with line numbers, leaving meaning to its callers. Cells are
untrusted text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element  # type only: parsing goes through defusedxml

from defusedxml import ElementTree as SafeET

from mlops_radar.errors import CatalogError

__all__ = [
    "CSV_COLUMNS_12",
    "CSV_COLUMNS_16",
    "OdsRow",
    "StudyCsv",
    "StudyCsvRow",
    "list_ods_sheets",
    "read_ods_sheet",
    "read_study_csv",
]

CSV_COLUMNS_12 = [
    "gspread_row", "owner", "name", "main_branch", "total_commits", "last_commit_check",
    "fork_count", "stars_count", "watchers_count", "license_name", "primary_language",
    "is_archived",
]  # fmt: skip
CSV_COLUMNS_16 = [
    "gspread_row", "use_area", "tool_name", "repo_owner", "repo_name", "main_branch",
    "total_commits", "last_commit_check", "fork_count", "stars_count", "watchers_count",
    "license_name", "primary_language", "is_archived", "open_issues", "closed_issues",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class StudyCsvRow:
    """One data row of a study CSV, values as written (strings), keyed by the 16-column names."""

    line: int
    values: dict[str, str | None]  # every CSV_COLUMNS_16 name; None where the layout lacks it


@dataclass(frozen=True, slots=True)
class StudyCsv:
    """A whole study CSV: its layout (12 or 16 columns) and rows; `problems` are (line, reason)."""

    path: Path
    layout: int
    rows: tuple[StudyCsvRow, ...]
    problems: tuple[tuple[int, str], ...]


_RENAMED_12 = {"owner": "repo_owner", "name": "repo_name"}


def read_study_csv(path: Path) -> StudyCsv:
    """Read one of the study's semicolon-separated daily CSVs (either layout)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: cannot read: {exc}") from exc
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    if not lines:
        raise CatalogError(f"{path}:1: empty file, expected the study's CSV header")
    header = [h.strip() for h in lines[0]]
    if header == CSV_COLUMNS_16:
        layout, names = 16, CSV_COLUMNS_16
    elif header == CSV_COLUMNS_12:
        layout, names = 12, [_RENAMED_12.get(h, h) for h in CSV_COLUMNS_12]
    else:
        raise CatalogError(
            f"{path}:1: not a study CSV: header has {len(header)} columns, "
            "expected the 12- or 16-column layout (see docs/catalog.md)"
        )
    rows: list[StudyCsvRow] = []
    problems: list[tuple[int, str]] = []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            problems.append((number, f"{len(cells)} fields, expected {len(names)}"))
            continue
        values: dict[str, str | None] = dict.fromkeys(CSV_COLUMNS_16)
        values.update(dict(zip(names, cells, strict=True)))
        rows.append(StudyCsvRow(line=number, values=values))
    return StudyCsv(path=path, layout=layout, rows=tuple(rows), problems=tuple(problems))


# --- ODS -----------------------------------------------------------------------------------------

_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}
_T = "{" + _NS["table"] + "}"
_TX = "{" + _NS["text"] + "}"
_OF = "{" + _NS["office"] + "}"
_XL = "{" + _NS["xlink"] + "}"
# Cells past this column are never data in these sheets; repeats are capped, not expanded.
_MAX_COLUMNS = 64


@dataclass(frozen=True, slots=True)
class OdsRow:
    """One non-empty row of a sheet: its 1-based row number, cell texts, and hyperlinks per cell."""

    number: int
    cells: tuple[str | None, ...]
    links: tuple[str | None, ...]


def read_ods_sheet(path: Path, sheet: str) -> list[OdsRow]:
    """Rows of one sheet of an ODS file, without expanding repeated empty rows or columns.

    Spreadsheets often declare a million repeated empty rows; here they only advance the row
    counter.
    """
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
            return _rows_of_sheet(content, sheet, path)
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise CatalogError(f"{path}: not a readable ODS spreadsheet: {exc}") from exc
    except SafeET.ParseError as exc:
        raise CatalogError(f"{path}: content.xml is not valid XML: {exc}") from exc


def list_ods_sheets(path: Path) -> list[str]:
    """Names of the sheets of an ODS file."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
            return [
                el.get(f"{_T}name", "")
                for _, el in SafeET.iterparse(content, events=("start",))
                if el.tag == f"{_T}table"
            ]
    except (OSError, zipfile.BadZipFile, KeyError, SafeET.ParseError) as exc:
        raise CatalogError(f"{path}: not a readable ODS spreadsheet: {exc}") from exc


def _rows_of_sheet(content: IO[bytes], sheet: str, path: Path) -> list[OdsRow]:
    rows: list[OdsRow] = []
    in_sheet = False
    found = False
    row_number = 0
    for event, el in SafeET.iterparse(content, events=("start", "end")):
        if el.tag == f"{_T}table":
            if event == "start":
                in_sheet = el.get(f"{_T}name") == sheet
                found = found or in_sheet
                row_number = 0
            else:
                if in_sheet:
                    break
                el.clear()
            continue
        if not in_sheet or el.tag != f"{_T}table-row" or event != "end":
            continue
        repeat = _int_attr(el, f"{_T}number-rows-repeated")
        cells, links = _cells_of_row(el)
        if any(c for c in cells):
            for offset in range(min(repeat, 1000)):  # a repeated non-empty row is rare; cap it
                rows.append(OdsRow(row_number + offset + 1, cells, links))
        row_number += repeat
        el.clear()
    if not found:
        raise CatalogError(f"{path}: no sheet named {sheet!r}")
    return rows


def _cells_of_row(row: Element) -> tuple[tuple[str | None, ...], tuple[str | None, ...]]:
    cells: list[str | None] = []
    links: list[str | None] = []
    for cell in row:
        if cell.tag not in (f"{_T}table-cell", f"{_T}covered-table-cell"):
            continue
        repeat = min(_int_attr(cell, f"{_T}number-columns-repeated"), _MAX_COLUMNS)
        text, link = _cell_text(cell)
        for _ in range(repeat):
            if len(cells) >= _MAX_COLUMNS:
                break
            cells.append(text)
            links.append(link)
    while cells and cells[-1] is None:
        cells.pop()
        links.pop()
    return tuple(cells), tuple(links)


def _cell_text(cell: Element) -> tuple[str | None, str | None]:
    paragraphs = ["".join(_iter_text(p)) for p in cell.iter(f"{_TX}p")]
    link = next((a.get(f"{_XL}href") for a in cell.iter(f"{_TX}a")), None)
    text = "\n".join(paragraphs)
    if not text:
        value = cell.get(f"{_OF}value")
        text = value if value is not None else ""
    return (text if text.strip() else None), link


def _iter_text(el: Element) -> Iterator[str]:
    if el.text:
        yield el.text
    for child in el:
        if child.tag == f"{_TX}s":  # <text:s text:c="3"/> stands for spaces
            yield " " * _int_attr(child, f"{_TX}c")
        elif child.tag == f"{_TX}tab":
            yield "\t"
        else:
            yield from _iter_text(child)
        if child.tail:
            yield child.tail


def _int_attr(el: Element, name: str) -> int:
    try:
        return max(1, int(el.get(name, "1")))
    except ValueError:
        return 1
