"""Several servers claiming from one database at once, as the engine claims (claim_due): every
job is claimed exactly once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from clustergenie_server.db import Database, JobRepository
from clustergenie_server.domain.models import Job
from clustergenie_server.services.jobs.job_claims import claim_due
from tests.server.db.conftest import HANDLERS, LEASE_SECONDS, claim_one

WORKERS = 6
JOBS = 30
FREE_WORKERS = 3  # each server claims up to this many jobs per unit of work, as the engine does


def test_racing_servers_claim_each_job_exactly_once(
    database: Database, make_job: Callable[..., Job], now: datetime
) -> None:
    job_ids = {make_job().id for _ in range(JOBS)}
    # All servers start together, so their first claims really do overlap.
    start = threading.Barrier(WORKERS)

    def work(owner: str) -> list[int]:
        claimed: list[int] = []
        start.wait()
        while True:
            jobs = database.run_sync(
                lambda s: claim_due(
                    JobRepository(s),
                    HANDLERS,
                    owner=owner,
                    lease_seconds=LEASE_SECONDS,
                    limit=FREE_WORKERS,
                    now=now,
                )
            )
            if not jobs:
                return claimed
            assert all(job.lease_owner == owner for job in jobs)
            claimed += [job.id for job in jobs]

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(work, [f"server-{n}" for n in range(WORKERS)]))

    counts = Counter(job_id for claimed in results for job_id in claimed)
    assert set(counts) == job_ids
    assert set(counts.values()) == {1}
    stored = database.run_sync(lambda s: JobRepository(s).list(limit=JOBS))
    owners = {job.id: job.lease_owner for job in stored}
    for n, claimed in enumerate(results):
        assert all(owners[job_id] == f"server-{n}" for job_id in claimed)


def test_two_sessions_racing_for_one_job_have_one_winner(
    database: Database, make_job: Callable[..., Job], now: datetime
) -> None:
    job = make_job()
    start = threading.Barrier(2)

    def race(owner: str) -> list[Job]:
        start.wait()
        return database.run_sync(lambda s: claim_one(JobRepository(s), owner=owner, now=now))

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(race, ["server-a", "server-b"]))

    winners = [claimed for result in results for claimed in result]
    assert [w.id for w in winners] == [job.id]
