"""`mlops-radar licenses --json` on the study's imported files (issue 11, item 4 and Done when):
the reported distribution is GitHub's license names as the study's CSV recorded them ("Other"
included), its shares sum to 1; with the spreadsheet imported, its hand analysis shows beside."""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlops_radar.cli import main

STUDY = Path(__file__).resolve().parents[3] / "shared" / "data" / "mlopstools-2021"
CSV = STUDY / "csvdata" / "2021-05-09.csv"


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not CSV.exists():
        pytest.skip(f"the study's CSV is not at {CSV}")
    url = f"sqlite:///{tmp_path_factory.mktemp('licenses') / 'study.sqlite3'}"
    _cli("import", str(CSV), "--db", url)
    return url


def _rows() -> list[dict[str, str]]:
    with CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_reported_shares_sum_to_one_and_count_the_csvs_names(db: str) -> None:
    found = json.loads(_cli("licenses", "--snapshot", "2021-05-09", "--json", "--db", db))
    reported = found["reported"]
    assert math.isclose(sum(r["share"] for r in reported), 1.0, abs_tol=1e-9)
    assert math.isclose(sum(r["share"] for r in found["resolved"]), 1.0, abs_tol=1e-9)
    # the same counts as the CSV's own license_name column (empty: no license)
    expected = Counter(r["license_name"] or "(none)" for r in _rows())
    assert {r["license"]: r["count"] for r in reported} == dict(expected)
    assert expected["Other"] > 0
    assert found["manual"] == []  # the CSVs hold no hand analysis
    assert found["snapshot"]["date"] == "2021-05-09"


def test_the_spreadsheets_hand_analysis_shows_beside(db: str, tmp_path: Path) -> None:
    ods = STUDY / "FerramentasMLOps.ods"
    if not ods.exists():
        pytest.skip(f"the study's spreadsheet is not at {ods}")
    url = f"sqlite:///{tmp_path / 'both.sqlite3'}"
    _cli("import", str(CSV), "--db", url)
    _cli("import", str(ods), "--date", "2021-05-01", "--db", url)
    found = json.loads(_cli("licenses", "--snapshot", "2021-05-01", "--json", "--db", url))
    assert found["manual"], "the spreadsheet's hand analysis is missing"
    assert math.isclose(sum(m["share"] for m in found["manual"]), 1.0, abs_tol=1e-9)
    later = json.loads(_cli("licenses", "--snapshot", "2021-05-09", "--json", "--db", url))
    other = next(r["count"] for r in later["reported"] if r["license"] == "Other")
    unresolved = sum(r["count"] for r in later["resolved"] if r["spdx"] == "(none)")
    assert unresolved < other  # the spreadsheet's reviews resolve some of the "Other" ones
