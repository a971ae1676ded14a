"""Deploys and versions: deployments, cluster and droplet versions, defective versions.

Revision ID: 0003_deploys
Revises: 0002_telemetry
Create Date: 2026-12-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003_deploys"
down_revision: str | None = "0002_telemetry"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported from the models, so the revision keeps its meaning.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TABLE_OPTIONS: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}


def upgrade() -> None:
    """Create the four tables."""
    op.create_table(
        "deployments",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("droplet_id", ID, nullable=True),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("previous_version", sa.String(length=40), nullable=False),
        sa.Column("rollback", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("job_id", ID, nullable=True),
        sa.Column("started_at", sa.Double(), nullable=False),
        sa.Column("finished_at", sa.Double(), nullable=True),
        sa.Column("droplets_done", sa.Integer(), nullable=False),
        sa.Column("droplets_total", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deployments")),
        **TABLE_OPTIONS,
    )
    op.create_index("ix_deployments_cluster", "deployments", ["cluster_id", "started_at"])
    op.create_table(
        "cluster_versions",
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("cluster_id", name=op.f("pk_cluster_versions")),
        **TABLE_OPTIONS,
    )
    op.create_table(
        "droplet_versions",
        sa.Column("droplet_id", ID, nullable=False),
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("droplet_id", name=op.f("pk_droplet_versions")),
        **TABLE_OPTIONS,
    )
    op.create_index(op.f("ix_droplet_versions_cluster_id"), "droplet_versions", ["cluster_id"])
    op.create_table(
        "version_defects",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("error_rate", sa.Double(), nullable=False),
        sa.Column("fault_id", ID, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_version_defects")),
        sa.UniqueConstraint(
            "cluster_id", "version", name=op.f("uq_version_defects_cluster_id_version")
        ),
        **TABLE_OPTIONS,
    )


def downgrade() -> None:
    """Drop them."""
    for table in ("version_defects", "droplet_versions", "cluster_versions"):
        op.drop_table(table)
    op.drop_index("ix_deployments_cluster", table_name="deployments")
    op.drop_table("deployments")
