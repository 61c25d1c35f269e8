"""The benchmark's other detectors behind the same interface (skipped where not installed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from github_simulator.synthetic_files import license_text
from mlops_radar.sources.licenses import detect


def test_askalono_names_one_license_or_nothing() -> None:
    pytest.importorskip("askalono")
    from mlops_radar.sources.licenses.askalono_detector import AskalonoDetector

    detector = AskalonoDetector()
    found = detect([{"path": "LICENSE", "text": license_text("Apache-2.0")}], detector)
    assert found is not None
    assert found.expression == "Apache-2.0"
    assert found.evidence[0].detector_version.startswith("pyaskalono ")
    assert detector.findings("Please cite our paper if you use this code.\n") == []


def test_licenseid_builds_its_database_offline(tmp_path: Path) -> None:
    pytest.importorskip("licenseid")
    from mlops_radar.sources.licenses.licenseid_detector import LicenseIdDetector

    detector = LicenseIdDetector(tmp_path / "licenses.db")
    assert (tmp_path / "licenses.db").exists()
    found = detect([{"path": "COPYING", "text": license_text("GPL-3.0-only")}], detector)
    assert found is not None
    assert found.expression == "GPL-3.0-only"
    assert detector.findings("SPDX-License-Identifier: MIT\n")[0].expression == "MIT"
    assert detector.findings("Please cite our paper if you use this code.\n") == []
