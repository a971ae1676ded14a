"""AuditLog: records each mutating call as a JSON log line, and as a row in the transaction of
the call's change (or, for a call that changed nothing, soon after it ends)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
from collections.abc import Iterator

from clustergenie_server.db.audit_repository import AuditRepository, CallAudit, current_call_audit
from clustergenie_server.db.database import UnitsOfWork
from clustergenie_server.domain.audit import AuditEntry
from clustergenie_server.domain.errors import Unavailable

log = logging.getLogger("clustergenie_server.audit")

# Entries of calls that changed nothing (refused, failed), kept while the database is away; the
# oldest go first. Entries of changes never wait here: they commit with the change.
MAX_PENDING = 10_000


class AuditLog:
    """Stores each entry with its call's change, or in batches off the RPC's path; auditing adds
    no database round trip either way."""

    def __init__(self, db: UnitsOfWork) -> None:
        self._db = db
        self._pending: list[AuditEntry] = []
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()  # one batch at a time keeps the rows in call order
        self._task: asyncio.Task[None] | None = None

    @contextlib.contextmanager
    def call(self, entry: AuditEntry) -> Iterator[CallAudit]:
        """Around a mutating call: its first unit of work that writes stores entry (as "OK").

        Give the outcome to finish() when the call ends.
        """
        call = CallAudit(dataclasses.replace(entry, outcome="OK"))
        token = current_call_audit.set(call)
        try:
            yield call
        finally:
            current_call_audit.reset(token)

    def finish(self, call: CallAudit, outcome: str) -> None:
        """Log how the call ended; store its entry unless it committed with the change. A call
        that failed after its change committed keeps that "OK" entry and gets one for the
        failure too."""
        self.record(
            dataclasses.replace(call.entry, outcome=outcome),
            stored=call.claimed and outcome == "OK",
        )

    def record(self, entry: AuditEntry, *, stored: bool = False) -> None:
        """Log entry now and, unless it is stored already, queue it for the database."""
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
        if stored:
            return
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
        return await self._db.read(lambda s: AuditRepository(s).newest(limit, method, caller))

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
