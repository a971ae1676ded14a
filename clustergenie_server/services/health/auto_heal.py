"""Auto-heal, opt-in per check: after N consecutive unhealthy results, reboot or replace the
droplet through a job, at most `budget_per_hour` heals per cluster per hour.

The budget counts this server's recent heals and those in the audit log (other servers'), so a
bad deploy on every droplet of a cluster cannot cause a heal storm. Every heal is a job (in the
job history) and an audit entry (caller "health:auto-heal").
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

from clustergenie_server.domain.audit import AuditEntry
from clustergenie_server.domain.auth import Role
from clustergenie_server.domain.errors import DomainError
from clustergenie_server.domain.health import AutoHeal, CheckDefinition, Target
from clustergenie_server.services.audit.audit_log import AuditLog

log = logging.getLogger(__name__)

AUTO_HEAL_METHOD = "/clustergenie.v1.HealthCheckService/AutoHeal"
AUTO_HEAL_CALLER = "health:auto-heal"
DEFAULT_BUDGET_PER_HOUR = 3


class HealActions(Protocol):
    """What a heal asks of provisioning (ProvisioningService provides it)."""

    async def reboot_droplet(self, droplet_id: int, *, retry_of: int | None = None) -> object: ...

    async def add_droplets(self, *, cluster_id: int, count: int, size: str = "") -> object: ...

    async def destroy_droplet(self, droplet_id: int, *, retry_of: int | None = None) -> object: ...


class AutoHealer:
    """Decides and starts heals within the per-cluster budget."""

    def __init__(
        self,
        actions: HealActions,
        audit: AuditLog | None,
        *,
        budget_per_hour: int = DEFAULT_BUDGET_PER_HOUR,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._actions, self._audit, self._clock = actions, audit, clock
        self.budget_per_hour = budget_per_hour
        self._recent: dict[int, deque[float]] = {}
        self._one_at_a_time = asyncio.Lock()  # two droplets due together: one budget check each

    @staticmethod
    def due(check: CheckDefinition, target: Target, consecutive_failures: int) -> bool:
        """True on the result that completes auto_heal_after failures in a row (once a streak)."""
        return (
            check.auto_heal is not AutoHeal.NONE
            and target.droplet_id > 0
            and consecutive_failures == check.auto_heal_after
        )

    async def heal(self, check: CheckDefinition, target: Target) -> str:
        """Start the heal; returns what was done (or why not)."""
        async with self._one_at_a_time:
            return await self._heal(check, target)

    async def _heal(self, check: CheckDefinition, target: Target) -> str:
        now = self._clock()
        cluster = target.cluster_id
        recent = self._recent.setdefault(cluster, deque())
        while recent and recent[0] < now - 3600.0:
            recent.popleft()
        spent = max(len(recent), await self._audited_heals(cluster, now))
        if spent >= self.budget_per_hour:
            outcome = f"auto-heal budget spent ({spent} of {self.budget_per_hour} this hour)"
            self._record(target, check, now, "BUDGET_SPENT")
            return outcome
        try:
            if check.auto_heal is AutoHeal.REBOOT:
                await self._actions.reboot_droplet(target.droplet_id)
                outcome = f"auto-heal: rebooting droplet {target.droplet_id}"
            else:
                await self._actions.add_droplets(cluster_id=cluster, count=1)
                await self._actions.destroy_droplet(target.droplet_id)
                outcome = f"auto-heal: replacing droplet {target.droplet_id}"
        except DomainError as exc:
            self._record(target, check, now, "FAILED_PRECONDITION")
            return f"auto-heal refused: {exc}"
        recent.append(now)
        self._record(target, check, now, "OK")
        log.warning("%s (check %d)", outcome, check.id)
        return outcome

    async def _audited_heals(self, cluster_id: int, now: float) -> int:
        if self._audit is None:
            return 0
        entries = await self._audit.newest(200, AUTO_HEAL_METHOD, AUTO_HEAL_CALLER)
        return sum(
            1
            for e in entries
            if e.outcome == "OK"
            and e.at.timestamp() >= now - 3600.0
            and f"cluster:{cluster_id} " in e.targets + " "
        )

    def _record(self, target: Target, check: CheckDefinition, now: float, outcome: str) -> None:
        if self._audit is None:
            return
        self._audit.record(
            AuditEntry(
                at=datetime.fromtimestamp(now, UTC),
                caller=AUTO_HEAL_CALLER,
                role=Role.OPERATOR,
                method=AUTO_HEAL_METHOD,
                targets=f"check:{check.id} {target.key} cluster:{target.cluster_id} "
                f"{check.auto_heal.value}",
                outcome=outcome,
                peer="server",
            )
        )
