"""The audit_log table: one row per mutating RPC (who, what, when, outcome)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from clustergenie_server.db.models import MYSQL_TABLE_ARGS, Base, IdType, UtcDateTime


class AuditRow(Base):
    """One audited call; never holds a token, only the token's name."""

    __tablename__ = "audit_log"
    __table_args__ = (MYSQL_TABLE_ARGS,)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    caller: Mapped[str] = mapped_column(sa.String(64), index=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    method: Mapped[str] = mapped_column(sa.String(128))
    targets: Mapped[str] = mapped_column(sa.String(255))
    outcome: Mapped[str] = mapped_column(sa.String(32))
    peer: Mapped[str] = mapped_column(sa.String(128))
