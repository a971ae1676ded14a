"""Logs: the stream index, compressed chunks and per-minute counts (see db/log_models.py).

Revision ID: 0003_logs
Revises: 0002_telemetry
Create Date: 2026-12-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0003_logs"
down_revision: str | None = "0002_telemetry"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported from the models, so the revision keeps its meaning.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
BLOB = sa.LargeBinary().with_variant(mysql.LONGBLOB(), "mysql")
TABLE_OPTIONS: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}


def upgrade() -> None:
    """Create the three tables."""
    op.create_table(
        "log_streams",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("labels", sa.String(4000), nullable=False),
        sa.Column("first_t", sa.Double(), nullable=False),
        **TABLE_OPTIONS,
    )
    op.create_table(
        "log_chunks",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("stream_id", sa.BigInteger(), nullable=False),
        sa.Column("t_min", sa.Double(), nullable=False),
        sa.Column("t_max", sa.Double(), nullable=False),
        sa.Column("n_lines", sa.Integer(), nullable=False),
        sa.Column("weight", sa.BigInteger(), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("seq_max", sa.BigInteger(), nullable=False),
        sa.Column("data", BLOB, nullable=False),
        sa.Column("grams", BLOB, nullable=False),
        **TABLE_OPTIONS,
    )
    op.create_index("ix_log_chunks_t_max", "log_chunks", ["t_max"])
    op.create_index("ix_log_chunks_stream", "log_chunks", ["stream_id", "t_max"])
    op.create_table(
        "log_counts",
        sa.Column("stream_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("minute", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("n_lines", sa.BigInteger(), nullable=False),
        sa.Column("weight", sa.BigInteger(), nullable=False),
        **TABLE_OPTIONS,
    )
    op.create_index("ix_log_counts_minute", "log_counts", ["minute"])


def downgrade() -> None:
    """Drop them."""
    op.drop_table("log_counts")
    op.drop_table("log_chunks")
    op.drop_table("log_streams")
