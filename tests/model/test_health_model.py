"""Community health in the maturity model (issue 13 item 3): the `health_*` columns, neutral
health signals (an unknown value lowers completeness, never moves a score), "quiet but
maintained", and the per-category values the report charts. Pure functions, real tables."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_radar.errors import ModelError
from mlops_radar.model import explain, score
from mlops_radar.model.config import default_rings, default_weights, weights_from_toml
from mlops_radar.model.health import METRIC_KEYS, HealthMetrics
from mlops_radar.model.health.columns import (
    HEALTH_COLUMNS,
    CategoryHealth,
    ToolHealth,
    category_health,
    health_column,
    with_health,
)
from mlops_radar.model.health.quiet import (
    ANSWERED_WITHIN_H,
    QUIET_COMMITS_90D,
    quiet_but_maintained,
)
from mlops_radar.model.results import QuietReason
from mlops_radar.report.as_json import HEALTH_JSON_KEYS
from mlops_radar.report.words import quiet_words

SNAP = date(2026, 5, 31)
AS_OF = datetime(2026, 6, 1, tzinfo=UTC)


def base(stars: int, **more: object) -> dict:
    row = {
        "stars": stars, "forks": 10, "watchers": 5, "total_commits": 100,
        "last_commit_at": datetime(2026, 5, 1, tzinfo=UTC), "releases_last_year": 2,
        "mentionable_users": 20, "open_issues": 5, "closed_issues": 15, "pull_requests": 10,
        "merged_prs": 8, "license_spdx": "MIT", "archived": False,
    }  # fmt: skip
    row.update(more)
    return row


def healthy(**values: float | int | None) -> ToolHealth:
    known = {
        "time_to_first_response_median_h": 4.0, "time_to_close_median_h": 48.0,
        "open_issue_age_median_d": 15.0, "change_request_closure_ratio_90d": 0.75,
        "contributor_absence_factor": 3, "elephant_factor": 2, "commits_90d": 40,
        "releases_last_year": 3,
    }  # fmt: skip
    known.update(values)
    return ToolHealth(HealthMetrics(**known), AS_OF)  # type: ignore[arg-type]


def run(table: pd.DataFrame, radar, collected=None):  # type: ignore[no-untyped-def]
    return score(table, SNAP, radar, default_weights(), default_rings(), collected=collected)


def test_health_columns_are_nan_where_unknown_never_zero(make_table) -> None:
    table = make_table([base(100), base(200), base(300)])
    added = with_health(table, [healthy(), None, healthy(elephant_factor=None)])
    assert set(HEALTH_COLUMNS) <= set(added.columns)
    assert added[health_column("time_to_first_response_median_h")].tolist()[0] == 4.0
    assert all(math.isnan(added[c].iloc[1]) for c in HEALTH_COLUMNS)  # no record: all unknown
    assert math.isnan(added[health_column("elephant_factor")].iloc[2])
    assert added[health_column("commits_90d")].iloc[2] == 40
    with pytest.raises(ValueError, match="2 health records for 3 rows"):
        with_health(table, [None, None])


def test_show_json_keys_are_metrics_of_the_model() -> None:
    assert set(HEALTH_JSON_KEYS) <= set(METRIC_KEYS)
    assert len(HEALTH_JSON_KEYS) == 11


def test_health_signals_are_left_out_of_a_snapshot_without_the_group(make_table, radar) -> None:
    table = make_table([base(100), base(5000)])
    without = run(table, radar)
    assert not any(s.name.startswith("health_") for s in without.specs)
    # the same table with every health value unknown: scores unchanged, completeness lower
    unknown = run(with_health(table, [None, None]), radar)
    assert np.allclose(unknown.frame["score"], without.frame["score"])
    assert (unknown.frame["completeness"] < without.frame["completeness"]).all()
    assert any(s.name.startswith("health_") for s in unknown.specs)


def test_a_fast_answering_tool_outscores_its_slow_twin(make_table, radar) -> None:
    table = make_table([base(1000), base(1000)])
    slow = healthy(time_to_first_response_median_h=700.0, time_to_close_median_h=2000.0)
    scored = run(with_health(table, [healthy(), slow]), radar)
    fast_row, slow_row = scored.frame.iloc[0], scored.frame.iloc[1]
    assert fast_row["dim:responsiveness"] > slow_row["dim:responsiveness"]
    assert fast_row["score"] > slow_row["score"]
    assert fast_row["completeness"] == slow_row["completeness"]


def test_health_signals_judged_only_when_collected(make_table, radar) -> None:
    table = with_health(make_table([base(100), base(200)]), [healthy(), None])
    basic = set(table.columns) - set(HEALTH_COLUMNS)
    scored = run(table, radar, collected=basic)
    assert scored.judged is not None
    judged = {s.name: bool(j) for s, j in zip(scored.specs, scored.judged, strict=True)}
    assert not any(v for k, v in judged.items() if k.startswith("health_"))
    assert run(table, radar, collected=set(table.columns)).judged.all()  # type: ignore[union-attr]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    stars=st.lists(st.integers(0, 50_000), min_size=2, max_size=8),
    known=st.lists(st.booleans(), min_size=8, max_size=8),
    response=st.floats(0, 5000),
)
def test_unknown_health_never_lowers_nor_raises_a_score(
    make_table, radar, stars: list[int], known: list[bool], response: float
) -> None:
    table = make_table([base(s) for s in stars])
    health = [
        healthy(time_to_first_response_median_h=response * (i + 1)) if known[i] else None
        for i in range(len(stars))
    ]
    without = run(table, radar).frame
    scored = run(with_health(table, health), radar).frame
    for i, h in enumerate(health):
        if h is None:
            assert scored["score"].iloc[i] == pytest.approx(without["score"].iloc[i])
            assert scored["completeness"].iloc[i] < without["completeness"].iloc[i]


def test_unknown_rule_must_be_zero_or_neutral() -> None:
    text = """
[dimensions]
a = 1
[signals.s]
dimension = "a"
unknown = "maybe"
"""
    with pytest.raises(ModelError, match=r"signals\.s\.unknown must be one of zero, neutral"):
        weights_from_toml(text, source="w.toml")
    shipped = {s.name: s for s in default_weights().signals}
    assert shipped["health_first_response"].neutral
    assert not shipped["stars"].neutral


@pytest.mark.parametrize(
    ("values", "archived", "quiet"),
    [
        ({"commits_90d": 1, "releases_last_year": 1, "time_to_first_response_median_h": 6.0},
         False, QuietReason(1, 1, 6.0)),
        ({"commits_90d": QUIET_COMMITS_90D, "releases_last_year": 2,
          "time_to_first_response_median_h": ANSWERED_WITHIN_H}, False,
         QuietReason(QUIET_COMMITS_90D, 2, ANSWERED_WITHIN_H)),
        # busy, not quiet
        ({"commits_90d": QUIET_COMMITS_90D + 1, "releases_last_year": 1,
          "time_to_first_response_median_h": 6.0}, False, None),
        # no release in the last year
        ({"commits_90d": 0, "releases_last_year": 0, "time_to_first_response_median_h": 6.0},
         False, None),
        # issues answered too slowly
        ({"commits_90d": 0, "releases_last_year": 1,
          "time_to_first_response_median_h": ANSWERED_WITHIN_H + 1}, False, None),
        # nothing answered (unknown): no verdict either way
        ({"commits_90d": 0, "releases_last_year": 1, "time_to_first_response_median_h": None},
         False, None),
        # archived: read-only, not maintained
        ({"commits_90d": 0, "releases_last_year": 1, "time_to_first_response_median_h": 6.0},
         True, None),
    ],
)  # fmt: skip
def test_quiet_but_maintained(make_table, values, archived, quiet) -> None:  # type: ignore[no-untyped-def]
    table = with_health(
        make_table([base(10, archived=archived)]),
        [ToolHealth(HealthMetrics(**values), AS_OF)],
    )
    assert quiet_but_maintained(table) == [quiet]


def test_quiet_reason_reaches_the_explanation_in_words(make_table, radar) -> None:
    table = make_table([base(100), base(5000)])
    quiet = healthy(commits_90d=1, releases_last_year=1, time_to_first_response_median_h=6.0)
    scored = run(with_health(table, [quiet, healthy()]), radar)
    first, second = explain(scored, [0, 1])
    assert first.quiet == QuietReason(1, 1, 6.0)
    assert second.quiet is None
    assert quiet_words(first.quiet) == (
        "quiet but maintained, not abandoned: 1 commit in the last 90 days, but issues answered "
        "in a median of 6 hours and 1 release in the last year"
    )
    # without the health columns there is no such reason, and no column for it
    assert "quiet" not in run(table, radar).frame.columns


def test_category_health_medians_per_category(make_table) -> None:
    table = make_table(
        [base(1, categories=["A", "B"]), base(2, categories=["A"]), base(3, categories=[])]
    )
    values = with_health(
        table,
        [healthy(time_to_first_response_median_h=2.0),
         healthy(time_to_first_response_median_h=10.0), None],
    )  # fmt: skip
    found = category_health(values)
    key = "time_to_first_response_median_h"
    assert found["A"][key] == CategoryHealth(6.0, 2, 2)
    assert found["B"][key] == CategoryHealth(2.0, 1, 1)
    assert found["(no category)"][key] == CategoryHealth(None, 0, 1)
    assert set(found["A"]) == set(METRIC_KEYS)
    # without the group: nothing known, never 0
    bare = category_health(table, ("commits_90d",))
    assert bare["A"] == {"commits_90d": CategoryHealth(None, 0, 2)}
