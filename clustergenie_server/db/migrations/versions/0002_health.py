"""Health checks: definitions, results, states, transitions, alerts, channels, leases.

Revision ID: 0002_health
Revises: 0001
Create Date: 2026-12-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002_health"
# A parallel head beside the other 0002 revisions; Database.migrate upgrades "heads".
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported from the models, so the revision keeps its meaning.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TABLE_OPTIONS: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}
TABLES = (
    "health_checks",
    "health_results",
    "health_transitions",
    "health_status",
    "health_maintenance",
    "health_channels",
    "health_alerts",
    "health_deliveries",
    "health_leases",
    "health_servers",
)


def upgrade() -> None:
    """Create the health tables."""
    op.create_table(
        "health_checks",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target_id", ID, nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Double(), nullable=False),
        sa.Column("updated_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_checks")),
        **TABLE_OPTIONS,
    )
    op.create_table(
        "health_results",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("check_id", ID, nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("location", sa.String(16), nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.Column("scheduled_at", sa.Double(), nullable=False),
        sa.Column("outcome", sa.String(8), nullable=False),
        sa.Column("latency_ms", sa.Double(), nullable=False),
        sa.Column("connected", sa.Boolean(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(300), nullable=False),
        sa.Column("failed_condition", sa.String(300), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
        sa.Column("connect_ms", sa.Double(), nullable=False),
        sa.Column("tls_ms", sa.Double(), nullable=False),
        sa.Column("first_byte_ms", sa.Double(), nullable=False),
        sa.Column("transfer_ms", sa.Double(), nullable=False),
        sa.Column("cert_expiry_at", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_results")),
        **TABLE_OPTIONS,
    )
    op.create_index("ix_health_results_series", "health_results", ["check_id", "target", "at"])
    op.create_index("ix_health_results_at", "health_results", ["at"])
    op.create_table(
        "health_transitions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("check_id", ID, nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("from_state", sa.String(16), nullable=False),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
        sa.Column("locations", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_transitions")),
        **TABLE_OPTIONS,
    )
    op.create_index(
        "ix_health_transitions_series", "health_transitions", ["check_id", "target", "at"]
    )
    op.create_index("ix_health_transitions_at", "health_transitions", ["at"])
    op.create_table(
        "health_status",
        sa.Column("check_id", ID, nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("since", sa.Double(), nullable=False),
        sa.Column("fails", sa.Integer(), nullable=False),
        sa.Column("slows", sa.Integer(), nullable=False),
        sa.Column("bad", sa.Integer(), nullable=False),
        sa.Column("passes", sa.Integer(), nullable=False),
        sa.Column("failing_locations", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("check_id", "target", name=op.f("pk_health_status")),
        **TABLE_OPTIONS,
    )
    op.create_table(
        "health_maintenance",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("start", sa.Double(), nullable=False),
        sa.Column("duration_seconds", sa.Double(), nullable=False),
        sa.Column("recurrence", sa.String(16), nullable=False),
        sa.Column("description", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_maintenance")),
        **TABLE_OPTIONS,
    )
    op.create_table(
        "health_channels",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("reminder_seconds", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_channels")),
        **TABLE_OPTIONS,
    )
    op.create_table(
        "health_alerts",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("check_id", ID, nullable=False),
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("group_key", sa.String(100), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("members", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.Double(), nullable=False),
        sa.Column("resolved_at", sa.Double(), nullable=True),
        sa.Column("last_notified_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_alerts")),
        **TABLE_OPTIONS,
    )
    op.create_index("ix_health_alerts_group_key", "health_alerts", ["group_key"])
    op.create_table(
        "health_deliveries",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("channel_id", ID, nullable=False),
        sa.Column("alert_id", ID, nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("delivered", sa.Boolean(), nullable=False),
        sa.Column("error", sa.String(300), nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_deliveries")),
        **TABLE_OPTIONS,
    )
    op.create_index("ix_health_deliveries_alert_id", "health_deliveries", ["alert_id"])
    op.create_table(
        "health_leases",
        sa.Column("partition", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("expires_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("partition", name=op.f("pk_health_leases")),
        **TABLE_OPTIONS,
    )
    op.create_table(
        "health_servers",
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("seen_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("owner", name=op.f("pk_health_servers")),
        **TABLE_OPTIONS,
    )


def downgrade() -> None:
    """Drop the health tables."""
    for name in reversed(TABLES):
        op.drop_table(name)
