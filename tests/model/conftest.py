"""Fixtures of the model's tests: the shipped policies and a builder of facts tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from mlops_radar.model import Policy
from mlops_radar.model.config import named_policy


@pytest.fixture(scope="session")
def study() -> Policy:
    return named_policy("study")


@pytest.fixture(scope="session")
def radar() -> Policy:
    return named_policy("radar")


def facts_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A model input table from partial rows (tool and categories default per row)."""
    filled = []
    for i, row in enumerate(rows):
        base: dict[str, Any] = {
            "tool": f"t{i}",
            "repo": f"o/t{i}",
            "categories": ["Cat"],
            "stages": [],
            "origin": "collected",
        }
        base.update(row)
        filled.append(base)
    return pd.DataFrame(filled)


@pytest.fixture(scope="session")
def make_table() -> Callable[[list[dict[str, Any]]], pd.DataFrame]:
    return facts_table
