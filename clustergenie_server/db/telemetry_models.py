"""Tables of metric samples, faults, scaling policies and decisions, and draining droplets."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from clustergenie_server.db.models import MYSQL_TABLE_ARGS, Base, IdType, UtcDateTime
from clustergenie_server.domain.telemetry import METRICS

# Simulated Unix seconds as a double: exact to the microsecond for centuries, cheap to compare
# and to hand to numpy, unlike a DATETIME per sample.
SampleTime = sa.Double


# One tick of one droplet (droplet_id > 0) or of a cluster aggregate (droplet_id 0), with one
# column per metric ("wide" rows: a tick of 1,000 droplets is 1,000 rows, not 13,000). A Core
# table: samples are written and read in bulk, never as objects. No foreign keys: samples
# outlive their droplets until retention removes them, and bulk inserts should not pay checks.
metric_samples = sa.Table(
    "metric_samples",
    Base.metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("cluster_id", IdType, nullable=False),
    sa.Column("droplet_id", IdType, nullable=False),
    sa.Column("t", SampleTime(), nullable=False),
    *(sa.Column(m.value, sa.Double(), nullable=False) for m in METRICS),
    sa.Index("ix_metric_samples_series", "cluster_id", "droplet_id", "t"),
    sa.Index("ix_metric_samples_t", "t"),  # retention deletes by time alone
    **MYSQL_TABLE_ARGS,
)


class FaultRow(Base):
    """An injected fault; times are simulated."""

    __tablename__ = "faults"
    __table_args__ = (sa.Index("ix_faults_state", "state"), MYSQL_TABLE_ARGS)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    cluster_id: Mapped[int] = mapped_column(IdType, sa.ForeignKey("clusters.id"), index=True)
    droplet_id: Mapped[int | None] = mapped_column(
        IdType, sa.ForeignKey("droplets.id"), nullable=True
    )
    magnitude: Mapped[float] = mapped_column(sa.Double())
    start_at: Mapped[datetime] = mapped_column(UtcDateTime())
    duration_seconds: Mapped[float] = mapped_column(sa.Double())
    state: Mapped[str] = mapped_column(sa.String(16))
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    description: Mapped[str] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ScalingPolicyRow(Base):
    """A cluster's auto-scaling policy; the nested rules are a JSON document."""

    __tablename__ = "scaling_policies"
    __table_args__ = (MYSQL_TABLE_ARGS,)

    cluster_id: Mapped[int] = mapped_column(IdType, sa.ForeignKey("clusters.id"), primary_key=True)
    body: Mapped[str] = mapped_column(sa.Text())
    enabled: Mapped[bool] = mapped_column(sa.Boolean())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ScalingDecisionRow(Base):
    """One evaluation of a policy, with its inputs."""

    __tablename__ = "scaling_decisions"
    __table_args__ = (
        sa.Index("ix_scaling_decisions_cluster_time", "cluster_id", "time"),
        MYSQL_TABLE_ARGS,
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    cluster_id: Mapped[int] = mapped_column(IdType, sa.ForeignKey("clusters.id"))
    time: Mapped[datetime] = mapped_column(UtcDateTime())
    metric: Mapped[str] = mapped_column(sa.String(32))
    metric_value: Mapped[float] = mapped_column(sa.Double())
    target: Mapped[float] = mapped_column(sa.Double())
    current_droplets: Mapped[int] = mapped_column(sa.Integer())
    total_droplets: Mapped[int] = mapped_column(sa.Integer())
    formula_droplets: Mapped[int] = mapped_column(sa.Integer())
    recommended_droplets: Mapped[int] = mapped_column(sa.Integer())
    stabilized_droplets: Mapped[int] = mapped_column(sa.Integer())
    desired_droplets: Mapped[int] = mapped_column(sa.Integer())
    action: Mapped[str] = mapped_column(sa.String(16))
    rule: Mapped[str] = mapped_column(sa.String(32))
    # Whether the formula was evaluated (only then does the window remember the recommendation).
    evaluated: Mapped[bool] = mapped_column(sa.Boolean())
    reason: Mapped[str] = mapped_column(sa.String(500))
    job_id: Mapped[int | None] = mapped_column(IdType, nullable=True)


class DropletDrainRow(Base):
    """A droplet being drained: the balancer sends it no traffic until it is destroyed."""

    __tablename__ = "droplet_drains"
    __table_args__ = (MYSQL_TABLE_ARGS,)

    droplet_id: Mapped[int] = mapped_column(IdType, sa.ForeignKey("droplets.id"), primary_key=True)
    cluster_id: Mapped[int] = mapped_column(IdType, index=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
