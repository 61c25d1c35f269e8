"""Reader of the 2021 study's daily CSVs, for their list of tools (facts are `sources/study.py`'s).

Both layouts (see ../shared/data/mlopstools-2021/SOURCE.md) go through `study_files.read_study_csv`:
- 16 columns: `use_area` is the category, `tool_name` the name, `repo_owner/repo_name` the
  repository;
- 12 columns (2021-05-09 only): no name and no category. The tool is named by its repository name
  and has no category (an empty tuple, not an invented "Uncategorized"). Read it together with the
  study's ODS (`read_catalogs([ods, csv])`): the same repository merges into one tool that gets the
  ODS's name and category.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from mlops_radar.catalog.readers import RawEntry, ReaderResult, ReadOptions, SourceDocument
from mlops_radar.catalog.records import Problem
from mlops_radar.catalog.study_files import StudyCsvRow, read_study_csv
from mlops_radar.errors import CatalogError

__all__ = ["StudyCsvReader"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class StudyCsvReader:
    """A study CSV, recognised by its `gspread_row;` header (or `,`, tab, `|` if re-saved so).

    Any other `.csv`/`.tsv` file is taken too, so that it is refused with one line naming its
    header, rather than read as Markdown into an empty catalog.
    """

    format_name = "study-csv"

    def recognises(self, document: SourceDocument) -> bool:
        """True when the first line starts with the study's header, or the file is named *.csv."""
        head = document.data.removeprefix(b"\xef\xbb\xbf")
        if head.startswith(b"gspread_row") and head[11:12] in (b";", b",", b"\t", b"|"):
            return True
        suffix = PurePosixPath(urlsplit(document.name).path).suffix.lower()
        return suffix in (".csv", ".tsv") and not head.startswith(b"PK\x03\x04")

    def read(self, document: SourceDocument, options: ReadOptions) -> ReaderResult:
        """One entry per data row; rows without owner/name are problems."""
        del options
        if document.path is None:
            raise CatalogError(f"{document.name}: a CSV source must be a file")
        table = read_study_csv(document.path)
        # the file's lines as CSV counts them (\n, \r\n, \r; not U+2028), to show a problem's line
        lines = _LINE_BREAK.split(document.data.decode("utf-8-sig", errors="replace"))
        problems = [Problem(n, _line(lines, n), reason) for n, reason in table.problems]
        entries: list[RawEntry] = []
        for row in table.rows:
            entry = _entry(row)
            if entry is None:
                problems.append(Problem(row.line, _line(lines, row.line), "row has no owner/name"))
            else:
                entries.append(entry)
        return ReaderResult(entries=tuple(entries), problems=tuple(problems))


def _entry(row: StudyCsvRow) -> RawEntry | None:
    owner, name = _value(row, "repo_owner"), _value(row, "repo_name")
    if owner is None or name is None:
        return None
    category = _value(row, "use_area")
    tool = _value(row, "tool_name") or name
    link = f"https://github.com/{owner}/{name}"
    return RawEntry(tool, (category,) if category else (), link, row.line)


def _value(row: StudyCsvRow, key: str) -> str | None:
    text = " ".join((row.values.get(key) or "").split())
    return text or None


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1][:300] if 0 < number <= len(lines) else ""
