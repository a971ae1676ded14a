"""Tables of health checks, their results, states, transitions, alerts and scheduling leases.

Times are Unix seconds as doubles (like metric samples): results are written in bulk and read
as ranges, and the arithmetic (uptime, drift) is on numbers. No foreign keys: results outlive
their droplets until retention removes them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from clustergenie_server.db.models import MYSQL_TABLE_ARGS, Base, IdType

T = sa.Double  # Unix seconds
OPTIONS: dict[str, Any] = dict(MYSQL_TABLE_ARGS)  # typed for sa.Table(**kw)

health_checks = sa.Table(
    "health_checks",
    Base.metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("target_kind", sa.String(16), nullable=False),
    sa.Column("target_id", IdType, nullable=False),
    sa.Column("paused", sa.Boolean(), nullable=False),
    sa.Column("body", sa.Text(), nullable=False),  # the rest of the definition, as JSON
    sa.Column("created_at", T(), nullable=False),
    sa.Column("updated_at", T(), nullable=False),
    **OPTIONS,
)

health_results = sa.Table(
    "health_results",
    Base.metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("check_id", IdType, nullable=False),
    sa.Column("target", sa.String(64), nullable=False),
    sa.Column("location", sa.String(16), nullable=False),
    sa.Column("at", T(), nullable=False),
    sa.Column("scheduled_at", T(), nullable=False),
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
    sa.Column("cert_expiry_at", T(), nullable=True),
    sa.Index("ix_health_results_series", "check_id", "target", "at"),
    sa.Index("ix_health_results_at", "at"),  # retention deletes by time alone
    **OPTIONS,
)

health_transitions = sa.Table(
    "health_transitions",
    Base.metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("check_id", IdType, nullable=False),
    sa.Column("target", sa.String(64), nullable=False),
    sa.Column("cluster_id", IdType, nullable=False),
    sa.Column("from_state", sa.String(16), nullable=False),
    sa.Column("to_state", sa.String(16), nullable=False),
    sa.Column("at", T(), nullable=False),
    sa.Column("reason", sa.String(300), nullable=False),
    sa.Column("locations", sa.String(200), nullable=False),
    sa.Index("ix_health_transitions_series", "check_id", "target", "at"),
    sa.Index("ix_health_transitions_at", "at"),
    **OPTIONS,
)

# The state machine of each (check, target), so that a server taking over continues the streaks.
health_status = sa.Table(
    "health_status",
    Base.metadata,
    sa.Column("check_id", IdType, primary_key=True),
    sa.Column("target", sa.String(64), primary_key=True),
    sa.Column("cluster_id", IdType, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("since", T(), nullable=False),
    sa.Column("fails", sa.Integer(), nullable=False),
    sa.Column("slows", sa.Integer(), nullable=False),
    sa.Column("bad", sa.Integer(), nullable=False),
    sa.Column("passes", sa.Integer(), nullable=False),
    sa.Column("failing_locations", sa.String(200), nullable=False),
    **OPTIONS,
)

health_maintenance = sa.Table(
    "health_maintenance",
    Base.metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("cluster_id", IdType, nullable=False),
    sa.Column("start", T(), nullable=False),
    sa.Column("duration_seconds", sa.Double(), nullable=False),
    sa.Column("recurrence", sa.String(16), nullable=False),
    sa.Column("description", sa.String(300), nullable=False),
    **OPTIONS,
)

health_channels = sa.Table(
    "health_channels",
    Base.metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("url", sa.String(500), nullable=False),
    sa.Column("reminder_seconds", sa.Double(), nullable=False),
    **OPTIONS,
)

health_alerts = sa.Table(
    "health_alerts",
    Base.metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("check_id", IdType, nullable=False),
    sa.Column("cluster_id", IdType, nullable=False),
    sa.Column("group_key", sa.String(100), nullable=False),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("members", sa.Text(), nullable=False),  # JSON list of target keys
    sa.Column("opened_at", T(), nullable=False),
    sa.Column("resolved_at", T(), nullable=True),
    sa.Column("last_notified_at", T(), nullable=False),
    sa.Index("ix_health_alerts_group_key", "group_key"),
    **OPTIONS,
)

health_deliveries = sa.Table(
    "health_deliveries",
    Base.metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("channel_id", IdType, nullable=False),
    sa.Column("alert_id", IdType, nullable=False),
    sa.Column("event", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("delivered", sa.Boolean(), nullable=False),
    sa.Column("error", sa.String(300), nullable=False),
    sa.Column("at", T(), nullable=False),
    sa.Index("ix_health_deliveries_alert_id", "alert_id"),
    **OPTIONS,
)

# Scheduling across servers: checks are split into partitions; a server runs the checks of the
# partitions it holds a lease on (see services/health/partitions.py).
health_leases = sa.Table(
    "health_leases",
    Base.metadata,
    sa.Column("partition", sa.Integer(), primary_key=True, autoincrement=False),
    sa.Column("owner", sa.String(64), nullable=False),
    sa.Column("expires_at", T(), nullable=False),
    **OPTIONS,
)

health_servers = sa.Table(
    "health_servers",
    Base.metadata,
    sa.Column("owner", sa.String(64), primary_key=True),
    sa.Column("seen_at", T(), nullable=False),
    **OPTIONS,
)
