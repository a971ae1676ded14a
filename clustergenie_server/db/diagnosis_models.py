"""Tables of diagnosis sessions and their turns (each turn a JSON document)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column

from clustergenie_server.db.models import MYSQL_TABLE_ARGS, Base, IdType

# A turn holds its evidence (metric points of every finding): more than TEXT's 64 KB on MySQL.
LongText = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql")


class DiagnosisSessionRow(Base):
    """A conversation about one cluster or droplet; times are simulated."""

    __tablename__ = "diagnosis_sessions"
    __table_args__ = (sa.Index("ix_diagnosis_sessions_cluster", "cluster_id"), MYSQL_TABLE_ARGS)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    cluster_id: Mapped[int] = mapped_column(IdType)
    droplet_id: Mapped[int] = mapped_column(IdType)
    title: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[float] = mapped_column(sa.Double())
    updated_at: Mapped[float] = mapped_column(sa.Double())


class DiagnosisTurnRow(Base):
    """One question of a session and all it produced, as JSON."""

    __tablename__ = "diagnosis_turns"
    __table_args__ = (
        sa.Index("ix_diagnosis_turns_session", "session_id", "position"),
        MYSQL_TABLE_ARGS,
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(IdType, sa.ForeignKey("diagnosis_sessions.id"))
    position: Mapped[int] = mapped_column(sa.Integer())
    asked_at: Mapped[float] = mapped_column(sa.Double())
    body: Mapped[str] = mapped_column(LongText)
