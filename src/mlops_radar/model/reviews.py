"""License reviews by people, carried across snapshots (issue 9, item 4).

GitHub cannot identify many licenses ("Other", NOASSERTION). A person's review says what the license
is; it applies to every snapshot of that repository where GitHub could not tell (the license gate
prefers GitHub's own identification when it has one, `model/licenses.py`). The study's spreadsheet
analysis is one such set of reviews. Pure: the reviews are data passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

__all__ = ["LicenseReview", "apply_reviews", "reviews_from_mapping"]


@dataclass(frozen=True, slots=True)
class LicenseReview:
    """One repository's license as a person read it."""

    repo: str  # owner/name
    license: str  # an SPDX id or expression, or names as the study wrote them ("AGPL / Commercial")
    reviewer: str
    on: date | None = None
    note: str | None = None


def apply_reviews(table: pd.DataFrame, reviews: Iterable[LicenseReview]) -> pd.DataFrame:
    """`table` with `license_manual` (and `license_reviewer`, `license_reviewed_on`) set from the
    reviews for its repositories. A review given later in `reviews` wins over an earlier one for
    the same repository; a value the snapshot itself holds (its own manual analysis) is kept."""
    by_repo: dict[str, LicenseReview] = {}
    for given in reviews:
        by_repo[given.repo.lower()] = given
    if not by_repo or "repo" not in table.columns:
        return table
    keys = [r.lower() if isinstance(r, str) else None for r in table["repo"]]
    found: list[LicenseReview | None] = [by_repo.get(k) if k else None for k in keys]
    if not any(found):
        return table
    table = table.copy()
    own = (
        table["license_manual"].to_numpy(dtype=object)
        if "license_manual" in table.columns
        else np.full(len(table), None, dtype=object)
    )
    manual, reviewer, on = [], [], []
    for value, review in zip(own, found, strict=True):
        mine = isinstance(value, str) and value.strip() != ""
        manual.append(value if mine or review is None else review.license)
        reviewer.append(None if mine or review is None else review.reviewer)
        on.append(None if mine or review is None or review.on is None else review.on.isoformat())
    table["license_manual"] = manual
    table["license_reviewer"] = reviewer
    table["license_reviewed_on"] = on
    return table


def reviews_from_mapping(
    found: Mapping[str, tuple[str, date | None]], reviewer: str
) -> list[LicenseReview]:
    """Reviews from {repo: (license, date)} (e.g. the study's spreadsheet analysis)."""
    return [LicenseReview(repo, text, reviewer, on) for repo, (text, on) in sorted(found.items())]
