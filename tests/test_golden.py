"""The golden outputs (tests/golden/outputs) still come out of the same data: every key, string,
integer and order as recorded, floats to 1e-9 relative (numpy and pandas releases differ in the
last bit of a sum or a mean: 81.14935491769458 -> 81.14935491769457 on a fresh install with
numpy 2.4.6 and pandas 3.1.1, which is not a change of behaviour).

They were recorded before the spine's second version (`tests/golden/record.py --write`); an output
that an issue changes on purpose is re-recorded and listed in CHANGELOG.md.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "golden"))

import record  # noqa: E402


def _first_difference(old: Any, new: Any, path: str = "") -> str | None:
    if type(old) is not type(new):
        return f"{path}: {type(old).__name__} -> {type(new).__name__}"
    if isinstance(old, dict):
        for key in sorted(set(old) | set(new)):
            if key not in new or key not in old:
                return f"{path}.{key}: {'removed' if key not in new else 'added'}"
            found = _first_difference(old[key], new[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(old, list):
        if len(old) != len(new):
            return f"{path}: {len(old)} items -> {len(new)}"
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            found = _first_difference(a, b, f"{path}[{i}]")
            if found:
                return found
        return None
    if isinstance(old, float) and math.isclose(old, new, rel_tol=1e-9, abs_tol=1e-12):
        return None
    return None if old == new else f"{path}: {old!r} -> {new!r}"


@pytest.mark.slow
def test_every_golden_output_is_unchanged() -> None:
    if not record.STUDY.is_dir():
        pytest.skip(f"the study's data is not at {record.STUDY}")
    outputs = record.record()
    files = sorted((HERE / "golden" / "outputs").glob("*.json"))
    assert {f.stem for f in files} == set(outputs)
    differences = []
    for file in files:
        expected = json.loads(file.read_text(encoding="utf-8"))
        found = _first_difference(expected, outputs[file.stem])
        if found:
            differences.append(f"{file.stem}{found}")
    assert not differences, "\n".join(differences)


def test_a_last_bit_difference_is_not_a_change_but_a_real_one_is() -> None:
    assert _first_difference({"s": [81.14935491769458]}, {"s": [81.14935491769457]}) is None
    assert (
        _first_difference({"s": [81.149354]}, {"s": [81.149355]}) == ".s[0]: 81.149354 -> 81.149355"
    )
    assert _first_difference({"n": 3}, {"n": 3.0}) == ".n: int -> float"
