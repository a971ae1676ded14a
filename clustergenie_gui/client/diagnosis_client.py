"""DiagnosisClient: the DiagnosisService and DeployService RPCs over the app's one channel."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from typing import Any, TypeVar

import grpc

from clustergenie_gui.client import convert_diagnosis as cd
from clustergenie_gui.client import diagnosis_types as d
from clustergenie_gui.client.client import ClientError, ClusterGenieClient
from clustergenie_server.api.v1 import deploys_pb2, deploys_pb2_grpc, diagnosis_pb2_grpc
from clustergenie_server.api.v1 import diagnosis_pb2 as pb

E = TypeVar("E")
STREAM_DEADLINE = 600.0  # an investigation or a remedy and its follow-up, at most
UNARY_DEADLINE = 10.0


class DiagnosisClient:
    """Stubs made on the client's current channel (a new one after each reconnect)."""

    def __init__(self, client: ClusterGenieClient) -> None:
        self._client = client
        self._channel: Any = None
        self._stub: diagnosis_pb2_grpc.DiagnosisServiceStub | None = None
        self._deploys: deploys_pb2_grpc.DeployServiceStub | None = None

    def _stubs(
        self,
    ) -> tuple[diagnosis_pb2_grpc.DiagnosisServiceStub, deploys_pb2_grpc.DeployServiceStub]:
        channel = self._client.channel()
        if channel is not self._channel or self._stub is None or self._deploys is None:
            self._channel = channel
            self._stub = diagnosis_pb2_grpc.DiagnosisServiceStub(channel)
            self._deploys = deploys_pb2_grpc.DeployServiceStub(channel)
        return self._stub, self._deploys

    def diagnose(
        self,
        cluster_id: int,
        droplet_id: int,
        question: str,
        window_seconds: float,
        session_id: int = 0,
    ) -> AsyncIterator[d.DiagnoseEvent]:
        """Steps, findings, tokens, remedies, done."""
        request = pb.DiagnoseRequest(
            cluster_id=cluster_id, droplet_id=droplet_id, question=question,
            window_seconds=window_seconds, session_id=session_id,
        )  # fmt: skip
        call = self._stubs()[0].Diagnose(request, timeout=STREAM_DEADLINE)
        return _stream(call, cd.diagnose_events)

    def apply_remedy(self, session_id: int, remedy_id: str) -> AsyncIterator[d.RemedyEvent]:
        """Jobs, the follow-up diagnosis, the verdict (confirmed: the user said yes)."""
        request = pb.ApplyRemedyRequest(session_id=session_id, remedy_id=remedy_id, confirmed=True)
        call = self._stubs()[0].ApplyRemedy(request, timeout=STREAM_DEADLINE)
        return _stream(call, cd.remedy_events)

    async def list_sessions(self, cluster_id: int = 0) -> list[d.SessionInfo]:
        """Stored sessions, newest first."""
        request = pb.ListSessionsRequest(cluster_id=cluster_id)
        response = await _unary(self._stubs()[0].ListSessions, request)
        return [cd.session_info(s) for s in response.sessions]

    async def get_session(self, session_id: int) -> d.SessionDetail:
        """A session with its turns."""
        request = pb.GetSessionRequest(session_id=session_id)
        return cd.session_detail(await _unary(self._stubs()[0].GetSession, request))

    async def export_session(self, session_id: int) -> tuple[str, str]:
        """(file name, Markdown) of a session."""
        request = pb.GetSessionRequest(session_id=session_id)
        response = await _unary(self._stubs()[0].ExportSession, request)
        return response.filename, response.markdown

    async def timeline(
        self, cluster_id: int, window_seconds: float, kinds: Sequence[str] = ()
    ) -> list[d.TimelineEntry]:
        """What happened to the cluster in the window, oldest first (only `kinds`, if given)."""
        request = pb.GetTimelineRequest(
            cluster_id=cluster_id, window_seconds=window_seconds, kinds=list(kinds)
        )
        response = await _unary(self._stubs()[0].GetTimeline, request)
        return [cd.timeline_entry(e) for e in response.entries]

    async def deploy_version(self, cluster_id: int, version: str = "") -> str:
        """Roll a version out; returns the version being deployed."""
        request = deploys_pb2.DeployVersionRequest(cluster_id=cluster_id, version=version)
        response = await _unary(self._stubs()[1].DeployVersion, request)
        return str(response.deployment.version)

    async def list_deployments(self, cluster_id: int) -> list[d.Deployment]:
        """The cluster's deployments, newest first (deploy markers on its graphs)."""
        request = deploys_pb2.ListDeploymentsRequest(cluster_id=cluster_id)
        response = await _unary(self._stubs()[1].ListDeployments, request)
        return [cd.deployment(m) for m in response.deployments]


async def _unary(method: Callable[..., Any], request: Any) -> Any:
    try:
        return await method(request, timeout=UNARY_DEADLINE)
    except grpc.aio.AioRpcError as error:
        raise ClientError.from_rpc(error) from error


async def _stream(call: Any, to_events: Callable[[Any], Iterable[E]]) -> AsyncIterator[E]:
    try:
        async for message in call:
            for event in to_events(message):
                yield event
    except grpc.aio.AioRpcError as error:
        raise ClientError.from_rpc(error) from error
    finally:
        call.cancel()
