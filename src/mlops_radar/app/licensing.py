"""License detection in a collection run: after the GitHub source fetched the license texts of
the repositories whose license GitHub could not identify, a detector reads them and the result
is stored as the `licenses.detected` fact set of the same snapshot (issue 11).

The detector (ScanCode, the `licenses` extra) is loaded once per run and only when there are
texts to read; without it the run says so in one line and those licenses stay "needs review".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from mlops_radar.sources.factsets import FactRecord
from mlops_radar.sources.github.groups.core import CORE
from mlops_radar.sources.github.groups.files import FILES, license_unidentified
from mlops_radar.sources.licenses.factset import DETECTED, LicensesDetected
from mlops_radar.store import Store, schema
from mlops_radar.store.queries import read_records

__all__ = ["LicenseRun", "detect_licenses"]


@dataclass(frozen=True, slots=True)
class LicenseRun:
    """What detection did: repositories examined, licenses found, why it did not run."""

    examined: int
    detected: int
    skipped: str | None = None  # e.g. the detector is not installed


def _keys(store: Store, snapshot_id: int) -> list[str]:
    table = schema.fact_table(FILES)
    with store.transaction() as conn:
        return sorted(
            conn.execute(
                sa.select(table.c.repo_key).where(table.c.snapshot_id == snapshot_id)
            ).scalars()
        )


def detect_licenses(
    store: Store,
    snapshot_id: int,
    *,
    now: Callable[[], datetime] | None = None,
    detector_name: str | None = None,
) -> LicenseRun:
    """Detect and store the licenses of the snapshot's repositories GitHub could not identify."""
    from mlops_radar.sources.licenses import DEFAULT_DETECTOR, DetectorError, detect, load_detector

    keys = _keys(store, snapshot_id)
    if not keys:
        return LicenseRun(0, 0)
    with store.transaction() as conn:
        files = read_records(conn, FILES, snapshot_id, keys)
        cores = read_records(conn, CORE, snapshot_id, keys)
    wanted = []
    for key, record in files.items():
        core = cores.get(key)
        if core is None or not license_unidentified(core.license_spdx, core.license_key):
            continue
        if any(isinstance(f, dict) and f.get("text") for f in record.files or ()):
            wanted.append((key, record))
    if not wanted:
        return LicenseRun(0, 0)
    try:
        detector = load_detector(detector_name or DEFAULT_DETECTOR)
    except DetectorError as exc:
        return LicenseRun(len(wanted), 0, skipped=str(exc))
    moment = (now or (lambda: datetime.now(UTC)))()
    facts = []
    for key, record in wanted:
        try:
            found = detect(record.files or (), detector)
        except DetectorError:
            continue  # that repository's license stays unknown; the others go on
        if found is None:
            continue
        evidence = [
            {"path": e.path, "start_line": e.start_line, "end_line": e.end_line,
             "expression": e.expression, "score": e.score, "role": e.role, "rule": e.rule}
            for e in found.evidence
        ]  # fmt: skip
        values = LicensesDetected(
            license_detected=found.expression,
            license_detected_score=found.score,
            license_detector=found.detector_version
            if found.detector in found.detector_version
            else f"{found.detector} {found.detector_version}".strip(),
            license_detected_file=found.evidence[0].path if found.evidence else None,
            license_evidence=evidence,
        )
        facts.append(FactRecord(DETECTED, key, moment, values))
    if facts:
        store.sink(snapshot_id, "licenses").write(facts, [])
    return LicenseRun(len(wanted), sum(1 for f in facts if f.values.license_detected))
