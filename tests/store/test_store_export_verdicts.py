"""Exports with the model's verdict (issue 9 item 7): status, ring, score, completeness, tier and
the top reasons, the same column names in every format, the study's 16 csv columns first and
unchanged; xlsx with a frozen header, filters and widths; outside text still neutralised."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from test_store_export import EVIL, _evil_store, _ods_texts

from mlops_radar.app.verdicts import tool_verdicts
from mlops_radar.catalog.study_files import CSV_COLUMNS_16
from mlops_radar.cli import main
from mlops_radar.report.export import VERDICT_COLUMNS, export_snapshot
from mlops_radar.store import Store
from mlops_radar.store.importer import import_files

RINGS = {"Adopt", "Trial", "Assess", "Hold", "Unrated"}


@pytest.fixture
def day_db(db_url: str, study_data: Path) -> str:
    with Store.open(db_url) as store:
        import_files(store, [study_data / "csvdata" / "2021-05-20.csv"])
    return db_url


def _export(db: str, fmt: str, out: Path, *extra: str) -> Path:
    args = ["export", "--format", fmt, "--db", db, "--out", str(out), *extra]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def test_csv_keeps_the_16_columns_first_then_the_verdicts(
    day_db: str, study_data: Path, tmp_path: Path
) -> None:
    out = _export(day_db, "csv", tmp_path / "x.csv")
    lines = out.read_text().splitlines()
    header = lines[0].split(";")
    assert header[:16] == list(CSV_COLUMNS_16)
    assert tuple(header[16:22]) == VERDICT_COLUMNS
    original = (study_data / "csvdata" / "2021-05-20.csv").read_text().splitlines()
    assert [line.split(";")[:16] for line in lines] == [line.split(";") for line in original]
    frame = pd.read_csv(out, sep=";", dtype=str, keep_default_na=False)
    assert set(frame["ring"]) <= RINGS
    assert set(frame["status"]) <= {"qualified", "needs_review", "eliminated"}
    assert frame["reasons"].str.len().min() > 0
    assert len(set(frame["ring"])) > 1  # the verdicts discriminate


def test_verdicts_are_those_of_the_model(day_db: str, tmp_path: Path) -> None:
    with Store.open(day_db) as store:
        verdicts = tool_verdicts(store)
    out = _export(day_db, "json", tmp_path / "x.json")
    tools = json.loads(out.read_text())["tools"]
    assert len(tools) == len(verdicts)
    for record, verdict in zip(tools, verdicts, strict=True):
        assert verdict is not None
        assert (record["tool_name"], record["ring"], record["tier"]) == (
            verdict.tool,
            verdict.ring.value,
            verdict.tier,
        )
        assert record["score"] == round(verdict.score, 1)
        assert record["reasons"].startswith(verdict.ring.value)


def test_the_same_verdict_columns_in_every_format(day_db: str, tmp_path: Path) -> None:
    csv = pd.read_csv(_export(day_db, "csv", tmp_path / "x.csv"), sep=";", dtype=str)
    parquet = pd.read_parquet(_export(day_db, "parquet", tmp_path / "x.parquet"))
    tools = json.loads(_export(day_db, "json", tmp_path / "x.json").read_text())["tools"]
    book = load_workbook(_export(day_db, "xlsx", tmp_path / "x.xlsx"))
    xlsx_header = [c.value for c in next(book["tools"].iter_rows())]
    ods = _ods_texts(_export(day_db, "ods", tmp_path / "x.ods"))["tools"]
    for column in VERDICT_COLUMNS:
        assert column in csv.columns
        assert column in parquet.columns
        assert column in tools[0]
        assert column in xlsx_header
        assert column in ods
    assert list(parquet["ring"]) == list(csv["ring"])
    assert [t["ring"] for t in tools] == list(csv["ring"])
    # not only the verdicts: every format has the same columns, the study's 16 first
    assert list(csv.columns[:16]) == CSV_COLUMNS_16
    assert [c for c in parquet.columns if c not in ("snapshot_id", "snapshot_date")] == list(
        csv.columns
    )
    assert list(tools[0]) == list(csv.columns)
    assert xlsx_header == list(csv.columns)


def test_facts_only_leaves_the_verdicts_out(day_db: str, tmp_path: Path) -> None:
    out = _export(day_db, "csv", tmp_path / "x.csv", "--facts-only")
    header = out.read_text().splitlines()[0].split(";")
    assert not set(VERDICT_COLUMNS) & set(header)


def test_xlsx_has_a_frozen_header_filters_and_widths(day_db: str, tmp_path: Path) -> None:
    book = load_workbook(_export(day_db, "xlsx", tmp_path / "x.xlsx"))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
        widths = [d.width for d in sheet.column_dimensions.values()]
        assert widths
        assert all(4 <= w <= 62 for w in widths)
    tools = book["tools"]
    header = [c.value for c in next(tools.iter_rows())]
    reasons = tools.column_dimensions[chr(ord("A") + header.index("reasons"))].width
    assert reasons > tools.column_dimensions["A"].width  # long reasons, wider column


def test_verdict_exports_still_neutralise_outside_text(db_url: str, tmp_path: Path) -> None:
    with _evil_store(db_url) as store:
        verdicts = tool_verdicts(store)
        xlsx = export_snapshot(store, "latest", "xlsx", tmp_path / "x.xlsx", verdicts=verdicts)
        csv = export_snapshot(store, "latest", "csv", tmp_path / "x.csv", verdicts=verdicts)
    cells = [c.value for row in load_workbook(xlsx)["tools"].iter_rows() for c in row]
    assert "'" + EVIL in cells
    assert "'-evil" in cells
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for v in cells)
    frame = pd.read_csv(csv, sep=";", dtype=str, keep_default_na=False)
    assert frame.loc[0, "tool_name"] == "'-evil"
    assert frame.loc[0, "ring"] in RINGS
    assert not frame.loc[0, "reasons"].startswith(("=", "+", "-", "@"))


def test_the_12_column_day_keeps_both_spark_rows_with_their_verdicts(
    db_url: str, study_data: Path, tmp_path: Path
) -> None:
    # Issue 9: in the 12-column layout (2021-05-09) two rows are both called Spark (spreadsheet
    # rows 19 and 63, both apache/spark). The export keeps them apart, row for row, each with a
    # verdict. Imported alone, row 63 is "spark (row 63)" (test_store_import_names.py: with the
    # spreadsheet in the store it is MLlib).
    with Store.open(db_url) as store:
        import_files(store, [study_data / "csvdata" / "2021-05-09.csv"])
    out = _export(db_url, "csv", tmp_path / "x.csv")
    frame = pd.read_csv(out, sep=";", dtype=str, keep_default_na=False)
    spark = frame[frame["tool_name"].str.casefold().str.startswith("spark")]
    assert list(spark["gspread_row"]) == ["19", "63"]
    assert set(spark["repo_name"].str.casefold()) == {"spark"}
    assert list(spark["tool_name"]) == ["Spark", "spark (row 63)"]
    assert all(spark["ring"].isin(RINGS))
    assert all(spark["reasons"].str.len() > 0)
    assert len(frame) == 80
