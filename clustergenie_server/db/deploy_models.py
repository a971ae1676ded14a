"""Tables of deploys, the version each droplet runs, and defective versions (the simulation's)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from clustergenie_server.db.models import MYSQL_TABLE_ARGS, Base, IdType


class DeploymentRow(Base):
    """One rollout; times are simulated Unix seconds (compared with metric samples)."""

    __tablename__ = "deployments"
    __table_args__ = (
        sa.Index("ix_deployments_cluster", "cluster_id", "started_at"),
        MYSQL_TABLE_ARGS,
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    cluster_id: Mapped[int] = mapped_column(IdType)
    droplet_id: Mapped[int | None] = mapped_column(IdType, nullable=True)
    version: Mapped[str] = mapped_column(sa.String(40))
    previous_version: Mapped[str] = mapped_column(sa.String(40))
    rollback: Mapped[bool] = mapped_column(sa.Boolean())
    state: Mapped[str] = mapped_column(sa.String(16))
    job_id: Mapped[int | None] = mapped_column(IdType, nullable=True)
    started_at: Mapped[float] = mapped_column(sa.Double())
    finished_at: Mapped[float | None] = mapped_column(sa.Double(), nullable=True)
    droplets_done: Mapped[int] = mapped_column(sa.Integer())
    droplets_total: Mapped[int] = mapped_column(sa.Integer())


class ClusterVersionRow(Base):
    """The version a cluster runs (what a droplet without its own row runs)."""

    __tablename__ = "cluster_versions"
    __table_args__ = (MYSQL_TABLE_ARGS,)

    cluster_id: Mapped[int] = mapped_column(IdType, primary_key=True)
    version: Mapped[str] = mapped_column(sa.String(40))


class DropletVersionRow(Base):
    """The version one droplet runs, once a deploy reached it."""

    __tablename__ = "droplet_versions"
    __table_args__ = (MYSQL_TABLE_ARGS,)

    droplet_id: Mapped[int] = mapped_column(IdType, primary_key=True)
    cluster_id: Mapped[int] = mapped_column(IdType, index=True)
    version: Mapped[str] = mapped_column(sa.String(40))


class VersionDefectRow(Base):
    """A version that is bad (the simulation's knowledge, written by the fault injector).

    Diagnosis never reads this table: it sees a deploy and what the droplets then do.
    """

    __tablename__ = "version_defects"
    __table_args__ = (sa.UniqueConstraint("cluster_id", "version"), MYSQL_TABLE_ARGS)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    cluster_id: Mapped[int] = mapped_column(IdType)
    version: Mapped[str] = mapped_column(sa.String(40))
    error_rate: Mapped[float] = mapped_column(sa.Double())
    fault_id: Mapped[int | None] = mapped_column(IdType, nullable=True)
