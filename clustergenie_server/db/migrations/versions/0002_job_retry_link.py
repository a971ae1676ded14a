"""Jobs: the link from a job to the job that retried it, so a job is retried at most once.

Revision ID: 0002_job_retry_link
Revises: 0001
Create Date: 2026-12-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_job_retry_link"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported from the models, so the revision keeps its meaning.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Add jobs.retried_as (NULL: not retried)."""
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("retried_as", ID, nullable=True))


def downgrade() -> None:
    """Drop jobs.retried_as."""
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("retried_as")
