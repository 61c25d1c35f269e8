"""Exports: the study's CSV round trip, spreadsheets with formulas neutralised, parquet and JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from odf import opendocument, table, text
from openpyxl import load_workbook

from factrecords import github_facts
from mlops_radar.catalog.records import Catalog, LinkKind, ToolEntry
from mlops_radar.report.export import export_snapshot, neutralise
from mlops_radar.sources.outcomes import Outcome, RepoOutcome
from mlops_radar.store import Store
from mlops_radar.store.importer import import_files

EVIL = "=cmd|' /C calc'!A0"


DAYS_16 = ["2021-05-10", "2021-05-11", "2021-05-12", "2021-05-13", "2021-05-14", "2021-05-15",
           "2021-05-16", "2021-05-19", "2021-05-20"]  # fmt: skip


@pytest.mark.parametrize("day", DAYS_16)
def test_csv_gives_back_the_study_file(
    db_url: str, study_data: Path, tmp_path: Path, day: str
) -> None:
    source = study_data / "csvdata" / f"{day}.csv"
    with Store.open(db_url) as store:
        import_files(store, [source])
        out = export_snapshot(store, day, "csv", tmp_path)
    assert out.name == f"{day}.csv"
    exported = [line.split(";")[:16] for line in out.read_text().splitlines()]
    original = [line.split(";") for line in source.read_text().splitlines()]
    assert exported == original  # value for value, same row order, same header
    assert len(out.read_text().splitlines()[0].split(";")) > 16  # our extra columns follow


def test_csv_of_the_12_column_day_keeps_its_12_values(
    db_url: str, study_data: Path, tmp_path: Path
) -> None:
    source = study_data / "csvdata" / "2021-05-09.csv"
    with Store.open(db_url) as store:
        import_files(store, [source])
        out = export_snapshot(store, "2021-05-09", "csv", tmp_path)
    exported = pd.read_csv(out, sep=";", dtype=str, keep_default_na=False)
    original = pd.read_csv(source, sep=";", dtype=str, keep_default_na=False)
    renamed = original.rename(columns={"owner": "repo_owner", "name": "repo_name"})
    assert exported[list(renamed.columns)].equals(renamed)  # 80 rows, duplicates included
    assert list(exported["tool_name"][:2]) == ["autogluon", "autokeras"]  # no names in that file
    assert set(exported["use_area"]) == {""}


def _evil_store(db_url: str) -> Store:
    tool = ToolEntry(
        name="-evil",
        categories=("@cat",),
        url="https://github.com/o/r",
        kind=LinkKind.REPO,
        repo="o/r",
        description=EVIL,
    )
    store = Store.open(db_url)
    sid = store.begin_snapshot(
        Catalog(source="test", tools=(tool,)),
        origin="collected",
        taken_at=datetime(2024, 1, 2, 3, 4, tzinfo=UTC),
    )
    store.sink(sid).write(
        github_facts(
            "o/r",
            description=EVIL,
            stars=5,
            archived=False,
            license_name="+x",
            last_commit_at=datetime(2023, 12, 1, tzinfo=UTC),
        ),
        [RepoOutcome("o/r", Outcome.COLLECTED)],
    )
    store.finish_snapshot(sid, "complete")
    return store


def test_neutralise() -> None:
    assert [neutralise(v) for v in ("=1", "+1", "-1", "@x", "\tx", "\rx", "ok", "a=b")] == [
        "'=1",
        "'+1",
        "'-1",
        "'@x",
        "'\tx",
        "'\rx",
        "ok",
        "a=b",
    ]


def test_formulas_are_neutralised_in_csv(db_url: str, tmp_path: Path) -> None:
    with _evil_store(db_url) as store:
        out = export_snapshot(store, "latest", "csv", tmp_path / "x.csv")
    frame = pd.read_csv(out, sep=";", dtype=str, keep_default_na=False)
    assert frame.loc[0, "description"] == "'" + EVIL
    assert frame.loc[0, "tool_description"] == "'" + EVIL
    assert frame.loc[0, "tool_name"] == "'-evil"
    assert frame.loc[0, "use_area"] == "'@cat"
    assert frame.loc[0, "license_name"] == "'+x"
    assert frame.loc[0, "stars_count"] == "5"
    assert frame.loc[0, "last_commit_check"] == "False"  # from the commit date: one month old


def test_formulas_are_neutralised_in_xlsx(db_url: str, tmp_path: Path) -> None:
    with _evil_store(db_url) as store:
        out = export_snapshot(store, "latest", "xlsx", tmp_path / "x.xlsx")
    book = load_workbook(out)
    assert book.sheetnames == ["tools", "facts"]
    cells = [c.value for row in book["tools"].iter_rows() for c in row]
    facts = [c.value for row in book["facts"].iter_rows() for c in row]
    assert "'" + EVIL in cells
    assert "'" + EVIL in facts
    assert "'-evil" in cells
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for v in cells + facts)
    assert all(c.data_type != "f" for row in book["tools"].iter_rows() for c in row)
    assert 5 in facts


def _ods_texts(path: Path) -> dict[str, list[str]]:
    doc = opendocument.load(str(path))
    out: dict[str, list[str]] = {}
    for sheet in doc.spreadsheet.getElementsByType(table.Table):
        values = []
        for cell in sheet.getElementsByType(table.TableCell):
            assert not cell.getAttribute("formula")
            values += [str(p) for p in cell.getElementsByType(text.P)]
        out[sheet.getAttribute("name")] = values
    return out


def test_formulas_are_neutralised_in_ods(db_url: str, tmp_path: Path) -> None:
    with _evil_store(db_url) as store:
        out = export_snapshot(store, "latest", "ods", tmp_path / "x.ods")
    sheets = _ods_texts(out)
    assert list(sheets) == ["tools", "facts"]
    assert "'" + EVIL in sheets["tools"]
    assert "'" + EVIL in sheets["facts"]
    assert "'-evil" in sheets["tools"]
    assert EVIL not in sheets["tools"] + sheets["facts"]


def test_parquet_and_json(db_url: str, study_data: Path, tmp_path: Path) -> None:
    with Store.open(db_url) as store:
        import_files(store, [study_data / "csvdata" / "2021-05-20.csv"])
        parquet = export_snapshot(store, "latest", "parquet", tmp_path)
        as_json = export_snapshot(store, "2021-05-20", "json", tmp_path)
    frame = pd.read_parquet(parquet)
    assert len(frame) == 78
    assert frame.set_index("tool_name").loc["Metaflow", "stars_count"] == 4349
    payload = json.loads(as_json.read_text())
    assert payload["snapshot"]["snapshot_date"] == "2021-05-20"
    metaflow = next(t for t in payload["tools"] if t["tool_name"] == "Metaflow")
    assert metaflow["fork_count"] == 371
    assert metaflow["categories"] == ["Workflow Tools"]
    assert metaflow["last_commit_at"] is None
