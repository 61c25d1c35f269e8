"""The study's attractiveness and rank, against hand-computed rows; qualify's summary."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from mlops_radar.model import attractiveness, qualify, study_rank, summarise

BASE = {"watchers": 10, "stars": 100, "forks": 20, "total_commits": 50}
WEIGHTED = (1.2 * 10 + 1.1 * 100 + 1.0 * 20 + 0.9 * 50) / 4.2  # 187 / 4.2 = 44.5238...


@pytest.mark.parametrize(
    ("facts", "eliminated", "expected"),
    [
        ({**BASE, "open_issues": 1, "closed_issues": 3}, False, 187 / 4.2 * 0.75),
        ({**BASE, "open_issues": 5, "closed_issues": 0}, False, 187 / 4.2),  # ratio 0: not applied
        ({**BASE, "open_issues": 0, "closed_issues": 0}, False, 187 / 4.2),  # undefined
        (BASE, False, 187 / 4.2),  # no issue counts (the 12-column CSV)
        ({**BASE, "open_issues": 1, "closed_issues": 3, "archived": True}, False, 0.0),
        ({**BASE, "open_issues": 1, "closed_issues": 3}, True, 0.0),
        ({"watchers": 1, "stars": 0, "forks": 0, "total_commits": 0}, False, 1.2 / 4.2),
        ({**BASE, "watchers": None}, False, math.nan),
    ],
)
def test_study_rank(make_table, facts, eliminated, expected) -> None:
    table = make_table([facts])
    got = study_rank(table, pd.Series([eliminated]))[0]
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)
    assert pytest.approx(44.523809523809526) == WEIGHTED


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"stars": 100, "forks": 20, "watchers": 10}, 130 / 3),
        ({"stars": 0, "forks": 0, "watchers": 0}, 0.0),
        ({"stars": 7, "forks": None, "watchers": 1}, math.nan),
    ],
)
def test_attractiveness(make_table, facts, expected) -> None:
    got = attractiveness(make_table([facts]))[0]
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)


def test_summary_adds_up_and_averages_tools_not_eliminated(make_table, study) -> None:
    table = make_table(
        [
            {
                "stars": 30,
                "forks": 0,
                "watchers": 0,
                "license_spdx": "MIT",
                "last_commit_stale": False,
            },
            {
                "stars": 90,
                "forks": 0,
                "watchers": 0,
                "license_spdx": "MIT",
                "last_commit_stale": False,
                "categories": ["Cat", "Other"],
            },
            {
                "stars": 3000,
                "forks": 0,
                "watchers": 0,
                "license_spdx": "MIT",
                "last_commit_stale": True,
            },
            {
                "stars": 60,
                "forks": 0,
                "watchers": 0,
                "license_name": "Other",
                "last_commit_stale": False,
            },
        ]
    )
    summary = summarise(qualify(table, date(2021, 5, 20), study))
    assert (summary["qualified"], summary["eliminated"], summary["needs_review"]) == (2, 1, 1)
    assert summary["mean_attractiveness"] == pytest.approx((10 + 30 + 20) / 3)
    cat = summary["by_category"]["Cat"]
    assert cat == {
        "tools": 4,
        "qualified": 2,
        "mean_attractiveness": pytest.approx(20.0),
        "median_attractiveness": pytest.approx(20.0),
    }
    assert summary["by_category"]["Other"]["tools"] == 1
