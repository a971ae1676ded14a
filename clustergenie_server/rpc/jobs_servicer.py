"""JobService over gRPC."""

from __future__ import annotations

from collections.abc import AsyncIterator
from operator import attrgetter

from grpc import aio

from clustergenie_server.api.v1 import jobs_pb2 as pb
from clustergenie_server.api.v1 import jobs_pb2_grpc
from clustergenie_server.bus.event_bus import JOBS_TOPIC, EventBus
from clustergenie_server.domain.events import JobChanged
from clustergenie_server.domain.models import Job
from clustergenie_server.rpc.conflation import newest_per_key
from clustergenie_server.rpc.proto_memo import ProtoMemo
from clustergenie_server.rpc.snapshot_stream import SnapshotFilter
from clustergenie_server.services.jobs.job_service import JobService
from clustergenie_server.wire import convert

# A full snapshot (1,000 jobs) and the live updates around it.
UPDATE_MEMO_CAPACITY = 2048
_ID = attrgetter("id")  # the memo's and the conflation's key: a job's id


# Streams yield serialized updates (see rpc.preserialized): a job is serialized once, however
# many streams send it and however many snapshots repeat it unchanged.
SNAPSHOT_COMPLETE = pb.JobUpdate(snapshot_complete=True).SerializeToString()


def _job_update(job: Job) -> bytes:
    return pb.JobUpdate(job=convert.job_to_proto(job)).SerializeToString()


class JobServicer(jobs_pb2_grpc.JobServiceServicer):
    """Thin: each method translates, calls JobService, translates back."""

    def __init__(self, service: JobService, bus: EventBus) -> None:
        self._service, self._bus = service, bus
        # Shared by every WatchJobs stream: a live update is converted once for all of them,
        # and a snapshot converts only the jobs that changed since a stream last sent them.
        self._updates = ProtoMemo(_job_update, capacity=UPDATE_MEMO_CAPACITY, key=_ID)

    async def ListJobs(
        self, request: pb.ListJobsRequest, context: aio.ServicerContext
    ) -> pb.ListJobsResponse:
        jobs = await self._service.list_jobs(
            states=convert.job_states_from_proto(list(request.states)),
            cluster_id=request.cluster_id or None,
            limit=request.limit,
        )
        return pb.ListJobsResponse(jobs=[convert.job_to_proto(j) for j in jobs])

    async def GetJob(self, request: pb.GetJobRequest, context: aio.ServicerContext) -> pb.Job:
        return convert.job_to_proto(await self._service.get_job(request.id))

    async def CancelJob(self, request: pb.CancelJobRequest, context: aio.ServicerContext) -> pb.Job:
        return convert.job_to_proto(await self._service.cancel_job(request.id))

    async def RetryJob(self, request: pb.RetryJobRequest, context: aio.ServicerContext) -> pb.Job:
        return convert.job_to_proto(await self._service.retry_job(request.id))

    async def WatchJobs(
        self, request: pb.WatchJobsRequest, context: aio.ServicerContext
    ) -> AsyncIterator[bytes]:
        # Subscribe first, then snapshot: see WatchInventory for why.
        subscription = self._bus.subscribe([JOBS_TOPIC])
        try:
            jobs = await self._service.recent_jobs(request.snapshot_limit)
            seen = SnapshotFilter()
            for job in reversed(jobs):  # oldest first, as they happened
                seen.remember(job.id, job.updated_at)
                yield self._updates(job)
            yield SNAPSHOT_COMPLETE

            async def changes() -> AsyncIterator[Job]:
                async for event in subscription:
                    if isinstance(event, JobChanged) and seen.is_newer(
                        event.job.id, event.job.updated_at
                    ):
                        yield event.job

            async for job in newest_per_key(changes(), _ID):
                yield self._updates(job)
        finally:
            subscription.close()
