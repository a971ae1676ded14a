"""Initial schema: clusters, droplets and jobs.

Revision ID: 0001
Revises:
Create Date: 2025-01-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported from models: a revision must keep meaning what it meant
# when it was written, whatever the models become later.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_DATETIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")
TABLE_OPTIONS: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}


def upgrade() -> None:
    """Create the three tables with their keys and indexes."""
    op.create_table(
        "clusters",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column("name_key", sa.String(length=63), nullable=True),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("size", sa.String(length=32), nullable=False),
        sa.Column("image", sa.String(length=64), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("deleted_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clusters")),
        sa.UniqueConstraint("name_key", name=op.f("uq_clusters_name_key")),
        **TABLE_OPTIONS,
    )
    op.create_table(
        "droplets",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("size", sa.String(length=32), nullable=False),
        sa.Column("image", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("ip_address", sa.String(length=45), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_droplets_cluster_id_clusters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_droplets")),
        sa.UniqueConstraint("cluster_id", "name", name=op.f("uq_droplets_cluster_id_name")),
        **TABLE_OPTIONS,
    )
    op.create_index(op.f("ix_droplets_status"), "droplets", ["status"])
    op.create_table(
        "jobs",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("droplet_id", ID, nullable=True),
        sa.Column("target_name", sa.String(length=80), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("progress", sa.Double(), nullable=False),
        sa.Column("step", sa.String(length=200), nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column("step_count", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("retry_of", ID, nullable=True),
        sa.Column("timeout_seconds", sa.Double(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("started_at", UTC_DATETIME, nullable=True),
        sa.Column("finished_at", UTC_DATETIME, nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("next_run_at", UTC_DATETIME, nullable=True),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.Column("lease_expires_at", UTC_DATETIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_jobs_cluster_id_clusters")
        ),
        sa.ForeignKeyConstraint(
            ["droplet_id"], ["droplets.id"], name=op.f("fk_jobs_droplet_id_droplets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        **TABLE_OPTIONS,
    )
    op.create_index(op.f("ix_jobs_cluster_id"), "jobs", ["cluster_id"])
    op.create_index(op.f("ix_jobs_droplet_id"), "jobs", ["droplet_id"])
    op.create_index(op.f("ix_jobs_lease_expires_at"), "jobs", ["lease_expires_at"])
    op.create_index("ix_jobs_state_next_run_at", "jobs", ["state", "next_run_at"])


def downgrade() -> None:
    """Drop the three tables (and with them every index)."""
    op.drop_table("jobs")
    op.drop_table("droplets")
    op.drop_table("clusters")
