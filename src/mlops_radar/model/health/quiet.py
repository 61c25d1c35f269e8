"""Quiet but maintained: few recent commits, yet issues answered and a release in the last year.

Users of every health tool ask that a finished, quiet project not read as abandoned. The rule,
on the snapshot's `health_*` columns (`columns.py`), each part known (an unknown part is no
verdict, so no reason is given):

- at most `QUIET_COMMITS_90D` commits on the default branch in the last 90 days (quiet);
- a median time to first response of at most `ANSWERED_WITHIN_H` hours (issues and pull
  requests are answered, by someone other than their author, not a bot);
- at least one release in the last 365 days (what it ships is kept current);
- not archived (an archived repository is read-only: not maintained, whatever its past).

Pure: the table in, one `QuietReason` or None per row out. Words: `report/words.py`.
"""

from __future__ import annotations

import pandas as pd

from mlops_radar.model.columns import flag, number
from mlops_radar.model.health.columns import health_column
from mlops_radar.model.results import QuietReason

__all__ = ["ANSWERED_WITHIN_H", "QUIET_COMMITS_90D", "quiet_but_maintained"]

#: At most this many commits in 90 days is a quiet repository.
QUIET_COMMITS_90D = 5
#: Issues count as answered when their median time to first response is at most this (30 days).
ANSWERED_WITHIN_H = 30 * 24.0


def quiet_but_maintained(table: pd.DataFrame) -> list[QuietReason | None]:
    """Per row of `table`: the reason it is quiet but maintained, or None (not quiet, not
    maintained, archived, or a part unknown; always None without the health columns)."""
    commits = number(table, health_column("commits_90d")).to_numpy()
    releases = number(table, health_column("releases_last_year")).to_numpy()
    response = number(table, health_column("time_to_first_response_median_h")).to_numpy()
    archived = flag(table, "archived").to_numpy()
    quiet = (
        (commits <= QUIET_COMMITS_90D)
        & (response <= ANSWERED_WITHIN_H)
        & (releases >= 1)
        & (archived != 1.0)
    )  # NaN compares False: an unknown part gives no reason
    return [
        QuietReason(int(commits[i]), int(releases[i]), float(response[i])) if quiet[i] else None
        for i in range(len(table))
    ]
