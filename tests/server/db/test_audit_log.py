"""AuditLog writes entries in call order and keeps them while the database is away."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from sqlalchemy.orm import Session

from clustergenie_server.db import Database
from clustergenie_server.domain.audit import AuditEntry
from clustergenie_server.domain.auth import Role
from clustergenie_server.domain.errors import Unavailable
from clustergenie_server.services.audit.audit_log import AuditLog

T = TypeVar("T")


class FlakyDatabase:
    """Delegates to a real Database, but the first `failures` units of work fail."""

    def __init__(self, database: Database, failures: int) -> None:
        self._database, self.failures = database, failures

    async def run(self, fn: Callable[[Session], T]) -> T:
        if self.failures:
            self.failures -= 1
            raise Unavailable("the database at db:3306 cannot be reached")
        return await self._database.run(fn)

    async def read(self, fn: Callable[[Session], T]) -> T:
        return await self._database.read(fn)


def entry(method: str, outcome: str = "OK") -> AuditEntry:
    """One operator call."""
    return AuditEntry(
        datetime.now(UTC), "ops", Role.OPERATOR, method, "cluster_id=1", outcome, "ipv4:127.0.0.1:5"
    )


async def test_entries_survive_an_outage_in_order(database: Database) -> None:
    audit = AuditLog(FlakyDatabase(database, failures=1))
    audit.record(entry("/clustergenie.v1.JobService/CancelJob"))
    audit.record(entry("/clustergenie.v1.JobService/RetryJob", "NOT_FOUND"))
    with pytest.raises(Unavailable):
        await audit.flush()
    audit.record(entry("/clustergenie.v1.ScalingService/ScaleCluster"))
    newest = await audit.newest(10)
    assert [(e.method.rpartition("/")[2], e.outcome) for e in newest] == [
        ("ScaleCluster", "OK"),
        ("RetryJob", "NOT_FOUND"),
        ("CancelJob", "OK"),
    ]
    assert [e.caller for e in await audit.newest(10, caller="nobody")] == []
    only = await audit.newest(10, method="/clustergenie.v1.JobService/RetryJob")
    assert [(e.role, e.targets) for e in only] == [(Role.OPERATOR, "cluster_id=1")]
    await audit.stop()
