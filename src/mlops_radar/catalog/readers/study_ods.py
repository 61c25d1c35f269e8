"""Reader of the 2021 study's spreadsheet: sheet `Ferramentas` (Uso, Nome, Github, Licença).

Rows come from `study_files.read_ods_sheet`, which never expands the sheet's declared million
repeated empty rows. `Uso` is the category (trailing spaces as in `CI/CD ` are normalised later,
for every format), `Nome` the tool, `Github` its link (the cell's text, or its hyperlink when the
text is not a URL). The hand-checked `Licença` is a fact, not catalog data: `sources/study.py`
reads the facts.
"""

from __future__ import annotations

from mlops_radar.catalog.links import is_web_url
from mlops_radar.catalog.readers import RawEntry, ReaderResult, ReadOptions, SourceDocument
from mlops_radar.catalog.records import Problem
from mlops_radar.catalog.study_files import OdsRow, read_ods_sheet
from mlops_radar.errors import CatalogError

__all__ = ["TOOLS_SHEET", "StudyOdsReader"]

TOOLS_SHEET = "Ferramentas"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_HEADER = ("uso", "nome", "github")


class StudyOdsReader:
    """An OpenDocument spreadsheet (the study's FerramentasMLOps.ods)."""

    format_name = "study-ods"

    def recognises(self, document: SourceDocument) -> bool:
        """A zip whose first member declares the ODS spreadsheet mimetype."""
        return document.data.startswith(b"PK\x03\x04") and _ODS_MIMETYPE in document.data[:200]

    def read(self, document: SourceDocument, options: ReadOptions) -> ReaderResult:
        """One entry per tool row; rows without a name or a link are problems."""
        del options
        if document.path is None:
            raise CatalogError(f"{document.name}: an ODS source must be a file")
        rows = read_ods_sheet(document.path, TOOLS_SHEET)
        header = next((row for row in rows if _is_header(row)), None)
        if header is None:
            raise CatalogError(
                f"{document.name}: sheet {TOOLS_SHEET!r} has no header row with Uso, Nome, Github"
            )
        columns = [(cell or "").strip().casefold() for cell in header.cells]
        uso, nome, github = (columns.index(name) for name in _HEADER)
        entries: list[RawEntry] = []
        problems: list[Problem] = []
        for row in rows:
            if row.number <= header.number:
                continue
            category, name = _cell(row, uso), _cell(row, nome)
            link = _link(row, github)
            text = " | ".join(cell or "" for cell in row.cells)
            if name is None:
                problems.append(Problem(row.number, text, "row has no tool name (Nome)"))
            elif link is None:
                problems.append(Problem(row.number, text, "row has no http(s) link (Github)"))
            else:
                categories = (category,) if category else ()
                entries.append(RawEntry(name, categories, link, row.number))
        return ReaderResult(entries=tuple(entries), problems=tuple(problems))


def _is_header(row: OdsRow) -> bool:
    names = {(cell or "").strip().casefold() for cell in row.cells}
    return all(name in names for name in _HEADER)


def _cell(row: OdsRow, index: int) -> str | None:
    value = row.cells[index] if index < len(row.cells) else None
    text = " ".join((value or "").split())
    return text or None


def _link(row: OdsRow, index: int) -> str | None:
    text = _cell(row, index)
    if text and is_web_url(text):
        return text
    href = row.links[index] if index < len(row.links) else None
    return href if href and is_web_url(href) else None
