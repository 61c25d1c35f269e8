"""Fixtures of the license tests: the corpus (benchmarks/license_corpus.py) and one detector.

ScanCode loads its index in a few seconds: one detector serves the whole session, as it serves a
whole collection run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from license_corpus import Case, corpus, shipped_texts
from mlops_radar.sources.licenses import Detector, load_detector


@pytest.fixture(scope="session")
def detector() -> Detector:
    return load_detector()


@pytest.fixture(scope="session")
def shipped_corpus() -> list[Case]:
    return corpus(shipped_texts())
