"""Model input tables built from simulated populations, the way the store would hand them over
(facts of the repositories GitHub would answer; a deleted one is `not_found` with no facts)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from github_simulator.population import Population


def facts_of(population: Population, listed: Population | None = None) -> pd.DataFrame:
    """One row per repository of `listed` (default: `population`), with its facts in `population`
    (none, outcome `not_found`, where `population` no longer has it)."""
    rows: list[dict[str, Any]] = []
    for repo in (listed or population).repos:
        found = population.get(repo.full_name)
        row: dict[str, Any] = {
            "tool": repo.display_name,
            "repo": repo.full_name,
            "categories": [repo.category],
            "stages": [],
            "origin": "collected",
            "outcome": "collected" if found is not None else "not_found",
        }
        if found is not None:
            row.update(
                stars=found.stars,
                forks=found.forks,
                watchers=found.watchers,
                total_commits=found.commits,
                last_commit_at=found.last_commit_at,
                archived=found.archived,
                open_issues=found.open_issues,
                closed_issues=found.closed_issues,
                has_issues=found.has_issues,
                license_spdx=found.license_spdx,
                mentionable_users=found.mentionable_users,
                pull_requests=found.open_prs + found.closed_prs + found.merged_prs,
                merged_prs=found.merged_prs,
            )
        rows.append(row)
    return pd.DataFrame(rows)
