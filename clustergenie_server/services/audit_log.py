"""AuditLog: records each mutating call as a JSON log line at once and a row soon after."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from clustergenie_server.db import Database
from clustergenie_server.db.audit_repository import AuditRepository
from clustergenie_server.domain.audit import AuditEntry
from clustergenie_server.domain.errors import Unavailable

log = logging.getLogger("clustergenie_server.audit")

MAX_PENDING = 10_000  # entries kept while the database is away; the oldest go first


class AuditLog:
    """Writes entries in batches off the RPC's path, so auditing adds no database round trip."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._pending: list[AuditEntry] = []
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()  # one batch at a time keeps the rows in call order
        self._task: asyncio.Task[None] | None = None

    def record(self, entry: AuditEntry) -> None:
        """Log entry now and queue it for the database."""
        log.info(
            "audit %s",
            json.dumps(
                {
                    "caller": entry.caller,
                    "role": entry.role.label,
                    "method": entry.method,
                    "targets": entry.targets,
                    "outcome": entry.outcome,
                    "peer": entry.peer,
                }
            ),
        )
        if len(self._pending) >= MAX_PENDING:
            del self._pending[0]
        self._pending.append(entry)
        self._wake.set()

    async def start(self) -> None:
        """Start the background writer."""
        self._task = asyncio.create_task(self._write_loop(), name="audit-writer")

    async def stop(self) -> None:
        """Stop the writer and write what is still pending (best effort)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(Unavailable):
            await self.flush()

    async def flush(self) -> None:
        """Write every pending entry now."""
        async with self._lock:
            batch, self._pending = self._pending, []
            if not batch:
                return
            try:
                await self._db.run(lambda s: AuditRepository(s).add_many(batch))
            except Exception:
                self._pending[:0] = batch  # kept for the next attempt, in order
                raise

    async def newest(self, limit: int, method: str = "", caller: str = "") -> list[AuditEntry]:
        """The newest entries first (pending ones written first, so none is missed)."""
        await self.flush()
        return await self._db.run(lambda s: AuditRepository(s).newest(limit, method, caller))

    async def _write_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self.flush()
            except Exception as exc:  # the database is away: keep the entries, retry later
                pending = len(self._pending)
                log.warning("audit entries not written yet (%d pending): %s", pending, exc)
                await asyncio.sleep(2.0)
                self._wake.set()
