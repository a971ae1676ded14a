"""Helpers of the logs tests: a pipeline and service over the test database, lines to feed it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from clustergenie_server.db import Database
from clustergenie_server.db.log_store import LogStore, log_store_for
from clustergenie_server.domain.logs import Stream
from clustergenie_server.services.logs.log_service import LogService
from clustergenie_server.services.logs.patterns import PatternTracker
from clustergenie_server.services.logs.pipeline import LogPipeline, PipelineLimits

T0 = 1_800_000_000.0  # simulated seconds, on a minute boundary


def stream(cluster: str = "web-prod", droplet: str = "web-1", level: str = "info") -> Stream:
    """A stream of the usual labels."""
    return Stream.of({"cluster": cluster, "droplet": droplet, "source": "app", "level": level})


class FakeClock:
    """Simulated time that tests move by hand."""

    def __init__(self, t: float = T0 + 3600) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def store(database: Database) -> LogStore:
    """The LogStore of the test database's dialect."""
    return log_store_for(database.engine.dialect.name)


@pytest.fixture
async def pipeline(database: Database, store: LogStore) -> AsyncIterator[LogPipeline]:
    """A started pipeline (heads cut at every flush)."""
    p = LogPipeline(database, store, PipelineLimits(chunk_age_seconds=0.0))
    await p.start()
    yield p
    await p.stop()


@pytest.fixture
def clock() -> FakeClock:
    """The service's clock."""
    return FakeClock()


@pytest.fixture
def service(
    database: Database, store: LogStore, pipeline: LogPipeline, clock: FakeClock
) -> LogService:
    """The service over the pipeline."""
    return LogService(database, store, pipeline, PatternTracker(), clock, tail_buffer=100)
