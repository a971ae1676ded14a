"""JobService over gRPC."""

from __future__ import annotations

from collections.abc import AsyncIterator
from operator import attrgetter

from clustergenie_server.api.v1 import jobs_pb2 as pb
from clustergenie_server.api.v1 import jobs_pb2_grpc
from clustergenie_server.domain.models import Job
from clustergenie_server.rpc.aio_types import Context
from clustergenie_server.rpc.proto_memo import ProtoMemo
from clustergenie_server.services.jobs.job_service import JobService
from clustergenie_server.services.shared.watch import Snapshot
from clustergenie_server.wire import convert

# A full snapshot (1,000 jobs) and the live updates around it.
UPDATE_MEMO_CAPACITY = 2048
_ID = attrgetter("id")  # the memo's key: a job's id


# Streams yield serialized updates (see rpc.preserialized): a job is serialized once, however
# many streams send it and however many snapshots repeat it unchanged.
SNAPSHOT_COMPLETE = pb.JobUpdate(snapshot_complete=True).SerializeToString()


def _job_update(job: Job) -> bytes:
    return pb.JobUpdate(job=convert.job_to_proto(job)).SerializeToString()


class JobServicer(jobs_pb2_grpc.JobServiceServicer):
    """Thin: each method translates, calls JobService, translates back."""

    def __init__(self, service: JobService) -> None:
        self._service = service
        # Shared by every WatchJobs stream: a live update is converted once for all of them,
        # and a snapshot converts only the jobs that changed since a stream last sent them.
        self._updates = ProtoMemo(_job_update, capacity=UPDATE_MEMO_CAPACITY, key=_ID)

    async def ListJobs(self, request: pb.ListJobsRequest, context: Context) -> pb.ListJobsResponse:
        jobs = await self._service.list_jobs(
            states=convert.job_states_from_proto(list(request.states)),
            cluster_id=request.cluster_id or None,
            limit=request.limit,
        )
        return pb.ListJobsResponse(jobs=[convert.job_to_proto(j) for j in jobs])

    async def GetJob(self, request: pb.GetJobRequest, context: Context) -> pb.Job:
        return convert.job_to_proto(await self._service.get_job(request.id))

    async def CancelJob(self, request: pb.CancelJobRequest, context: Context) -> pb.Job:
        return convert.job_to_proto(await self._service.cancel_job(request.id))

    async def RetryJob(self, request: pb.RetryJobRequest, context: Context) -> pb.Job:
        return convert.job_to_proto(await self._service.retry_job(request.id))

    async def WatchJobs(  # type: ignore[override]  # yields serialized bytes
        self, request: pb.WatchJobsRequest, context: Context
    ) -> AsyncIterator[bytes]:
        # The service subscribes, snapshots, filters and conflates (services/shared/watch.py);
        # this only encodes what it yields.
        updates = self._updates
        async for item in self._service.watch(request.snapshot_limit):
            if isinstance(item, Snapshot):
                for job in item.rows:
                    yield updates(job)
                yield SNAPSHOT_COMPLETE
            else:
                yield updates(item)
