"""Health alerts carry the diagnosis run when they opened: its session id and root cause.

Revision ID: 0005_alert_diagnosis
Revises: 0002_health
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_alert_diagnosis"
down_revision: str | None = "0002_health"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported from the models, so the revision keeps its meaning.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Add the two columns (existing alerts: no diagnosis)."""
    op.add_column(
        "health_alerts",
        sa.Column("diagnosis_session_id", ID, nullable=False, server_default="0"),
    )
    op.add_column(
        "health_alerts",
        sa.Column("root_cause", sa.String(500), nullable=False, server_default=""),
    )


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("health_alerts") as batch:
        batch.drop_column("root_cause")
        batch.drop_column("diagnosis_session_id")
