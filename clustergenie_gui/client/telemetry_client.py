"""TelemetryScalingCalls: the TelemetryService and ScalingService RPCs of ClusterGenieClient."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import datetime

from clustergenie_gui.client import convert_scaling as cs
from clustergenie_gui.client import convert_telemetry as ct
from clustergenie_gui.client import types as t
from clustergenie_gui.client.convert import job_from_pb, one_event
from clustergenie_gui.client.rpc_base import RpcClientBase
from clustergenie_server.api.v1 import scaling_pb2_grpc, telemetry_pb2_grpc


class TelemetryScalingCalls(RpcClientBase):
    """Mixed into ClusterGenieClient; the channel, deadline and errors come from RpcClientBase."""

    def _telemetry_stub(self) -> telemetry_pb2_grpc.TelemetryServiceStub:
        return telemetry_pb2_grpc.TelemetryServiceStub(self._require_channel())

    def _scaling_stub(self) -> scaling_pb2_grpc.ScalingServiceStub:
        return scaling_pb2_grpc.ScalingServiceStub(self._require_channel())

    # Telemetry ------------------------------------------------------------------------

    async def get_clock(self) -> t.SimulationClock:
        """The simulation clock: simulated now, time scale, tick and retention."""
        response = await self._call(self._telemetry_stub().GetClock, ct.clock_request())
        return ct.clock_from_pb(response)

    async def query_series(
        self,
        cluster_id: int,
        metrics: Iterable[t.Metric],
        droplet_id: int = 0,
        window_seconds: float = 0.0,
        end: datetime | None = None,
        step_seconds: float = 0.0,
        max_points: int = 0,
        aggregation: t.Aggregation = t.Aggregation.UNKNOWN,
    ) -> list[t.Series]:
        """One downsampled series per metric, in the order asked for."""
        request = ct.query_series_request(
            cluster_id,
            metrics,
            droplet_id,
            window_seconds,
            end,
            step_seconds,
            max_points,
            aggregation,
        )
        response = await self._call(self._telemetry_stub().QuerySeries, request)
        return [ct.series_from_pb(s) for s in response.series]

    def watch_metrics(
        self,
        cluster_id: int,
        droplet_id: int = 0,
        include_droplets: bool = False,
        backfill_seconds: float = 0.0,
    ) -> AsyncIterator[list[t.MetricSample]]:
        """Recent samples (backfill), then each tick's samples, one list per update;
        cluster_id 0: every cluster's aggregate."""
        request = ct.watch_metrics_request(
            cluster_id, droplet_id, include_droplets, backfill_seconds
        )
        call = self._telemetry_stub().WatchMetrics(request)
        return self._stream(call, one_event(ct.samples_from_pb))

    async def inject_fault(
        self,
        kind: t.FaultKind,
        cluster_id: int,
        droplet_id: int = 0,
        magnitude: float = 0.0,
        start_after_seconds: float = 0.0,
        duration_seconds: float = 0.0,
    ) -> t.Fault:
        """Inject a fault into a cluster (droplet_id 0) or one droplet."""
        request = ct.inject_fault_request(
            kind, cluster_id, droplet_id, magnitude, start_after_seconds, duration_seconds
        )
        return ct.fault_from_pb(await self._call(self._telemetry_stub().InjectFault, request))

    async def list_faults(self, cluster_id: int = 0, include_ended: bool = False) -> list[t.Fault]:
        """Scheduled and active faults (ended ones too when asked)."""
        request = ct.list_faults_request(cluster_id, include_ended)
        response = await self._call(self._telemetry_stub().ListFaults, request)
        return [ct.fault_from_pb(f) for f in response.faults]

    async def clear_fault(self, fault_id: int) -> t.Fault:
        """End a scheduled or active fault now."""
        request = ct.clear_fault_request(fault_id)
        return ct.fault_from_pb(await self._call(self._telemetry_stub().ClearFault, request))

    # Scaling --------------------------------------------------------------------------

    async def scale_cluster(self, cluster_id: int, target_count: int) -> t.Job:
        """Start a job that scales the cluster to target_count droplets."""
        request = cs.scale_cluster_request(cluster_id, target_count)
        response = await self._call(self._scaling_stub().ScaleCluster, request)
        return job_from_pb(response.job)

    async def get_policy(self, cluster_id: int) -> t.ScalingPolicy:
        """The cluster's policy; ClientError NOT_FOUND when it has none."""
        request = cs.get_policy_request(cluster_id)
        return cs.policy_from_pb(await self._call(self._scaling_stub().GetPolicy, request))

    async def list_policies(self) -> list[t.ScalingPolicy]:
        """Every cluster's policy."""
        response = await self._call(self._scaling_stub().ListPolicies, cs.list_policies_request())
        return [cs.policy_from_pb(p) for p in response.policies]

    async def set_policy(self, policy: t.ScalingPolicy) -> t.ScalingPolicy:
        """Create or replace a cluster's policy; INVALID_ARGUMENT names the wrong field."""
        request = cs.set_policy_request(policy)
        return cs.policy_from_pb(await self._call(self._scaling_stub().SetPolicy, request))

    async def delete_policy(self, cluster_id: int) -> None:
        """Remove a cluster's policy."""
        await self._call(self._scaling_stub().DeletePolicy, cs.delete_policy_request(cluster_id))

    async def list_decisions(
        self, cluster_id: int = 0, limit: int = 0, changes_only: bool = False
    ) -> list[t.ScalingDecision]:
        """Recent decisions, newest first."""
        request = cs.list_decisions_request(cluster_id, limit, changes_only)
        response = await self._call(self._scaling_stub().ListDecisions, request)
        return [cs.decision_from_pb(d) for d in response.decisions]

    def watch_decisions(
        self, cluster_id: int = 0, snapshot_limit: int = 0
    ) -> AsyncIterator[t.DecisionEvent]:
        """Recent decisions (oldest first), SnapshotComplete, then each new decision."""
        call = self._scaling_stub().WatchDecisions(
            cs.watch_decisions_request(cluster_id, snapshot_limit)
        )
        return self._stream(call, one_event(cs.decision_event_from_pb))
