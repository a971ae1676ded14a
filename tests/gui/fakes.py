"""FakeClient: the ClusterGenieClient's async surface, scripted by tests, no network."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.auth_types import Credentials, Identity, Role
from clustergenie_gui.client.types import (
    Catalog,
    Cluster,
    ClusterAction,
    DecisionEvent,
    DecisionRule,
    Droplet,
    DropletAction,
    DropletStatus,
    Fault,
    FaultKind,
    FaultState,
    Image,
    InventoryEvent,
    Job,
    JobEvent,
    JobKind,
    JobState,
    Metric,
    MetricSample,
    Region,
    ScalingAction,
    ScalingDecision,
    ScalingMetric,
    ScalingPolicy,
    Series,
    SimulationClock,
    Size,
)

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

CATALOG = Catalog(
    regions=(Region("nyc1", "New York 1"), Region("ams3", "Amsterdam 3")),
    sizes=(Size("s-1vcpu-1gb", 1, 1024, 25, 6.0), Size("s-2vcpu-4gb", 2, 4096, 80, 24.0)),
    images=(Image("ubuntu-24-04-x64", "Ubuntu 24.04 (LTS) x64", "Ubuntu"),),
)


def make_cluster(cluster_id: int = 1, name: str = "web", **changes: Any) -> Cluster:
    """A cluster with sensible defaults."""
    values: dict[str, Any] = dict(
        id=cluster_id,
        name=name,
        region="nyc1",
        size="s-1vcpu-1gb",
        image="ubuntu-24-04-x64",
        droplet_count=0,
        created_at=T0,
        updated_at=T0,
    )
    values.update(changes)
    return Cluster(**values)


def make_droplet(droplet_id: int, cluster_id: int = 1, **changes: Any) -> Droplet:
    """A droplet with sensible defaults; name web-<id>."""
    values: dict[str, Any] = dict(
        id=droplet_id,
        cluster_id=cluster_id,
        name=f"web-{droplet_id}",
        region="nyc1",
        size="s-1vcpu-1gb",
        image="ubuntu-24-04-x64",
        status=DropletStatus.ACTIVE,
        ip_address=f"10.0.0.{droplet_id}",
        created_at=T0,
        updated_at=T0,
    )
    values.update(changes)
    return Droplet(**values)


def make_job(job_id: int, state: JobState = JobState.RUNNING, **changes: Any) -> Job:
    """A provision job with sensible defaults."""
    values: dict[str, Any] = dict(
        id=job_id,
        kind=JobKind.PROVISION_DROPLET,
        state=state,
        cluster_id=1,
        droplet_id=job_id,
        target_name=f"web-{job_id}",
        progress=0.5,
        step="Booting",
        step_index=1,
        step_count=4,
        created_at=T0,
        started_at=T0,
        updated_at=T0 + timedelta(seconds=job_id),
    )
    values.update(changes)
    # As the server says: failed or cancelled jobs are retryable unless a test says otherwise.
    values.setdefault("retryable", values["state"] in (JobState.FAILED, JobState.CANCELLED))
    return Job(**values)


class FakeClient:
    """Records calls; `errors[name]` makes that method raise; streams read from queues."""

    def __init__(self) -> None:
        self.address = ""
        self.ready = True
        self.credentials = Credentials()
        self.identity = Identity("admin", Role.ADMIN)  # what who_am_i answers
        self.catalog = CATALOG
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.errors: dict[str, ClientError] = {}
        self.inventory: asyncio.Queue[InventoryEvent | Exception] = asyncio.Queue()
        self.job_events: asyncio.Queue[JobEvent | Exception] = asyncio.Queue()
        self.lost = asyncio.Event()
        self.stream_starts = {"inventory": 0, "jobs": 0}
        self._next_id = 100

    def _record(self, name: str, *args: Any) -> None:
        self.calls.append((name, args))
        if name in self.errors:
            raise self.errors[name]

    def called(self, name: str) -> list[tuple[Any, ...]]:
        """Arguments of every call to name."""
        return [args for call, args in self.calls if call == name]

    def set_credentials(self, credentials: Credentials) -> None:
        self.credentials = credentials

    async def who_am_i(self) -> Identity:
        self._record("who_am_i")
        return self.identity

    async def connect(self, address: str) -> None:
        self.address = address

    async def close(self) -> None:
        self.address = ""

    async def wait_ready(self, within: float) -> bool:
        await asyncio.sleep(0)
        return self.ready

    async def wait_until_not_ready(self) -> None:
        await self.lost.wait()
        self.lost.clear()

    async def get_catalog(self) -> Catalog:
        self._record("get_catalog")
        return self.catalog

    async def create_cluster(
        self, name: str, region: str, size: str, image: str, droplet_count: int, tags: Any = ()
    ) -> ClusterAction:
        self._record("create_cluster", name, region, size, image, droplet_count, tuple(tags))
        cluster = make_cluster(
            self._next_id, name, region=region, size=size, droplet_count=droplet_count
        )
        self._next_id += 1
        return ClusterAction(cluster=cluster)

    async def add_droplets(self, cluster_id: int, count: int, size: str = "") -> ClusterAction:
        self._record("add_droplets", cluster_id, count, size)
        return ClusterAction(cluster=make_cluster(cluster_id))

    async def delete_cluster(self, cluster_id: int) -> ClusterAction:
        self._record("delete_cluster", cluster_id)
        return ClusterAction(cluster=make_cluster(cluster_id))

    async def _droplet(self, name: str, droplet_id: int, *args: Any) -> DropletAction:
        self._record(name, droplet_id, *args)
        job = make_job(900 + droplet_id, JobState.QUEUED, kind=JobKind(name), droplet_id=droplet_id)
        return DropletAction(droplet=make_droplet(droplet_id, locked=True), job=job)

    async def resize_droplet(self, droplet_id: int, size: str) -> DropletAction:
        return await self._droplet("resize_droplet", droplet_id, size)

    async def reboot_droplet(self, droplet_id: int) -> DropletAction:
        return await self._droplet("reboot_droplet", droplet_id)

    async def power_off_droplet(self, droplet_id: int) -> DropletAction:
        return await self._droplet("power_off_droplet", droplet_id)

    async def power_on_droplet(self, droplet_id: int) -> DropletAction:
        return await self._droplet("power_on_droplet", droplet_id)

    async def destroy_droplet(self, droplet_id: int) -> DropletAction:
        return await self._droplet("destroy_droplet", droplet_id)

    async def cancel_job(self, job_id: int) -> Job:
        self._record("cancel_job", job_id)
        return make_job(job_id, cancel_requested=True, updated_at=T0 + timedelta(hours=1))

    async def retry_job(self, job_id: int) -> Job:
        self._record("retry_job", job_id)
        return make_job(job_id + 1000, JobState.QUEUED, retry_of=job_id)

    async def watch_inventory(self) -> AsyncIterator[InventoryEvent]:
        self.stream_starts["inventory"] += 1
        while True:
            event = await self.inventory.get()
            if isinstance(event, Exception):
                raise event
            yield event

    async def watch_jobs(self, snapshot_limit: int = 0) -> AsyncIterator[JobEvent]:
        self.stream_starts["jobs"] += 1
        while True:
            event = await self.job_events.get()
            if isinstance(event, Exception):
                raise event
            yield event


def make_sample(time: float, cluster_id: int = 1, **values: Any) -> MetricSample:
    """An aggregate sample at simulated time (Unix seconds)."""
    return MetricSample(cluster_id=cluster_id, droplet_id=0, time=time, **values)


def make_decision(decision_id: int, cluster_id: int = 1, **changes: Any) -> ScalingDecision:
    """A scale-up decision from 2 to 3 droplets."""
    values: dict[str, Any] = dict(
        id=decision_id,
        cluster_id=cluster_id,
        time=T0 + timedelta(seconds=15 * decision_id),
        metric=ScalingMetric.CPU,
        metric_value=90.0,
        target=60.0,
        current_droplets=2,
        total_droplets=2,
        formula_droplets=3,
        desired_droplets=3,
        action=ScalingAction.SCALE_UP,
        rule=DecisionRule.FORMULA,
        reason="90 % > 60 %",
    )
    values.update(changes)
    return ScalingDecision(**values)


class FakeTelemetryClient(FakeClient):
    """FakeClient plus telemetry and scaling; `policies` by cluster, streams from queues."""

    def __init__(self) -> None:
        super().__init__()
        self.policies: dict[int, ScalingPolicy] = {}
        self.metrics: asyncio.Queue[list[MetricSample] | Exception] = asyncio.Queue()
        self.decision_events: asyncio.Queue[DecisionEvent | Exception] = asyncio.Queue()
        self.faults: list[Fault] = []
        self.clock = SimulationClock(now=T0, time_scale=60.0)
        self.stream_starts.update(metrics=0, decisions=0)
        # What query_series answers per metric: (bucket times, values).
        self.history: dict[Metric, tuple[tuple[float, ...], tuple[float, ...]]] = {}

    async def get_clock(self) -> SimulationClock:
        self._record("get_clock")
        return self.clock

    async def get_policy(self, cluster_id: int) -> ScalingPolicy:
        self._record("get_policy", cluster_id)
        if cluster_id not in self.policies:
            raise ClientError("NOT_FOUND", f"cluster {cluster_id} has no scaling policy")
        return self.policies[cluster_id]

    async def set_policy(self, policy: ScalingPolicy) -> ScalingPolicy:
        self._record("set_policy", policy)
        self.policies[policy.cluster_id] = replace(policy, created_at=T0, updated_at=T0)
        return self.policies[policy.cluster_id]

    async def delete_policy(self, cluster_id: int) -> None:
        self._record("delete_policy", cluster_id)
        self.policies.pop(cluster_id, None)

    async def scale_cluster(self, cluster_id: int, target_count: int) -> Job:
        self._record("scale_cluster", cluster_id, target_count)
        return make_job(500, JobState.QUEUED, kind=JobKind.SCALE_CLUSTER, cluster_id=cluster_id)

    async def inject_fault(
        self,
        kind: FaultKind,
        cluster_id: int,
        droplet_id: int = 0,
        magnitude: float = 0.0,
        start_after_seconds: float = 0.0,
        duration_seconds: float = 0.0,
    ) -> Fault:
        self._record("inject_fault", kind, cluster_id, droplet_id, magnitude, duration_seconds)
        fault = Fault(
            len(self.faults) + 1,
            kind,
            cluster_id,
            droplet_id,
            magnitude or 3.0,
            T0,
            duration_seconds,
            FaultState.ACTIVE,
            description=f"{kind.label}",
        )
        self.faults.append(fault)
        return fault

    async def list_faults(self, cluster_id: int = 0, include_ended: bool = False) -> list[Fault]:
        self._record("list_faults", cluster_id, include_ended)
        return [f for f in self.faults if f.state == FaultState.ACTIVE]

    async def clear_fault(self, fault_id: int) -> Fault:
        self._record("clear_fault", fault_id)
        index = next(i for i, f in enumerate(self.faults) if f.id == fault_id)
        self.faults[index] = replace(self.faults[index], state=FaultState.CLEARED)
        return self.faults[index]

    async def watch_metrics(
        self,
        cluster_id: int,
        droplet_id: int = 0,
        include_droplets: bool = False,
        backfill_seconds: float = 0.0,
    ) -> AsyncIterator[list[MetricSample]]:
        self.stream_starts["metrics"] += 1
        self.calls.append(("watch_metrics", (cluster_id, backfill_seconds)))
        while True:
            samples = await self.metrics.get()
            if isinstance(samples, Exception):
                raise samples
            yield samples

    async def query_series(
        self,
        cluster_id: int,
        metrics: Any,
        droplet_id: int = 0,
        window_seconds: float = 0.0,
        end: Any = None,
        step_seconds: float = 0.0,
        max_points: int = 0,
        aggregation: Any = None,
    ) -> list[Series]:
        """`history[metric]` (times, values) per metric asked for, as the server would."""
        asked = list(metrics)
        self._record("query_series", cluster_id, tuple(asked), window_seconds, max_points)
        return [
            Series(metric, cluster_id, 0, 60.0, *self.history.get(metric, ((), ())))
            for metric in asked
        ]

    async def watch_decisions(
        self, cluster_id: int = 0, snapshot_limit: int = 0
    ) -> AsyncIterator[DecisionEvent]:
        self.stream_starts["decisions"] += 1
        self.calls.append(("watch_decisions", (cluster_id, snapshot_limit)))
        while True:
            event = await self.decision_events.get()
            if isinstance(event, Exception):
                raise event
            yield event
