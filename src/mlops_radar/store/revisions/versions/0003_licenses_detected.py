"""The `licenses.detected` fact set's table: licenses detected in a repository's license files.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLE = "facts_licenses_detected"


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
        sa.Column("collected_at", sa.DateTime, nullable=False),
        sa.Column("license_detected", sa.Text),
        sa.Column("license_detected_score", sa.Float),
        sa.Column("license_detector", sa.Text),
        sa.Column("license_detected_file", sa.Text),
        sa.Column("license_evidence", sa.JSON),
        sa.Column("raw", sa.JSON),
    )
    op.create_index(f"ix_{TABLE}_repo_key", TABLE, ["repo_key", "snapshot_id"])


def downgrade() -> None:
    op.drop_index(f"ix_{TABLE}_repo_key", table_name=TABLE)
    op.drop_table(TABLE)
