"""Every job kind gets a handler, built in one place."""

from __future__ import annotations

from clustergenie_server.domain.models import JobKind
from clustergenie_server.services.jobs.job_kinds import build_job_handlers
from clustergenie_server.settings import Settings
from clustergenie_server.simulation.clock import SimClock


class NoDroplets:
    """The scale job's provisioning; building the handlers must not call it."""

    async def add_droplets(self, *, cluster_id: int, count: int, size: str = "") -> object:
        raise AssertionError("called while building")

    async def destroy_droplet(self, droplet_id: int, *, retry_of: int | None = None) -> object:
        raise AssertionError("called while building")


def test_every_job_kind_has_a_handler_of_that_kind() -> None:
    handlers = build_job_handlers(Settings(), droplets=NoDroplets(), clock=SimClock(1.0))

    assert set(handlers) == set(JobKind)
    assert all(handler.kind is kind for kind, handler in handlers.items())
