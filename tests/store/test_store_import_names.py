"""The study's 12-column CSV names no tool: its rows 19 (Spark) and 63 (MLlib) share apache/spark.
The importer keeps them apart, by the spreadsheet row (issue 9, item 7)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa

from mlops_radar.store import Store, schema
from mlops_radar.store.importer import import_files


def _spark_rows(store: Store, day: date) -> dict[int, str]:
    with store.transaction() as conn:
        found = conn.execute(
            sa.select(schema.tools.c.source_row, schema.tools.c.name)
            .join(schema.snapshots, schema.snapshots.c.id == schema.tools.c.snapshot_id)
            .where(schema.tools.c.repo_key == "apache/spark")
            .where(schema.snapshots.c.snapshot_date == day)
        ).all()
    return {int(row): str(name) for row, name in found}


def test_alone_the_rows_keep_apart_by_their_row_number(study_data: Path, tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "radar.sqlite3")) as store:
        import_files(store, [study_data / "csvdata" / "2021-05-09.csv"])
        assert _spark_rows(store, date(2021, 5, 9)) == {19: "Spark", 63: "spark (row 63)"}


def test_the_spreadsheet_names_the_row(study_data: Path, tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "radar.sqlite3")) as store:
        import_files(store, [study_data / "FerramentasMLOps.ods"], snapshot_date=date(2021, 5, 21))
        import_files(store, [study_data / "csvdata" / "2021-05-09.csv"])
        assert _spark_rows(store, date(2021, 5, 9)) == {19: "Spark", 63: "MLlib"}


def test_in_one_call_the_twelve_column_file_goes_last(study_data: Path, tmp_path: Path) -> None:
    sixteen = (study_data / "csvdata" / "2021-05-10.csv").read_text(encoding="utf-8")
    row_63 = (
        "63;Optimization Tools;MLlib;apache;spark;master;" + "1;False;1;1;1;MIT;Scala;False;1;1"
    )
    later = tmp_path / "2021-05-10.csv"
    later.write_text(sixteen.rstrip("\n") + "\n" + row_63 + "\n", encoding="utf-8")
    with Store.open(str(tmp_path / "radar.sqlite3")) as store:
        results = import_files(store, [study_data / "csvdata" / "2021-05-09.csv", later])
        assert [r.snapshot_date for r in results] == [date(2021, 5, 9), date(2021, 5, 10)]
        assert _spark_rows(store, date(2021, 5, 9)) == {19: "Spark", 63: "MLlib"}
