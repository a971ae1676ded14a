"""Helpers for the persistence tests: a fixed clock and ready-made clusters and droplets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from clustergenie_server.db import ClusterRepository, Database, DropletRepository, JobRepository
from clustergenie_server.db.job_repository import NewJob
from clustergenie_server.domain.models import Cluster, Droplet, Job, JobKind
from clustergenie_server.services.jobs.job_claims import claim_due
from clustergenie_server.services.jobs.job_handlers import DROPLET_AND_CLUSTER_HANDLERS, JobHandler
from clustergenie_server.settings import SimulationSettings

# Microseconds on purpose: they must survive the round trip on both back ends.
NOW = datetime(2025, 3, 1, 12, 30, 45, 123456, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    """A fixed aware UTC time; tests move it with timedelta, never with the wall clock."""
    return NOW


@pytest.fixture
def make_cluster(database: Database) -> Callable[..., Cluster]:
    """Create a committed cluster named `name`."""

    def make(name: str = "web", **overrides: Any) -> Cluster:
        fields: dict[str, Any] = {
            "name": name,
            "region": "nyc1",
            "size": "s-1vcpu-1gb",
            "image": "ubuntu-24-04-x64",
            "tags": ("prod", "web"),
            "now": NOW,
        }
        fields.update(overrides)
        return database.run_sync(lambda s: ClusterRepository(s).add(**fields))

    return make


@pytest.fixture
def make_droplets(database: Database) -> Callable[..., list[Droplet]]:
    """Create committed droplets with the given names in a cluster."""

    def make(cluster_id: int, *names: str) -> list[Droplet]:
        return database.run_sync(
            lambda s: DropletRepository(s).add_many(
                cluster_id=cluster_id,
                names=names,
                region="nyc1",
                size="s-1vcpu-1gb",
                image="ubuntu-24-04-x64",
                now=NOW,
            )
        )

    return make


LEASE_SECONDS = 30.0
# The handlers the engine claims with (the scale job's needs provisioning; no test here uses it).
HANDLERS: dict[JobKind, JobHandler] = {
    cls.kind: cls(SimulationSettings()) for cls in DROPLET_AND_CLUSTER_HANDLERS
}


@pytest.fixture
def cluster(make_cluster: Callable[..., Cluster]) -> Cluster:
    """A cluster for jobs and droplets to belong to."""
    return make_cluster("web")


@pytest.fixture
def droplet(cluster: Cluster, make_droplets: Callable[..., list[Droplet]]) -> Droplet:
    """A droplet of that cluster."""
    return make_droplets(cluster.id, "web-1")[0]


@pytest.fixture
def make_job(database: Database, cluster: Cluster) -> Callable[..., Job]:
    """Add a committed provision job; keyword arguments override the defaults."""

    def make(*, now: datetime = NOW, **overrides: Any) -> Job:
        fields: dict[str, Any] = {
            "kind": JobKind.PROVISION_DROPLET,
            "cluster_id": cluster.id,
            "droplet_id": None,
            "target_name": "web-1",
            "params": {"size": "s-1vcpu-1gb"},
            "step_count": 4,
            "max_attempts": 3,
            "timeout_seconds": 120.0,
        }
        fields.update(overrides)
        new = NewJob(**fields)
        return database.run_sync(lambda s: JobRepository(s).add_many([new], now=now))[0]

    return make


@pytest.fixture
def claim(database: Database) -> Callable[..., Job | None]:
    """Claim the next due job at a time, for an owner, in its own unit of work, as the engine
    claims (job_claims.claim_due, one free worker)."""

    def claim_next(now: datetime, owner: str = "server-a") -> Job | None:
        claimed = database.run_sync(lambda s: claim_one(JobRepository(s), owner=owner, now=now))
        return claimed[0] if claimed else None

    return claim_next


def claim_one(repo: JobRepository, *, owner: str, now: datetime) -> list[Job]:
    """The engine's claim of one job (a server with one free worker), with the test handlers."""
    return claim_due(repo, HANDLERS, owner=owner, lease_seconds=LEASE_SECONDS, limit=1, now=now)
