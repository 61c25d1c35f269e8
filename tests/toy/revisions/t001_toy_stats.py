"""The toy source's fact set `toy.stats` (its own table, as any source's revision makes one).

Revision ID: t001
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "t001"
down_revision = "0002"
branch_labels = ("toy",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "facts_toy_stats",
        sa.Column(
            "snapshot_id",
            sa.Integer,
            sa.ForeignKey("snapshots.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("repo_key", sa.Text, primary_key=True),
        sa.Column("collected_at", sa.DateTime, nullable=False),
        sa.Column("downloads", sa.BigInteger),
        sa.Column("raw", sa.JSON),
    )


def downgrade() -> None:
    raise NotImplementedError
