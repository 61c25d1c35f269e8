"""The maturity model: normalisation, missing signals, completeness, rings, explanations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_radar.errors import ModelError
from mlops_radar.model import explain, qualify, score
from mlops_radar.model.config import default_rings, default_weights, weights_from_toml
from mlops_radar.model.explain import unknown_everywhere
from mlops_radar.model.normalise import group_percentile
from mlops_radar.model.results import Direction
from mlops_radar.report.words import ring_words, signal_words

SNAP = date(2021, 5, 20)


def full(stars: int, **more) -> dict:
    """A tool with every signal known."""
    row = {
        "stars": stars,
        "forks": 10,
        "watchers": 5,
        "total_commits": 100,
        "last_commit_at": datetime(2021, 5, 1, tzinfo=UTC),
        "releases_last_year": 2,
        "mentionable_users": 20,
        "open_issues": 5,
        "closed_issues": 15,
        "pull_requests": 10,
        "merged_prs": 8,
        "license_spdx": "MIT",
        "archived": False,
    }
    row.update(more)
    return row


def run(table, policy, grouping="category"):
    return score(table, SNAP, policy, default_weights(), default_rings(), grouping=grouping)


def test_group_percentile_against_hand_values() -> None:
    values = np.array([1.0, 2.0, 3.0, 4.0, np.nan, 10.0, 1.0])
    codes = np.array([0, 0, 0, 0, 0, 1, 1])
    reference = np.array([True, True, True, True, True, False, True])
    got = group_percentile(values, codes, reference, lower_is_better=False)
    assert got[:4] == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert np.isnan(got[4])
    assert got[5:] == pytest.approx([1.0, 1.0])  # group 1's only reference is 1.0
    lower = group_percentile(values, codes, reference, lower_is_better=True)
    assert lower[:4] == pytest.approx([1.0, 0.75, 0.5, 0.25])


def test_tools_passing_every_gate_rank_before_the_others(make_table, radar) -> None:
    stale = datetime(2020, 10, 1, tzinfo=UTC)  # seven and a half months before the snapshot
    big = {"forks": 9_000, "watchers": 2_000, "total_commits": 30_000, "mentionable_users": 900}
    table = make_table(
        [
            full(90_000, tool="famous-but-stale", last_commit_at=stale, **big),
            full(50, tool="small-and-active"),
            full(80_000, tool="famous-unclear-license", license_spdx="NOASSERTION"),
        ]
    )
    frame = run(table, radar).frame.set_index("tool")
    assert frame.loc["famous-but-stale", "score"] > frame.loc["small-and-active", "score"]
    assert frame.loc["small-and-active", "rank"] == 1
    assert frame.loc["famous-but-stale", "ring"] == "Hold"
    # needs review and eliminated share the second tier, ordered by score
    assert frame.loc["famous-but-stale", "rank"] == 2
    assert frame.loc["famous-unclear-license", "rank"] == 3


def test_full_data_scores_and_completeness(make_table, radar) -> None:
    scored = run(make_table([full(100), full(1000)]), radar)
    frame = scored.frame
    assert frame["completeness"].tolist() == pytest.approx([1.0, 1.0])
    assert frame.loc[1, "score"] > frame.loc[0, "score"]
    assert frame["rank"].tolist() == [2, 1]
    assert all(0 <= s <= 100 for s in frame["score"])


def test_missing_signal_lowers_completeness_and_never_raises_the_score(make_table, radar) -> None:
    table = make_table([full(500), full(500, releases_last_year=None), full(500, archived=None)])
    frame = run(table, radar).frame
    assert frame.loc[1, "completeness"] < 1.0
    assert frame.loc[1, "score"] < frame.loc[0, "score"]
    assert frame.loc[2, "score"] < frame.loc[0, "score"]


def test_weights_file_changes_the_weights_and_bad_ones_raise() -> None:
    weights = weights_from_toml("[dimensions]\npopularity = 5.0\n", source="w.toml")
    assert weights.dimensions["popularity"] == 5.0
    assert weights.dimensions["activity"] == 1.0  # default kept
    with pytest.raises(ModelError, match=r"^w\.toml: "):
        weights_from_toml('[signals.stars]\ndimension = "nowhere"\n', source="w.toml")


def test_a_tool_in_two_categories_is_ranked_in_each(make_table, radar) -> None:
    table = make_table([full(10, categories=["A", "B"]), full(100, categories=["A"])])
    frame = run(table, radar).frame
    assert sorted(frame["group"]) == ["A", "A", "B"]
    assert frame.loc[(frame["tool"] == "t0") & (frame["group"] == "B"), "rank"].item() == 1
    assert frame.loc[(frame["tool"] == "t0") & (frame["group"] == "A"), "rank"].item() == 2


def test_stage_grouping_explodes_stages(make_table, radar) -> None:
    table = make_table([full(10, stages=["Monitoring", "Model Serving"]), full(20, stages=[])])
    frame = run(table, radar, grouping="stage").frame
    assert sorted(frame["group"]) == ["(no stage)", "Model Serving", "Monitoring"]


@pytest.mark.parametrize(
    ("facts", "ring", "reason"),
    [
        (
            full(
                20000,
                forks=5000,
                watchers=1000,
                total_commits=10000,
                releases_last_year=26,
                mentionable_users=1000,
            ),
            "Adopt",
            "Adopt: score",
        ),
        (full(20000, forks=5000, watchers=1000, archived=True), "Hold", "archived"),
        (
            full(
                20000,
                forks=5000,
                watchers=1000,
                total_commits=10000,
                releases_last_year=26,
                mentionable_users=1000,
                license_spdx=None,
                license_name="Other",
            ),
            "Assess",
            "until reviewed",
        ),
        ({"stars": 3}, "Assess", "until reviewed"),  # gates unknown: the review cap comes first
        ({}, "Unrated", "no data is not a verdict"),
    ],
)
def test_rings(make_table, radar, facts, ring, reason) -> None:
    scored = run(make_table([facts]), radar)
    assert scored.frame["ring"].iat[0] == ring
    assert reason in ring_words(explain(scored, [0])[0].ring)


def test_explanation_names_what_helps_and_hurts_in_words(make_table, radar) -> None:
    rows = [full(10 * i, tool=f"t{i}") for i in range(1, 11)]
    rows.append(
        full(
            5000,
            last_commit_at=datetime(2021, 5, 20, tzinfo=UTC) - timedelta(days=240),
            mentionable_users=None,
            categories=["Cat"],
        )
    )
    scored = run(make_table(rows), radar)
    why = explain(scored, [10])[0]
    helps = [signal_words(r) for r in why.helps]
    hurts = [signal_words(r) for r in why.hurts]
    assert any(h == "5,000 stars, in the top 10% of Cat" for h in helps)
    assert any("last commit 240 days before the snapshot" in h for h in hurts)
    assert any("mentionable users: unknown" in h for h in hurts)
    assert len(why.helps) <= 3
    assert len(why.hurts) <= 3
    stars = next(r for r in why.helps if r.signal == "stars")
    assert (stars.value, stars.group, stars.direction) == (5000.0, "Cat", Direction.HELPS)
    assert stars.percentile is not None
    assert stars.percentile >= 0.9
    unknown = next(r for r in why.hurts if r.signal == "mentionable_users")
    assert (unknown.value, unknown.percentile) == (None, None)


def test_missing_columns_raise_model_error(make_table, radar) -> None:
    table = make_table([{}]).drop(columns=["tool"])
    with pytest.raises(ModelError, match="lacks column"):
        qualify(table, SNAP, radar)


counts = st.integers(min_value=0, max_value=200_000)


@st.composite
def full_rows(draw):
    return full(
        draw(counts),
        forks=draw(counts),
        watchers=draw(counts),
        total_commits=draw(counts),
        releases_last_year=draw(st.integers(0, 60)),
        mentionable_users=draw(counts),
        open_issues=draw(st.integers(0, 500)),
        closed_issues=draw(st.integers(1, 500)),
        pull_requests=draw(st.integers(50, 150)),
        merged_prs=draw(st.integers(1, 50)),
        last_commit_at=datetime(2021, 5, 20, tzinfo=UTC)
        - timedelta(days=draw(st.integers(0, 4000))),
        license_spdx=draw(st.sampled_from(["MIT", "SSPL-1.0", "NOASSERTION"])),
        archived=draw(st.booleans()),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(full_rows(), min_size=1, max_size=12),
    pick=st.integers(0, 11),
    policy_name=st.sampled_from(["study", "radar"]),
)
def test_stars_only_never_outranks_full_data_with_the_same_stars(
    make_table, rows, pick, policy_name
) -> None:
    from mlops_radar.model.config import named_policy

    target = rows[pick % len(rows)]
    rows = [{**r, "tool": f"full{i}"} for i, r in enumerate(rows)]
    rows.append({"tool": "stars-only", "stars": target["stars"]})
    frame = run(make_table(rows), named_policy(policy_name)).frame
    lone = frame[frame["tool"] == "stars-only"].iloc[0]
    twin = frame[frame["tool"] == f"full{pick % (len(rows) - 1)}"].iloc[0]
    assert lone["score"] <= twin["score"] + 1e-9
    assert lone["rank"] > twin["rank"]
    assert lone["completeness"] < twin["completeness"]


def test_signals_unknown_for_every_tool_are_named_once_not_in_each_explanation(
    make_table, radar
) -> None:
    rows = [full(100), full(5000), full(20)]
    for row in rows:
        del row["mentionable_users"]  # a source that does not collect it (the study's CSVs)
    rows[0]["releases_last_year"] = None  # unknown for one tool only: that one is telling
    scored = run(make_table(rows), radar)
    assert unknown_everywhere(scored) == ("mentionable users",)
    words = [signal_words(w) for e in explain(scored, list(range(3))) for w in (*e.helps, *e.hurts)]
    assert not any("mentionable users" in w for w in words)
    (first,) = explain(scored, [0])
    hurts = [signal_words(w) for w in first.hurts]
    assert any(w.startswith("releases in the last year: unknown") for w in hurts)
    # it still counts 0 for every tool: nobody is complete
    assert (scored.frame["completeness"] < 1).all()
