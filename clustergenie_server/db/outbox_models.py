"""The outbox table: events committed with the change they describe, waiting to be published."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from clustergenie_server.db.models import MYSQL_TABLE_ARGS, Base, IdType, UtcDateTime


class OutboxRow(Base):
    """One event of the transactional outbox; deleted once the relay has published it."""

    __tablename__ = "outbox"
    __table_args__ = (sa.UniqueConstraint("event_id"), MYSQL_TABLE_ARGS)

    # Ascending ids are the publish order (per writer), which keeps each key's events in order.
    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(sa.String(36))
    topic: Mapped[str] = mapped_column(sa.String(64))
    event_key: Mapped[str] = mapped_column(sa.String(64))  # "key" is reserved in MySQL
    payload: Mapped[bytes] = mapped_column(sa.LargeBinary())  # a serialized EventEnvelope
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # A row is born claimed by the server that wrote it; once claimed_until passes (that server
    # died before relaying it), any server's relay may claim it, like an expired job lease.
    claimed_by: Mapped[str] = mapped_column(sa.String(100), index=True)
    claimed_until: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
