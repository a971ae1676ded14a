"""SQLAlchemy tables for clusters, droplets and jobs; repositories turn rows into domain objects."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, overload

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

# Stable constraint names, so that later Alembic migrations can drop or alter them by name.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# utf8mb4 stores any name a person types; the binary collation makes MySQL compare names exactly
# as SQLite does, so "Web" and "web" are different names on both back ends.
# Any, not str: splatted into sa.Table(**kw), whose other keywords take bools.
MYSQL_TABLE_ARGS: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}

# SQLite only auto-increments an INTEGER PRIMARY KEY; MySQL gets the wider BIGINT.
IdType = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """The same instant in UTC: rows not yet reloaded still hold the caller's time zone."""
    return None if value is None else value.astimezone(UTC)


class UtcDateTime(sa.TypeDecorator[datetime]):
    """An aware UTC datetime, stored naive in UTC (DATETIME(6) on MySQL for microseconds)."""

    impl = sa.DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[datetime]:
        """Use DATETIME(6) on MySQL/MariaDB; plain DATETIME keeps microseconds elsewhere."""
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(sa.DateTime())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert an aware datetime to naive UTC; a naive one is a bug, so refuse it."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Mark a stored naive datetime as the UTC it is."""
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base whose MetaData names constraints predictably."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class ClusterRow(Base):
    """One cluster; soft-deleted so that jobs and droplets keep their history."""

    __tablename__ = "clusters"
    __table_args__ = (sa.UniqueConstraint("name_key"), MYSQL_TABLE_ARGS)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(sa.String(63))
    # Equals name while the cluster lives and is NULL once deleted: the unique constraint then
    # refuses duplicate live names even when two requests race, yet a name can be reused.
    name_key: Mapped[str | None] = mapped_column(sa.String(63), nullable=True)
    region: Mapped[str] = mapped_column(sa.String(32))
    size: Mapped[str] = mapped_column(sa.String(32))
    image: Mapped[str] = mapped_column(sa.String(64))
    tags: Mapped[str] = mapped_column(sa.Text())  # JSON list of strings
    status: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class DropletRow(Base):
    """One simulated virtual machine of a cluster; destroyed droplets stay as status archive."""

    __tablename__ = "droplets"
    __table_args__ = (sa.UniqueConstraint("cluster_id", "name"), MYSQL_TABLE_ARGS)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    # Indexed by the unique (cluster_id, name) constraint, whose leading column it is.
    cluster_id: Mapped[int] = mapped_column(IdType, sa.ForeignKey("clusters.id"))
    name: Mapped[str] = mapped_column(sa.String(80))
    region: Mapped[str] = mapped_column(sa.String(32))
    size: Mapped[str] = mapped_column(sa.String(32))
    image: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[str] = mapped_column(sa.String(16), index=True)
    ip_address: Mapped[str] = mapped_column(sa.String(45))  # "" until assigned; fits IPv6
    locked: Mapped[bool] = mapped_column(sa.Boolean())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class JobRow(Base):
    """One persistent job; the lease columns let several servers share one queue safely."""

    __tablename__ = "jobs"
    __table_args__ = (
        # Claiming scans queued jobs in due order; the index also serves every lookup by state.
        sa.Index("ix_jobs_state_next_run_at", "state", "next_run_at"),
        MYSQL_TABLE_ARGS,
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    state: Mapped[str] = mapped_column(sa.String(16))  # indexed by ix_jobs_state_next_run_at
    cluster_id: Mapped[int] = mapped_column(IdType, sa.ForeignKey("clusters.id"), index=True)
    droplet_id: Mapped[int | None] = mapped_column(
        IdType, sa.ForeignKey("droplets.id"), nullable=True, index=True
    )
    target_name: Mapped[str] = mapped_column(sa.String(80))
    params: Mapped[str] = mapped_column(sa.Text())  # JSON object of string to string
    progress: Mapped[float] = mapped_column(sa.Double())
    step: Mapped[str] = mapped_column(sa.String(200))
    step_index: Mapped[int] = mapped_column(sa.Integer())
    step_count: Mapped[int] = mapped_column(sa.Integer())
    attempt: Mapped[int] = mapped_column(sa.Integer())
    max_attempts: Mapped[int] = mapped_column(sa.Integer())
    error: Mapped[str] = mapped_column(sa.Text())
    cancel_requested: Mapped[bool] = mapped_column(sa.Boolean())
    # No foreign key: a self-reference would make bulk deletes order-dependent on InnoDB.
    retry_of: Mapped[int | None] = mapped_column(IdType, nullable=True)
    # The job that retries this one (set once, in the retry's transaction); None until then.
    retried_as: Mapped[int | None] = mapped_column(IdType, nullable=True)
    timeout_seconds: Mapped[float] = mapped_column(sa.Double())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    next_run_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    lease_owner: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), nullable=True, index=True
    )
