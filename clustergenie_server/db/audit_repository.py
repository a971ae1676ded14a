"""Stores and lists audit entries; takes a session and never commits."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.db.audit_models import AuditRow
from clustergenie_server.db.models import as_utc
from clustergenie_server.domain.audit import AuditEntry
from clustergenie_server.domain.auth import Role

T = TypeVar("T")


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


class CallAudit:
    """The audit entry of the call being served, to be stored with the call's first change.

    Database.run adds the entry to the transaction of the first unit of work that writes while
    this is current, so a change never commits without its entry, whatever kills the server
    after; a call that changes nothing is left to the AuditLog's background writer.
    """

    __slots__ = ("entry", "claimed")

    def __init__(self, entry: AuditEntry) -> None:
        self.entry = entry  # outcome "OK": it is stored only if the change commits
        self.claimed = False  # a unit of work carries the entry (or has committed it)

    def with_entry(self, fn: Callable[[Session], T]) -> Callable[[Session], T]:
        """fn, then the entry, in the same session."""

        def unit(session: Session) -> T:
            result = fn(session)
            AuditRepository(session).add_many((self.entry,))
            return result

        return unit


# Set by the AuditLog around a mutating RPC; tasks the call starts inherit it (the outbox commits
# in a shielded task of its own), and `claimed` keeps the entry to one transaction.
current_call_audit: contextvars.ContextVar[CallAudit | None] = contextvars.ContextVar(
    "clustergenie_call_audit", default=None
)
