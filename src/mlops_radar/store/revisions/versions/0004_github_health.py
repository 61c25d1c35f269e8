"""The `github.health` fact set: issue, pull-request, release and commit-author histories.

- `facts_github_health`: one row per repository per snapshot collected with `--depth full`, with
  the moment its values were collected (`collected_at`), the lists the community-health metrics
  are computed from (JSON), GitHub's counts of those lists, the commit windows' counts and the raw
  answer they were read from.

Nothing is copied: no earlier snapshot asked for these facts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BIG, WHEN, JSON = sa.BigInteger, sa.DateTime, sa.JSON
TABLE = "facts_github_health"

#: The fact set's columns as they were declared on this revision's day.
COLUMNS: list[tuple[str, type]] = [
    ("recent_closed_issues", JSON), ("closed_issues_total", BIG),
    ("open_issue_created", JSON), ("open_issues_total", BIG),
    ("recent_closed_prs", JSON), ("closed_prs_total", BIG),
    ("open_pr_created", JSON), ("open_prs_total", BIG),
    ("release_published", JSON), ("releases_total", BIG),
    ("commits_90d", BIG), ("commits_365d", BIG), ("windows_end", WHEN),
    ("commit_authors", JSON),
]  # fmt: skip


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column(
            "snapshot_id",
            sa.Integer,
            sa.ForeignKey("snapshots.id", ondelete="CASCADE"),
            primary_key=True,
            nullable=False,
        ),
        sa.Column("repo_key", sa.Text, primary_key=True),
        sa.Column("collected_at", WHEN, nullable=False),
        *(sa.Column(name, kind) for name, kind in COLUMNS),
        sa.Column("raw", JSON),
    )
    op.create_index(f"ix_{TABLE}_repo_key", TABLE, ["repo_key", "snapshot_id"])


def downgrade() -> None:
    raise NotImplementedError("mlops-radar databases move forward only")
