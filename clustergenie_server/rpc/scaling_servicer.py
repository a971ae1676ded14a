"""ScalingService over gRPC."""

from __future__ import annotations

from collections.abc import AsyncIterator

from clustergenie_server.api.v1 import scaling_pb2 as pb
from clustergenie_server.api.v1 import scaling_pb2_grpc
from clustergenie_server.domain.errors import InvalidArgument
from clustergenie_server.rpc.aio_types import Context
from clustergenie_server.services.scaling.scaling_service import ScalingService
from clustergenie_server.wire import convert
from clustergenie_server.wire import scaling_convert as sc


class ScalingServicer(scaling_pb2_grpc.ScalingServiceServicer):
    """Thin: each method translates, calls ScalingService, translates back."""

    def __init__(self, service: ScalingService) -> None:
        self._service = service

    async def ScaleCluster(
        self, request: pb.ScaleClusterRequest, context: Context
    ) -> pb.ScaleClusterResponse:
        job = await self._service.scale_cluster(request.cluster_id, request.target_count)
        return pb.ScaleClusterResponse(job=convert.job_to_proto(job))

    async def GetPolicy(self, request: pb.GetPolicyRequest, context: Context) -> pb.ScalingPolicy:
        return sc.policy_to_proto(await self._service.get_policy(request.cluster_id))

    async def ListPolicies(
        self, request: pb.ListPoliciesRequest, context: Context
    ) -> pb.ListPoliciesResponse:
        policies = await self._service.list_policies()
        return pb.ListPoliciesResponse(policies=[sc.policy_to_proto(p) for p in policies])

    async def SetPolicy(self, request: pb.SetPolicyRequest, context: Context) -> pb.ScalingPolicy:
        if not request.HasField("policy"):
            raise InvalidArgument("policy is missing; send the whole policy to set")
        policy = await self._service.set_policy(sc.policy_from_proto(request.policy))
        return sc.policy_to_proto(policy)

    async def DeletePolicy(
        self, request: pb.DeletePolicyRequest, context: Context
    ) -> pb.DeletePolicyResponse:
        await self._service.delete_policy(request.cluster_id)
        return pb.DeletePolicyResponse()

    async def ListDecisions(
        self, request: pb.ListDecisionsRequest, context: Context
    ) -> pb.ListDecisionsResponse:
        decisions = await self._service.list_decisions(
            cluster_id=request.cluster_id, limit=request.limit, changes_only=request.changes_only
        )
        return pb.ListDecisionsResponse(decisions=[sc.decision_to_proto(d) for d in decisions])

    async def WatchDecisions(
        self, request: pb.WatchDecisionsRequest, context: Context
    ) -> AsyncIterator[pb.DecisionUpdate]:
        async for decision in self._service.watch_decisions(
            cluster_id=request.cluster_id, snapshot_limit=request.snapshot_limit
        ):
            if decision is None:
                yield pb.DecisionUpdate(snapshot_complete=True)
            else:
                yield pb.DecisionUpdate(decision=sc.decision_to_proto(decision))
