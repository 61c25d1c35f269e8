"""Reasons in words: a standing that seems to contradict the signal's pull says why; every gate
reason code has its words."""

from __future__ import annotations

import math

import pytest

from mlops_radar.model.results import Direction, GateReason, SignalReason
from mlops_radar.report.words import _GATES, gate_words, signal_words


@pytest.mark.parametrize(
    ("value", "pct", "pull", "expected"),
    [
        (2497, 0.95, 0.2, "2,497 stars, in the top 10% of AutoML"),
        (24, 0.55, -0.1, "24 stars, in the top 50% of AutoML, but low on the global scale"),
        (9000, 0.30, 0.1, "9,000 stars, in the bottom 30% of AutoML, but high on the global scale"),
        (3, 0.05, -0.2, "3 stars, in the bottom 10% of AutoML"),
        (1, 0.05, -0.2, "1 star, in the bottom 10% of AutoML"),
        (math.nan, math.nan, -0.3, "stars: unknown (counts as 0)"),
    ],
)
def test_signal_words(value: float, pct: float, pull: float, expected: str) -> None:
    reason = SignalReason(
        "stars", "stars", None if math.isnan(value) else value,
        None if math.isnan(pct) else pct, "AutoML",
        Direction.HELPS if pull > 0 else Direction.HURTS, pull,
    )  # fmt: skip
    assert signal_words(reason) == expected


def test_a_gate_reason_not_applied_names_the_policy() -> None:
    reason = GateReason("archived", not_applied_under="study")
    assert (
        gate_words(reason)
        == "the repository is archived (read-only) (not applied under policy study)"
    )


def test_every_gate_code_the_model_emits_has_words() -> None:
    import pathlib
    import re

    model = pathlib.Path(__file__).resolve().parents[2] / "src" / "mlops_radar" / "model"
    emitted = set()
    for path in model.glob("*.py"):
        emitted |= set(re.findall(r'GateReason\(\s*"([a-z_]+)"', path.read_text()))
    assert emitted, "no GateReason codes found in model/"
    assert emitted <= set(_GATES), sorted(emitted - set(_GATES))
