"""Fixtures of the catalog tests: shared real data (skipped when absent) and our small samples."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
AWESOME = SHARED / "awesome-mlops"
STUDY = SHARED / "mlopstools-2021"
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "catalog"


@pytest.fixture
def awesome() -> Path:
    """Folder of the dated Awesome MLOps snapshots."""
    if not AWESOME.is_dir():
        pytest.skip(f"shared data absent: {AWESOME}")
    return AWESOME


@pytest.fixture
def study() -> Path:
    """Folder of the 2021 study's spreadsheet and CSVs."""
    if not STUDY.is_dir():
        pytest.skip(f"shared data absent: {STUDY}")
    return STUDY


@pytest.fixture
def samples() -> Path:
    """Folder of this project's small catalog samples (tests/data/catalog)."""
    return SAMPLES
