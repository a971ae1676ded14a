"""Several workers claiming from one database at once: every job is claimed exactly once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from clustergenie_server.db import Database, JobRepository
from clustergenie_server.domain.models import Job

WORKERS = 6
JOBS = 30


def test_racing_workers_claim_each_job_exactly_once(
    database: Database, make_job: Callable[..., Job], now: datetime
) -> None:
    job_ids = {make_job().id for _ in range(JOBS)}
    # All workers start together, so their first claims really do overlap.
    start = threading.Barrier(WORKERS)

    def work(owner: str) -> list[int]:
        claimed: list[int] = []
        start.wait()
        while True:
            job = database.run_sync(
                lambda s: JobRepository(s).claim_next(owner=owner, lease_seconds=30, now=now)
            )
            if job is None:
                return claimed
            assert job.lease_owner == owner
            claimed.append(job.id)

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

    def race(owner: str) -> Job | None:
        start.wait()
        return database.run_sync(
            lambda s: JobRepository(s).claim_next(owner=owner, lease_seconds=30, now=now)
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(race, ["server-a", "server-b"]))

    winners = [r for r in results if r is not None]
    assert len(winners) == 1
    assert winners[0].id == job.id
