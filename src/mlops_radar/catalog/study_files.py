"""Low-level readers of the 2021 study's files: its daily CSVs and its ODS spreadsheet.

Both the catalog (tools and categories) and the store's import (facts) read these files; this
module only turns bytes into rows with line numbers, leaving meaning to its callers. Cells are
untrusted text.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TypeVar
from xml.etree.ElementTree import Element  # type only: parsing goes through defusedxml

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from mlops_radar.catalog.utf8 import utf8_text
from mlops_radar.errors import CatalogError

__all__ = [
    "CSV_COLUMNS_12",
    "CSV_COLUMNS_16",
    "MAX_CSV_FIELD",
    "MAX_CSV_ROWS",
    "MAX_ODS_MEMBER_BYTES",
    "MAX_ODS_ROWS",
    "OdsRow",
    "StudyCsv",
    "StudyCsvRow",
    "csv_delimiter",
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


_R = TypeVar("_R")
_RENAMED_12 = {"owner": "repo_owner", "name": "repo_name"}
#: Records of one CSV (the study's have ~300; an export of 20,000 tools fits): more is refused,
#: since reading and assembling a record costs ~70 us and a 10 MB file holds 150,000 of them.
MAX_CSV_ROWS = 50_000
#: Python's csv module refuses longer fields; we say so with the line instead of a traceback.
MAX_CSV_FIELD = 131_072
_HEADER_START = "gspread_row"
_DELIMITERS = ";,\t|"


def csv_delimiter(first_line: str) -> str:
    """The delimiter of the study CSV whose header is `first_line`: `;`, `,`, tab or `|`."""
    rest = first_line.removeprefix("\ufeff").removeprefix(_HEADER_START)
    return rest[0] if rest[:1] and rest[0] in _DELIMITERS else ";"


def _csv_records(text: str, delimiter: str, path: Path) -> list[tuple[int, list[str]]]:
    """(first file line, cells) of every record: a quoted field may span lines, so a record's line
    is the file's line where it starts, not its position among records."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    line = 0
    try:
        for cells in reader:
            if len(records) > MAX_CSV_ROWS:  # the header and MAX_CSV_ROWS data records
                raise CatalogError(f"{path}:{line + 1}: more than {MAX_CSV_ROWS:,} rows, more "
                                   "than a study CSV may have")  # fmt: skip
            records.append((line + 1, cells))
            line = reader.line_num
    except csv.Error as exc:
        reason = str(exc)
        if "field limit" in reason:
            reason = f"a field longer than {MAX_CSV_FIELD:,} characters (an unclosed quote?)"
        raise CatalogError(f"{path}:{line + 1}: not readable as CSV: {reason}") from None
    return records


def read_study_csv(path: Path) -> StudyCsv:
    """Read one of the study's daily CSVs (either layout; semicolons, or commas if re-saved so)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read: {exc.strerror or exc}") from None
    # newlines as text mode reads them (\r\n and \r become \n), as before
    text = utf8_text(str(path), data).replace("\r\n", "\n").replace("\r", "\n")
    delimiter = csv_delimiter(text[: text.find("\n")] if "\n" in text else text)
    records = _csv_records(text, delimiter, path)
    if not records:
        raise CatalogError(f"{path}:1: empty file, expected the study's CSV header")
    header = [h.strip() for h in records[0][1]]
    if header == CSV_COLUMNS_16:
        layout, names = 16, CSV_COLUMNS_16
    elif header == CSV_COLUMNS_12:
        layout, names = 12, [_RENAMED_12.get(h, h) for h in CSV_COLUMNS_12]
    else:
        raise CatalogError(
            f"{path}:1: not a study CSV: header has {len(header)} columns "
            f"({';'.join(records[0][1])[:80]!r}), "
            "expected the 12- or 16-column layout (see docs/catalog.md)"
        )
    rows: list[StudyCsvRow] = []
    problems: list[tuple[int, str]] = []
    for number, cells in records[1:]:
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
# Bounds on what an untrusted spreadsheet can make us do (the study's content.xml is 180 KB, 12
# elements deep, ~30 elements a row, 88 tool rows):
MAX_ODS_MEMBER_BYTES = 16 * 2**20  #: content.xml, uncompressed
MAX_ODS_ROWS = 100_000  #: non-empty rows of one sheet, repeats counted
_MAX_REPEAT_EXPANDED = 1_000  # a repeated non-empty row is rare: at most this many copies
_MAX_ROW_ELEMENTS = 10_000  # XML elements inside one row
_MAX_DEPTH = 64  # XML nesting
_MAX_SPACES = 1_000  # <text:s text:c="N"/>: N spaces, at most this many
_MAX_CELL_CHARS = 65_536  # a cell's text is cut here
_MAX_SHEETS = 10_000


@dataclass(frozen=True, slots=True)
class OdsRow:
    """One non-empty row of a sheet: its 1-based row number, cell texts, and hyperlinks per cell."""

    number: int
    cells: tuple[str | None, ...]
    links: tuple[str | None, ...]


class _OdsLimit(Exception):
    """The spreadsheet cannot be read or passes one of our bounds (message: what, where)."""


_READ_PIECE = 2**18


class _Capped:
    """A member's stream that refuses to give more than `limit` bytes (zipfile already stops at the
    declared size, which we check; this holds even if that ever changes)."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self.stream, self.left = stream, limit

    def read(self, size: int = -1) -> bytes:
        # iterparse asks for 16 KiB at a time; expat re-scans an unfinished tag from its start on
        # every feed, so a 2 MB tag (a million attributes) fed in 16 KiB pieces is quadratic
        # (9 s of CPU). Pieces of 256 KiB make that ~10 scans (larger ones slow down iterparse
        # on many small elements: 3 s -> 6 s for 15 MiB of empty rows).
        data = self.stream.read(max(size, _READ_PIECE) if size >= 0 else self.left + 1)
        self.left -= len(data)
        if self.left < 0:
            raise _OdsLimit(f"content.xml is larger than {MAX_ODS_MEMBER_BYTES // 2**20} MiB")
        return data


def _read_content(path: Path, consume: Callable[[_Capped], _R]) -> _R:
    """`consume(content.xml's stream)`, every zip, zlib and XML failure one `CatalogError`."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = _content_info(archive)
            with archive.open(info) as member:
                return consume(_Capped(member, MAX_ODS_MEMBER_BYTES))
    except _OdsLimit as exc:
        raise CatalogError(f"{path}: {exc}") from None
    except DefusedXmlException as exc:
        raise CatalogError(
            f"{path}: content.xml declares a DTD or XML entities ({type(exc).__name__}); "
            "a spreadsheet needs neither, refused"
        ) from None
    except SafeET.ParseError as exc:
        raise CatalogError(f"{path}: content.xml is not valid XML: {exc}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError) as exc:
        raise CatalogError(f"{path}: not a readable ODS spreadsheet (damaged zip: {exc})") from None
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (NotImplementedError, RuntimeError, ValueError) as exc:  # zipfile's other refusals
        raise CatalogError(f"{path}: not a readable ODS spreadsheet: {exc}") from None


def _content_info(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    try:
        info = archive.getinfo("content.xml")
    except KeyError:
        raise _OdsLimit("not an ODS spreadsheet: no content.xml in the zip") from None
    if info.flag_bits & 0x1:
        raise _OdsLimit("content.xml is encrypted (a password-protected spreadsheet)")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _OdsLimit(f"content.xml uses compression method {info.compress_type}, not deflate")
    if info.file_size > MAX_ODS_MEMBER_BYTES:
        raise _OdsLimit(
            f"content.xml is {info.file_size:,} bytes uncompressed, more than the "
            f"{MAX_ODS_MEMBER_BYTES // 2**20} MiB a catalog spreadsheet may have"
        )
    return info


def read_ods_sheet(path: Path, sheet: str) -> list[OdsRow]:
    """Rows of one sheet of an ODS file, without expanding repeated empty rows or columns.

    Spreadsheets often declare a million repeated empty rows; here they only advance the row
    counter. Memory stays bounded: each row's elements are dropped once read, and the file's
    size, nesting, row count and spaces are capped (a `CatalogError` names what and where).
    """
    return _read_content(path, lambda content: _rows_of_sheet(content, sheet))


def list_ods_sheets(path: Path) -> list[str]:
    """Names of the sheets of an ODS file."""
    return _read_content(path, _sheet_names)


def _elements(content: _Capped) -> Iterator[tuple[str, Element, list[Element]]]:
    """iterparse's (event, element) with the open elements' stack; an element is dropped from its
    parent after its "end" unless the caller keeps it (its stack is read before the next step)."""
    stack: list[Element] = []
    for event, el in SafeET.iterparse(content, events=("start", "end"), forbid_dtd=True):
        if event == "start":
            stack.append(el)
            if len(stack) > _MAX_DEPTH:
                raise _OdsLimit(f"content.xml nests elements more than {_MAX_DEPTH} deep")
            yield event, el, stack
        else:
            stack.pop()
            yield event, el, stack


def _sheet_names(content: _Capped) -> list[str]:
    names: list[str] = []
    for event, el, stack in _elements(content):
        if event == "start":
            if el.tag == f"{_T}table":
                names.append(el.get(f"{_T}name", ""))
                if len(names) > _MAX_SHEETS:
                    raise _OdsLimit(f"more than {_MAX_SHEETS:,} sheets")
        elif stack:
            stack[-1].remove(el)
    return names


def _rows_of_sheet(content: _Capped, sheet: str) -> list[OdsRow]:
    rows: list[OdsRow] = []
    in_sheet = found = False
    row_number = 0
    row_level = 0  # depth of the row being read (0: none); its elements are kept until its end
    row_elements = 0
    for event, el, stack in _elements(content):
        if event == "start":
            if row_level:
                row_elements += 1
                if row_elements > _MAX_ROW_ELEMENTS:
                    where = f"sheet {sheet!r} row {row_number + 1}"
                    raise _OdsLimit(f"{where}: more than {_MAX_ROW_ELEMENTS:,} XML elements")
            elif el.tag == f"{_T}table":
                in_sheet = el.get(f"{_T}name") == sheet
                found = found or in_sheet
                row_number = 0
            elif in_sheet and el.tag == f"{_T}table-row":
                row_level, row_elements = len(stack), 0
            continue
        if row_level:
            if len(stack) >= row_level:
                continue  # inside the row: kept until the row ends
            row_level = 0
            row_number = _add_row(rows, el, row_number, sheet)
        elif el.tag == f"{_T}table" and in_sheet:
            break
        if stack:
            stack[-1].remove(el)  # the parent holds only this child: O(1), memory stays flat
    if not found:
        raise _OdsLimit(f"no sheet named {sheet!r}")
    return rows


def _add_row(rows: list[OdsRow], row: Element, row_number: int, sheet: str) -> int:
    """Append the row (its repeats, capped) when not empty; the number of the row's last copy."""
    repeat = _int_attr(row, f"{_T}number-rows-repeated")
    cells, links = _cells_of_row(row)
    if any(c for c in cells):
        copies = min(repeat, _MAX_REPEAT_EXPANDED)
        if len(rows) + copies > MAX_ODS_ROWS:
            raise _OdsLimit(
                f"sheet {sheet!r} row {row_number + 1}: more than {MAX_ODS_ROWS:,} non-empty rows"
            )
        rows.extend(OdsRow(row_number + offset + 1, cells, links) for offset in range(copies))
    return row_number + repeat


def _cells_of_row(row: Element) -> tuple[tuple[str | None, ...], tuple[str | None, ...]]:
    cells: list[str | None] = []
    links: list[str | None] = []
    for cell in row:
        if len(cells) >= _MAX_COLUMNS:
            break
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
    paragraphs = [_bounded_join(_iter_text(p)) for p in cell.iter(f"{_TX}p")]
    link = next((a.get(f"{_XL}href") for a in cell.iter(f"{_TX}a")), None)
    text = _bounded_join(iter(paragraphs), "\n")
    if not text:
        value = cell.get(f"{_OF}value")
        text = value[:_MAX_CELL_CHARS] if value is not None else ""
    return (text if text.strip() else None), link


def _bounded_join(pieces: Iterator[str], separator: str = "") -> str:
    """The pieces joined, cut at `_MAX_CELL_CHARS` (no more pieces are asked for after that)."""
    out: list[str] = []
    size = 0
    for piece in pieces:
        out.append(piece)
        size += len(piece) + len(separator)
        if size > _MAX_CELL_CHARS:
            break
    return separator.join(out)[:_MAX_CELL_CHARS]


def _iter_text(el: Element) -> Iterator[str]:
    if el.text:
        yield el.text
    for child in el:
        if child.tag == f"{_TX}s":  # <text:s text:c="3"/> stands for spaces
            yield " " * min(_int_attr(child, f"{_TX}c"), _MAX_SPACES)
        elif child.tag == f"{_TX}tab":
            yield "\t"
        else:
            yield from _iter_text(child)  # depth is bounded by _MAX_DEPTH
        if child.tail:
            yield child.tail


def _int_attr(el: Element, name: str) -> int:
    try:
        return max(1, int(el.get(name, "1")))
    except ValueError:
        return 1
