"""Stores and lists audit entries; takes a session and never commits."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.db.audit_models import AuditRow
from clustergenie_server.db.models import as_utc
from clustergenie_server.domain.audit import AuditEntry
from clustergenie_server.domain.auth import Role


class AuditRepository:
    """The audit_log table."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add_many(self, entries: Iterable[AuditEntry]) -> None:
        """Insert entries (their ids are ignored)."""
        self._session.add_all(
            AuditRow(
                at=e.at,
                caller=e.caller[:64],
                role=e.role.label,
                method=e.method[:128],
                targets=e.targets[:255],
                outcome=e.outcome[:32],
                peer=e.peer[:128],
            )
            for e in entries
        )

    def newest(self, limit: int, method: str = "", caller: str = "") -> list[AuditEntry]:
        """The newest entries first, optionally only one method's or one caller's."""
        query = sa.select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if method:
            query = query.where(AuditRow.method == method)
        if caller:
            query = query.where(AuditRow.caller == caller)
        return [
            AuditEntry(
                at=as_utc(r.at),
                caller=r.caller,
                role=Role.parse(r.role),
                method=r.method,
                targets=r.targets,
                outcome=r.outcome,
                peer=r.peer,
                id=r.id,
            )
            for r in self._session.scalars(query)
        ]
