"""Maturity-model settings: dimensions, signals and their weights, ring thresholds.

Plain data parsed from TOML-shaped mappings (the shipped defaults in `model/data/`, or a user file
read by the caller). A user file overrides the defaults key by key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlops_radar.errors import ModelError

__all__ = [
    "SCALES",
    "UNKNOWN_RULES",
    "RingRules",
    "SignalSpec",
    "Weights",
    "merge_mappings",
    "rings_from_mapping",
    "weights_from_mapping",
]

SCALES = ("log", "inverse_log", "ratio")
#: What a signal's unknown value does to a tool's score: "zero" counts it 0 (the model's rule:
#: missing data can only lower a score); "neutral" leaves it out of that tool's score (its
#: dimension is scored on its other signals, as if the signal were not configured) while still
#: lowering the tool's completeness. Health signals are neutral: a repository without issues has
#: no time to first response, which says nothing bad about it (docs/maturity-model.md).
UNKNOWN_RULES = ("zero", "neutral")


@dataclass(frozen=True, slots=True)
class SignalSpec:
    """One signal of the model: where it sits, how much it weighs, how it is normalised."""

    name: str
    dimension: str
    weight: float
    scale: str
    threshold: float
    percentile: bool
    label: str
    optional: bool = False
    column: str | None = None  # a signal read from this fact column as it is (any source's)
    neutral: bool = False  # unknown = "neutral": an unknown value neither lowers nor raises a score


@dataclass(frozen=True, slots=True)
class Weights:
    """All weights of the model, plus the robustness settings."""

    dimensions: Mapping[str, float]
    signals: tuple[SignalSpec, ...]
    category_share: float = 0.5
    spread: float = 0.2
    draws: int = 100
    seed: int = 0


@dataclass(frozen=True, slots=True)
class RingRules:
    """Score and completeness thresholds of the radar's rings."""

    hold_below: float
    adopt_score: float
    adopt_completeness: float
    trial_score: float
    trial_completeness: float
    adopt_min_stars: float = 0.0  # evidence of adoption a ring asks for (0: no floor)
    trial_min_stars: float = 0.0
    hold_completeness: float = 0.5  # a low score is Hold only on at least this much known


def merge_mappings(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with `override` laid over it, recursively for tables."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge_mappings(merged[key], value)
        else:
            merged[key] = value
    return merged


def weights_from_mapping(mapping: Mapping[str, Any], *, source: str) -> Weights:
    """Build `Weights`; every signal's dimension must be declared with a weight."""
    dims = mapping.get("dimensions", {})
    if not isinstance(dims, Mapping) or not dims:
        raise ModelError(f"{source}: [dimensions] must map dimension names to weights")
    dimensions = {str(k): _number(v, f"dimensions.{k}", source) for k, v in dims.items()}
    signals = tuple(
        _signal(name, spec, dimensions, source) for name, spec in mapping.get("signals", {}).items()
    )
    if not signals:
        raise ModelError(f"{source}: no [signals.*] tables")
    robustness = mapping.get("robustness", {})
    share = _number(mapping.get("category_share", 0.5), "category_share", source)
    if not 0.0 <= share <= 1.0:
        raise ModelError(f"{source}: category_share must be between 0 and 1")
    return Weights(
        dimensions=dimensions,
        signals=signals,
        category_share=share,
        spread=_number(robustness.get("spread", 0.2), "robustness.spread", source),
        draws=int(_number(robustness.get("draws", 100), "robustness.draws", source)),
        seed=int(_number(robustness.get("seed", 0), "robustness.seed", source)),
    )


def rings_from_mapping(mapping: Mapping[str, Any], *, source: str) -> RingRules:
    """Build `RingRules` from the `rings.toml` shape."""
    adopt, trial = mapping.get("adopt", {}), mapping.get("trial", {})
    return RingRules(
        hold_below=_number(mapping.get("hold_below"), "hold_below", source),
        adopt_score=_number(adopt.get("score"), "adopt.score", source),
        adopt_completeness=_number(adopt.get("completeness"), "adopt.completeness", source),
        trial_score=_number(trial.get("score"), "trial.score", source),
        trial_completeness=_number(trial.get("completeness"), "trial.completeness", source),
        adopt_min_stars=_number(adopt.get("min_stars", 0), "adopt.min_stars", source),
        trial_min_stars=_number(trial.get("min_stars", 0), "trial.min_stars", source),
        hold_completeness=_number(
            mapping.get("hold_completeness", 0.5), "hold_completeness", source
        ),
    )


def _signal(name: str, spec: Any, dimensions: Mapping[str, float], source: str) -> SignalSpec:
    if not isinstance(spec, Mapping):
        raise ModelError(f"{source}: [signals.{name}] must be a table")
    dimension = spec.get("dimension")
    if dimension not in dimensions:
        raise ModelError(f"{source}: signals.{name}.dimension {dimension!r} is not in [dimensions]")
    scale = spec.get("scale", "log")
    if scale not in SCALES:
        raise ModelError(f"{source}: signals.{name}.scale must be one of {', '.join(SCALES)}")
    threshold = _number(spec.get("threshold", 1), f"signals.{name}.threshold", source)
    if threshold <= 0:
        raise ModelError(f"{source}: signals.{name}.threshold must be positive")
    return SignalSpec(
        name=name,
        dimension=str(dimension),
        weight=_number(spec.get("weight", 1.0), f"signals.{name}.weight", source),
        scale=str(scale),
        threshold=threshold,
        percentile=bool(spec.get("percentile", True)),
        label=str(spec.get("label", name)),
        optional=bool(spec.get("optional", False)),
        column=_column(spec, name, source),
        neutral=_unknown_rule(spec, name, source) == "neutral",
    )


def _unknown_rule(spec: Mapping[str, Any], name: str, source: str) -> str:
    rule = spec.get("unknown", "zero")
    if rule not in UNKNOWN_RULES:
        allowed = ", ".join(UNKNOWN_RULES)
        raise ModelError(f"{source}: signals.{name}.unknown must be one of {allowed}")
    return str(rule)


def _column(spec: Mapping[str, Any], name: str, source: str) -> str | None:
    column = spec.get("column")
    if column is not None and (not isinstance(column, str) or not column.strip()):
        raise ModelError(f"{source}: signals.{name}.column must name a fact column")
    return column


def _number(value: Any, key: str, source: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ModelError(f"{source}: {key} must be a non-negative number, got {value!r}")
    return float(value)
