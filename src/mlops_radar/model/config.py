"""The model's packaged defaults (policies, weights, rings, license tables) and TOML parsing.

The only module of `model/` that touches anything outside memory: it reads the package's own data
files through `importlib.resources`. Everything else in `model/` receives these values as arguments.
User files are read by the caller (the CLI) and handed here as text.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from mlops_radar.errors import ModelError
from mlops_radar.model.policy import LicenseCatalog, Policy, policy_from_mapping
from mlops_radar.model.weights import (
    RingRules,
    Weights,
    merge_mappings,
    rings_from_mapping,
    weights_from_mapping,
)

__all__ = [
    "NAMED_POLICIES",
    "default_rings",
    "default_weights",
    "free_mail_domains",
    "license_catalog",
    "named_policy",
    "parse_toml",
    "policy_from_toml",
    "weights_from_toml",
]

NAMED_POLICIES = ("study", "radar")


def _data_text(name: str) -> str:
    return resources.files("mlops_radar.model").joinpath("data", name).read_text(encoding="utf-8")


def parse_toml(text: str, *, source: str) -> dict[str, Any]:
    """TOML text as a dict, or a one-line `ModelError` naming `source` and the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(f"{source}: not valid TOML: {exc}") from exc
    except RecursionError as exc:
        raise ModelError(f"{source}: not valid TOML: nested too deeply") from exc


@cache
def free_mail_domains() -> frozenset[str]:
    """The shipped free-mail and no-reply domains: an address there names no organisation."""
    return frozenset(
        line.strip().lower()
        for line in _data_text("free_mail_domains.txt").splitlines()
        if line.strip() and not line.startswith("#")
    )


@cache
def license_catalog() -> LicenseCatalog:
    """The shipped OSI-approved SPDX list and license-name tables."""
    osi = {
        line.strip().lower()
        for line in _data_text("osi_licenses.txt").splitlines()
        if line.strip() and not line.startswith("#")
    }
    names = parse_toml(_data_text("license_names.toml"), source="license_names.toml")
    return LicenseCatalog(
        osi_approved=frozenset(osi),
        github_names={k.strip().lower(): v for k, v in names.get("github", {}).items()},
        manual_names={k.strip().lower(): v for k, v in names.get("manual", {}).items()},
    )


def named_policy(name: str) -> Policy:
    """The shipped policy `study` or `radar`."""
    tables = parse_toml(_data_text("policies.toml"), source="policies.toml")
    if name not in tables:
        raise ModelError(f"unknown policy {name!r}: use study, radar or a policy file (TOML)")
    return policy_from_mapping(
        tables[name], name=name, licenses=license_catalog(), source=f"policy {name}"
    )


def policy_from_toml(text: str, *, source: str) -> Policy:
    """A user policy file's text as a `Policy` (named after the file unless it says `name`)."""
    return policy_from_mapping(
        parse_toml(text, source=source), name=source, licenses=license_catalog(), source=source
    )


def _default_weights_mapping() -> dict[str, Any]:
    return parse_toml(_data_text("weights.toml"), source="weights.toml")


def default_weights() -> Weights:
    """The shipped maturity-model weights."""
    return weights_from_mapping(_default_weights_mapping(), source="weights.toml")


def weights_from_toml(text: str, *, source: str) -> Weights:
    """A user weights file laid over the shipped defaults."""
    merged = merge_mappings(_default_weights_mapping(), parse_toml(text, source=source))
    return weights_from_mapping(merged, source=source)


def default_rings() -> RingRules:
    """The shipped ring thresholds."""
    return rings_from_mapping(
        parse_toml(_data_text("rings.toml"), source="rings.toml"), source="rings.toml"
    )
