"""Diagnosis sessions and their turns.

Revision ID: 0004_diagnosis
Revises: 0003_deploys
Create Date: 2026-12-01 00:00:01
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0004_diagnosis"
down_revision: str | None = "0003_deploys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
LONG_TEXT = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql")
TABLE_OPTIONS: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}


def upgrade() -> None:
    """Create the two tables."""
    op.create_table(
        "diagnosis_sessions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("droplet_id", ID, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.Double(), nullable=False),
        sa.Column("updated_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnosis_sessions")),
        **TABLE_OPTIONS,
    )
    op.create_index("ix_diagnosis_sessions_cluster", "diagnosis_sessions", ["cluster_id"])
    op.create_table(
        "diagnosis_turns",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("session_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.Double(), nullable=False),
        sa.Column("body", LONG_TEXT, nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["diagnosis_sessions.id"],
            name=op.f("fk_diagnosis_turns_session_id_diagnosis_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnosis_turns")),
        **TABLE_OPTIONS,
    )  # fmt: skip
    op.create_index("ix_diagnosis_turns_session", "diagnosis_turns", ["session_id", "position"])


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_diagnosis_turns_session", table_name="diagnosis_turns")
    op.drop_table("diagnosis_turns")
    op.drop_index("ix_diagnosis_sessions_cluster", table_name="diagnosis_sessions")
    op.drop_table("diagnosis_sessions")
