"""Kendall's tau-b (against a brute-force count) and the robustness figure."""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_radar.model import kendall_tau_b, robustness, score
from mlops_radar.model.config import default_rings, default_weights


def brute_tau_b(x: list[float], y: list[float]) -> float:
    concordant = discordant = tied_x = tied_y = 0
    for i, j in itertools.combinations(range(len(x)), 2):
        dx, dy = np.sign(x[i] - x[j]), np.sign(y[i] - y[j])
        if dx == 0 and dy == 0:
            continue
        if dx == 0:
            tied_x += 1
        elif dy == 0:
            tied_y += 1
        elif dx == dy:
            concordant += 1
        else:
            discordant += 1
    denominator = np.sqrt((concordant + discordant + tied_x) * (concordant + discordant + tied_y))
    return (concordant - discordant) / denominator if denominator else float("nan")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 5)), min_size=2, max_size=40
    )
)
def test_tau_b_matches_brute_force_with_ties(pairs) -> None:
    x = np.array([p[0] for p in pairs], dtype=float)
    ys = np.array([[p[1], p[2]] for p in pairs], dtype=float)
    got = kendall_tau_b(x, ys)
    for k in range(2):
        expected = brute_tau_b(list(x), list(ys[:, k]))
        assert (np.isnan(got[k]) and np.isnan(expected)) or got[k] == pytest.approx(expected)


def test_tau_b_extremes() -> None:
    x = np.arange(10.0)
    assert kendall_tau_b(x, np.c_[x, -x]) == pytest.approx([1.0, -1.0])


def test_robustness_is_seeded_and_reported_per_group(make_table, radar) -> None:
    rng = np.random.default_rng(1)
    rows = [
        {
            "stars": int(s),
            "forks": int(f),
            "watchers": 3,
            "license_spdx": "MIT",
            "categories": ["A" if i % 2 else "B"],
        }
        for i, (s, f) in enumerate(
            zip(rng.integers(0, 9000, 30), rng.integers(0, 900, 30), strict=True)
        )
    ]
    scored = score(make_table(rows), date(2021, 5, 20), radar, default_weights(), default_rings())
    first, second = robustness(scored), robustness(scored)
    assert first.equals(second)
    assert list(first["group"]) == ["A", "B"]
    assert (first["tools"] == 15).all()
    assert ((first["mean_tau"] > 0.5) & (first["mean_tau"] <= 1.0)).all()
    assert ((first["top3_unchanged"] >= 0) & (first["top3_unchanged"] <= 1)).all()
