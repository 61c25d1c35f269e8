"""No data is not a verdict; rings judge what the snapshot's sources collect; a signal that does
not apply is not unknown (issue 9, items 1-3). Table-driven where they are rules."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import numpy as np
import pytest

from mlops_radar.model import score
from mlops_radar.model.config import default_rings, default_weights
from mlops_radar.model.explain import explain
from mlops_radar.model.results import Ring, RingBasis
from mlops_radar.report.words import ring_words, signal_words

SNAP = date(2021, 5, 20)


def known(stars: int, **more: object) -> dict:
    row = {
        "stars": stars, "forks": stars // 10, "watchers": stars // 50, "total_commits": stars // 5,
        "last_commit_at": datetime(2021, 5, 1, tzinfo=UTC), "releases_last_year": 4,
        "mentionable_users": 30, "open_issues": 5, "closed_issues": 45, "pull_requests": 10,
        "merged_prs": 8, "license_spdx": "MIT", "archived": False, "has_issues": True,
    }  # fmt: skip
    row.update(more)
    return row


#: The shipped rings with a Hold threshold a tiny tool with clean gates can fall under (a known
#: tool's license and archive signals alone lift the shipped model's score above 20).
STRICT = dataclasses.replace(default_rings(), hold_below=30.0)


def ring_of(make_table, radar, rows, *, collected=None, at=0):
    scored = score(make_table(rows), SNAP, radar, default_weights(), STRICT, collected=collected)
    i = int(np.flatnonzero(scored.frame["row"].to_numpy() == at)[0])
    return scored, scored.frame["ring"].iat[i], explain(scored, [i])[0]


@pytest.mark.parametrize(
    ("row", "ring", "basis", "words"),
    [
        ({"outcome": "not_found"}, Ring.UNRATED, RingBasis.NO_DATA, "was not found"),
        ({"outcome": "skipped"}, Ring.UNRATED, RingBasis.NO_DATA, "no repository"),
        (known(900, archived=True), Ring.HOLD, RingBasis.GATE, "archived"),
        (known(900, last_commit_at=datetime(2019, 1, 1, tzinfo=UTC)), Ring.HOLD, RingBasis.GATE,
         "limit: 6 months"),
        ({"stars": 2, "forks": 0}, Ring.ASSESS, RingBasis.REVIEW, "until reviewed"),
        (known(2, forks=0, watchers=0, total_commits=1, releases_last_year=0, mentionable_users=1,
               closed_issues=0, open_issues=9, pull_requests=9, merged_prs=0,
               last_commit_at=datetime(2021, 1, 1, tzinfo=UTC)),
         Ring.HOLD, RingBasis.LOW_SCORE, "below the Hold threshold"),
    ],
)  # fmt: skip
def test_rings_by_rule(make_table, radar, row, ring, basis, words) -> None:
    others = [known(5000 * (i + 1), tool=f"peer{i}") for i in range(4)]
    _, found, why = ring_of(make_table, radar, [row, *others])
    assert (found, why.ring.basis) == (ring, basis)
    assert words in ring_words(why.ring)


def test_a_low_score_on_scant_data_is_assess_not_hold(make_table, radar) -> None:
    others = [known(5000 * (i + 1), tool=f"peer{i}") for i in range(4)]
    scant = {"stars": 1, "license_spdx": "MIT", "archived": False,
             "last_commit_at": datetime(2021, 5, 1, tzinfo=UTC)}  # fmt: skip
    _, found, why = ring_of(make_table, radar, [scant, *others])
    assert why.ring.completeness < STRICT.hold_completeness
    assert (found, why.ring.basis) == (Ring.ASSESS, RingBasis.SCANT)


def test_a_signal_no_source_collects_changes_no_ring_and_no_score(make_table, radar) -> None:
    rows = [known(100 * (i + 1) ** 2, tool=f"t{i}") for i in range(8)]
    for row in rows:
        row["mentionable_users"] = None  # not collected by this snapshot's source
    collected = {k for k in rows[0] if k != "mentionable_users"}
    with_it = score(make_table(rows), SNAP, radar, default_weights(), default_rings(),
                    collected=collected)  # fmt: skip
    # the same tools where the source does collect it and every tool has the same value:
    same = [dict(r, mentionable_users=30) for r in rows]
    full = score(make_table(same), SNAP, radar, default_weights(), default_rings(),
                 collected=collected | {"mentionable_users"})  # fmt: skip
    assert with_it.frame["completeness"].to_numpy() == pytest.approx(1.0)
    assert with_it.coverage < 1.0
    assert list(with_it.frame["rank"]) == list(full.frame["rank"])
    # held against no one: unknown everywhere but not collected costs nobody completeness
    uncollected = score(make_table(rows), SNAP, radar, default_weights(), default_rings())
    assert (uncollected.frame["completeness"] < 1.0).all()


def test_issues_disabled_is_not_applicable_not_unknown(make_table, radar) -> None:
    rows = [known(1000 * (i + 1), tool=f"t{i}") for i in range(5)]
    rows[0].update(has_issues=False, open_issues=0, closed_issues=0)
    scored = score(make_table(rows), SNAP, radar, default_weights(), default_rings())
    frame = scored.frame.set_index("tool")
    assert frame.loc["t0", "completeness"] == pytest.approx(1.0)
    rows[0].update(has_issues=None)  # unknown whether issues are kept here: that is unknown
    unknown = score(make_table(rows), SNAP, radar, default_weights(), default_rings())
    assert unknown.frame.set_index("tool").loc["t0", "completeness"] < 1.0


def test_a_missing_value_never_raises_a_score(make_table, radar) -> None:
    rows = [known(700 * (i + 1), tool=f"t{i}") for i in range(6)]
    base = score(make_table(rows), SNAP, radar, default_weights(), default_rings())
    for field in ("stars", "forks", "releases_last_year", "closed_issues", "mentionable_users"):
        gone = [dict(r) for r in rows]
        gone[2][field] = None
        less = score(make_table(gone), SNAP, radar, default_weights(), default_rings())
        assert less.frame["score"].iat[2] <= base.frame["score"].iat[2] + 1e-9, field


def test_reasons_name_what_sets_a_tool_apart(make_table, radar) -> None:
    rows = [known(100 * (i + 1), tool=f"t{i}") for i in range(12)]  # all MIT, none archived
    scored = score(make_table(rows), SNAP, radar, default_weights(), default_rings())
    for why in explain(scored, range(len(rows))):
        words = [signal_words(r) for r in (*why.helps, *why.hurts)]
        assert not any("license" in w or "archived" in w for w in words), words


def test_small_groups_say_a_place_not_a_percentile(make_table, radar) -> None:
    rows = [known(100, tool="small"), known(5000, tool="big")]
    scored = score(make_table(rows), SNAP, radar, default_weights(), default_rings())
    (why,) = explain(scored, [1])
    words = [signal_words(r) for r in why.helps]
    assert any("1st of 2 in" in w for w in words), words
    assert not any("top 10%" in w for w in words)


def test_one_day_is_singular(make_table, radar) -> None:
    from mlops_radar.model.results import Direction, SignalReason

    reason = SignalReason("days_since_commit", "days", 1.0, None, "G", Direction.HELPS, 0.1)
    assert signal_words(reason) == "last commit 1 day before the snapshot"


def test_tiers_keep_the_unrated_last(make_table, radar) -> None:
    rows = [{"outcome": "not_found", "tool": "gone"}, known(10, tool="small", archived=True),
            known(90000, tool="big")]  # fmt: skip
    scored = score(make_table(rows), SNAP, radar, default_weights(), default_rings())
    frame = scored.frame.set_index("tool")
    assert list(frame.sort_values("rank").index) == ["big", "small", "gone"]
    assert (frame.loc["big", "tier"], frame.loc["small", "tier"], frame.loc["gone", "tier"]) == (
        1, 2, 3,
    )  # fmt: skip
