"""Exports of one snapshot: the study's CSV layout, spreadsheets (xlsx, ods), parquet and JSON.

Spreadsheet cells from outside text that start with `=`, `+`, `-`, `@`, a tab, a carriage return
or a line feed get a leading `'`, so no spreadsheet program runs them as formulas (csv, xlsx and
ods alike). In xlsx and ods cells, control characters that XML cannot hold become U+FFFD.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from mlops_radar.catalog.study_files import CSV_COLUMNS_16
from mlops_radar.errors import StoreError
from mlops_radar.model.changes import inactive
from mlops_radar.model.config import named_policy
from mlops_radar.model.results import ToolScore
from mlops_radar.sources.registry import model_columns
from mlops_radar.store.queries import snapshot_table
from mlops_radar.store.records import SnapshotInfo
from mlops_radar.store.store import Store

__all__ = [
    "FORMATS",
    "VERDICT_COLUMNS",
    "export_snapshot",
    "flat_rows",
    "neutralise",
    "study_csv_rows",
]

FORMATS = ("csv", "xlsx", "ods", "parquet", "json")
_MAX_WIDTH = 60  # characters of an xlsx column, at most
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# XML 1.0 cannot hold these (openpyxl raises IllegalCharacterError on them)
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Study column -> our column (the rest of the 16 are computed in `_study_values`).
_STUDY_FACTS = {
    "main_branch": "default_branch",
    "total_commits": "total_commits",
    "fork_count": "forks",
    "stars_count": "stars",
    "watchers_count": "watchers",
    "license_name": "license_name",
    "primary_language": "primary_language",
    "is_archived": "archived",
    "open_issues": "open_issues",
    "closed_issues": "closed_issues",
}
_USED = {*_STUDY_FACTS.values(), "repo", "last_commit_stale"}
#: The repository and every fact of the model's table, in order.
FACT_FIELDS = ("repo", *model_columns())
#: Our columns after the study's 16, in order.
EXTRA_COLUMNS = (
    "tool_url",
    "categories",
    "stages",
    "kind",
    "subpath",
    "outcome",
    "origin",
    "last_commit_stale",
    *(f for f in FACT_FIELDS if f not in _USED),
    "tool_description",
)
#: The model's verdict, after the study's 16 columns in csv and beside the facts elsewhere: the
#: same names in every format.
VERDICT_COLUMNS = ("status", "ring", "score", "completeness", "tier", "reasons")
_TOP_REASONS = 2  # helps and hurts each, after the ring's own reason


def neutralise(text: str) -> str:
    """Outside text made safe for a spreadsheet cell (a leading `'` before formula characters)."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _missing(value: Any) -> bool:
    if value is None or isinstance(value, list | tuple):
        return value is None
    return bool(pd.isna(value))


def _text(value: Any) -> str:
    """The study's value forms: str() of ints and booleans, ISO dates, lists joined by `|`."""
    if _missing(value):
        return ""
    if isinstance(value, list | tuple):
        return neutralise("|".join(str(v) for v in value))
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, pd.Timestamp | datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def _study_values(row: dict[str, Any], verdict: bool | None) -> dict[str, Any]:
    repo = row["repo"] if isinstance(row["repo"], str) else ""
    owner, _, name = repo.partition("/")
    stale = row.get("last_commit_stale")
    if _missing(stale):
        stale = verdict
    category = row.get("source_category")
    if _missing(category):
        category = "|".join(row["categories"])
    values = {
        "gspread_row": row.get("source_row"),
        "use_area": category or None,
        "tool_name": row["tool"],
        "repo_owner": owner or None,
        "repo_name": name or None,
        "last_commit_check": stale,
    }
    values.update({study: row.get(ours) for study, ours in _STUDY_FACTS.items()})
    return values


def _reasons(verdict: ToolScore) -> str:
    from mlops_radar.report.words import ring_words, signal_words

    why = verdict.explanation
    parts = [ring_words(why.ring)]
    parts += [f"+ {signal_words(r)}" for r in why.helps[:_TOP_REASONS]]
    parts += [f"- {signal_words(r)}" for r in why.hurts[:_TOP_REASONS]]
    return "; ".join(parts)


def with_verdicts(table: pd.DataFrame, verdicts: list[ToolScore | None] | None) -> pd.DataFrame:
    """`table` with `VERDICT_COLUMNS` (None where a tool has no verdict, or none were given)."""
    if verdicts is None:
        verdicts = [None] * len(table)
    values: dict[str, list[Any]] = {c: [] for c in VERDICT_COLUMNS}
    for verdict in verdicts:
        if verdict is None:
            for column in VERDICT_COLUMNS:
                values[column].append(None)
            continue
        values["status"].append(verdict.status.value)
        values["ring"].append(verdict.ring.value)
        values["score"].append(round(verdict.score, 1))
        values["completeness"].append(round(verdict.completeness, 3))
        values["tier"].append(verdict.tier)
        values["reasons"].append(_reasons(verdict))
    frame = table.copy()
    for column in VERDICT_COLUMNS:
        frame[column] = pd.Series(values[column], index=table.index, dtype=object)
    return frame


def flat_rows(table: pd.DataFrame, info: SnapshotInfo) -> tuple[list[str], list[list[Any]]]:
    """The one table every format writes: the study's 16 columns (unchanged, first), the verdict
    columns (when the table has them), then our `EXTRA_COLUMNS`; values typed (None unknown)."""
    judged = [c for c in VERDICT_COLUMNS if c in table.columns]
    header = [*CSV_COLUMNS_16, *judged, *EXTRA_COLUMNS]
    # the study's own verdict where it has one, else its rule (the study policy's months)
    months = named_policy("study").activity_months
    verdicts = inactive(table, info.snapshot_date, months)
    rows = []
    for item, verdict in zip(table.to_dict("records"), verdicts, strict=True):
        row = {str(k): v for k, v in item.items()}
        study = _study_values(row, verdict)
        rows.append(
            [study[c] for c in CSV_COLUMNS_16]
            + [row[c] for c in judged]
            + [row[c] for c in EXTRA_COLUMNS]
        )
    return header, rows


def study_csv_rows(table: pd.DataFrame, info: SnapshotInfo) -> list[list[str]]:
    """Header and rows of `flat_rows` as text: the study's 16-column layout first."""
    header, rows = flat_rows(table, info)
    return [header, *([_text(v) for v in row] for row in rows)]


def _csv_field(text: str) -> str:
    # The study wrote str() joined by ';' with no quoting; quote only where a reader needs it.
    if ";" in text or "\n" in text or "\r" in text or text.startswith('"'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_study_csv(rows: Iterable[Sequence[str]], out: Path) -> None:
    """Semicolon-separated, `\\n` line ends, like the study's files."""
    with out.open("w", encoding="utf-8", newline="") as handle:
        for row in rows:
            handle.write(";".join(_csv_field(f) for f in row) + "\n")


def _sheets(
    table: pd.DataFrame, info: SnapshotInfo
) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """`tools`: the table every format writes (`flat_rows`); `facts`: one row per repository with
    the model's own fact names, for formulas over the facts."""
    facts_table = table.assign(_key=table["repo"].str.lower()).dropna(subset=["_key"])
    facts_table = facts_table.drop_duplicates("_key")
    facts = [[row[c] for c in FACT_FIELDS] for row in facts_table.to_dict("records")]
    return {"tools": flat_rows(table, info), "facts": (list(FACT_FIELDS), facts)}


def _cell_value(value: Any) -> Any:
    """A typed cell value: None, bool, int, naive UTC datetime, or neutralised text."""
    if _missing(value):
        return None
    if isinstance(value, bool | int | float) and not isinstance(value, str):
        return value
    if hasattr(value, "item") and not isinstance(value, str | pd.Timestamp):  # numpy scalars
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.tz_convert(None).to_pydatetime() if value.tzinfo else value.to_pydatetime()
    return _NOT_IN_XML.sub("\ufffd", _text(value))


def write_xlsx(table: pd.DataFrame, info: SnapshotInfo, out: Path) -> None:
    """A workbook with a `tools` sheet and a `facts` sheet: header frozen, filters on, columns as
    wide as their content (up to `_MAX_WIDTH` characters)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in _sheets(table, info).items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        widths = [len(h) for h in header]
        for row in rows:
            cells = [_cell_value(v) for v in row]
            sheet.append(cells)
            for i, cell in enumerate(cells):
                if cell is not None:
                    widths[i] = max(widths[i], min(len(str(cell)), _MAX_WIDTH))
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = min(width, _MAX_WIDTH) + 2
    book.save(out)


def _ods_cell(value: Any) -> Any:
    from odf.table import TableCell
    from odf.text import P

    value = _cell_value(value)
    if value is None:
        return TableCell()
    if isinstance(value, bool):
        cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower())
    elif isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=value)
    elif isinstance(value, datetime):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
    else:
        cell = TableCell(valuetype="string")
    cell.addElement(P(text=str(value)))
    return cell


def write_ods(table: pd.DataFrame, info: SnapshotInfo, out: Path) -> None:
    """An OpenDocument spreadsheet with a `tools` sheet and a `facts` sheet."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow

    doc = OpenDocumentSpreadsheet()
    for name, (header, rows) in _sheets(table, info).items():
        sheet = Table(name=name)
        for values in [header, *rows]:
            line = TableRow()
            for value in values:
                line.addElement(_ods_cell(value))
            sheet.addElement(line)
        doc.spreadsheet.addElement(sheet)
    doc.save(str(out))


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp | datetime | date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def write_json(table: pd.DataFrame, info: SnapshotInfo, out: Path) -> None:
    """`{"snapshot": {...}, "tools": [...]}`, each tool with the columns of `flat_rows`."""
    meta = {k: _plain(v) for k, v in _info_dict(info).items()}
    header, rows = flat_rows(table, info)
    tools = [{c: None if _missing(v) else _plain(v) for c, v in zip(header, row, strict=True)}
             for row in rows]  # fmt: skip
    payload = {"snapshot": meta, "tools": tools}
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _info_dict(info: SnapshotInfo) -> dict[str, Any]:
    return {name: getattr(info, name) for name in info.__slots__}


def write_parquet(table: pd.DataFrame, info: SnapshotInfo, out: Path) -> None:
    """The columns of `flat_rows`, with `snapshot_id` and `snapshot_date` added."""
    header, rows = flat_rows(table, info)
    frame = pd.DataFrame(rows, columns=header)
    frame.assign(snapshot_id=int(info.id), snapshot_date=info.snapshot_date).to_parquet(
        out, index=False
    )


def export_snapshot(
    store: Store,
    ref: str,
    fmt: str,
    out: Path | None = None,
    *,
    verdicts: list[ToolScore | None] | None = None,
) -> Path:
    """Write snapshot `ref` as `fmt` to `out`: a file, a folder, or None (`YYYY-MM-DD.<fmt>`).

    `verdicts` (one per tool, in the snapshot's order: `app.verdicts.tool_verdicts`) add the
    `VERDICT_COLUMNS`; without them the export holds the facts only."""
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    info = store.resolve_snapshot(ref)
    with store.transaction() as conn:
        table = snapshot_table(conn, info)
    if verdicts is not None:
        if len(verdicts) != len(table) or any(
            v is not None and v.tool != t for v, t in zip(verdicts, table["tool"], strict=True)
        ):
            raise StoreError(f"snapshot {info.id}: the verdicts do not match its tools")
        table = with_verdicts(table, verdicts)
    name = f"{info.snapshot_date.isoformat()}.{fmt}"
    target = out / name if out is not None and out.is_dir() else (out or Path(name))
    try:
        if fmt == "csv":
            write_study_csv(study_csv_rows(table, info), target)
        elif fmt == "xlsx":
            write_xlsx(table, info, target)
        elif fmt == "ods":
            write_ods(table, info, target)
        elif fmt == "parquet":
            write_parquet(table, info, target)
        else:
            write_json(table, info, target)
    except OSError as exc:
        raise StoreError(f"{target}: cannot write: {exc.strerror or exc}") from None
    return target
