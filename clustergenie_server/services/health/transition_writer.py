"""Stores transitions with their states, alerts and events: every round's at once, in one unit
of work, so a cluster outage (hundreds of targets changing together) is one transaction, not
hundreds competing for the write lock and the event loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db.health_alert_repository import AlertRepository
from clustergenie_server.db.health_repository import ResultRepository, StatusRepository, StatusRow
from clustergenie_server.domain.events import Event, HealthChanged
from clustergenie_server.domain.health import (
    Alert,
    CheckDefinition,
    MaintenanceWindow,
    TargetKind,
    Transition,
)
from clustergenie_server.services.health import alerting


@dataclass(slots=True)
class _Batch:
    check: CheckDefinition
    transitions: list[Transition]
    rows: list[StatusRow]
    total: int  # targets of the check (for "n of m droplets")
    done: asyncio.Future[None]


AlertChange = tuple[Alert, str]


class TransitionWriter:
    """Queues rounds' transitions; one writer commits whatever is queued, in order."""

    def __init__(
        self,
        outbox: Outbox,
        windows: Callable[[], Awaitable[list[MaintenanceWindow]]],
        on_alert: Callable[[Alert, str], None],
    ) -> None:
        self._outbox, self._windows, self._on_alert = outbox, windows, on_alert
        self._queue: list[_Batch] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def write(
        self,
        check: CheckDefinition,
        transitions: list[Transition],
        rows: list[StatusRow],
        total: int,
    ) -> None:
        """Store one round's transitions; returns once they are committed."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append(_Batch(check, transitions, rows, total, done))
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._loop(), name="health-transitions")
        await done

    async def stop(self) -> None:
        """Stop the writer (what is queued then fails with CancelledError)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            batches, self._queue = self._queue, []
            if not batches:
                continue
            try:
                windows = await self._windows()
                changes = await self._outbox.commit(
                    lambda s, b=batches, w=windows: _store(s, b, w)  # type: ignore[misc]
                )
            except Exception as exc:  # each round's caller hears of it
                for b in batches:
                    if not b.done.done():
                        b.done.set_exception(exc)
                continue
            for b in batches:
                if not b.done.done():
                    b.done.set_result(None)
            for alert, notice in changes:
                self._on_alert(alert, notice)


def _store(
    s: Session, batches: Sequence[_Batch], windows: Sequence[MaintenanceWindow]
) -> tuple[list[AlertChange], list[Event]]:
    results, alerts, states = ResultRepository(s), AlertRepository(s), StatusRepository(s)
    states.save([row for b in batches for row in b.rows])
    events: list[Event] = []
    changes: dict[int, AlertChange] = {}
    for b in batches:
        fan_out = b.check.target_kind is TargetKind.CLUSTER
        for t in b.transitions:
            stored = results.add_transition(t)
            events.append(HealthChanged(t.check_id, transition=stored))
            silenced = any(w.covers(t.at) for w in windows if w.cluster_id in (0, t.cluster_id))
            change = alerting.apply(
                alerts, stored, check_name=b.check.name, fan_out=fan_out,
                targets_total=b.total, silenced=silenced,
            )  # fmt: skip
            if change is not None:
                alert, notice = change
                # One notice per alert per batch: droplets failing together are one "opened".
                earlier = changes.get(alert.id)
                changes[alert.id] = (
                    alert,
                    "opened" if earlier and earlier[1] == "opened" else notice,
                )
    events.extend(HealthChanged(a.check_id, alert=a, notice=n) for a, n in changes.values())
    return list(changes.values()), events
