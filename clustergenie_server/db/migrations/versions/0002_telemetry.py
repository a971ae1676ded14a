"""Telemetry and scaling: metric samples, faults, scaling policies and decisions, drains.

Revision ID: 0002_telemetry
Revises: 0001
Create Date: 2025-01-02 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0002_telemetry"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported from the models, so the revision keeps its meaning.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_DATETIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")
TABLE_OPTIONS: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}
METRIC_COLUMNS = (
    "cpu_percent",
    "memory_percent",
    "disk_percent",
    "net_in_mbps",
    "net_out_mbps",
    "requests_per_second",
    "latency_p50_ms",
    "latency_p95_ms",
    "latency_p99_ms",
    "error_rate",
    "serving_droplets",
    "requests_per_droplet",
    "offered_rps",
)


def upgrade() -> None:
    """Create the five tables."""
    op.create_table(
        "metric_samples",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("droplet_id", ID, nullable=False),
        sa.Column("t", sa.Double(), nullable=False),
        *(sa.Column(name, sa.Double(), nullable=False) for name in METRIC_COLUMNS),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_samples")),
        **TABLE_OPTIONS,
    )
    op.create_index("ix_metric_samples_series", "metric_samples", ["cluster_id", "droplet_id", "t"])
    op.create_index("ix_metric_samples_t", "metric_samples", ["t"])
    op.create_table(
        "faults",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("droplet_id", ID, nullable=True),
        sa.Column("magnitude", sa.Double(), nullable=False),
        sa.Column("start_at", UTC_DATETIME, nullable=False),
        sa.Column("duration_seconds", sa.Double(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("ended_at", UTC_DATETIME, nullable=True),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_faults_cluster_id_clusters")
        ),
        sa.ForeignKeyConstraint(
            ["droplet_id"], ["droplets.id"], name=op.f("fk_faults_droplet_id_droplets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faults")),
        **TABLE_OPTIONS,
    )
    op.create_index("ix_faults_state", "faults", ["state"])
    op.create_index(op.f("ix_faults_cluster_id"), "faults", ["cluster_id"])
    op.create_table(
        "scaling_policies",
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_scaling_policies_cluster_id_clusters")
        ),
        sa.PrimaryKeyConstraint("cluster_id", name=op.f("pk_scaling_policies")),
        **TABLE_OPTIONS,
    )
    op.create_table(
        "scaling_decisions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("time", UTC_DATETIME, nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("metric_value", sa.Double(), nullable=False),
        sa.Column("target", sa.Double(), nullable=False),
        sa.Column("current_droplets", sa.Integer(), nullable=False),
        sa.Column("total_droplets", sa.Integer(), nullable=False),
        sa.Column("formula_droplets", sa.Integer(), nullable=False),
        sa.Column("recommended_droplets", sa.Integer(), nullable=False),
        sa.Column("stabilized_droplets", sa.Integer(), nullable=False),
        sa.Column("desired_droplets", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("evaluated", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("job_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_scaling_decisions_cluster_id_clusters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scaling_decisions")),
        **TABLE_OPTIONS,
    )
    op.create_index(
        "ix_scaling_decisions_cluster_time", "scaling_decisions", ["cluster_id", "time"]
    )
    op.create_table(
        "droplet_drains",
        sa.Column("droplet_id", ID, nullable=False),
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("started_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["droplet_id"], ["droplets.id"], name=op.f("fk_droplet_drains_droplet_id_droplets")
        ),
        sa.PrimaryKeyConstraint("droplet_id", name=op.f("pk_droplet_drains")),
        **TABLE_OPTIONS,
    )
    op.create_index(op.f("ix_droplet_drains_cluster_id"), "droplet_drains", ["cluster_id"])


def downgrade() -> None:
    """Drop the five tables."""
    for table in (
        "droplet_drains",
        "scaling_decisions",
        "scaling_policies",
        "faults",
        "metric_samples",
    ):
        op.drop_table(table)
