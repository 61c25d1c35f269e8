"""Backtest and calibration on simulated populations advanced in time with a known relation
(github_simulator.future): the truth is known, so the figures can be checked against it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from simulated import facts_of
from sklearn.metrics import roc_auc_score

from github_simulator.future import logistic_chance
from github_simulator.population import Population
from mlops_radar.app.backtest import OutcomeRule, activity_fates
from mlops_radar.model import qualify, score
from mlops_radar.model.backtest import Fate, auc_interval, backtest
from mlops_radar.model.calibrate import calibrate
from mlops_radar.model.config import default_rings, default_weights, named_policy
from mlops_radar.model.results import Ring

POLICY = named_policy("radar")


def _world(n: int, seed: int, strength: float = 1.0):  # type: ignore[no-untyped-def]
    now = Population.synthetic(n, seed=seed)
    future = now.advance(months=24, seed=seed + 1, chance=logistic_chance(strength=strength))
    before = facts_of(now)
    after = facts_of(future.later, now)
    fates = activity_fates(
        before, after, future.later.now.date(), rule=OutcomeRule.ACTIVITY, months=12, aliases={}
    )
    return now, future, before, fates


def _scored(before, when, weights=None):  # type: ignore[no-untyped-def]
    weights = weights or default_weights()
    return score(before, when, POLICY, weights, default_rings()), qualify(before, when, POLICY)


@pytest.mark.parametrize("strength", [1.0, 2.0])
def test_backtest_auc_is_within_005_of_the_known_relation(strength: float) -> None:
    now, future, before, fates = _world(1500, seed=11, strength=strength)
    keys = [r.lower() for r in before["repo"]]
    truth = np.array([future.active[k] for k in keys])
    # the fates read back from the later facts are the truth the simulator drew
    assert [f is Fate.ALIVE for f in fates] == truth.tolist()
    known_auc = roc_auc_score(truth, [future.chance[k] for k in keys])
    scored, measures = _scored(before, now.now.date())
    result = backtest(scored, measures, fates, resamples=200)
    found = result.predictor("score")
    assert found.auc is not None
    assert abs(found.auc - known_auc) < 0.05
    assert found.low is not None
    assert found.high is not None
    assert found.low < found.auc < found.high
    assert result.alive + result.dead == 1500
    assert result.unknown == 0
    # a backtest measured in the same run: every baseline reported, on the same tools
    assert [p.name for p in result.predictors][1:] == [
        "stars", "attractiveness", "study_rank", "activity_gate",
    ]  # fmt: skip
    assert result.predictor("stars").tools == 1500


def test_unknown_fates_are_counted_and_left_out() -> None:
    now, _future, before, fates = _world(300, seed=5)
    fates = [Fate.UNKNOWN if i % 3 == 0 else f for i, f in enumerate(fates)]
    scored, measures = _scored(before, now.now.date())
    result = backtest(scored, measures, fates, resamples=50)
    assert result.unknown == 100
    assert sum(r.unknown for r in result.rings) == 100
    assert all(p.tools == 200 for p in result.predictors)
    by_ring = {r.ring: r for r in result.rings}
    assert result.hold_dead.hits == by_ring[Ring.HOLD].dead
    assert result.hold_dead.predicted == by_ring[Ring.HOLD].alive + by_ring[Ring.HOLD].dead
    at = result.adopt_trial_alive
    assert at.hits == by_ring[Ring.ADOPT].alive + by_ring[Ring.TRIAL].alive
    assert at.actual == result.alive
    assert at.precision == pytest.approx(at.hits / at.predicted)


def test_bootstrap_is_seeded_and_undefined_on_one_fate() -> None:
    rng = np.random.default_rng(0)
    alive, values = rng.random(200) < 0.5, rng.random(200)
    first = auc_interval(alive, values, resamples=100, confidence=0.9, seed=4)
    assert first == auc_interval(alive, values, resamples=100, confidence=0.9, seed=4)
    assert first[0] == pytest.approx(roc_auc_score(alive, values))
    few = np.arange(20) < 3  # three of one fate: no interval
    assert auc_interval(few, values[:20], resamples=10, confidence=0.9, seed=0)[1:] == (None, None)
    assert auc_interval(np.ones(5, bool), values[:5], resamples=10, confidence=0.9, seed=0) == (
        None, None, None,
    )  # fmt: skip


def _wrong_weights():  # type: ignore[no-untyped-def]
    """Weight only on the signals the relation ignores or barely uses."""
    weights = default_weights()
    kept = {"license_clarity", "watchers", "releases_last_year"}
    signals = tuple(
        dataclasses.replace(s, weight=1.0 if s.name in kept else 0.0) for s in weights.signals
    )
    return dataclasses.replace(weights, signals=signals)


def test_calibration_recovers_deliberately_wrong_weights() -> None:
    now, _future, before, fates = _world(1500, seed=21, strength=2.0)
    scored, _ = _scored(before, now.now.date(), _wrong_weights())
    found = calibrate(scored, fates, folds=5, seed=0, resamples=200)
    assert found.folds == 5
    assert found.calibrated_auc > found.current_auc + 0.1
    assert found.accepted
    assert found.gain_low > 0
    # the fitted weights put the relation's signals first
    top = sorted(found.signal_weights, key=lambda k: -found.signal_weights[k])[:3]
    assert "license_clarity" not in top


def test_calibration_on_pure_noise_does_not_pretend() -> None:
    now, _future, before, _fates = _world(1500, seed=31)
    rng = np.random.default_rng(8)
    noise = [Fate.ALIVE if x else Fate.DEAD for x in rng.random(1500) < 0.5]
    scored, _ = _scored(before, now.now.date())
    found = calibrate(scored, noise, folds=5, seed=0, resamples=200)
    assert found.calibrated_auc <= 0.55
    assert not found.accepted
    # no ring threshold keeps its promise when the score knows nothing of the fates
    assert found.adopt_score is None
    assert found.trial_score is None


def test_calibrated_ring_thresholds_keep_their_promises_out_of_sample() -> None:
    """Adopt halves the population's death rate, Trial is no worse than it, Hold below both; each
    read off scores held out from the fit, then checked on a second world of the same relation."""
    now, _future, before, fates = _world(1500, seed=21, strength=2.0)
    scored, _ = _scored(before, now.now.date())
    found = calibrate(scored, fates, folds=5, seed=0, resamples=100)
    assert found.hold_below is not None
    assert found.trial_score is not None
    assert found.adopt_score is not None
    assert found.hold_below <= found.trial_score <= found.adopt_score
    # on tools it never saw, scored with the current weights, the thresholds still sort the fates
    now2, _future2, before2, fates2 = _world(1500, seed=22, strength=2.0)
    scored2, _ = _scored(before2, now2.now.date())
    first = ~scored2.frame["row"].duplicated().to_numpy()
    values = scored2.frame["score"].to_numpy()[first]
    dead = np.array([f is Fate.DEAD for f in fates2])
    adopt = values >= found.adopt_score
    trial = (values >= found.trial_score) & ~adopt
    hold = values < found.hold_below
    assert dead[adopt].mean() <= dead.mean() * 0.75
    assert dead[adopt].mean() < dead[trial].mean() < dead[hold].mean()
