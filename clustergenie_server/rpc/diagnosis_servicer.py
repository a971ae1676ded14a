"""DiagnosisService and DeployService over gRPC: thin, they encode what the services yield."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from grpc import aio

from clustergenie_server.api.v1 import deploys_pb2 as dpb
from clustergenie_server.api.v1 import deploys_pb2_grpc, diagnosis_pb2_grpc
from clustergenie_server.api.v1 import diagnosis_pb2 as pb
from clustergenie_server.services.deploys.deploy_service import DeployRequest, DeployService
from clustergenie_server.services.diagnosis.diagnosis_service import (
    DiagnoseRequest,
    DiagnosisService,
    RemedyJob,
    RemedyVerdict,
)
from clustergenie_server.wire import convert
from clustergenie_server.wire import diagnosis_convert as dc


class DiagnosisServicer(diagnosis_pb2_grpc.DiagnosisServiceServicer):
    """Translates, calls DiagnosisService, translates back."""

    def __init__(self, service: DiagnosisService) -> None:
        self._service = service

    async def Diagnose(
        self, request: pb.DiagnoseRequest, context: aio.ServicerContext[Any, Any]
    ) -> AsyncIterator[pb.DiagnoseEvent]:
        r = DiagnoseRequest(
            request.cluster_id, request.droplet_id, request.question, request.window_seconds,
            request.session_id, request.max_steps,
        )  # fmt: skip
        q, inventory, steps = await self._service.check(r)  # bad input fails before streaming
        async for event in self._service.run(q, inventory, steps, r.session_id):
            yield dc.event_to_proto(event)

    async def ApplyRemedy(
        self, request: pb.ApplyRemedyRequest, context: aio.ServicerContext[Any, Any]
    ) -> AsyncIterator[pb.RemedyEvent]:
        remedy = await self._service.check_remedy(
            request.session_id, request.remedy_id, confirmed=request.confirmed
        )
        async for event in self._service.run_remedy(request.session_id, remedy):
            if isinstance(event, RemedyJob):
                yield pb.RemedyEvent(job=convert.job_to_proto(event.job))
            elif isinstance(event, RemedyVerdict):
                yield pb.RemedyEvent(
                    verdict=pb.RemedyVerdict(
                        resolved=event.resolved, text=event.text, session_id=event.session_id
                    )
                )
            else:
                yield pb.RemedyEvent(follow_up=dc.event_to_proto(event))

    async def ListSessions(
        self, request: pb.ListSessionsRequest, context: aio.ServicerContext[Any, Any]
    ) -> pb.ListSessionsResponse:
        sessions = await self._service.list_sessions(request.cluster_id, request.limit)
        return pb.ListSessionsResponse(sessions=[dc.session_summary_to_proto(s) for s in sessions])

    async def GetSession(
        self, request: pb.GetSessionRequest, context: aio.ServicerContext[Any, Any]
    ) -> pb.DiagnosisSession:
        return dc.session_to_proto(await self._service.get_session(request.session_id))

    async def ExportSession(
        self, request: pb.GetSessionRequest, context: aio.ServicerContext[Any, Any]
    ) -> pb.ExportSessionResponse:
        markdown = await self._service.export_session(request.session_id)
        return pb.ExportSessionResponse(
            markdown=markdown, filename=f"diagnosis-{request.session_id}.md"
        )

    async def GetTimeline(
        self, request: pb.GetTimelineRequest, context: aio.ServicerContext[Any, Any]
    ) -> pb.GetTimelineResponse:
        entries = await self._service.timeline(
            request.cluster_id, request.window_seconds, list(request.kinds)
        )
        return pb.GetTimelineResponse(
            entries=[
                pb.TimelineEntry(
                    time=e.time, kind=e.kind.value, text=e.text, droplet_id=e.droplet_id,
                    severity=e.severity,
                )
                for e in entries
            ]
        )  # fmt: skip


class DeployServicer(deploys_pb2_grpc.DeployServiceServicer):
    """Translates, calls DeployService, translates back."""

    def __init__(self, service: DeployService) -> None:
        self._service = service

    async def DeployVersion(
        self, request: dpb.DeployVersionRequest, context: aio.ServicerContext[Any, Any]
    ) -> dpb.DeployResponse:
        deployment, job = await self._service.deploy(
            DeployRequest(request.cluster_id, request.version, droplet_id=request.droplet_id)
        )
        return dpb.DeployResponse(
            deployment=dc.deployment_to_proto(deployment), job=convert.job_to_proto(job)
        )

    async def RollbackDeploy(
        self, request: dpb.RollbackDeployRequest, context: aio.ServicerContext[Any, Any]
    ) -> dpb.DeployResponse:
        deployment, job = await self._service.rollback(request.cluster_id)
        return dpb.DeployResponse(
            deployment=dc.deployment_to_proto(deployment), job=convert.job_to_proto(job)
        )

    async def ListDeployments(
        self, request: dpb.ListDeploymentsRequest, context: aio.ServicerContext[Any, Any]
    ) -> dpb.ListDeploymentsResponse:
        history = await self._service.history(request.cluster_id)
        version = await self._service.version(request.cluster_id)
        return dpb.ListDeploymentsResponse(
            deployments=[dc.deployment_to_proto(d) for d in history], version=version
        )
