"""JobRepository on SQLite and MariaDB: queue, leases, progress and final states."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from clustergenie_server.db import Database, JobRepository
from clustergenie_server.domain.models import Cluster, Job, JobKind, JobState
from tests.server.db.conftest import claim_one

MakeJob = Callable[..., Job]
Claim = Callable[..., Job | None]
LEASE = 30.0  # the claim fixture's lease


def test_add_many_queues_jobs_due_now(make_job: MakeJob, cluster: Cluster, now: datetime) -> None:
    job = make_job(retry_of=7)

    assert job.id > 0
    assert (job.kind, job.state) == (JobKind.PROVISION_DROPLET, JobState.QUEUED)
    assert (job.cluster_id, job.droplet_id, job.target_name) == (cluster.id, None, "web-1")
    assert job.params == {"size": "s-1vcpu-1gb"}
    assert (job.progress, job.step, job.step_index, job.step_count) == (0.0, "", 0, 4)
    assert (job.attempt, job.max_attempts, job.timeout_seconds) == (1, 3, 120.0)
    assert (job.error, job.cancel_requested, job.retry_of) == ("", False, 7)
    assert job.created_at == job.updated_at == job.next_run_at == now
    assert (job.started_at, job.finished_at, job.lease_expires_at) == (None, None, None)
    assert job.lease_owner is None


def test_get_reads_back_and_misses(database: Database, make_job: MakeJob) -> None:
    job = make_job(droplet_id=None)

    assert database.run_sync(lambda s: JobRepository(s).get(job.id)) == job
    assert database.run_sync(lambda s: JobRepository(s).get(job.id + 1000)) is None


def test_list_is_newest_first_and_filters(
    database: Database, make_job: MakeJob, make_cluster: Callable[..., Cluster], now: datetime
) -> None:
    other = make_cluster("api")
    first, second = make_job(), make_job()
    third = make_job(cluster_id=other.id)
    database.run_sync(lambda s: JobRepository(s).finish(first.id, state=JobState.FAILED, now=now))

    def ids(**kwargs: Any) -> list[int]:
        return [j.id for j in database.run_sync(lambda s: JobRepository(s).list(**kwargs))]

    assert ids() == [third.id, second.id, first.id]
    assert ids(limit=2) == [third.id, second.id]
    assert ids(states=[JobState.QUEUED]) == [third.id, second.id]
    assert ids(states=[JobState.FAILED, JobState.SUCCEEDED]) == [first.id]
    assert ids(cluster_id=other.id) == [third.id]
    assert ids(cluster_id=other.id, states=[JobState.RUNNING]) == []


def test_a_claim_takes_the_earliest_due_job(
    database: Database, make_job: MakeJob, now: datetime, claim: Claim
) -> None:
    first, second = make_job(), make_job()
    make_job(now=now + timedelta(minutes=5))  # not due yet

    claimed = claim(now)

    assert claimed is not None
    assert claimed.id == first.id
    assert claimed.state is JobState.RUNNING
    assert claimed.lease_owner == "server-a"
    assert claimed.lease_expires_at == now + timedelta(seconds=LEASE)
    assert claimed.started_at == claimed.updated_at == now
    # The claim shows the step the job starts at, in the same statement.
    assert (claimed.step, claimed.progress) == ("Allocating capacity in ", 0.0)
    assert database.run_sync(lambda s: JobRepository(s).get(first.id)) == claimed
    next_claim = claim(now)
    assert next_claim is not None
    assert next_claim.id == second.id
    assert claim(now) is None


def test_an_empty_queue_gives_nothing_and_a_job_asked_to_cancel_is_claimed_to_end_it(
    database: Database, make_job: MakeJob, now: datetime, claim: Claim
) -> None:
    assert claim(now) is None
    job = make_job()
    database.run_sync(lambda s: JobRepository(s).request_cancel(job.id, now=now))

    # Claimed like any other (a queued job must not wait forever): the engine sees the request
    # and ends it cancelled, cleaned up, without running a step.
    claimed = claim(now)
    assert claimed is not None
    assert claimed.id == job.id
    assert claimed.cancel_requested
    assert claim(now) is None


def test_claim_keeps_the_first_start_time_after_requeue(
    database: Database, make_job: MakeJob, now: datetime, claim: Claim
) -> None:
    job = make_job()
    claim(now)
    database.run_sync(lambda s: JobRepository(s).requeue(job.id, now=now, next_run_at=now))

    again = claim(now + timedelta(minutes=1), owner="server-b")

    assert again is not None
    assert again.started_at == now
    assert again.lease_owner == "server-b"


class StaleCandidates(JobRepository):
    """Sees the candidates another server saw before it claimed the first of them."""

    def __init__(self, session: Session, stale: list[Job]) -> None:
        super().__init__(session)
        self._stale = stale

    def due(self, now: datetime, *, limit: int) -> list[Job]:
        return self._stale[:limit]


def test_a_candidate_claimed_meanwhile_is_not_claimed_twice(
    database: Database, make_job: MakeJob, now: datetime, claim: Claim
) -> None:
    first, second = make_job(), make_job()
    winner = claim(now, owner="server-a")

    def claim_stale(stale: list[Job]) -> list[Job]:
        return database.run_sync(
            lambda s: claim_one(StaleCandidates(s, stale), owner="server-b", now=now)
        )

    assert winner is not None
    assert winner.id == first.id
    assert claim_stale([first]) == []
    losers = claim_stale([first, second])
    assert [(j.id, j.lease_owner) for j in losers] == [(second.id, "server-b")]
    kept = database.run_sync(lambda s: JobRepository(s).get(first.id))
    assert kept is not None
    assert kept.lease_owner == "server-a"
