"""JobRepository after the claim: progress, leases, finishing, requeueing and cancelling."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from clustergenie_server.db import Database, JobRepository
from clustergenie_server.domain.errors import NotFound
from clustergenie_server.domain.models import Droplet, Job, JobState

MakeJob = Callable[..., Job]
Claim = Callable[..., Job | None]


@pytest.fixture
def running(make_job: MakeJob, claim: Claim, now: datetime) -> Job:
    """A job that server-a has claimed."""
    make_job()
    job = claim(now)
    assert job is not None
    return job


def get(database: Database, job_id: int) -> Job:
    """The stored job, which must exist."""
    job = database.run_sync(lambda s: JobRepository(s).get(job_id))
    assert job is not None
    return job


def test_update_progress_needs_the_lease(database: Database, running: Job, now: datetime) -> None:
    def progress(owner: str, fraction: float) -> Job | None:
        return database.run_sync(
            lambda s: JobRepository(s).update_progress(
                running.id, owner=owner, progress=fraction, step="booting", step_index=2, now=now
            )
        )

    updated = progress("server-a", 0.5)
    assert updated is not None
    assert (updated.progress, updated.step, updated.step_index) == (0.5, "booting", 2)
    assert progress("server-b", 0.9) is None  # lost or never held: no write
    assert get(database, running.id).progress == 0.5
    database.run_sync(
        lambda s: JobRepository(s).finish(running.id, state=JobState.CANCELLED, now=now)
    )
    assert progress("server-a", 0.9) is None


def test_renew_leases_extends_only_the_owners_running_jobs(
    database: Database, make_job: MakeJob, claim: Claim, now: datetime
) -> None:
    a1, a2 = make_job(), make_job()
    b1 = make_job()
    queued = make_job()
    for owner in ("server-a", "server-a", "server-b"):
        claim(now, owner=owner)
    until = now + timedelta(minutes=10)

    renewed = database.run_sync(
        lambda s: JobRepository(s).renew_leases(owner="server-a", until=until, now=now)
    )

    assert renewed == 2
    assert get(database, a1.id).lease_expires_at == until
    assert get(database, a2.id).lease_expires_at == until
    assert get(database, b1.id).lease_expires_at == now + timedelta(seconds=30)
    assert get(database, queued.id).lease_expires_at is None


def test_finish_succeeded_completes_progress_and_clears_the_lease(
    database: Database, running: Job, now: datetime
) -> None:
    done_at = now + timedelta(seconds=42)

    done = database.run_sync(
        lambda s: JobRepository(s).finish(running.id, state=JobState.SUCCEEDED, now=done_at)
    )

    assert done.state is JobState.SUCCEEDED
    assert done.progress == 1.0
    assert done.finished_at == done.updated_at == done_at
    assert done.started_at == now
    assert (done.lease_owner, done.lease_expires_at, done.next_run_at) == (None, None, None)
    assert get(database, running.id) == done


def test_finish_failed_keeps_progress_and_records_the_error(
    database: Database, make_job: MakeJob, now: datetime
) -> None:
    job = make_job()

    failed = database.run_sync(
        lambda s: JobRepository(s).finish(
            job.id, state=JobState.FAILED, error="no capacity", now=now
        )
    )

    assert (failed.state, failed.progress, failed.error) == (JobState.FAILED, 0.0, "no capacity")


def test_finish_refuses_a_state_that_is_not_final(
    database: Database, running: Job, now: datetime
) -> None:
    with pytest.raises(ValueError, match="final state"):
        database.run_sync(
            lambda s: JobRepository(s).finish(running.id, state=JobState.QUEUED, now=now)
        )
    with pytest.raises(NotFound, match="job 424242 does not exist"):
        database.run_sync(lambda s: JobRepository(s).finish(424242, state=JobState.FAILED, now=now))


def test_requeue_puts_the_job_back_with_backoff(
    database: Database, running: Job, claim: Claim, now: datetime
) -> None:
    retry_at = now + timedelta(seconds=20)

    requeued = database.run_sync(
        lambda s: JobRepository(s).requeue(
            running.id, now=now, next_run_at=retry_at, attempt=2, error="timeout", step="waiting"
        )
    )

    assert requeued.state is JobState.QUEUED
    assert (requeued.attempt, requeued.error, requeued.step) == (2, "timeout", "waiting")
    assert (requeued.lease_owner, requeued.lease_expires_at) == (None, None)
    assert requeued.next_run_at == retry_at
    assert claim(now) is None  # backing off
    again = claim(retry_at)
    assert again is not None
    assert (again.id, again.attempt) == (running.id, 2)


def test_requeue_without_attempt_or_step_keeps_them(
    database: Database, running: Job, now: datetime
) -> None:
    requeued = database.run_sync(
        lambda s: JobRepository(s).requeue(running.id, now=now, next_run_at=now)
    )

    assert (requeued.attempt, requeued.step, requeued.error) == (1, running.step, "")
    with pytest.raises(NotFound):
        database.run_sync(lambda s: JobRepository(s).requeue(424242, now=now, next_run_at=now))


def test_request_cancel_flags_live_jobs_only(
    database: Database, make_job: MakeJob, running: Job, now: datetime
) -> None:
    later = now + timedelta(seconds=5)
    finished = make_job()
    database.run_sync(
        lambda s: JobRepository(s).finish(finished.id, state=JobState.FAILED, now=now)
    )

    flagged = database.run_sync(lambda s: JobRepository(s).request_cancel(running.id, now=later))
    final = database.run_sync(lambda s: JobRepository(s).request_cancel(finished.id, now=later))

    assert (flagged.cancel_requested, flagged.state, flagged.updated_at) == (
        True,
        JobState.RUNNING,
        later,
    )
    assert (final.cancel_requested, final.updated_at) == (False, now)
    with pytest.raises(NotFound):
        database.run_sync(lambda s: JobRepository(s).request_cancel(424242, now=now))


def test_expired_leases_lists_running_jobs_past_their_lease(
    database: Database, make_job: MakeJob, claim: Claim, now: datetime
) -> None:
    early, late = make_job(), make_job()
    make_job()  # stays queued
    claim(now)
    claim(now + timedelta(seconds=20))

    def expired(at: datetime) -> list[int]:
        return [j.id for j in database.run_sync(lambda s: JobRepository(s).expired_leases(now=at))]

    assert expired(now + timedelta(seconds=30)) == []  # expiring exactly now is not expired
    assert expired(now + timedelta(seconds=31)) == [early.id]
    assert expired(now + timedelta(seconds=51)) == [early.id, late.id]


def test_release_owner_requeues_only_that_owners_jobs(
    database: Database, make_job: MakeJob, claim: Claim, now: datetime
) -> None:
    a1, b1, a2 = make_job(), make_job(), make_job()
    for owner in ("server-a", "server-b", "server-a"):
        claim(now, owner=owner)
    stop = now + timedelta(seconds=3)

    released = database.run_sync(
        lambda s: JobRepository(s).release_owner(owner="server-a", now=stop)
    )

    assert [j.id for j in released] == [a1.id, a2.id]
    for job in released:
        assert (job.state, job.lease_owner, job.next_run_at) == (JobState.QUEUED, None, stop)
        assert get(database, job.id) == job
    assert get(database, b1.id).lease_owner == "server-b"


def test_active_jobs_of_a_droplet_and_a_cluster(
    database: Database, make_job: MakeJob, droplet: Droplet, claim: Claim, now: datetime
) -> None:
    repo_call = database.run_sync
    assert repo_call(lambda s: JobRepository(s).active_for_droplet(droplet.id)) is None
    done = make_job(droplet_id=droplet.id)
    repo_call(lambda s: JobRepository(s).finish(done.id, state=JobState.SUCCEEDED, now=now))
    running = make_job(droplet_id=droplet.id)
    claim(now)
    queued = make_job()

    active = repo_call(lambda s: JobRepository(s).active_for_droplet(droplet.id))
    in_cluster = repo_call(lambda s: JobRepository(s).active_for_cluster(droplet.cluster_id))

    assert active is not None
    assert (active.id, active.state) == (running.id, JobState.RUNNING)
    assert [j.id for j in in_cluster] == [running.id, queued.id]
    assert repo_call(lambda s: JobRepository(s).active_for_cluster(droplet.cluster_id + 99)) == []
